"""`cvforge locales`: the languages cvforge's labels are translated into."""

from __future__ import annotations

import click


@click.command("locales")
def locales_command() -> None:
    """List the languages cvforge's labels are translated into: tag, name, native name, direction."""
    from cvforge.builder.console import echo_locales

    echo_locales()
