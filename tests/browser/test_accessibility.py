"""axe-core in Chromium, on every theme's page at phone and desktop width: no serious or critical
violation (the audit that found unreachable diagrams, missing landmarks and an unreadable accent)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers.browser import AXE
from tests.helpers.outputs import Built
from tests.helpers.project import THEMES

WIDTHS = {"phone": 390, "desktop": 1280}


def audit(browser: Any, html: str, width: int) -> list[dict[str, Any]]:
    # bypass_csp: the page's own policy forbids every script, axe's included; the page is unchanged.
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    try:
        page = context.new_page()
        page.set_content(html, wait_until="load")
        page.add_script_tag(path=str(AXE))
        results: dict[str, Any] = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        return list(results["violations"])
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS, ids=list(WIDTHS))
@pytest.mark.parametrize("theme", THEMES)
def test_no_serious_or_critical_violation(
    browser: Any, built_themes: dict[str, dict[str, Built]], theme: str, width: str
) -> None:
    if not AXE.is_file():
        pytest.skip("axe-core is not installed (`make setup` runs npm ci in tests/browser)")
    found = []
    for name, built in built_themes[theme].items():
        for violation in audit(browser, built.files["html"].read_text("utf-8"), WIDTHS[width]):
            if violation["impact"] in ("serious", "critical"):
                targets = [node["target"] for node in violation["nodes"][:3]]
                found.append(f"{name}: {violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    assert found == []


def test_an_unreadable_accent_is_what_axe_flags(browser: Any, built_themes: dict[str, dict[str, Built]]) -> None:
    """The audit can fail: the accent the build now warns about is one axe reports as serious."""
    if not AXE.is_file():
        pytest.skip("axe-core is not installed (`make setup` runs npm ci in tests/browser)")
    html = next(iter(built_themes["modern"].values())).files["html"].read_text("utf-8")
    html = html.replace("--accent: #0f6e6e", "--accent: #f59e0b", 1)
    ids = {v["id"] for v in audit(browser, html, WIDTHS["desktop"]) if v["impact"] == "serious"}
    assert "color-contrast" in ids
