"""renderers/linestart.py: WeasyPrint breaks inside a word only where nothing stands before it on the
line. Without the fix, text after an inline boundary on a line that an inline box went on to was taken
for the line's start, and `overflow-wrap: break-word` cut its first word ("Un|iversity", "الجام|عة")
though it fitted on the next line (WeasyPrint #1614, #2102). Each case is laid out in a column of many
widths, so the cut is met whatever the machine's sans-serif face; a real long word still breaks."""

from __future__ import annotations

import re
import subprocess

import pytest

from cvforge.renderers import linestart
from cvforge.renderers.weasyload import import_weasyprint

STYLE = "div {{ width: {width}pt; font: 10pt sans-serif; overflow-wrap: break-word }} @page {{ size: A5 }}"
CASES = {
    "nested inline, left to right": (
        "MSc <span><strong>Bachelor of Computing Science</strong>, <span>University of Jordan</span></span> · 2016",
        "Bachelor of Computing Science University of Jordan",
    ),
    "inside an isolate, right to left": (
        'MSc <bdi dir="rtl"><strong>بكالوريوس علوم الحاسوب</strong>، <span>الجامعة الوطنية</span></bdi> · 2016',
        "بكالوريوس علوم الحاسوب الجامعة الوطنية",
    ),
}


def _words(body: str, width: int) -> list[str]:
    from weasyprint import HTML

    html = f"<html lang=en><style>{STYLE.format(width=width)}</style><div>{body}</div></html>"
    pdf = HTML(string=html).write_pdf()
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return re.findall(r"[^\W\d_]+", text)  # words of letters: pdftotext may join a figure to an Arabic word


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES)
def test_a_word_that_fits_the_next_line_is_not_cut(case: str) -> None:
    import_weasyprint()
    linestart.install()
    body, words = CASES[case]
    for width in range(64, 132, 4):  # every word of the case fits in 64 pt
        found = _words(body, width)
        assert all(word in found for word in words.split()), (case, width, found)


@pytest.mark.slow
def test_a_word_longer_than_the_line_still_breaks() -> None:
    import_weasyprint()
    linestart.install()
    found = _words("See <span>Supercalifragilisticexpialidocious</span>", 64)
    assert "Supercalifragilisticexpialidocious" not in found and len(found) > 2, found
