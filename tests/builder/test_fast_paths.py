"""Start-up and rebuilds (issue 16): a no-change build replays its report without loading the
schema or WeasyPrint, and any change runs the real build; each profile is parsed once per build;
watch writes the PDF first; pooled workers start with WeasyPrint loaded."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from cvforge.builder import replay
from cvforge.builder.project import LETTERS_DIR, RENDERER_NAMES, TARGETS_DIR
from cvforge.builder.run import BuildResult, Output, build
from cvforge.builder.watch import build_first_things_first
from cvforge.reader import read, source
from cvforge.renderers.formats import RENDERERS
from cvforge.targets import files

HEAVY = ("weasyprint", "docx", "pydantic", "ruamel", "jinja2", "fontTools")
PROBE = (
    "import sys, json\nfrom cvforge.cli import main\n"
    "try:\n    main(sys.argv[1:], prog_name='cvforge')\n"
    "except SystemExit as exit:\n"
    f"    print('HEAVY=' + json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))\n"
    "    raise\n"
)
PROFILE = "person:\n  name: Ada Lovelace\n  email: ada@example.com\n"


def cvforge(args: Sequence[str], cwd: Path) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """Run the CLI in a fresh process; the heavy modules it had loaded when it exited."""
    done = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=cwd, capture_output=True, text=True)
    heavy = json.loads(done.stdout.rsplit("HEAVY=", 1)[1]) if "HEAVY=" in done.stdout else ["(no probe)"]
    return done, heavy


def report(done: subprocess.CompletedProcess[str]) -> str:
    return done.stdout.rsplit("HEAVY=", 1)[0]


@pytest.mark.slow
def test_version_help_and_validate_load_nothing_heavy(tmp_path: Path) -> None:
    (tmp_path / "ada.yaml").write_text(PROFILE, "utf-8")
    for args in (["--version"], ["--help"], ["build", "--help"]):
        done, heavy = cvforge(args, tmp_path)
        assert done.returncode == 0, done.stderr
        assert heavy == [], (args, heavy)
    done, heavy = cvforge(["validate", "ada.yaml"], tmp_path)
    assert done.returncode == 0 and "ok ada.yaml" in done.stdout
    assert "weasyprint" not in heavy and "docx" not in heavy


@pytest.mark.slow
def test_a_no_change_build_replays_its_report_without_loading_anything_heavy(tmp_path: Path) -> None:
    (tmp_path / "ada.yaml").write_text(PROFILE + "experience:\n  - organisation: Acme\n", "utf-8")
    command = ["build", "ada.yaml", "--format", "html,md", "--jobs", "1"]
    first, _ = cvforge(command, tmp_path)
    assert first.returncode == 0 and "wrote out/ada.html" in report(first)
    replayed, heavy = cvforge(command, tmp_path)  # remembered by the build that wrote the files
    assert heavy == [] and "unchanged out/ada.html" in report(replayed)
    replay.record_path(tmp_path / "out").unlink()
    plain, heavy = cvforge(command, tmp_path)  # the real no-change build, which remembers too
    assert "pydantic" in heavy and replay.record_path(tmp_path / "out").is_file()
    again, heavy = cvforge(command, tmp_path)
    assert heavy == []
    for said in (replayed, again):
        assert (said.returncode, report(said), said.stderr) == (0, report(plain), plain.stderr)
    assert "no title and no dates" in again.stderr  # warnings are said again too


@pytest.mark.slow
@pytest.mark.parametrize(
    "change",
    [
        "edit the profile",
        "add a profile beside it",
        "delete an output",
        "delete the build record",
        "edit a theme file",
        "other options",
    ],
)
def test_any_change_runs_the_real_build(tmp_path: Path, change: str) -> None:
    (tmp_path / "profiles").mkdir()
    profile = tmp_path / "profiles" / "ada.yaml"
    profile.write_text(PROFILE, "utf-8")
    theme = tmp_path / "themes" / "mine"
    theme.mkdir(parents=True)
    (theme / "theme.toml").write_text('name = "mine"\nextends = "classic"\n', "utf-8")
    command = ["build", "--format", "md", "--jobs", "1"]
    for _ in range(3):  # built, then unchanged (remembered), then replayed
        done, heavy = cvforge(command, tmp_path)
    assert heavy == [] and "1 unchanged" in report(done)
    time.sleep(0.01)
    if change == "edit the profile":
        profile.write_text(PROFILE.replace("Ada", "Augusta Ada"), "utf-8")
    elif change == "add a profile beside it":
        (tmp_path / "profiles" / "bob.yaml").write_text(PROFILE.replace("Ada Lovelace", "Bob"), "utf-8")
    elif change == "delete an output":
        (tmp_path / "out" / "ada.md").unlink()
    elif change == "delete the build record":
        (tmp_path / "out" / ".cvforge-cache.json").unlink()
    elif change == "edit a theme file":
        (theme / "extra.css").write_text("p { color: red; }\n", "utf-8")
    else:
        command = [*command, "--option", "accent=#224488"]
    done, heavy = cvforge(command, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "pydantic" in heavy, f"{change}: replayed instead of building"
    # built again; a change the page does not show (a theme file it does not use, an accent Markdown
    # has no colour for) leaves the file as it was
    assert "wrote out/" in report(done) or "built 1 of 1 profile(s), 0 unchanged" in report(done), report(done)


def test_light_constants_agree_with_their_stages() -> None:
    assert tuple(RENDERERS) == RENDERER_NAMES
    assert TARGETS_DIR == files.TARGETS_DIR and LETTERS_DIR == files.LETTERS_DIR


def test_each_profile_is_parsed_once_per_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "ada.yaml").write_text(PROFILE, "utf-8")
    parsed: list[str] = []
    original = source.read_document

    def counting(path: Path, shown: str, *args: str) -> object:
        parsed.append(path.name)
        return original(path, shown, *args)

    monkeypatch.setattr(read, "read_document", counting)
    result = build([tmp_path / "ada.yaml"], formats=["md", "txt"], out_dir=tmp_path / "out")
    assert result.ok and parsed == ["ada.yaml"]
    read.load_profile(tmp_path / "ada.yaml")  # outside a build: read afresh
    assert parsed == ["ada.yaml", "ada.yaml"]


def test_a_rebuild_views_each_profile_and_digests_the_themes_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A watch rebuild is two builds, the HTML's then the PDF's: the second took the themes' digest
    and made the theme, the view and the print page again (18 ms of the watch's 75 ms an edit). What
    making the view said (an unreadable accent) is said by both builds."""
    from cvforge.builder import job_keys, prepare, run
    from cvforge.reader.read import parse_once

    (tmp_path / "ada.yaml").write_text(PROFILE + "options: {accent: '#ffff00'}\n", "utf-8")
    viewed: list[str] = []
    digests: list[object] = []
    real_view, real_digest = prepare.view_document, job_keys.digest_theme_files
    monkeypatch.setattr(prepare, "view_document", lambda *a: viewed.append("view") or real_view(*a))
    monkeypatch.setattr(run, "digest_theme_files", lambda dirs: digests.append(dirs) or real_digest(dirs))
    said: list[int] = []
    with parse_once():
        first = build([tmp_path / "ada.yaml"], formats=["md"], out_dir=tmp_path / "out")
        said.append(sum("accent #ffff00 is hard to read" in r.getMessage() for r in caplog.records))
        second = build([tmp_path / "ada.yaml"], formats=["txt"], out_dir=tmp_path / "out")
        said.append(sum("accent #ffff00 is hard to read" in r.getMessage() for r in caplog.records))
    assert first.ok and second.ok and viewed == ["view"] and len(digests) == 1
    assert said == [1, 2]
    assert "Ada" in (tmp_path / "out" / "ada.md").read_text("utf-8")
    assert "Ada" in (tmp_path / "out" / "ada.txt").read_text("utf-8")
    # Another build, another view: an edit between two rebuilds is seen.
    build([tmp_path / "ada.yaml"], formats=["html"], out_dir=tmp_path / "out")
    assert viewed == ["view", "view"] and len(digests) == 2


def test_once_per_build_keeps_what_was_made_not_what_failed(caplog: pytest.LogCaptureFixture) -> None:
    from cvforge.reader.read import once_per_build, parse_once

    made: list[int] = []

    def make() -> int:
        made.append(len(made))
        logging.getLogger("cvforge.test").warning("making %d", len(made))
        if len(made) <= 2:
            raise ValueError("not yet")
        return len(made)

    outside: list[str] = []
    for _ in range(2):  # outside a build: made each time
        once_per_build("k", lambda: outside.append("made"))
    assert outside == ["made", "made"]
    with parse_once():
        for _ in range(2):
            with pytest.raises(ValueError, match="not yet"):
                once_per_build("failing", make)
        assert [once_per_build("failing", make) for _ in range(3)] == [3, 3, 3]
    assert made == [0, 1, 2]
    # each failure said its warning once; the value made, each time it was given
    assert [r.getMessage() for r in caplog.records] == ["making 1", "making 2", "making 3", "making 3", "making 3"]


def test_a_rebuild_that_changes_nothing_on_the_page_leaves_the_file_alone(tmp_path: Path) -> None:
    """Issue 28: watch writes only what changed. A comment added to the profile rebuilt the job and
    wrote the same bytes again: a new file, so every PDF viewer and file watcher reloaded it."""
    profile, out = tmp_path / "ada.yaml", tmp_path / "out"
    profile.write_text(PROFILE, "utf-8")
    assert build([profile], formats=["md", "txt"], out_dir=out).ok
    before = {fmt: (out / f"ada.{fmt}").stat() for fmt in ("md", "txt")}
    profile.write_text(PROFILE + "# a note to self\n", "utf-8")
    again = build([profile], formats=["md", "txt"], out_dir=out)
    assert again.ok and again.skipped == []  # built again: its input changed
    assert [(o.format, o.unchanged) for o in again.outputs] == [("md", True), ("txt", True)]
    for fmt, status in before.items():
        now = (out / f"ada.{fmt}").stat()
        assert (now.st_ino, now.st_mtime_ns) == (status.st_ino, status.st_mtime_ns), fmt
    assert build([profile], formats=["md", "txt"], out_dir=out).skipped == [str(profile)]  # the record took the new key
    # A change on the page is written, as a new file; a link where the output was is replaced, not followed.
    (out / "ada.md").rename(out / "kept.md")
    (out / "ada.md").symlink_to("kept.md")
    profile.write_text(PROFILE.replace("Ada Lovelace", "Ada King"), "utf-8")
    changed = build([profile], formats=["md", "txt"], out_dir=out)
    assert changed.ok and [(o.format, o.unchanged) for o in changed.outputs] == [("md", False), ("txt", False)]
    assert not (out / "ada.md").is_symlink() and "Ada King" in (out / "ada.md").read_text("utf-8")
    assert "Ada Lovelace" in (out / "kept.md").read_text("utf-8")
    assert (out / "ada.txt").stat().st_ino != before["txt"].st_ino


def test_watch_writes_the_html_then_the_pdf_before_the_other_formats() -> None:
    calls: list[list[str]] = []
    previewed: list[list[str]] = []

    def fake_build(formats: Sequence[str]) -> BuildResult:
        calls.append(list(formats))
        return BuildResult(outputs=[Output(Path(f"out/a.{fmt}"), fmt, 1) for fmt in formats], skipped=["a"])

    def preview(first: BuildResult) -> None:
        previewed.append([o.format for o in first.outputs])
        assert len(calls) == 1  # told before the PDF is laid out

    merged = build_first_things_first(fake_build, ["docx", "pdf", "html"], preview)
    assert calls == [["html"], ["pdf"], ["docx"]] and previewed == [["html"]]
    assert [o.format for o in merged.outputs] == ["html", "pdf", "docx"] and merged.skipped == ["a"]
    calls.clear()
    assert [o.format for o in build_first_things_first(fake_build, ["docx", "pdf"]).outputs] == ["pdf", "docx"]
    assert calls == [["pdf"], ["docx"]]


def has_weasyprint() -> bool:
    return "weasyprint" in sys.modules


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers fork after warming up on Linux")
def test_pooled_workers_start_with_weasyprint_loaded() -> None:
    probe = (
        "from cvforge.builder.run import warm_pool\nfrom tests.builder.test_fast_paths import has_weasyprint\n"
        "pool = warm_pool(2)\nprint([pool.submit(has_weasyprint).result() for _ in range(2)])\npool.shutdown()\n"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", probe], cwd=root, capture_output=True, text=True, env=os.environ)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[True, True]"


def test_theme_files_are_digested_by_content_and_reread_only_when_their_stamp_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hashlib

    from cvforge.builder.cache import DIGESTS_NAME, stamped_digests
    from cvforge.renderers.fontcache import CACHE_ENV

    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    style = tmp_path / "style.css"
    style.write_text("p { color: red; }", "utf-8")
    assert stamped_digests([style])[style] == hashlib.sha256(b"p { color: red; }").hexdigest()
    assert (tmp_path / "cache" / DIGESTS_NAME).is_file()
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read again though unchanged"))
    assert stamped_digests([style])[style] == hashlib.sha256(b"p { color: red; }").hexdigest()
    monkeypatch.undo()
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    style.write_text("p { color: blue; }", "utf-8")
    os.utime(style, ns=(1, 1))  # a different stamp, whatever the clock's resolution
    assert stamped_digests([style])[style] == hashlib.sha256(b"p { color: blue; }").hexdigest()


def test_the_digest_index_forgets_files_that_are_gone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each build in a new folder (a clone, a test's temporary folder) adds its theme's files; an
    index that only grew had reached 25,000 entries, 24,000 of them gone, and cost 50 ms a build."""
    from cvforge.builder import cache
    from cvforge.renderers.fontcache import CACHE_ENV

    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    old, kept = tmp_path / "old.css", tmp_path / "kept.css"
    old.write_text("p { color: red; }", "utf-8")
    kept.write_text("p { color: tan; }", "utf-8")
    cache.stamped_digests([old, kept])
    old.unlink()
    new = tmp_path / "new.css"
    new.write_text("p { color: blue; }", "utf-8")
    cache.stamped_digests([new])  # something to write: the index is written again
    monkeypatch.setattr(cache, "_held_index", None)
    index = cache._load_index(tmp_path / "cache" / cache.DIGESTS_NAME)
    assert sorted(index) == sorted(str(p.resolve()) for p in (kept, new))


def test_the_digest_index_is_read_again_only_when_its_file_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A watch builds on every edit; reading, verifying and parsing the index each time was most
    of what a theme's digest cost."""
    import hashlib

    from cvforge.builder import cache
    from cvforge.renderers.fontcache import CACHE_ENV

    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    style = tmp_path / "style.css"
    style.write_text("p { color: red; }", "utf-8")
    cache.stamped_digests([style])
    reads: list[Path] = []
    real_read = cache.read_own_file
    monkeypatch.setattr(cache, "read_own_file", lambda path, limit: reads.append(path) or real_read(path, limit))
    for _ in range(3):
        assert cache.stamped_digests([style])[style] == hashlib.sha256(b"p { color: red; }").hexdigest()
    assert reads == []
    # Once the file is not the one this process holds (another process wrote it), it is read again,
    # and what it says is used.
    other = tmp_path / "other.css"
    other.write_text("p { color: tan; }", "utf-8")
    cache.stamped_digests([other])
    assert reads == []
    index_path = tmp_path / "cache" / cache.DIGESTS_NAME
    monkeypatch.setattr(cache, "_held_index", (index_path, (0, 0, 0, 0, 0), {}))
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("digest not taken from the index"))
    assert cache.stamped_digests([other])[other] == hashlib.sha256(b"p { color: tan; }").hexdigest()
    assert reads == [index_path]


# Issue 24 (caches are input): the digest index and the replays live in the user's cache folder,
# which may be shared or restored. A planted one must not make a changed input look unchanged.


def test_a_planted_digest_index_cannot_make_an_edited_theme_file_look_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hashlib

    from cvforge.builder.cache import DIGESTS_NAME, stamped_digests
    from cvforge.renderers.fontcache import CACHE_ENV

    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    style = tmp_path / "style.css"
    style.write_text("p { color: red; }", "utf-8")
    before = stamped_digests([style])[style]
    style.write_text("p { color: tan; }", "utf-8")  # same size
    status = style.stat()
    planted = {str(style.resolve()): [status.st_size, status.st_mtime_ns, before]}  # the edit, hidden
    (tmp_path / "cache" / DIGESTS_NAME).write_text(json.dumps(planted), "utf-8")
    assert stamped_digests([style])[style] == hashlib.sha256(b"p { color: tan; }").hexdigest()


def test_a_digest_index_that_is_a_link_to_dev_zero_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import hashlib

    from cvforge.builder.cache import DIGESTS_NAME, stamped_digests
    from cvforge.renderers.fontcache import CACHE_ENV

    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / DIGESTS_NAME).symlink_to("/dev/zero")
    style = tmp_path / "style.css"
    style.write_text("p { color: red; }", "utf-8")
    assert stamped_digests([style])[style] == hashlib.sha256(b"p { color: red; }").hexdigest()


@pytest.mark.slow
def test_a_planted_replay_is_not_said_again(tmp_path: Path) -> None:
    """A replay whose stamps were rewritten to match an edited profile made the build say
    'unchanged' and leave the old outputs; only a replay this user's cvforge wrote is said again."""
    profile = tmp_path / "ada.yaml"
    profile.write_text(PROFILE, "utf-8")
    command = ["build", "ada.yaml", "--format", "md", "--jobs", "1"]
    for _ in range(2):
        done, _ = cvforge(command, tmp_path)
        assert done.returncode == 0, done.stderr
    kept = replay.record_path(tmp_path / "out")
    text = kept.read_text("utf-8")
    payload = json.loads(text[text.index("{") :])
    profile.write_text(PROFILE.replace("Ada", "Eve"), "utf-8")
    status = profile.stat()
    payload["files"][str(profile.resolve())] = [status.st_size, status.st_mtime_ns]
    kept.write_text(json.dumps(payload), "utf-8")
    done, heavy = cvforge(command, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "pydantic" in heavy and "wrote out/ada.md" in report(done)
    assert "Eve" in (tmp_path / "out" / "ada.md").read_text("utf-8")


@pytest.mark.slow
def test_a_replay_that_is_a_link_to_dev_zero_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "ada.yaml").write_text(PROFILE, "utf-8")
    command = ["build", "ada.yaml", "--format", "md", "--jobs", "1"]
    done, _ = cvforge(command, tmp_path)
    kept = replay.record_path(tmp_path / "out")
    kept.parent.mkdir(parents=True, exist_ok=True)
    kept.unlink(missing_ok=True)
    kept.symlink_to("/dev/zero")
    done = subprocess.run(
        [sys.executable, "-m", "cvforge", *command],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        preexec_fn=lambda: __import__("resource").setrlimit(__import__("resource").RLIMIT_AS, (2**31, 2**31)),
        timeout=120,
        check=False,
    )
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
