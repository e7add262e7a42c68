"""`cvforge locales`: the languages cvforge's labels are translated into."""

from __future__ import annotations

import click


@click.command("locales")
def locales_command() -> None:
    """List the languages cvforge's labels are translated into: tag, name, native name, direction."""
    from cvforge.document.locale import locale_names

    rows = locale_names()
    width = max(len(tag) for tag, *_ in rows)
    name_width = max(len(name) for _, name, *_ in rows)
    for tag, name, native, direction in rows:
        rtl = "  (right-to-left)" if direction == "rtl" else ""
        click.echo(f"{tag:<{width}}  {name:<{name_width}}  {native}{rtl}")
    click.echo(f"{len(rows)} languages; any other locale CLDR knows gets its dates, with English labels.")
