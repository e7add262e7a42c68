"""`cvforge review`: a resume linter that points at the line, offline and deterministic.

Rules read the profile's words (`rules.py`) and its dates and length (`timeline.py`) from word
lists shipped as data, codespell's dictionary and lemminflect's lexicon (`lexicon.py`);
`engine.py` runs them on a profile, `tailored.py` on a target as tailored, placing each finding at
its line and dropping what the file silences. No layout happens here: the page count comes from
the last build.
"""

from __future__ import annotations

import sys
import types
from typing import Any

from cvforge.review.finding import Finding, Severity

__all__ = ["Finding", "Severity"]


class _CallableModule(types.ModuleType):
    """Importing this package makes Python set `cvforge.review` to it, over the API function of that
    name; calling the package calls the function, so `cvforge.review(profile)` always works."""

    def __call__(self, *args: Any, **kwargs: Any) -> list[Finding]:
        from cvforge import review_profile_findings

        return review_profile_findings(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
