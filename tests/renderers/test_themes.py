"""The built-in themes: every theme × seed × format holds the full content, golden HTML per theme,
the modern PDF's reading order, standalone HTML, options, and a user theme that extends a built-in."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import get_type_hints

import docx
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn
from pypdf import PdfReader

from cvforge import __version__
from cvforge.builder.run import build
from cvforge.cli import main
from cvforge.document.view import view_document
from cvforge.errors import ThemeError
from cvforge.reader.read import load_profile
from cvforge.renderers.context import LetterContext, ResumeContext, ShareContext
from cvforge.renderers.html import render_html, theme_css, tint
from cvforge.renderers.themes import describe_themes, load_theme
from tests.helpers.golden import GoldenFiles
from tests.helpers.outputs import (
    Built,
    assert_in_order,
    docx_text,
    expected_sequence,
    normalise,
    parse_html,
    pdf_font_names,
    pdf_text,
)
from tests.helpers.project import PROFILES, ROOT, SCENARIOS, THEMES

SEEDS = [path.stem for path in PROFILES]
GOLDEN = SCENARIOS / "theme-golden"
SAI = next(path for path in PROFILES if path.stem.startswith("sai"))


@pytest.fixture(params=[(theme, seed) for theme in THEMES for seed in SEEDS], ids=lambda p: f"{p[0]}-{p[1]}")
def themed(request: pytest.FixtureRequest, built_themes: dict[str, dict[str, Built]]) -> Built:
    theme, seed = request.param
    return built_themes[theme][seed]


def full_content(built: Built) -> list[str]:
    """Every bullet, outcome, principle, facet, diagram line and skill a reader must find."""
    p = built.profile
    items = [b for role in p.experience for b in role.bullets]
    items += [role.summary for role in p.experience if role.summary]
    items += [b for project in p.projects for b in project.bullets]
    items += [o for project in p.projects for o in project.outcomes]
    items += [t for project in p.projects for t in project.tech]
    items += [f.text for project in p.projects for f in project.facets if f.text]
    items += [principle.text for principle in p.principles]
    items += [line.strip() for project in p.projects if project.diagram for line in project.diagram.splitlines()]
    items += [row.category for row in p.skills.table] + list(p.skills.working_with)
    items += [group.name for group in p.skills.groups]
    items += [f.text for snapshot in p.snapshots for f in snapshot.facets if f.text]
    items += [note.title for note in p.notes] + [section.title for section in p.custom]
    return [re.sub(r"\s+", "", item.replace("`", "").replace("**", "")) for item in items if item.strip()]


def reading_order(built: Built, *, printed: bool = False) -> list[str]:
    """Name, then metric figures, role titles and project names in the order the theme puts their
    sections; `printed`: on paper portfolio puts experience right after the figures (its body.html.j2)."""
    order = [key for key in str(load_theme(built.theme).options["sections"]).split(",") if key != "summary"]
    if printed and built.theme == "portfolio":
        order = ["metrics", "experience", *(key for key in order if key not in ("metrics", "experience"))]
    by_section = {"metrics": [], "experience": [], "projects": []}
    sequence = expected_sequence(built.profile)
    p = built.profile
    by_section["metrics"] = sequence[1 : 1 + len(p.metrics)]
    by_section["experience"] = sequence[1 + len(p.metrics) : 1 + len(p.metrics) + len(p.experience)]
    by_section["projects"] = sequence[1 + len(p.metrics) + len(p.experience) :]
    return [sequence[0]] + [item for key in order if key in by_section for item in by_section[key]]


def sidebar_keys(built: Built) -> set[str]:
    """The sections a two-column theme (sidebar) may set beside the wide column."""
    return set(str(load_theme(built.theme).options.get("sidebar", "")).split(",")) - {""}


def assert_full_content(text: str, built: Built, where: str, *, paged: bool = False) -> None:
    """`paged`: a PDF, in the print order. A sidebar (first in the source, beside page one) may come
    before the rest of the wide column: each column's items are then in order on their own
    (tests/renderers/test_sidebar.py)."""
    order = reading_order(built, printed=paged)
    if side := sidebar_keys(built):  # the sidebar floats: first in the page's source, beside page one
        name, metrics = order[0], expected_sequence(built.profile)[1 : 1 + len(built.profile.metrics)]
        assert_in_order(text, [name, *metrics] if "metrics" in side else [name])
        assert_in_order(text, [item for item in order if item not in metrics])
    else:
        assert_in_order(text, order)
    squeezed = re.sub(r"\s+", "", text).casefold()  # headings may be set in capitals
    for item in full_content(built):
        assert item.casefold() in squeezed, f"missing from {where}: {item[:80]!r}"


def test_every_theme_pdf_holds_the_full_content_in_order(themed: Built) -> None:
    assert_full_content(pdf_text(themed.files["pdf"]), themed, "PDF", paged=True)


def test_every_theme_html_holds_the_full_content_in_order(themed: Built) -> None:
    assert_full_content(" ".join(parse_html(themed.files["html"]).text), themed, "HTML")


def test_every_theme_docx_holds_the_full_content_in_order(themed: Built) -> None:
    assert_full_content(docx_text(themed.files["docx"]), themed, "DOCX")


def page_source(themed: Built) -> str:
    return themed.files["html"].read_text(encoding="utf-8")


def test_html_loads_nothing_from_anywhere(themed: Built) -> None:
    """No stylesheet, script, image or font from a URL: every asset is inline as a data: URI."""
    page = parse_html(themed.files["html"])
    assert [url for url in page.loads if not url.startswith("data:image/")] == []  # the favicon is inline
    assert not {"img", "iframe", "object", "embed"} & set(page.tags)
    assert page.tags.count("script") == 1 and '<script type="application/ld+json">' in page_source(themed)  # data
    source = themed.files["html"].read_text(encoding="utf-8")
    style = source[source.index("<style>") : source.index("</style>")]
    urls = re.findall(r"""url\(\s*['"]?([^'")]*)""", style)
    assert urls and all(url.startswith("data:") or url == "" for url in urls)
    assert "@import" not in style


def test_pdf_uses_only_the_fonts_the_theme_ships(themed: Built) -> None:
    """A system font in the PDF would make output differ between machines."""
    shipped = ("Inter", "JetBrains-Mono", "Noto-")
    used = pdf_font_names(themed.files["pdf"])
    assert used and all(name.startswith(shipped) for name in used), used


@pytest.mark.slow
def test_font_option_draws_every_glyph_from_shipped_fonts(tmp_path: Path) -> None:
    """Noto Serif lacks the ● and arrows the themes draw; Inter, next in the chain, has them."""
    result = build([SAI], theme_name="portfolio", formats=["pdf"], out_dir=tmp_path, options={"font": "Noto Serif"})
    assert result.ok, result.failures
    used = pdf_font_names(tmp_path / f"{SAI.stem}.pdf")
    assert {"Noto-Serif", "Noto-Serif-Bold"} <= used
    assert all(name.startswith(("Inter", "JetBrains-Mono", "Noto-")) for name in used), used


def test_seed_html_embeds_no_cjk_or_arabic_font(themed: Built) -> None:
    source = themed.files["html"].read_text(encoding="utf-8")
    assert 'font-family: "Inter"; src: url("data:font/woff2' in source
    assert not re.search(r'font-family: "[^"]+ Subset"; src', source)
    assert len(source) < 1_100_000  # compact embeds its serif text face beside Inter


STYLE = re.compile(r"(<style[^>]*>).*?(</style>)", re.DOTALL)
EMBEDDED = re.compile(r"data:([\w/+.-]+);base64,[A-Za-z0-9+/=]+")
FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}\s*")


def normalise_html(html: str) -> str:
    """Golden form: the page's structure. Stylesheets (test_html_inlines_the_theme_stylesheets checks
    them), embedded files and the version are stable placeholders, so a style change rewrites no golden."""
    html = STYLE.sub(r"\1/* the theme's stylesheets */\2", html)
    html = EMBEDDED.sub(r"data:\1;base64,…", html)
    return html.replace(f"cvforge {__version__}", "cvforge VERSION")


def golden_page(theme_name: str) -> str:
    """The golden profile (every section kind once) as the theme's standalone HTML page."""
    profile = load_profile(GOLDEN / "profile.yaml")
    theme = load_theme(theme_name)
    return render_html(view_document(profile, theme.options["sections"].split(",")), theme)


@pytest.mark.parametrize("theme_name", THEMES)
def test_golden_html(theme_name: str, golden_files: GoldenFiles) -> None:
    golden_files.check(GOLDEN / f"{theme_name}.html", normalise_html(golden_page(theme_name)))


@pytest.mark.parametrize("theme_name", THEMES)
def test_html_inlines_the_theme_stylesheets(theme_name: str) -> None:
    """What the goldens leave out: the page's one <style> holds the options' variables, then every
    stylesheet the theme lists, whole, with only the @font-face rules of fonts the page never uses dropped."""
    page = golden_page(theme_name)
    (style,) = re.findall(r"<style>(.*?)</style>", page, flags=re.DOTALL)
    theme = load_theme(theme_name)
    assert f"--accent: {theme.options['accent']};" in style
    assert re.search(r'@font-face \{[^}]*src: url\("data:font/woff2;base64,', style)

    def comparable(css: str) -> str:
        return EMBEDDED.sub("data:…", FONT_FACE.sub("", css))

    assert comparable(theme_css(theme, "embed")).strip() in comparable(style)


@pytest.fixture(scope="session")
def modern_sai_text(built_themes: dict[str, dict[str, Built]]) -> str:
    return normalise(pdf_text(built_themes["modern"][SAI.stem].files["pdf"]))


def test_modern_pdf_reads_each_project_card_whole_and_in_order(modern_sai_text: str) -> None:
    """Cards sit two to a row, yet a parser reads card 1 completely, then card 2, and so on."""
    profile = load_profile(SAI)
    for project in profile.projects:
        parts = [project.name, project.tagline or "", project.description[0][:60], *project.tech]
        start = modern_sai_text.index(normalise(project.name))
        end = start
        for part in parts:
            found = modern_sai_text.find(normalise(part), end)
            assert found >= 0, f"{part!r} of {project.name} out of order"
            end = found
        card = modern_sai_text[start:end]
        others = [p.name for p in profile.projects if p is not project]
        assert not any(other in card for other in others), f"{project.name}'s card is interleaved"
    assert_in_order(modern_sai_text, [p.name for p in profile.projects])


def test_modern_pdf_reads_metric_cards_and_timeline_in_order(modern_sai_text: str) -> None:
    profile = load_profile(SAI)
    expected: list[str] = []
    for metric in profile.metrics:
        expected += [metric.value or f"{metric.before} → {metric.after}", metric.label, metric.context or ""]
    for role in profile.experience:  # on paper each role reads organisation, title, then what it was
        expected += [role.organisation or "", role.title or "", (role.summary or "")[:50]]
    assert_in_order(modern_sai_text, [item for item in expected if item])


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_themes_command_lists_every_theme_with_description_and_folder(runner: CliRunner) -> None:
    result = runner.invoke(main, ["themes"])
    assert result.exit_code == 0, result.output
    for info in describe_themes():
        assert info.name in result.output and info.description in result.output
        assert str(info.folder) in result.output
    assert "extends classic" in result.output and "extends modern" in result.output


def test_unknown_theme_lists_the_available_ones(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["build", str(SAI), "--theme", "glossy", "--out", str(tmp_path)])
    assert result.exit_code == 2  # a command-line mistake, caught before anything is built
    assert "unknown theme 'glossy' (available: classic, compact, modern, portfolio, sidebar)" in result.output


def build_html(tmp_path: Path, profile: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["build", str(profile), "--format", "html", "--out", str(tmp_path), *args])
    assert result.exit_code == 0, result.output
    return (tmp_path / f"{profile.stem}.html").read_text(encoding="utf-8")


def test_command_options_override_profile_options(tmp_path: Path) -> None:
    profile = tmp_path / "jane.yaml"
    source = (GOLDEN / "profile.yaml").read_text(encoding="utf-8")
    profile.write_text(source + 'theme: modern\noptions:\n  accent: "#aa0000"\n  lang: pt\n', encoding="utf-8")
    html = build_html(tmp_path, profile)
    assert "--accent: #aa0000;" in html and '<html lang="pt" dir="ltr">' in html and "band-inner" in html
    html = build_html(tmp_path, profile, "--option", "accent=#00aa00", "--theme", "portfolio")
    assert "--accent: #00aa00;" in html and "site-nav" in html


def test_font_option_picks_a_shipped_family_and_embeds_it(tmp_path: Path, runner: CliRunner) -> None:
    html = build_html(tmp_path, GOLDEN / "profile.yaml", "--option", "font=Noto Serif")
    assert '--font: "Noto Serif";' in html and 'font-family: "Noto Serif"; src: url("data:font/woff2' in html
    result = runner.invoke(main, ["build", str(GOLDEN / "profile.yaml"), "--option", "font=Comic Sans"])
    assert result.exit_code == 2
    assert "option font: 'Comic Sans' is not a font theme 'classic' ships (choose from Inter, Noto Serif" in (
        result.output
    )


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("lang=english language", "option lang: 'english language' is not a language tag"),
        ("accent=teal", "option accent: 'teal' is not a colour"),
        ("shadow=yes", "unknown theme option 'shadow' for theme 'classic' (valid: accent, density, font, lang"),
    ],
)
def test_bad_options_are_clear_errors(runner: CliRunner, tmp_path: Path, option: str, message: str) -> None:
    result = runner.invoke(main, ["build", str(GOLDEN / "profile.yaml"), "--option", option, "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def make_user_theme(root: Path) -> Path:
    """A user theme that extends modern and overrides only the metrics partial."""
    folder = root / "themes" / "mine"
    (folder / "templates" / "sections").mkdir(parents=True)
    (folder / "theme.toml").write_text('name = "mine"\ndescription = "Mine."\nextends = "modern"\n', encoding="utf-8")
    (folder / "templates" / "sections" / "metrics.html.j2").write_text(
        '<p class="my-metrics">{% for m in section.items %}{{ m.figure }}; {% endfor %}</p>\n', encoding="utf-8"
    )
    return root / "themes"


def test_extends_lets_a_user_theme_override_a_single_template(tmp_path: Path, runner: CliRunner) -> None:
    themes_dir = make_user_theme(tmp_path)
    html = build_html(tmp_path / "out", GOLDEN / "profile.yaml", "--theme", "mine", "--theme-dir", str(themes_dir))
    assert '<p class="my-metrics">670K+; 45 → 15; </p>' in html
    assert "band-inner" in html and 'class="metrics metric-cards' not in html  # the rest still comes from modern
    listed = runner.invoke(main, ["themes", "--theme-dir", str(themes_dir)])
    assert "mine" in listed.output and "extends modern" in listed.output


def test_a_child_template_extends_its_parents_and_overrides_one_block(tmp_path: Path) -> None:
    """`<theme>/name` is the parent's template as that theme resolves it: compact's own timeline,
    modern's (classic's) page; the child overrides a block and keeps the rest."""
    folder = tmp_path / "themes" / "mine"
    (folder / "templates" / "sections").mkdir(parents=True)
    (folder / "theme.toml").write_text('name = "mine"\nextends = "compact"\n', encoding="utf-8")
    (folder / "templates" / "sections" / "timeline.html.j2").write_text(
        '{% extends "compact/sections/timeline.html.j2" %}\n'
        '{% block role_line %}<h3 class="mine">{{ role_name }}</h3>{% endblock %}\n',
        encoding="utf-8",
    )
    (folder / "templates" / "resume.html.j2").write_text(
        '{% extends "compact/resume.html.j2" %}\n'
        "{% block footer %}<footer>{{ doc.person.name }}</footer>\n{% endblock %}\n",
        encoding="utf-8",
    )
    theme = load_theme("mine", [tmp_path / "themes"])
    profile = load_profile(GOLDEN / "profile.yaml")
    html = render_html(view_document(profile, str(theme.options["sections"]).split(",")), theme)
    assert '<h3 class="mine">' in html and 'class="role-title role-line"' not in html  # the block, overridden
    assert '<p class="summary"' in html  # the rest of compact's (classic's) timeline
    assert "<footer>Jane Doe</footer>\n</div>" in html and 'class="density-normal"' in html


def test_a_template_outside_the_chain_is_not_found(tmp_path: Path) -> None:
    folder = tmp_path / "themes" / "mine"
    (folder / "templates").mkdir(parents=True)
    (folder / "theme.toml").write_text('name = "mine"\nextends = "classic"\n', encoding="utf-8")
    (folder / "templates" / "resume.html.j2").write_text('{% extends "modern/resume.html.j2" %}\n', encoding="utf-8")
    theme = load_theme("mine", [tmp_path / "themes"])
    document = view_document(load_profile(GOLDEN / "profile.yaml"))
    with pytest.raises(ThemeError, match=re.escape("template 'modern/resume.html.j2' not found")):
        render_html(document, theme)


def test_write_a_theme_lists_every_key_of_the_template_context() -> None:
    guide = (ROOT / "docs" / "write-a-theme.md").read_text(encoding="utf-8")
    for context in (ResumeContext, LetterContext, ShareContext):
        for key in get_type_hints(context):
            assert f"| `{key}` |" in guide or f"| `share.{key}` |" in guide, (context.__name__, key)


def test_a_local_themes_folder_shadows_a_built_in(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    shadow = tmp_path / "themes" / "classic"
    shutil.copytree(load_theme("classic").folders[0], shadow)
    (shadow / "templates" / "header.html.j2").write_text("<header>shadowed {{ doc.person.name }}</header>\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    html = build_html(tmp_path / "out", GOLDEN / "profile.yaml")
    assert "<header>shadowed Jane Doe</header>" in html
    listed = runner.invoke(main, ["themes"])
    assert "(themes/classic)" in listed.output


@pytest.mark.slow
def test_png_writes_one_image_per_pdf_page_and_drops_stale_pages(tmp_path: Path) -> None:
    result = build([SAI], theme_name="modern", formats=["pdf", "png"], out_dir=tmp_path)
    assert result.ok, result.failures
    pages = len(PdfReader(tmp_path / f"{SAI.stem}.pdf").pages)
    images = sorted(tmp_path.glob(f"{SAI.stem}-*.png"))
    assert [p.name for p in images] == [f"{SAI.stem}-{n}.png" for n in range(1, pages + 1)]
    from PIL import Image

    with Image.open(images[0]) as image:
        assert image.format == "PNG" and image.size == (1191, 1684)  # A4 at 144 dpi
        assert image.getpixel((5, 5)) == image.getpixel((600, 60)) == (0x0F, 0x6E, 0x6E)  # band to the edge
        assert image.getpixel((5, 1680)) == (255, 255, 255)
    (tmp_path / f"{SAI.stem}-{pages + 1}.png").write_bytes(b"stale")
    build([SAI], theme_name="modern", formats=["png"], out_dir=tmp_path)
    assert not (tmp_path / f"{SAI.stem}-{pages + 1}.png").exists()


def test_docx_follows_each_theme_style_map(built_themes: dict[str, dict[str, Built]]) -> None:
    def look(theme: str) -> tuple[str, bool | None, str, list[str]]:
        document = docx.Document(str(built_themes[theme][SAI.stem].files["docx"]))
        heading = document.styles["Heading 1"]
        title = next(p for p in document.paragraphs if p.style is not None and p.style.name == "Title")
        fills = title._p.xpath("./w:pPr/w:shd/@w:fill")
        rules = [
            f"{rule.tag.rsplit('}', 1)[1]} {rule.get(qn('w:color'))}"
            for rule in heading.element.xpath("w:pPr/w:pBdr/*")
        ]
        return str(heading.font.color.rgb), heading.font.all_caps, fills[0] if fills else "", rules

    # Heading colour and rule as each theme's PDF draws its section titles.
    assert look("classic") == ("1D4F91", True, "", ["bottom D0D7DE"])
    assert look("modern") == ("1B2430", True, "0F6E6E", ["left 0F6E6E"])  # ink, the accent bar beside it
    assert look("portfolio") == ("1C2233", False, "", ["top D5DBE1"])  # ink, a hairline above


def test_unknown_docx_style_key_is_a_theme_error(tmp_path: Path) -> None:
    folder = tmp_path / "typo"
    folder.mkdir()
    (folder / "theme.toml").write_text('extends = "classic"\n[docx]\nheading_colour = "ff0000"\n', encoding="utf-8")
    result = build([GOLDEN / "profile.yaml"], theme_name="typo", theme_dirs=[tmp_path], formats=["docx"])
    assert "[docx] has no key 'heading_colour'" in result.failures[0].message


def test_tint_mixes_the_accent_with_white() -> None:
    assert tint("#3451b2", 0.1) == "#ebeef7"
    assert tint("#000", 0.5) == "#808080"
    assert tint("teal", 0.5) == "teal"


def test_theme_error_is_a_cvforge_error() -> None:
    available = "classic, compact, modern, portfolio, sidebar"
    with pytest.raises(ThemeError, match=f"unknown theme 'x' \\(available: {available}\\)"):
        load_theme("x")


def test_a_theme_s_static_files_are_looked_up_once_per_loaded_theme(tmp_path: Path) -> None:
    """Answers are kept by the Theme a build loads; the next load (the next build, the next watch
    rebuild) sees a file added or removed since."""
    shutil.copytree(load_theme("classic").folders[0], tmp_path / "mine")
    (tmp_path / "mine" / "theme.toml").write_text('name = "mine"\nextends = "classic"\n', "utf-8")
    theme = load_theme("mine", [tmp_path])
    found = theme.find_static("fonts/Inter-Regular.woff2")
    assert found is not None and found.is_relative_to(tmp_path)
    assert theme.find_static("logo.svg") is None
    (tmp_path / "mine" / "static" / "logo.svg").write_text("<svg/>", "utf-8")
    found.unlink()
    assert theme.find_static("logo.svg") is None  # this build's answer stands
    again = load_theme("mine", [tmp_path])
    assert again.find_static("logo.svg") == (tmp_path / "mine" / "static" / "logo.svg").resolve()
    inherited = again.find_static("fonts/Inter-Regular.woff2")  # now the parent theme's copy
    assert inherited is not None and not inherited.is_relative_to(tmp_path)
    assert again == load_theme("mine", [tmp_path])  # what was found is not part of a theme's identity
