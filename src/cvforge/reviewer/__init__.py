"""`cvforge review`: a resume linter that points at the line, offline and deterministic.

Rules read the profile's words (`rules.py`) and its dates and length (`timeline.py`) from word
lists shipped as data, codespell's dictionary and lemminflect's lexicon (`lexicon.py`);
`engine.py` runs them on a profile, `tailored.py` on a target as tailored, placing each finding at
its line and dropping what the file silences. No layout happens here: the page count comes from
the last build.
"""

from __future__ import annotations

from cvforge.reviewer.finding import Finding, Severity

__all__ = ["Finding", "Severity"]
