"""The density decisions a job's PDF made, kept in the build record beside its outputs.

A resume whose last page is sparse is laid out twice (the normal density, then the tighter one that
may save a page: `renderers.pdf.save_last_page`). The decision is kept under a digest of both print
pages, the theme files and the libraries (`renderers.density_memory`), so a rebuild of the same
pages (`--force`, a format added, an edit that does not reach the paper) lays out only the density
it keeps. Each decision carries this user's HMAC: the record lives in the output folder, which CI may
restore from elsewhere, and a planted decision would change the PDF. A decision that does not verify,
or whose pages changed, is ignored and the rule is run in full: the PDF never depends on the record.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from cvforge.builder.cache import BuildCache, base_digest
from cvforge.builder.jobs import Job, entry_id

ENTRY = "densities"  # the record entry (per job) holding its decisions
_PURPOSE = "density"
KEPT_PER_JOB = 8  # a job's theme and density options change rarely; old pages' decisions go first


def layout_salt(themes_digest: str) -> str:
    """What shapes a layout besides its HTML: cvforge's and the libraries' versions, every theme file."""
    return base_digest().add_text("themes", themes_digest).hexdigest()


def recorded(job: Job, cache: BuildCache) -> dict[str, str]:
    """The job's decisions that carry this user's tag (nothing, without a key or a record)."""
    text = cache.extra_of(entry_id(job, ENTRY))
    try:
        stored = json.loads(text) if text else {}
    except ValueError:
        return {}
    if not isinstance(stored, dict):
        return {}
    return {
        key: value[0]
        for key, value in stored.items()
        if isinstance(value, list)
        and len(value) == 2
        and all(isinstance(part, str) for part in value)
        and _verified(key, value[0], value[1])
    }


def record(job: Job, key: str, cache: BuildCache, learnt: Mapping[str, str]) -> None:
    """Keep what the job's build decided by laying out, newest last, with this user's tag."""
    if not learnt:
        return
    kept = {k: [v, t] for k, v in recorded(job, cache).items() if (t := _tag(k, v)) is not None and k not in learnt}
    for decision, density in learnt.items():
        tag = _tag(decision, density)
        if tag is not None:
            kept[decision] = [density, tag]
    newest = dict(list(kept.items())[-KEPT_PER_JOB:])
    if newest:
        cache.record(entry_id(job, ENTRY), key, {}, json.dumps(newest, sort_keys=False))


def _tag(decision: str, density: str) -> str | None:
    from cvforge.renderers import cachekey

    found = cachekey.tag(_PURPOSE, decision, density.encode("utf-8"))
    return found.hex() if found is not None else None


def _verified(decision: str, density: str, tag: str) -> bool:
    from cvforge.renderers import cachekey

    try:
        claimed = bytes.fromhex(tag)
    except ValueError:
        return False
    return cachekey.verify(_PURPOSE, decision, density.encode("utf-8"), claimed)
