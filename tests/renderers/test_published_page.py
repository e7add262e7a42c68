"""The HTML as a page people publish: share metadata and JSON-LD within the CSP, landmarks,
diagrams a keyboard reaches, silent separators, reduced motion, and a readable accent."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree.ElementTree import Element

import pytest
from click.testing import CliRunner

from cvforge.builder.theme_choice import resolve_theme
from cvforge.cli import main
from cvforge.document.view import view_document
from cvforge.logs import collect_warnings
from cvforge.reader.read import load_profile
from cvforge.renderers.contrast import contrast
from cvforge.renderers.html import render_html
from cvforge.renderers.safety import CONTENT_SECURITY_POLICY
from cvforge.renderers.themes import load_theme
from tests.helpers.inert import local_name, parse
from tests.helpers.outputs import Built
from tests.helpers.project import ROOT, SCENARIOS, THEMES

GOLDEN = SCENARIOS / "theme-golden" / "profile.yaml"


def render(theme_name: str, path: Path = GOLDEN, **options: str) -> str:
    profile = load_profile(path)
    theme = resolve_theme(profile, "test", theme_name, (), options)
    return render_html(view_document(profile, []), theme, profile_dir=path.parent)


def head_values(root: Element) -> dict[str, str]:
    values: dict[str, str] = {}
    for element in root.iter():
        name = local_name(element)
        if name == "meta":
            key = element.get("property") or element.get("name") or element.get("http-equiv") or ""
            values[key] = element.get("content") or ""
        elif name == "link":
            values[f"link:{element.get('rel')}"] = element.get("href") or ""
    return values


def json_ld(root: Element) -> dict[str, object]:
    (script,) = [e for e in root.iter() if local_name(e) == "script"]
    assert script.get("type") == "application/ld+json"
    data: dict[str, object] = json.loads(script.text or "")
    return data


@pytest.mark.parametrize("theme", THEMES)
def test_the_page_is_ready_to_share(theme: str) -> None:
    profile = load_profile(GOLDEN)
    root = parse(render(theme, site_url="https://jane.example/"))
    head = head_values(root)
    assert head["Content-Security-Policy"] == CONTENT_SECURITY_POLICY  # JSON-LD needs no exception
    assert head["og:type"] == "profile" and head["og:title"].startswith(profile.person.name)
    assert head["og:url"] == head["link:canonical"] == "https://jane.example/"
    assert head["twitter:card"] == "summary" and head["twitter:title"] == head["og:title"]
    description = head["description"]
    assert head["og:description"] == head["twitter:description"] == description
    assert description != profile.person.headline and len(description) <= 200
    assert head["link:icon"].startswith("data:image/svg+xml,")
    person = json_ld(root)
    assert person["@type"] == "Person" and person["name"] == profile.person.name
    assert person["jobTitle"] == profile.person.headline and person["url"] == "https://jane.example/"
    assert person["email"] == f"mailto:{profile.person.email}"
    assert set(person["sameAs"]) >= {link.url for link in profile.person.links}  # type: ignore[arg-type]
    assert person["knowsAbout"] and isinstance(person["address"], dict)


def test_without_site_url_there_is_no_canonical_address() -> None:
    head = head_values(parse(render("classic")))
    assert "link:canonical" not in head and "og:url" not in head and "og:title" in head


def test_json_ld_cannot_end_its_script() -> None:
    profile_text = GOLDEN.read_text("utf-8").replace("headline:", 'headline: "</script><b>x</b>" #', 1)
    page = render_html(
        view_document(load_profile_text_for(profile_text), []), load_theme("classic"), profile_dir=GOLDEN.parent
    )
    script = page.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "\\u003c/script\\u003e" in script and "<" not in script


def load_profile_text_for(text: str):  # type: ignore[no-untyped-def]
    from cvforge.reader.read import load_profile_text

    return load_profile_text(text, GOLDEN.parent, "golden.yaml")


def test_a_bad_site_url_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(GOLDEN), "--option", "site_url=jane.dev", "-o", str(tmp_path)])
    assert result.exit_code == 2 and "option site_url: 'jane.dev' is not an http(s) address" in result.output


def ancestors(root: Element) -> dict[Element, Element]:
    return {child: parent for parent in root.iter() for child in parent}


@pytest.mark.parametrize("theme", THEMES)
def test_landmarks_diagrams_and_separators(theme: str, built_themes: dict[str, dict[str, Built]]) -> None:
    for built in built_themes[theme].values():
        root = parse(built.files["html"].read_text("utf-8"))
        parents = ancestors(root)

        def inside(element: Element, *names: str, parents: dict[Element, Element] = parents) -> bool:
            return any(local_name(a) in names for a in _chain(element, parents))

        elements = list(root.iter())
        assert sum(local_name(e) == "main" for e in elements) == 1
        headers = [e for e in elements if local_name(e) == "header"]
        assert headers and not any(inside(h, "main", "section", "article") for h in headers)  # banner
        for footer in (e for e in elements if local_name(e) == "footer"):
            assert not inside(footer, "main", "section", "article")  # contentinfo
        for pre in (e for e in elements if "diagram" in (e.get("class") or "").split()):
            assert pre.get("tabindex") == "0" and pre.get("role") == "region" and pre.get("aria-label")
            figure = parents[pre]
            assert local_name(figure) == "figure"
            assert any(local_name(c) == "figcaption" and (c.text or "").strip() for c in figure)
        # Every separator the theme adds (a lone '·' between items) is hidden from screen readers;
        # a '·' the person typed inside their own text is theirs to keep.
        for element in elements:
            for text in (element.text, element.tail):
                separator = text is not None and (text.strip() == "·" or text.strip().startswith("· "))
                if separator and local_name(element) not in ("style", "title", "script", "meta"):
                    assert text is not None
                    holder = element if text is element.text else parents[element]
                    hidden = holder.get("aria-hidden") == "true" or any(
                        a.get("aria-hidden") == "true" for a in _chain(holder, parents)
                    )
                    assert hidden, f"{theme}: a '·' is read aloud in {text!r}"
    assert any(
        "diagram" in (e.get("class") or "")
        for built in built_themes[theme].values()
        for e in parse(built.files["html"].read_text("utf-8")).iter()
    )


def _chain(element: Element, parents: dict[Element, Element]) -> list[Element]:
    chain = []
    while element in parents:
        element = parents[element]
        chain.append(element)
    return chain


def test_motion_is_off_for_people_who_ask_for_less() -> None:
    for css in ("classic/static/screen.css", "portfolio/static/portfolio-screen.css"):
        text = (ROOT / "themes" / css).read_text("utf-8")
        block = text.split("@media (prefers-reduced-motion: reduce)", 1)[1]
        assert "transition: none" in block and "scroll-behavior: auto" in block


def test_an_unreadable_accent_warns_and_fails_under_strict(tmp_path: Path) -> None:
    with collect_warnings() as warned:
        render("modern", accent="#f59e0b")
    (message,) = [r.getMessage() for r in warned if "accent" in r.getMessage()]
    assert "accent #f59e0b is hard to read: 2.00:1 against its pale tint" in message
    fix = re.search(r"--option accent=(#[0-9a-f]{6})", message).group(1)  # type: ignore[union-attr]
    assert contrast(fix, "#ffffff") >= 4.5
    runner = CliRunner()
    args = ["build", str(GOLDEN), "--format", "html", "--option", "accent=#f59e0b", "-o", str(tmp_path)]
    result = runner.invoke(main, args)
    assert result.exit_code == 0 and "hard to read" in result.output
    result = runner.invoke(main, [*args, "--strict", "--force"])
    assert result.exit_code == 1 and "hard to read" in result.output and "warnings are errors" in result.output
    with collect_warnings() as warned:
        for theme in THEMES:
            render(theme)
    assert not [r for r in warned if "accent" in r.getMessage()]  # the themes' own accents pass


def test_pdf_page_numbers_are_legible() -> None:
    css = (ROOT / "themes" / "classic" / "static" / "style.css").read_text("utf-8")
    rule = re.search(r"@bottom-right \{[^}]*color: (#[0-9a-fA-F]{6})", css)
    assert rule is not None and contrast(rule.group(1), "#ffffff") >= 4.5
