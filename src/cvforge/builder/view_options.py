"""What a theme's options decide about a profile's view: the locale it is built in and the order
of its sections."""

from __future__ import annotations

from cvforge.renderers.themes import Theme
from cvforge.schema import Profile


def localized(profile: Profile, theme: Theme) -> Profile:
    """The profile in the locale it is built in. `--locale` (and a target's `locale`, both theme
    options by then) wins over the profile's `locale`, which wins over the theme's `lang`."""
    options = theme.options
    lang = str(options.get("lang") or "")
    default = lang if lang not in ("", "en") and _known_locale(lang) else None
    locale = str(options.get("locale") or "") or profile.locale or default
    date_format = str(options.get("date_format") or "") or profile.date_format
    if (locale, date_format) == (profile.locale, profile.date_format):
        return profile
    return profile.model_copy(update={"locale": locale, "date_format": date_format})


def _known_locale(tag: str) -> bool:
    from cvforge.schema.base import check_locale

    try:
        check_locale(tag)
    except ValueError:
        return False
    return True


def section_order(theme: Theme) -> list[str]:
    """The sections the theme shows, in the order its `sections` option names them."""
    return [name.strip() for name in str(theme.options.get("sections", "")).split(",") if name.strip()]
