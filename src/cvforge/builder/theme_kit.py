"""`cvforge theme new` and `cvforge themes`: start a child theme from an existing one, and describe
every theme with its options, their kinds and defaults.

A new theme is a folder with `extends = "PARENT"`: a commented theme.toml listing the parent's
options (one of them changed, the accent), one stylesheet layered after the parent's, and a
`resume.html.j2` that extends the parent's page and overrides none of its blocks yet, beside a
README listing every block the parent's templates define. Everything else (templates, fonts, the
rest of the CSS) is the parent's until a file of the same name is added.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from cvforge.errors import OutputError, ThemeError, UsageError, display_path
from cvforge.renderers.contrast import mix
from cvforge.renderers.themes import (
    DENSITIES,
    MANIFEST,
    PAGE_SIZES,
    OptionValue,
    available_themes,
    describe_themes,
    load_theme,
)

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
_BLOCK = re.compile(r"\{%-?\s*block\s+(\w+)")
# The example override: an accent that reads as text on white and on its own tint (WCAG AA).
EXAMPLE_ACCENT = "#a1224f"

KINDS: dict[str, str] = {
    "page_size": " | ".join(PAGE_SIZES),
    "accent": "colour, #rgb or #rrggbb",
    "font": "a font family the theme ships",
    "lang": "language tag: en, ja, zh-TW…",
    "density": " | ".join(DENSITIES),
    "site_url": "http(s) address, or empty",
    "sections": "section names, comma-separated, in order",
    "sidebar": "section names, comma-separated",
    "stylesheets": "CSS files in static/, comma-separated",
    "screen_stylesheets": "CSS files in static/, comma-separated, HTML only",
}


def option_kind(key: str, default: OptionValue) -> str:
    """What an option accepts, as `cvforge themes` shows it."""
    if key in KINDS:
        return KINDS[key]
    if isinstance(default, bool):
        return "true | false"
    if isinstance(default, int | float):
        return "number"
    return "text"


def theme_listing(theme_dirs: Sequence[Path] = ()) -> str:
    """Every theme: name, description, where it comes from, then each option with kind and default."""
    lines: list[str] = []
    for info in describe_themes(theme_dirs):
        origin = f"built-in: {info.folder}" if info.builtin else display_path(info.folder)
        extends = f", extends {info.extends}" if info.extends else ""
        lines += [f"{info.name}  {info.description}", f"  ({origin}{extends})"]
        try:
            options = load_theme(info.name, theme_dirs).options
        except ThemeError as exc:
            lines += [f"  cannot be loaded: {exc}", ""]
            continue
        width = max((len(key) for key in options), default=0)
        for key, default in options.items():
            shown = _toml_value(default) if default != "" else '""'
            lines.append(f"    {key:<{width}}  {option_kind(key, default)}; default {shown}")
        lines.append("")
    return "\n".join(lines).rstrip("\n")


def new_theme(name: str, parent: str, folder: Path | None = None, theme_dirs: Sequence[Path] = ()) -> list[Path]:
    """Write theme NAME as a child of PARENT into `folder` (default ./themes/NAME); the files written.

    Refuses a name that is not a plain folder name, an unknown parent, a name some theme already
    has, and an existing folder. The files are written into a temporary folder and moved into place
    whole, so a failure leaves nothing half-made.
    """
    if not _NAME.match(name):
        raise UsageError(f"theme name '{name}': use lower-case letters, digits, '-' and '_' (up to 40, e.g. my-theme)")
    themes = available_themes(theme_dirs)
    if parent not in themes:
        raise UsageError(f"--from: unknown theme '{parent}' (available: {', '.join(themes)})")
    if name in themes:
        raise UsageError(f"a theme named '{name}' already exists ({display_path(themes[name])}); choose another name")
    target = folder if folder is not None else Path.cwd() / "themes" / name
    if target.exists():
        raise OutputError(f"{display_path(target)} already exists; refusing to overwrite it")
    base = load_theme(parent, theme_dirs)
    stylesheet = f"{name}.css"
    files = {
        MANIFEST: manifest_text(name, parent, base.options, base.docx, stylesheet),
        f"static/{stylesheet}": stylesheet_text(name, parent),
        "templates/resume.html.j2": page_template(name, parent),
        "templates/README.md": templates_readme(parent, base.template_dirs),
    }
    return _write_tree(target, files)


def manifest_text(
    name: str, parent: str, options: Mapping[str, OptionValue], docx: Mapping[str, object], stylesheet: str
) -> str:
    """theme.toml: the accent changed, the parent's stylesheets plus the new one, every other
    option commented out at its inherited value, and the Word colours that repeat the accent."""
    old_accent = str(options.get("accent", "")).lstrip("#").lower()
    new_accent = EXAMPLE_ACCENT.lstrip("#")
    lines = [
        f"# {name}: a child of {parent}. Everything not set here comes from {parent} (and the themes",
        "# it extends): templates, stylesheets, fonts, options. To change one part of the page, override",
        "# its block in templates/ (templates/README.md lists them); to change the look, edit",
        f"# static/{stylesheet}, which is layered after {parent}'s stylesheets.",
        f'name = "{name}"',
        f'description = "{parent}, with its own accent colour and stylesheet."',
        f'extends = "{parent}"',
        "",
        "[options]",
        "# The example override: a different accent colour (checked for contrast at every build).",
        f'accent = "{EXAMPLE_ACCENT}"',
        "# Your stylesheet after the parent's (names are files in static/, then in the parent's).",
        f'stylesheets = "{options.get("stylesheets", "style.css")},{stylesheet}"',
        f"# {parent}'s other options, at the values this theme inherits; uncomment one to change it.",
        "# A profile's `options:` and `--option NAME=VALUE` still override them at build time.",
    ]
    for key, value in options.items():
        if key not in ("accent", "stylesheets"):
            lines.append(f"# {key} = {_toml_value(value)}    # {option_kind(key, value)}")
    lines += [
        "",
        '# How the resume looks in Word (README, "Word output for job portals"): sizes in points,',
        "# colours as hex without '#'. The colours that repeat the parent's accent follow the new one.",
        "[docx]",
    ]
    for key, setting in docx.items():
        if isinstance(setting, str) and old_accent and setting.lower() == old_accent:
            lines.append(f'{key} = "{new_accent}"')
        elif key == "band_foot" and setting:  # the accent's pale tint under the name band
            lines.append(f'{key} = "{mix(EXAMPLE_ACCENT, "#ffffff", 0.88).lstrip("#")}"')
        else:
            lines.append(f"# {key} = {_toml_value(setting)}")
    return "\n".join(lines) + "\n"


def stylesheet_text(name: str, parent: str) -> str:
    return (
        f"/* {name}: layered after {parent}'s stylesheets, so a rule here wins over theirs.\n"
        "   The example: section headings in the accent colour with a heavier rule under them.\n"
        "   var(--accent) is the `accent` option; --ink, --muted and --rule are the text colours. */\n"
        ".section > h2 { color: var(--accent); border-bottom: 2px solid var(--accent); }\n"
    )


def page_template(name: str, parent: str) -> str:
    """templates/resume.html.j2: the parent's page, extended, with an example override in a comment."""
    return (
        f'{{% extends "{parent}/resume.html.j2" %}}\n'
        f"{{# {name}: {parent}'s page. To change one part of it, override that part's block here and keep\n"
        "   the rest; {{ super() }} prints the parent's version. For example, a line under the page:\n"
        '   {% block footer %}<footer class="colophon">{{ doc.person.name }}</footer>{% endblock %}\n'
        "   Blocks of a partial (header.html.j2, sections/timeline.html.j2…) are overridden the same way,\n"
        f'   in a file of that name that extends "{parent}/header.html.j2". templates/README.md lists them. #}}\n'
    )


def template_blocks(template_dirs: Sequence[Path]) -> dict[str, list[str]]:
    """Template path → the blocks it defines along the chain (ancestors' first), for every template."""
    blocks: dict[str, list[str]] = {}
    for folder in reversed(template_dirs):
        for path in sorted(folder.rglob("*.j2")):
            names = blocks.setdefault(path.relative_to(folder).as_posix(), [])
            names += [found for found in _BLOCK.findall(path.read_text("utf-8")) if found not in names]
    return dict(sorted(blocks.items()))


def templates_readme(parent: str, template_dirs: Sequence[Path]) -> str:
    listing = "\n".join(
        f"- `{path}`" + (f": {', '.join(f'`{b}`' for b in names)}" if names else "")
        for path, names in template_blocks(template_dirs).items()
    )
    return (
        f"# Templates\n\nEvery template comes from {parent} until a file of the same path is here. To change one\n"
        f"part of a page, do not copy the template: extend {parent}'s and override that part's block,\n"
        f'as `resume.html.j2` here does (`{{% extends "{parent}/resume.html.j2" %}}`). A name\n'
        f"`{parent}/PATH` is PATH as {parent} resolves it. `resume.html.j2` and `letter.html.j2` extend\n"
        "`base.html.j2`, so its blocks are theirs too. The templates, and the blocks each defines:\n\n"
        f"{listing}\n"
    )


def _toml_value(value: OptionValue | object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _write_tree(target: Path, files: Mapping[str, str]) -> list[Path]:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
        try:
            for relative, text in files.items():
                path = staging / relative
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
            staging.rename(target)
        finally:
            if staging.exists():
                shutil.rmtree(staging)
    except OSError as exc:
        raise OutputError(f"cannot write {display_path(target)}: {exc.strerror or exc}") from None
    return [target / relative for relative in files]
