"""The engine of `cvforge watch`: what to watch, a rebuild after every batch of changes to an input,
the HTML first and then the PDF, and a helper process laying out ahead. Serving the result, and printing it, is the
command line's (`cvforge.cli.watch`, `cvforge.cli.serve`).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Protocol

from cvforge.builder.run import BuildResult
from cvforge.builder.watch_inputs import WatchInputs, is_editor_litter


class RebuildListener(Protocol):
    """Whoever is told each rebuild's errors (None when it built): the preview server's reload
    signal (`cvforge.cli.serve.ReloadSignal`), which reloads the open pages."""

    def bump(self, errors: str | None = None) -> None: ...


def start_layout_helper(formats: Sequence[str], theme_name: str | None, theme_dirs: Sequence[Path]) -> None:
    """When the PDF is watched and a second core is free, fork the process that lays out a tighter
    density ahead (`renderers.ahead`); it warms up (WeasyPrint, the theme's fonts) while the first
    build runs here. Call before any thread starts."""
    from cvforge.builder.project import default_workers
    from cvforge.builder.run import bind_to_parent, warm_up
    from cvforge.renderers import ahead

    if "pdf" in formats and default_workers() > 1:  # like a build's workers: Ctrl-C is the watch's alone
        ahead.start(partial(warm_up, theme_name, tuple(theme_dirs)), bind_to_parent, (os.getpid(),))


def watch_and_rebuild(
    paths: Sequence[Path],
    rebuild: Callable[[], str | None],
    signal: RebuildListener,
    *,
    ignore: Path | None = None,
    stop: threading.Event | None = None,
    inputs: WatchInputs | None = None,
) -> None:
    """Call `rebuild` after every batch of changes under `paths` (outside `ignore`, where the outputs
    go) that touches an input (see `watch_inputs`: what the last build read, which `rebuild` records
    in `inputs`; without it, any file but an editor's swap, backup or lock file), then tell `signal`
    (the preview's, which reloads browsers) the errors `rebuild` returned (None when it built).
    Returns when `stop` is set or on Ctrl-C."""
    import logging

    from watchfiles import watch

    logging.getLogger("watchfiles").setLevel(logging.ERROR)  # it announces Ctrl-C itself; the CLI says "stopped"
    ignored = ignore.resolve() if ignore is not None else None

    def relevant(_change: object, path: str) -> bool:
        if is_editor_litter(Path(path).name):
            return False
        return ignored is None or not Path(path).resolve().is_relative_to(ignored)

    # An editor's save is one to three events within a few milliseconds: wait STEP_MS for quiet, at
    # most DEBOUNCE_MS in all, then rebuild (in this warm process: nothing is imported or decoded again).
    changes = watch(
        *paths, watch_filter=relevant, stop_event=stop, debounce=DEBOUNCE_MS, step=STEP_MS, raise_interrupt=False
    )
    for batch in changes:
        if inputs is None or inputs.changed(Path(path) for _, path in batch):
            signal.bump(rebuild())


DEBOUNCE_MS = 100
STEP_MS = 20
# What a person watching looks at first, in order, each written before the next is made: the HTML
# (the preview reloads as soon as it is written, in about 0.1 s), then the PDF (a layout, 0.3 s and more).
FIRST_FORMATS = ("html", "pdf")


def build_first_things_first(
    build: Callable[[Sequence[str]], BuildResult],
    formats: Sequence[str],
    on_preview: Callable[[BuildResult], None] | None = None,
) -> BuildResult:
    """Build the HTML first and write it, then the PDF, then the other formats: one build result for all.

    `on_preview` is called with the first group's result as soon as it is written (the preview
    server reloads the page then, not after the PDF). Each call is an ordinary incremental build,
    so only outputs whose inputs changed are made.
    """
    groups = [[fmt] for fmt in FIRST_FORMATS if fmt in formats]
    rest = [fmt for fmt in formats if fmt not in FIRST_FORMATS]
    groups += [rest] if rest else []
    results: list[BuildResult] = []
    for group in groups:
        results.append(build(group))
        if len(results) == 1 and on_preview is not None:
            on_preview(results[0])
    merged = BuildResult()
    for result in results:
        merged.outputs += result.outputs
        merged.inputs += [path for path in result.inputs if path not in merged.inputs]
        merged.reports += result.reports
        merged.warnings += [w for w in result.warnings if w not in merged.warnings]
        merged.failures += [f for f in result.failures if f not in merged.failures]
    merged.skipped = [s for s in results[0].skipped if all(s in r.skipped for r in results)] if results else []
    return merged


def watched_folders(sources: Sequence[Path], theme_dirs: Sequence[Path]) -> list[Path]:
    """What `watch` watches: the sources, the project's profiles, targets and letters, and the themes.
    Built-in themes change only with cvforge itself: watched (and named) only in a source checkout."""
    from cvforge.builder.project import PROFILES_DIR
    from cvforge.renderers.themes import builtin_themes_dir, search_dirs
    from cvforge.targets.files import LETTERS_DIR, TARGETS_DIR

    builtin = builtin_themes_dir().resolve()
    themes = [d for d in search_dirs(theme_dirs) if d.resolve() != builtin or builtin.is_relative_to(Path.cwd())]
    watched = [p for p in (*sources, PROFILES_DIR, TARGETS_DIR, LETTERS_DIR, *themes) if p.exists()]
    return [p.parent if p.is_file() else p for p in watched]
