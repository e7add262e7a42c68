"""Warm Dask workers: cvforge, WeasyPrint and the theme's fonts loaded once per worker, as it joins.

`build(executor=client.get_executor())` sends each job to a Dask worker, whose first job would
otherwise pay the imports (about a second) and the fonts inside its own time, on every worker at
once. A worker plugin does that as each worker joins the cluster (now, and later ones as they
come), so every job finds its worker warm; registered once per cluster and theme (idempotent), so
later builds on the same cluster pay nothing. Other executors are left as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Executor
from functools import lru_cache
from pathlib import Path
from typing import Any


def dask_client(executor: Executor) -> Any | None:
    """The Dask client behind `client.get_executor()`, or None for any other executor."""
    if not type(executor).__module__.startswith("distributed."):
        return None
    return getattr(executor, "_client", None)


def warm_dask_workers(executor: Executor, theme_name: str | None, theme_dirs: Sequence[Path], *, pdf: bool) -> bool:
    """Register the warm-up on the executor's Dask cluster; False when it is no Dask executor."""
    client = dask_client(executor)
    if client is None:
        return False
    plugin = _plugin_class()(theme_name, tuple(str(folder) for folder in theme_dirs), pdf)
    client.register_plugin(plugin, name=plugin.name)
    return True


WARM_UPS: list[str] = []  # the warm-ups this process ran (a worker's: once per cluster and theme)


def warm_worker(theme_name: str | None, theme_dirs: Sequence[str], pdf: bool) -> None:
    """What a worker does as it joins: import the job code and, for PDFs, lay out a line in the theme."""
    import cvforge.builder.prepare  # noqa: F401  (the code every job runs)

    WARM_UPS.append(theme_name or "")

    if pdf:
        from cvforge.builder.run import warm_up

        warm_up(theme_name, [Path(folder) for folder in theme_dirs])


@lru_cache(maxsize=1)
def _plugin_class() -> type:
    """A WorkerPlugin subclass, made only when Dask is in use (it is an optional dependency)."""
    from distributed.diagnostics.plugin import WorkerPlugin

    class WarmCvforge(WorkerPlugin):
        idempotent = True  # registered again by a later build: already warm, nothing runs

        def __init__(self, theme_name: str | None, theme_dirs: tuple[str, ...], pdf: bool) -> None:
            self.theme_name, self.theme_dirs, self.pdf = theme_name, theme_dirs, pdf
            self.name = f"cvforge-warm:{theme_name or ''}:{':'.join(theme_dirs)}:{'pdf' if pdf else 'text'}"

        def setup(self, worker: object) -> None:
            warm_worker(self.theme_name, self.theme_dirs, self.pdf)

    return WarmCvforge
