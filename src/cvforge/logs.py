"""Warnings are log records on the `cvforge` logger; this collects them around one step of work.

The library never prints: the CLI shows warnings as they come, and a strict build turns the ones
collected while building a profile into that profile's failure.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

LOGGER_NAME = "cvforge"


class Collector(logging.Handler):
    """Keeps the records it is handed (at `level` or worse) instead of showing them: only those
    logged by the thread that made it, so work running beside it (a build's main thread repeating a
    worker's warnings, another job on a threaded executor) never lands in its list."""

    def __init__(self, level: int = logging.WARNING) -> None:
        super().__init__(level)
        self.records: list[logging.LogRecord] = []
        self.thread = threading.get_ident()

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.records.append(record)


@contextmanager
def collect_warnings() -> Iterator[list[logging.LogRecord]]:
    """Yield a list that fills with every warning (or worse) cvforge logs inside the block."""
    collector = Collector()
    logger = logging.getLogger(LOGGER_NAME)
    logger.addHandler(collector)
    try:
        yield collector.records
    finally:
        logger.removeHandler(collector)
