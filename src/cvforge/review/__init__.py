"""`cvforge review`: a resume linter that points at the line, offline and deterministic.

Rules read the profile's words (`rules.py`) and its dates and length (`timeline.py`) from word
lists shipped as data, codespell's dictionary and lemminflect's morphology (`lexicon.py`);
`engine.py` runs them on a profile or a target as tailored, places each finding at its line and
drops what the file silences. No layout happens here: the page count comes from the last build.
"""

from __future__ import annotations

from cvforge.review.finding import Finding, Severity

__all__ = ["Finding", "Severity"]
