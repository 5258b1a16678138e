"""Every UI string, in Swedish (default) and English. Pages and the CLI look texts up here.

Keys are English snake_case; `t(key, lang, **values)` formats the text. A missing key
raises KeyError so that a typo fails a test instead of showing a blank label.
"""

from __future__ import annotations

LANGUAGES: tuple[str, ...] = ("sv", "en")
DEFAULT_LANGUAGE = "sv"

TEXTS: dict[str, dict[str, str]] = {
    # App frame
    "app_title": {"sv": "Uppsök", "en": "Uppsök"},
    "language": {"sv": "Språk", "en": "Language"},
    "demo_banner": {
        "sv": "Demodata: platserna och besöken är påhittade för att visa hur Uppsök fungerar.",
        "en": "Demo data: the places and visits are made up to show how Uppsök works.",
    },
    "db_in_use": {
        "sv": "Databasen används av en annan process. Försök igen om en stund.",
        "en": "The database is in use by another process. Try again in a moment.",
    },
    # Kinds of place
    "kind_sleeping_place": {"sv": "sovplats", "en": "sleeping place"},
    "kind_encampment": {"sv": "boplats", "en": "encampment"},
    "kind_other": {"sv": "annan", "en": "other"},
    # Shifts
    "shift_day": {"sv": "dag", "en": "day"},
    "shift_evening": {"sv": "kväll", "en": "evening"},
    "shift_weekend": {"sv": "helg", "en": "weekend"},
    # Pages
    "page_map": {"sv": "Karta", "en": "Map"},
}


def t(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The text for `key` in `lang`, with `{name}` placeholders filled from `values`."""
    text = TEXTS[key][lang if lang in LANGUAGES else DEFAULT_LANGUAGE]
    return text.format(**values) if values else text


def kind_label(kind: str, lang: str = DEFAULT_LANGUAGE) -> str:
    return t(f"kind_{kind}", lang)


def shift_label(shift: str, lang: str = DEFAULT_LANGUAGE) -> str:
    return t(f"shift_{shift}", lang)
