"""Find themes and read their manifests. A theme is data: templates, CSS, fonts and a manifest.

Search order: --theme-dir, then ./themes in the working directory, then the built-in themes.
`extends` chains templates and static files, so a theme can override a single file.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from cvforge.errors import ThemeError
from cvforge.schema.links import link_problem
from cvforge.schema.sections import DEFAULT_ORDER

MANIFEST = "theme.toml"
OptionValue = str | int | float | bool
_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_UNSAFE_OPTION = re.compile(r"[<>{};\\\x00-\x1f\x7f]")
_LANG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
_FONT_FACE_FAMILY = re.compile(r"""@font-face\s*\{[^}]*?font-family:\s*(["']?)([^"';}]+)\1""")
PAGE_SIZES = ("A4", "Letter")
DENSITIES = ("compact", "normal", "airy")


@dataclass(frozen=True)
class Theme:
    """A resolved theme: its folders (own first, then ancestors'), options and Word style map."""

    name: str
    description: str
    folders: tuple[Path, ...]
    options: Mapping[str, OptionValue]
    docx: Mapping[str, Any] = field(default_factory=dict)
    # What find_static found, by name: a page asks about each font file a few times (cmaps, faces kept,
    # coverage), and each answer resolves a path (300 look-ups, 15 ms, a build). A theme is loaded
    # afresh for every build, so a file added to the theme folder is seen by the next one.
    _found: dict[str, Path | None] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def template_dirs(self) -> list[Path]:
        return [folder / "templates" for folder in self.folders if (folder / "templates").is_dir()]

    @property
    def static_dirs(self) -> list[Path]:
        return [folder / "static" for folder in self.folders if (folder / "static").is_dir()]

    def find_static(self, relative: str) -> Path | None:
        """The first theme in the chain that ships `relative` wins."""
        if relative not in self._found:
            self._found[relative] = self._look_up_static(relative)
        return self._found[relative]

    def _look_up_static(self, relative: str) -> Path | None:
        for folder in self.static_dirs:
            candidate = (folder / relative).resolve()
            if candidate.is_file() and candidate.is_relative_to(folder.resolve()):
                return candidate
        return None

    def with_options(self, overrides: Mapping[str, OptionValue], source: str) -> Theme:
        """Apply profile or command-line options; unknown names and bad values are errors."""
        merged = dict(self.options)
        for key, value in overrides.items():
            if key not in self.options and key not in EVERY_THEME:
                valid = ", ".join(sorted(self.options))
                raise ThemeError(f"{source}: unknown theme option '{key}' for theme '{self.name}' (valid: {valid})")
            merged[key] = check_option(key, value, self.options.get(key, EVERY_THEME.get(key, "")), source)
        theme = Theme(self.name, self.description, self.folders, merged, self.docx)
        if {"stylesheets", "screen_stylesheets"} & set(overrides):
            theme.check_stylesheets(source)
        if "font" in overrides and merged["font"] not in (families := theme.font_families()):
            raise ThemeError(
                f"{source}: option font: '{merged['font']}' is not a font theme '{self.name}' ships "
                f"(choose from {', '.join(families)})"
            )
        return theme

    def stylesheet_names(self, *, screen: bool) -> list[str]:
        """The `stylesheets` option (print and screen), then `screen_stylesheets` for the HTML file."""
        names = str(self.options.get("stylesheets", "style.css")).split(",")
        if screen:
            names += str(self.options.get("screen_stylesheets", "")).split(",")
        return [name.strip() for name in names if name.strip()]

    def check_stylesheets(self, source: str) -> None:
        """Every stylesheet an option names must be UTF-8 text in the theme's static folder:
        said when the option is read (so `validate` says it), never found at render time."""
        for name in self.stylesheet_names(screen=True):
            path = self.find_static(name)
            if path is None:
                raise ThemeError(f"{source}: stylesheet '{name}' not found in theme '{self.name}''s static folder")
            try:
                path.read_bytes().decode("utf-8")
            except UnicodeDecodeError:
                raise ThemeError(f"{source}: stylesheet '{name}' is not a CSS file (not UTF-8 text)") from None

    def font_families(self) -> list[str]:
        """Families the stylesheets declare with @font-face: output may only use fonts the theme ships."""
        families: list[str] = []
        for name in self.stylesheet_names(screen=False):
            path = self.find_static(name)
            css = path.read_text(encoding="utf-8") if path else ""
            families += [match.group(2).strip() for match in _FONT_FACE_FAMILY.finditer(css)]
        return list(dict.fromkeys(families))


# Options every theme takes, whether its manifest names them or not: the document's locale
# (`--locale`, a target's `locale`) and month date pattern are the profile's, not the theme's look.
EVERY_THEME: dict[str, OptionValue] = {"locale": "", "date_format": ""}


def check_option(key: str, value: OptionValue, default: OptionValue, source: str) -> OptionValue:
    if key == "accent" and not (isinstance(value, str) and _COLOUR.match(value)):
        raise ThemeError(f"{source}: option accent: '{value}' is not a colour (use #rgb or #rrggbb)")
    if (
        key == "site_url"
        and value
        and not (isinstance(value, str) and value.startswith(("https://", "http://")) and link_problem(value) is None)
    ):
        raise ThemeError(f"{source}: option site_url: '{value}' is not an http(s) address (e.g. https://jane.dev/)")
    if key == "page_size" and value not in PAGE_SIZES:
        raise ThemeError(f"{source}: option page_size: '{value}' is not one of {', '.join(PAGE_SIZES)}")
    if key == "lang" and not (isinstance(value, str) and _LANG.match(value)):
        raise ThemeError(f"{source}: option lang: '{value}' is not a language tag (e.g. en, ja, zh-TW)")
    if key in ("locale", "date_format") and value:
        return _check_locale_option(key, value, source)
    if key == "density" and value not in DENSITIES:
        raise ThemeError(f"{source}: option density: '{value}' is not one of {', '.join(DENSITIES)}")
    if key in ("sections", "sidebar"):
        names = [part.strip() for part in str(value).split(",") if part.strip()]
        # `custom-N` places one custom section (the N-th, from 0) on its own; `custom` places the rest.
        unknown = [n for n in names if n not in DEFAULT_ORDER and not _CUSTOM_KEY.match(n)]
        if unknown:
            raise ThemeError(
                f"{source}: option {key}: unknown section '{unknown[0]}' "
                f"(valid: {', '.join(DEFAULT_ORDER)}, or custom-0, custom-1 … for one custom section)"
            )
        return ",".join(names)
    if isinstance(default, bool) and not isinstance(value, bool):
        lowered = str(value).lower()
        if lowered not in ("true", "false"):
            raise ThemeError(f"{source}: option {key}: expected true or false, got '{value}'")
        return lowered == "true"
    if isinstance(value, str) and _UNSAFE_OPTION.search(value):
        # Templates may write option values into <style>: these characters could end a rule or the element.
        raise ThemeError(f"{source}: option {key}: '{value}' may not contain < > {{ }} ; \\ or control characters")
    return value


_CUSTOM_KEY = re.compile(r"^custom-(0|[1-9][0-9]{0,3})$")


def _check_locale_option(key: str, value: OptionValue, source: str) -> str:
    """`locale` and `date_format` as the profile's fields take them (one check, in the schema)."""
    from cvforge.schema.base import check_date_format, check_locale

    try:
        return check_locale(str(value)) if key == "locale" else check_date_format(str(value))
    except ValueError as exc:
        raise ThemeError(f"{source}: option {key}: {exc}") from None


def builtin_themes_dir() -> Path:
    """Installed wheels carry the themes inside the package; a source checkout keeps them at the top."""
    packaged = Path(str(resources.files("cvforge"))) / "themes"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "themes"


def search_dirs(theme_dirs: Sequence[Path] = ()) -> list[Path]:
    dirs = [*theme_dirs, Path.cwd() / "themes", builtin_themes_dir()]
    unique: list[Path] = []
    for d in dirs:
        if d.is_dir() and d.resolve() not in [u.resolve() for u in unique]:
            unique.append(d)
    return unique


def available_themes(theme_dirs: Sequence[Path] = ()) -> dict[str, Path]:
    """Theme name → folder; earlier search dirs shadow later ones."""
    found: dict[str, Path] = {}
    for directory in reversed(search_dirs(theme_dirs)):
        for manifest in sorted(directory.glob(f"*/{MANIFEST}")):
            found[manifest.parent.name] = manifest.parent
    return dict(sorted(found.items()))


def read_manifest(folder: Path) -> dict[str, Any]:
    try:
        manifest = tomllib.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ThemeError(f"{folder / MANIFEST}: invalid TOML: {exc}") from None
    except OSError as exc:
        raise ThemeError(f"{folder / MANIFEST}: cannot read it ({exc.strerror})") from None
    check_manifest(folder, manifest)
    return manifest


def check_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    """A theme from elsewhere may be malformed: wrong shapes are ThemeErrors, not crashes later on."""
    where = folder / MANIFEST
    for key in ("name", "description", "extends"):
        if key in manifest and not isinstance(manifest[key], str):
            raise ThemeError(f"{where}: '{key}' must be text")
    for table in ("options", "docx"):
        values = manifest.get(table, {})
        if not isinstance(values, dict):
            raise ThemeError(f"{where}: [{table}] must be a table of settings")
        for key, value in values.items():
            if not isinstance(value, str | int | float | bool):
                raise ThemeError(f"{where}: [{table}] {key}: expected text, a number or true/false")
            if isinstance(value, str) and any(ord(char) < 0x20 for char in value):
                raise ThemeError(f"{where}: [{table}] {key}: control characters are not allowed")
    for sub in ("templates", "static"):
        inside = folder / sub
        if inside.exists() and not inside.resolve().is_relative_to(folder.resolve()):
            raise ThemeError(f"{where}: its {sub} folder links to {inside.resolve()}, outside the theme; refused")


def load_theme(name: str, theme_dirs: Sequence[Path] = ()) -> Theme:
    """Resolve a theme and its `extends` chain into one Theme."""
    themes = available_themes(theme_dirs)
    chain: list[tuple[Path, dict[str, Any]]] = []
    current: str | None = name
    while current:
        if current not in themes:
            listing = ", ".join(themes) or "none found"
            what = "unknown theme" if not chain else f"theme '{chain[-1][0].name}' extends unknown theme"
            raise ThemeError(f"{what} '{current}' (available: {listing})")
        if any(folder == themes[current] for folder, _ in chain):
            raise ThemeError(f"theme '{name}': 'extends' forms a loop at '{current}'")
        manifest = read_manifest(themes[current])
        chain.append((themes[current], manifest))
        current = manifest.get("extends")
    options: dict[str, OptionValue] = {}
    docx: dict[str, Any] = {}
    for _, manifest in reversed(chain):
        options.update(manifest.get("options", {}))
        docx.update(manifest.get("docx", {}))
    own = chain[0][1]
    return Theme(
        name=name,
        description=str(own.get("description", "")),
        folders=tuple(folder for folder, _ in chain),
        options=options,
        docx=docx,
    )


@dataclass(frozen=True)
class ThemeInfo:
    """What `cvforge themes` shows: a theme's name, description, folder and parent."""

    name: str
    description: str
    folder: Path
    extends: str | None
    builtin: bool


def describe_themes(theme_dirs: Sequence[Path] = ()) -> list[ThemeInfo]:
    """Every theme a build can use, by name; a shadowed built-in shows only the folder that wins."""
    builtin = builtin_themes_dir().resolve()
    infos: list[ThemeInfo] = []
    for name, folder in available_themes(theme_dirs).items():
        manifest = read_manifest(folder)
        extends = manifest.get("extends")
        infos.append(
            ThemeInfo(
                name=name,
                description=str(manifest.get("description", "")),
                folder=folder,
                extends=str(extends) if extends else None,
                builtin=folder.resolve().parent == builtin,
            )
        )
    return infos


def density_steps(theme: Theme) -> tuple[str, ...]:
    """Densities a page fit may tighten to, loosest first: the manifest's `[limits] density`
    (the first theme in the `extends` chain that sets it wins), else every density.

    Empty when the theme has no density option, so a fit can only drop items.
    """
    if "density" not in theme.options:
        return ()
    for folder in theme.folders:
        limits = read_manifest(folder).get("limits", {})
        if "density" in limits:
            allowed = limits["density"]
            if not isinstance(allowed, list) or not all(d in DENSITIES for d in allowed):
                raise ThemeError(
                    f"theme '{theme.name}': [limits] density must be a list of {', '.join(DENSITIES)}; got {allowed!r}"
                )
            return tuple(d for d in reversed(DENSITIES) if d in allowed)
    return tuple(reversed(DENSITIES))
