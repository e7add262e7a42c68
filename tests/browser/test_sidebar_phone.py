"""The sidebar theme on a phone: one column, the summary and then the highlight figures first, the
wide column's sections next, the rest of the sidebar (skills, education…) last."""

from __future__ import annotations

from typing import Any

from tests.helpers.outputs import Built


def test_highlights_come_right_after_the_summary_on_a_phone(
    browser: Any, built_themes: dict[str, dict[str, Built]]
) -> None:
    html = built_themes["sidebar"]["sai-sushanth-thakkalapally"].files["html"].read_text("utf-8")
    context = browser.new_context(viewport={"width": 390, "height": 900})
    try:
        page = context.new_page()
        page.set_content(html, wait_until="load")
        order = page.evaluate(
            "() => [...document.querySelectorAll('.columns .section')]"
            ".map((s) => [s.id, s.getBoundingClientRect().top]).sort((a, b) => a[1] - b[1]).map((s) => s[0])"
        )
        sidebar_box = page.evaluate("() => getComputedStyle(document.querySelector('.sidebar')).display")
    finally:
        context.close()
    assert order[:3] == ["summary", "metrics", "experience"], order
    assert order.index("skills") > order.index("projects"), order
    assert sidebar_box == "contents"  # no floated column on a phone: its sections join the one column
