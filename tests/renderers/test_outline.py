"""The outline walker behind the Markdown and text files: one order, two ways of writing it."""

from __future__ import annotations

from cvforge.document.view import view_document
from cvforge.renderers.markdown import render_markdown_text
from cvforge.renderers.text import render_text_string
from cvforge.schema import Profile


def test_an_untitled_role_puts_its_meta_under_the_organisation() -> None:
    doc = view_document(
        Profile.model_validate(
            {"person": {"name": "Jane"}, "experience": [{"organisation": "Acme", "team": "Payments", "start": 2020}]}
        )
    )
    assert "### Acme\n\n*Payments*\n\n*2020*\n" in render_markdown_text(doc)
    assert "Acme\nPayments · 2020\n" in render_text_string(doc)


def test_roles_under_one_organisation_sit_a_level_down() -> None:
    roles = [
        {"organisation": "Acme", "title": "Lead", "start": 2022, "end": "present", "bullets": ["Led."]},
        {"organisation": "Acme", "title": "Engineer", "start": 2020, "end": 2022},
    ]
    doc = view_document(Profile.model_validate({"person": {"name": "Jane"}, "experience": roles}))
    markdown = render_markdown_text(doc)
    assert "### Acme\n\n*2020 – Present*\n\n#### Lead\n\n*2022 – Present*\n\n- Led.\n\n#### Engineer\n" in markdown
    text = render_text_string(doc)
    assert "Acme\n2020 – Present\n\n  Lead\n  2022 – Present\n\n  - Led.\n\n  Engineer\n" in text


def test_a_single_titled_role_names_its_organisation_in_the_title_line() -> None:
    doc = view_document(
        Profile.model_validate(
            {
                "person": {"name": "Jane"},
                "experience": [{"organisation": "Acme", "url": "https://acme.example", "title": "SDE", "start": 2021}],
            }
        )
    )
    assert "### SDE, [Acme](https://acme.example)\n\n*2021*\n" in render_markdown_text(doc)
    assert "SDE, Acme (https://acme.example)\n2021\n" in render_text_string(doc)
