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
from cvforge.view import DEFAULT_ORDER

MANIFEST = "theme.toml"
OptionValue = str | int | float | bool
_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
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

    @property
    def template_dirs(self) -> list[Path]:
        return [folder / "templates" for folder in self.folders if (folder / "templates").is_dir()]

    @property
    def static_dirs(self) -> list[Path]:
        return [folder / "static" for folder in self.folders if (folder / "static").is_dir()]

    def find_static(self, relative: str) -> Path | None:
        """The first theme in the chain that ships `relative` wins."""
        for folder in self.static_dirs:
            candidate = (folder / relative).resolve()
            if candidate.is_file() and candidate.is_relative_to(folder.resolve()):
                return candidate
        return None

    def files(self) -> list[Path]:
        """Every file the theme is made of, for cache keys."""
        return sorted(p for folder in self.folders for p in folder.rglob("*") if p.is_file())

    def with_options(self, overrides: Mapping[str, OptionValue], source: str) -> Theme:
        """Apply profile or command-line options; unknown names and bad values are errors."""
        merged = dict(self.options)
        for key, value in overrides.items():
            if key not in self.options:
                valid = ", ".join(sorted(self.options))
                raise ThemeError(f"{source}: unknown theme option '{key}' for theme '{self.name}' (valid: {valid})")
            merged[key] = check_option(key, value, self.options[key], source)
        return Theme(self.name, self.description, self.folders, merged, self.docx)


def check_option(key: str, value: OptionValue, default: OptionValue, source: str) -> OptionValue:
    if key == "accent" and not (isinstance(value, str) and _COLOUR.match(value)):
        raise ThemeError(f"{source}: option accent: '{value}' is not a colour (use #rgb or #rrggbb)")
    if key == "page_size" and value not in PAGE_SIZES:
        raise ThemeError(f"{source}: option page_size: '{value}' is not one of {', '.join(PAGE_SIZES)}")
    if key == "density" and value not in DENSITIES:
        raise ThemeError(f"{source}: option density: '{value}' is not one of {', '.join(DENSITIES)}")
    if key == "sections":
        names = [part.strip() for part in str(value).split(",") if part.strip()]
        unknown = [n for n in names if n not in DEFAULT_ORDER]
        if unknown:
            raise ThemeError(
                f"{source}: option sections: unknown section '{unknown[0]}' (valid: {', '.join(DEFAULT_ORDER)})"
            )
        return ",".join(names)
    if isinstance(default, bool) and not isinstance(value, bool):
        lowered = str(value).lower()
        if lowered not in ("true", "false"):
            raise ThemeError(f"{source}: option {key}: expected true or false, got '{value}'")
        return lowered == "true"
    return value


def builtin_themes_dir() -> Path:
    """Installed wheels carry the themes inside the package; a source checkout keeps them at the top."""
    packaged = Path(str(resources.files("cvforge"))) / "themes"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "themes"


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
        return tomllib.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ThemeError(f"{folder / MANIFEST}: invalid TOML: {exc}") from None


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
