"""What makes a test `slow` without a mark of its own (tests/conftest.py applies it at collection)."""

from __future__ import annotations

# Session and module fixtures that render real documents (WeasyPrint PDFs, DOCX, LibreOffice) or
# drive a browser: every test that uses one, directly or through another fixture, is `slow`. Only the
# fixtures that do the work are named; those built on them (built_seeds, built_by_theme, print_pdfs,
# sidebar, compact, modern_sai_text, laid_out…) are in the same tests' fixture closure.
RENDERING_FIXTURES = frozenset(
    {
        "built_themes",  # tests/conftest.py: every theme × seed × format
        "project_build",  # tests/conftest.py: `cvforge build` over profiles/ and targets/
        "browser",  # tests/browser/conftest.py: Chromium
        "international",  # test_international.py (every theme, checked) and renderers/test_fonts.py
        "built_foreign",  # reader/interop/test_foreign_outputs.py
        "built_sub_points",  # renderers/test_sub_points.py: nested bullets in every format
        "built_linkedin",  # reader/interop/test_linkedin.py: the archive in every theme, checked
        "built",  # reader/test_photo.py
        "three_ways",  # builder/test_parallel_isolation.py
        "restyled",  # renderers/test_docx.py
        "hostile_builds",  # test_hostile_profile.py
        "golden",  # test_fuzz_caches.py: a whole project built once
        "long_builds",  # builder/test_page_budget.py: a long profile built five ways
        "every_locale",  # test_every_locale.py: every listed locale in every theme
        "rtl_figures",  # test_rtl_figures.py: ar, he and fa in every theme
        "mixed_directions",  # test_mixed_directions.py: Arabic entries in an English resume, and the reverse
        "density_builds",  # builder/test_density_record.py: seeds and targets × themes, three ways
    }
)
