"""Shared fixtures (the seed profiles, built once per session into every format), the `slow` marker
the rendering fixtures bring, and the `--update-golden` option. Plain helpers live in tests/helpers/."""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from pathlib import Path

import pytest

from cvforge.builder.run import FORMATS, build
from cvforge.reader.read import load_profile
from cvforge.renderers.fontcache import CACHE_ENV
from tests.helpers.golden import GoldenFiles
from tests.helpers.outputs import Built, ProjectBuild
from tests.helpers.project import JSON_RESUMES, PROFILES, ROOT, THEMES
from tests.helpers.slow import RENDERING_FIXTURES


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite the golden files (tests/scenarios/…) from this run's output instead of comparing to them",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark `slow` every test whose fixtures render documents, so `-m "not slow"` is an honest fast loop."""
    for item in items:
        if RENDERING_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def golden_files(request: pytest.FixtureRequest) -> GoldenFiles:
    """Compares output with the golden files, or rewrites them under `pytest --update-golden`."""
    return GoldenFiles(update=bool(request.config.getoption("--update-golden")))


@pytest.fixture(scope="session")
def built_themes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Built]]:
    """Every built-in theme × seed profile × format, built once per session: theme → seed → files."""
    built: dict[str, dict[str, Built]] = {}
    for theme in THEMES:
        out = tmp_path_factory.mktemp(f"out-{theme}")
        result = build(PROFILES, theme_name=theme, out_dir=out)
        assert result.ok, result.failures
        built[theme] = {
            path.stem: Built(load_profile(path), {fmt: out / f"{path.stem}.{fmt}" for fmt in FORMATS}, theme)
            for path in PROFILES
        }
    return built


@pytest.fixture(scope="session")
def built_seeds(built_themes: dict[str, dict[str, Built]]) -> dict[str, Built]:
    """The seed profiles as they build by default (none names a theme, so: classic)."""
    assert all(load_profile(path).theme is None for path in PROFILES)
    return built_themes["classic"]


@pytest.fixture(scope="session")
def built_by_theme(built_themes: dict[str, dict[str, Built]]) -> dict[tuple[str, str], Built]:
    """(theme, seed) → the seed built in that theme: `built_themes` by another key, so each output is
    built once per session (this fixture used to build every theme's PDF and DOCX a second time)."""
    return {(theme, stem): built for theme, seeds in built_themes.items() for stem, built in seeds.items()}


@pytest.fixture(scope="session")
def project_build(tmp_path_factory: pytest.TempPathFactory) -> ProjectBuild:
    from click.testing import CliRunner

    from cvforge.cli import main

    root = tmp_path_factory.mktemp("project")
    shutil.copytree(ROOT / "profiles", root / "profiles")
    shutil.copytree(ROOT / "targets", root / "targets")
    previous = Path.cwd()
    os.chdir(root)  # a session fixture cannot use monkeypatch.chdir
    try:
        result = CliRunner().invoke(main, ["build"])
    finally:
        os.chdir(previous)
    return ProjectBuild(root, result.exit_code, result.output)


@pytest.fixture(scope="session")
def print_pdfs(
    built_themes: dict[str, dict[str, Built]], tmp_path_factory: pytest.TempPathFactory
) -> dict[tuple[str, str], Path]:
    """(file name, theme) → PDF, for every seed (reused from built_themes) and JSON Resume fixture."""
    pdfs = {
        (f"{seed}.yaml", theme): built.files["pdf"]
        for theme, seeds in built_themes.items()
        for seed, built in seeds.items()
    }
    for theme in THEMES:
        out = tmp_path_factory.mktemp(f"jsonresume-{theme}")
        result = build(JSON_RESUMES, theme_name=theme, out_dir=out, formats=("pdf",))
        assert result.ok, result.failures
        pdfs.update({(path.name, theme): out / f"{path.name.removesuffix('.json')}.pdf" for path in JSON_RESUMES})
    return pdfs


def pytest_configure(config: pytest.Config) -> None:
    """A run started in the background by a shell without job control inherits SIGINT ignored, and
    so would every `cvforge watch` the tests stop with Ctrl-C (an ignored signal outlives exec; a
    handler does not): give this process a handler, so its children get Ctrl-C back.

    The suite runs as a build without SOURCE_DATE_EPOCH does: one exported in a reproducible-build
    shell dates every DOCX, PDF and letter from it, and failed the tests of the default dates. A test
    of the epoch sets its own.

    The suite keeps its computed fonts, compiled templates, digests and replays in a cache folder of
    its own (`CVFORGE_CACHE_DIR`, removed at the end) unless one is chosen: written into the user's
    cache, each run added its temporary folders' theme files to the digest index (25,000 entries,
    24,000 of them gone, read by every build and watch edit), 2,000 replays and 11,000 templates."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    os.environ.pop("SOURCE_DATE_EPOCH", None)
    if not os.environ.get(CACHE_ENV, "").strip():
        config.stash[_OWN_CACHE] = Path(tempfile.mkdtemp(prefix="cvforge-test-cache-"))
        os.environ[CACHE_ENV] = str(config.stash[_OWN_CACHE])


_OWN_CACHE = pytest.StashKey[Path]()


def pytest_unconfigure(config: pytest.Config) -> None:
    own = config.stash.get(_OWN_CACHE, None)
    if own is not None:
        shutil.rmtree(own, ignore_errors=True)
        if os.environ.get(CACHE_ENV) == str(own):
            del os.environ[CACHE_ENV]
