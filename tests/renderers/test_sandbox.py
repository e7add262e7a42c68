"""A theme from elsewhere gets the same sandbox: it cannot run code, read files, load remote assets or script pages."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from click.testing import CliRunner

from cvforge.cli import main
from cvforge.document.view import Document, view_document
from cvforge.errors import ThemeError
from cvforge.logs import collect_warnings
from cvforge.renderers.html import render_html
from cvforge.renderers.pdf import make_fetcher, render_pdf
from cvforge.renderers.themes import Theme, load_theme
from cvforge.schema import Profile
from tests.helpers.project import PROFILES

SECRET = "TOP-SECRET-FILE-CONTENT"


@pytest.fixture
def document() -> Document:
    return view_document(Profile.model_validate({"person": {"name": "Jane Doe", "summary": ["Hello."]}}))


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET, encoding="utf-8")
    return path


def make_theme(
    root: Path,
    templates: dict[str, str] | None = None,
    static: dict[str, str] | None = None,
    manifest: str = "",
    name: str = "evil",
) -> Theme:
    """A user theme extending classic, with some files of its own."""
    folder = root / "themes" / name
    (folder / "templates").mkdir(parents=True)
    (folder / "static").mkdir()
    (folder / "theme.toml").write_text(f'name = "{name}"\nextends = "classic"\n{manifest}', encoding="utf-8")
    for relative, text in (templates or {}).items():
        (folder / "templates" / relative).write_text(text, encoding="utf-8")
    for relative, text in (static or {}).items():
        (folder / "static" / relative).write_text(text, encoding="utf-8")
    return load_theme(name, [root / "themes"])


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("{{ ''.__class__.__mro__ }}", "access to attribute '__class__' of 'str' object is unsafe"),
        ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "is unsafe"),
        ("{{ cycler.__init__.__globals__.os.environ }}", "is unsafe"),
        ("{{ lipsum.__globals__['os'].environ['HOME'] }}", "is unsafe"),
        ("{{ self._TemplateReference__context }}", "is unsafe"),
        ("{{ '{0.__class__.__init__.__globals__}'.format(doc) }}", "is unsafe"),
        ("{{ doc.section.__func__.__globals__ }}", "is unsafe"),
        ("{{ doc.__class__.__dict__ }}", "is unsafe"),
        ("{{ request.environ }}", "'request' is undefined"),
        ("{{ config }}", "'config' is undefined"),
        ("{% include '/etc/passwd' %}", "template '/etc/passwd' not found in the theme's templates"),
        ("{% import '../../../x.j2' as x %}", "template '../../../x.j2' not found"),
        ("{% include 'sections/../../../../../etc/passwd' %}", "not found in the theme's templates"),
        ("{{ 1 / 0 }}", "header.html.j2:1: ZeroDivisionError: division by zero"),
        ("{{ 'a' + 1 }}", "header.html.j2:1: TypeError"),
        ("{{ range(10**9) | list }}", "OverflowError"),
        ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "RecursionError"),
    ],
)
def test_template_code_cannot_escape_the_sandbox(
    tmp_path: Path, document: Document, expression: str, message: str
) -> None:
    theme = make_theme(tmp_path, {"header.html.j2": expression})
    with pytest.raises(ThemeError, match="theme 'evil'") as info:
        render_html(document, theme)
    assert message in str(info.value)


@pytest.mark.parametrize(
    "expression",
    [
        "{{ doc.locale.label('{d.__init__.__globals__[dataclass].__globals__[sys]"
        ".modules[os].environ[CVF_SECRET]}', d=doc) }}",
        "{{ doc.locale.label('{d.__init__.__globals__[__builtins__][open]}', d=doc) }}",
        "{{ doc.locale.label('{d.__class__.__mro__}', d=doc) }}",
        "{{ doc.locale.label('{d!r:x>99}', d=doc) }}",
        "{{ doc.locale.count('{count.__class__}', 1) }}",
    ],
)
def test_a_label_key_a_template_chooses_is_never_a_format_string(
    tmp_path: Path, document: Document, monkeypatch: pytest.MonkeyPatch, expression: str
) -> None:
    """Issue 24.6: `label()` looks its key up among the labels; the key itself is never filled in."""
    monkeypatch.setenv("CVF_SECRET", SECRET)
    theme = make_theme(tmp_path, {"header.html.j2": expression})
    with pytest.raises(ThemeError, match=r"theme 'evil': header.html.j2:1: .*is not a label cvforge prints") as info:
        render_html(document, theme)
    assert SECRET not in str(info.value) and "<built-in" not in str(info.value)


@pytest.mark.parametrize(
    "rewrite",
    [
        "{{ doc.locale.labels.update({'photo_of': '{name.__class__.__mro__}'}) or '' }}",
        "{{ doc.locale.labels.pop('photo_of') }}",
        "{{ options.update({'accent': 'red'}) or '' }}",
    ],
)
def test_a_template_cannot_change_what_it_is_given(tmp_path: Path, document: Document, rewrite: str) -> None:
    """The page's data is read-only to a theme (Jinja's immutable sandbox): a template that rewrote
    `doc.locale.labels` changed the labels the next format of the same job printed, and could plant
    a format string in them."""
    theme = make_theme(tmp_path, {"header.html.j2": rewrite + "{{ doc.locale.label('photo_of', name='x') }}"})
    with pytest.raises(ThemeError, match=r"theme 'evil': .*is unsafe"):
        render_html(document, theme)
    assert document.locale.label("photo_of", name="x") == "Photo of x"


def test_a_label_fills_only_its_own_plain_names(tmp_path: Path, document: Document) -> None:
    """Values a template passes that the label does not name are ignored, whatever they are."""
    template = "<p>{{ doc.locale.label('photo_of', name='Jane', d=doc) }}|{{ doc.locale.count('projects_count', 3) }}"
    theme = make_theme(tmp_path, {"header.html.j2": template})
    assert "<p>Photo of Jane|3 projects" in render_html(document, theme)


def test_a_runtime_error_names_the_partial_and_its_line(tmp_path: Path) -> None:
    profile = Profile.model_validate({"person": {"name": "Jane"}, "principles": ["One"]})
    theme = make_theme(tmp_path)
    (theme.folders[0] / "templates" / "sections").mkdir()
    (theme.folders[0] / "templates" / "sections" / "numbered.html.j2").write_text("<ol>\n{{ 1 // 0 }}</ol>", "utf-8")
    with pytest.raises(ThemeError, match=r"theme 'evil': sections/numbered.html.j2:2: ZeroDivisionError"):
        render_html(view_document(profile), theme)


def test_a_template_linked_to_a_file_outside_the_theme_is_not_read(
    tmp_path: Path, document: Document, secret_file: Path
) -> None:
    theme = make_theme(tmp_path, {"header.html.j2": "{% include 'stolen.html.j2' %}"})
    (theme.folders[0] / "templates" / "stolen.html.j2").symlink_to(secret_file)
    with pytest.raises(ThemeError, match="outside the theme's folder; cvforge does not read it") as info:
        render_html(document, theme)
    assert SECRET not in str(info.value)


def test_a_templates_or_static_folder_linked_out_of_the_theme_is_refused(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    make_theme(tmp_path)
    folder = tmp_path / "themes" / "evil"
    (folder / "static").rmdir()
    (folder / "static").symlink_to(elsewhere)
    with pytest.raises(ThemeError, match=r"its static folder links to .*outside the theme; refused"):
        load_theme("evil", [tmp_path / "themes"])


@pytest.mark.parametrize(
    ("markup", "problem"),
    [
        ("<script>alert(1)</script>", "<script> element"),
        ('<p onclick="alert(1)">x</p>', "event handler onclick= on <p>"),
        ('<svg><a xlink:href="javascript:alert(1)">x</a></svg>', "xlink:href= on <a> loads 'javascript:alert(1)'"),
        ('<a href="JaVaScRiPt:alert(1)">x</a>', "links must be http(s), mailto: or tel:"),
        ('<a href=" java\tscript:alert(1)">x</a>', "links must be http(s), mailto: or tel:"),
        ('<a href="https://example.com">x</a>', 'needs rel="noopener"'),
        ('<img src="https://evil.example/pixel.gif">', "src= on <img> loads 'https://evil.example/pixel.gif'"),
        ('<img src="file:///etc/passwd">', "src= on <img> loads 'file:///etc/passwd'"),
        ('<link rel="stylesheet" href="https://evil.example/x.css">', "<link> element"),
        ('<meta http-equiv="refresh" content="0;url=https://evil.example">', '<meta http-equiv="refresh">'),
        ('<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>', "<iframe> element"),
        ('<form action="https://evil.example"><input name="q"></form>', "<form> element"),
        ('<base href="https://evil.example/">', "<base> element"),
        ('<object data="https://evil.example/x.swf"></object>', "<object> element"),
    ],
)
def test_theme_markup_that_could_run_or_load_is_refused(
    tmp_path: Path, document: Document, markup: str, problem: str
) -> None:
    theme = make_theme(tmp_path, {"header.html.j2": f"<header><h1>{{{{ doc.person.name }}}}</h1>{markup}</header>"})
    for mode in ("embed", "file"):
        with pytest.raises(ThemeError, match="produced HTML that is not inert, so it was not written") as info:
            render_html(document, theme, mode=mode)  # type: ignore[arg-type]
        assert problem in str(info.value)


def test_inline_svg_icons_and_fragment_links_are_allowed(tmp_path: Path, document: Document) -> None:
    icons = '<svg><symbol id="i"><path d="M0 0h1"/></symbol></svg><svg><use href="#i"/></svg><a href="#top">top</a>'
    theme = make_theme(tmp_path, {"header.html.j2": f"<header><h1>{{{{ doc.person.name }}}}</h1>{icons}</header>"})
    assert '<use href="#i"/>' in render_html(document, theme)


def test_a_theme_without_head_cannot_be_given_its_policy(tmp_path: Path, document: Document) -> None:
    theme = make_theme(tmp_path, {"resume.html.j2": "<!DOCTYPE html><title>x</title><p>{{ doc.person.name }}</p>"})
    with pytest.raises(ThemeError, match="has no <head>"):
        render_html(document, theme)


def test_a_head_hidden_in_a_comment_does_not_fool_the_policy_check(tmp_path: Path, document: Document) -> None:
    template = (
        "<!DOCTYPE html><html><!-- <head> --><head><title>x</title></head><body>{{ doc.person.name }}</body></html>"
    )
    theme = make_theme(tmp_path, {"resume.html.j2": template})
    with pytest.raises(ThemeError, match="Content-Security-Policy is not the first element in <head>"):
        render_html(document, theme)


HOSTILE_CSS = r"""
@import url("https://evil.example/import.css");
@\69mport "https://evil.example/escaped-import.css";
.a { background: url(file:///etc/passwd); }
.b { background: url("../../../../../../etc/passwd"); }
.c { background: url(%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd); }
.d { background: u\72l(https://evil.example/escaped.png); }
.e { background: url( 'https://evil.example/spaced.png' ); }
.f { background-image: image-set("https://evil.example/set.png" 1x, url(//evil.example/proto.png) 2x); }
.g { background: url(/etc/passwd); }
.h { background: url(stolen.png); }
.i { background: url("data:image/gif;base64,R0lGODlhAQABAAAAACw="); }
.j { filter: url(#shadow); }
.k { background: url(ok.png?v=1#x); }
.l { background: url(a%00b.png); }
"""


def test_stylesheet_urls_outside_the_theme_are_left_out_with_a_warning(
    tmp_path: Path, document: Document, secret_file: Path
) -> None:
    theme = make_theme(tmp_path, static={"style.css": HOSTILE_CSS, "ok.png": "PNG"})
    (theme.folders[0] / "static" / "stolen.png").symlink_to(secret_file)
    for mode in ("embed", "file"):
        with collect_warnings() as warned:
            html = render_html(document, theme, mode=mode)  # type: ignore[arg-type]
        css = html.split("<style>", 1)[1].split("</style>", 1)[0]
        for leaked in ("evil.example", "etc/passwd", "%2e", "stolen.png", "@import", SECRET):
            assert leaked not in css, (mode, leaked)
        assert 'url("data:image/gif;base64,R0lGODlhAQABAAAAACw=")' in css
        assert 'url("#shadow")' in css
        assert ("data:image/png;base64,UE5H" if mode == "embed" else "/static/ok.png") in css
        messages = "\n".join(record.getMessage() for record in warned)
        assert messages.count("@import") == 2
        assert messages.count("left out (cvforge fetches nothing)") == 10, messages


def test_the_pdf_fetcher_reads_only_the_theme_static_files(tmp_path: Path, secret_file: Path) -> None:
    static = tmp_path / "theme" / "static"
    static.mkdir(parents=True)
    (static / "font.woff2").write_bytes(b"FONT")
    (static / "escape.woff2").symlink_to(secret_file)
    fetcher = make_fetcher([static])
    assert fetcher.fetch((static / "font.woff2").as_uri()).read() == b"FONT"
    assert fetcher.fetch("data:text/plain,hi").read() == b"hi"
    refused = [
        secret_file.as_uri(),
        f"{static.as_uri()}/../../secret.txt",
        f"{static.as_uri()}/%2e%2e/%2e%2e/secret.txt",
        f"{static.as_uri()}/escape.woff2",
        "file://evil.example/share/font.woff2",
        "file:///etc/passwd",
        "https://evil.example/font.woff2",
        "http://127.0.0.1:9/",
        "ftp://evil.example/x",
        f"{static.as_uri()}/font%00.woff2",
    ]
    for url in refused:
        with collect_warnings() as warned, pytest.raises(ValueError, match="cvforge does not load"):
            fetcher.fetch(url)
        assert warned and "refused to load" in warned[0].getMessage()


def test_a_theme_template_cannot_smuggle_a_file_into_the_pdf(tmp_path: Path, document: Document) -> None:
    attachment = '<a rel="attachment" href="file:///etc/passwd" rel="noopener">x</a>'
    theme = make_theme(tmp_path, {"header.html.j2": f"<header><h1>x</h1>{attachment}</header>"})
    with pytest.raises(ThemeError, match="links must be http"):
        render_pdf(document, theme)


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        ("[options]\naccent = [1, 2]\n", "[options] accent: expected text, a number or true/false"),
        ("options = 3\n", "[options] must be a table of settings"),
        ("[docx]\nbody_font = { name = 'x' }\n", "[docx] body_font: expected text, a number or true/false"),
        ("description = 7\n", "'description' must be text"),
        ('[options]\nstylesheets = "style\\u0000.css"\n', "[options] stylesheets: control characters are not allowed"),
    ],
)
def test_malformed_manifests_are_theme_errors(tmp_path: Path, manifest: str, message: str) -> None:
    with pytest.raises(ThemeError) as info:
        make_theme(tmp_path, manifest=manifest)
    assert message in str(info.value)


@pytest.mark.parametrize("value", ["#000; } body { background: url(https://evil.example) } x {", "</style><script>"])
def test_option_values_cannot_break_out_of_a_style_block(value: str) -> None:
    theme = load_theme("classic")
    with pytest.raises(ThemeError, match="may not contain"):
        theme.with_options({"font": value}, "--option")


def test_cli_reports_a_hostile_theme_as_a_clean_error(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    make_theme(tmp_path, {"header.html.j2": "{{ ''.__class__.__mro__[1].__subclasses__() }}"})
    args = ["build", str(PROFILES[0]), "--theme", "evil", "--theme-dir", str(tmp_path / "themes")]
    with caplog.at_level(logging.WARNING):
        result = CliRunner().invoke(main, [*args, "--out", str(tmp_path / "out"), "--format", "html"])
    assert result.exit_code == 1
    assert "theme 'evil': template error: access to attribute '__class__' of 'str' object is unsafe" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()
