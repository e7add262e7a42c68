"""Every theme's HTML, for every profile we ship, is inert: CSP first, no script, no handler, no remote load.

Parametrised over available_themes(), so a theme added later is held to the same rules automatically.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cvforge.builder.theme_choice import resolve_theme
from cvforge.builder.view_options import section_order
from cvforge.document.view import view_document
from cvforge.errors import ThemeError
from cvforge.reader.read import load_profile
from cvforge.renderers.html import render_html
from cvforge.renderers.safety import CONTENT_SECURITY_POLICY, check_inert
from cvforge.renderers.themes import available_themes
from tests.helpers.inert import inert_problems, local_name, parse
from tests.helpers.project import PROFILES, SCENARIOS

THEMES = sorted(available_themes())
SAMPLES = [*PROFILES, SCENARIOS / "photo-profile" / "profile.yaml", SCENARIOS / "hostile-profile" / "profile.yaml"]


def render(path: Path, theme_name: str) -> str:
    profile = load_profile(path)
    theme = resolve_theme(profile, path.name, theme_name, (), {})
    return render_html(view_document(profile, section_order(theme)), theme, profile_dir=path.parent)


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("path", SAMPLES, ids=[p.parent.name if p.name == "profile.yaml" else p.stem for p in SAMPLES])
def test_every_theme_renders_inert_html(path: Path, theme: str) -> None:
    assert inert_problems(render(path, theme)) == []


def test_the_policy_allows_only_inline_styles_and_data_fonts_and_images() -> None:
    directives = dict(part.strip().split(" ", 1) for part in CONTENT_SECURITY_POLICY.split(";"))
    assert directives == {
        "default-src": "'none'",
        "style-src": "'unsafe-inline'",
        "font-src": "data:",
        "img-src": "data:",
        "base-uri": "'none'",
        "form-action": "'none'",
    }


def test_external_links_carry_rel_noopener_in_every_theme() -> None:
    for theme in THEMES:
        root = parse(render(PROFILES[0], theme))
        external = [e for e in root.iter() if local_name(e) == "a" and (e.get("href") or "").startswith("http")]
        assert external, theme
        assert all("noopener" in (e.get("rel") or "").split() for e in external), theme


def test_the_gate_passes_a_plain_page_and_names_each_problem_line() -> None:
    plain = "<!DOCTYPE html><html><head>\n<title>x</title></head><body><a href='#top'>top</a></body></html>"
    check_inert(plain, "t", expect_csp=False)
    page = "<html><head></head><body>\n<p>ok</p>\n<p onclick='x()'>bad</p>\n<script>x()</script></body></html>"
    with pytest.raises(ThemeError, match="output line 3: event handler onclick= on <p>") as info:
        check_inert(page, "t", expect_csp=False)
    assert "output line 4: <script> element" in str(info.value)


def test_the_test_side_check_catches_what_an_unescaped_payload_would_bring() -> None:
    # The tinyhtml5-based check the other tests rely on must itself see injected markup.
    head = f'<head><meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}"></head>'
    body = (
        "<body><img src=x onerror=alert(1)><a href='javascript:alert(1)'>x</a><script>1</script>"
        "<a href='https://example.com'>y</a><div style='background:url(https://evil.example/x)'></div></body>"
    )
    problems = inert_problems(f"<!DOCTYPE html><html>{head}{body}</html>")
    assert problems == [
        "src='x' on <img>",
        "onerror= on <img>",
        "link to 'javascript:alert(1)'",
        "<script> element",
        "link to 'https://example.com' without rel=noopener",
        "style attribute loading 'background:url(https://evil.example/x)'",
    ]
    assert inert_problems(f"<!DOCTYPE html><html><head></head>{body}</html>")[0].startswith("the first element")
