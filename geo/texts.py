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
    "language_switch": {"sv": "Språk / Language", "en": "Språk / Language"},
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
    # First run and database (dashboard.py, ui.py)
    "demo_built": {
        "sv": "Ingen databas fanns, så en demodatabas skapades i {path}.",
        "en": "There was no database, so a demo database was made at {path}.",
    },
    "db_missing": {
        "sv": "Det finns ingen databas i {path} (OUTREACH_DB). Skapa en demo med "
              "`python -m geo demo --db {path}` eller importera besök med `python -m geo import FIL --db {path}`.",
        "en": "There is no database at {path} (OUTREACH_DB). Make a demo with "
              "`python -m geo demo --db {path}` or import visits with `python -m geo import FILE --db {path}`.",
    },
    "db_error": {"sv": "Databasen kunde inte öppnas: {error}", "en": "The database could not be opened: {error}"},
    "demo_building": {"sv": "Bygger demodatabasen …", "en": "Building the demo database …"},
    # Map page (pages/karta.py)
    "map_heading": {"sv": "Platser efter dagar sedan senaste besök", "en": "Places by days since last visit"},
    "metric_places": {"sv": "Platser", "en": "Places"},
    "metric_places_help": {
        "sv": "Aktiva platser (ej rivna) i hela databasen, oavsett filter.",
        "en": "Active places (not cleared) in the whole database, whatever the filters.",
    },
    "metric_overdue": {"sv": "Försenade platser", "en": "Overdue places"},
    "metric_overdue_help": {
        "sv": "Platser som inte besökts inom målintervallet (boplats {encampment} dagar, sovplats {sleeping_place} dagar) eller aldrig besökts.",
        "en": "Places not visited within their target interval (encampment {encampment} days, sleeping place {sleeping_place} days) or never visited.",
    },
    "metric_people": {"sv": "Personer vid senaste besök", "en": "People at the last visits"},
    "metric_people_help": {
        "sv": "Summan av antalet personer som sågs vid varje plats senaste besök.",
        "en": "The sum of the people seen at each place's last visit.",
    },
    "filter_kind": {"sv": "Typ av plats", "en": "Kind of place"},
    "filter_days": {"sv": "Ej besökta på minst så många dagar", "en": "Not visited for at least this many days"},
    "filter_days_help": {
        "sv": "0 visar alla platser. Platser som aldrig besökts visas alltid.",
        "en": "0 shows every place. Places never visited are always shown.",
    },
    "shown_count": {"sv": "Visar {shown} av {total} platser.", "en": "Showing {shown} of {total} places."},
    "no_places": {"sv": "Inga platser matchar filtren.", "en": "No places match the filters."},
    "table_heading": {"sv": "Mest försenade platser", "en": "Most overdue places"},
    "table_empty": {"sv": "Inga försenade platser bland de visade.", "en": "No overdue places among those shown."},
    "col_name": {"sv": "Plats", "en": "Place"},
    "col_kind": {"sv": "Typ", "en": "Kind"},
    "col_last_visit": {"sv": "Senaste besök", "en": "Last visit"},
    "col_days_since": {"sv": "Dagar sedan", "en": "Days since"},
    "col_target_days": {"sv": "Mål (dagar)", "en": "Target (days)"},
    "col_people": {"sv": "Personer senast", "en": "People last seen"},
    "never": {"sv": "aldrig", "en": "never"},
    # Map legend (geo/maps.py)
    "legend_days": {"sv": "Dagar sedan senaste besök", "en": "Days since last visit"},
    "legend_bin": {"sv": "{low}–{high} dagar", "en": "{low}–{high} days"},
    "legend_bin_over": {"sv": "mer än {low} dagar", "en": "more than {low} days"},
    "legend_never": {"sv": "aldrig besökt", "en": "never visited"},
    "legend_kind": {"sv": "Typ av plats (kant)", "en": "Kind of place (outline)"},
    "legend_kind_sleeping_place": {"sv": "sovplats: tunn kant", "en": "sleeping place: thin outline"},
    "legend_kind_encampment": {"sv": "boplats: tjock kant", "en": "encampment: thick outline"},
    "legend_kind_other": {"sv": "annan: streckad kant", "en": "other: dashed outline"},
    "legend_size": {"sv": "Storlek: personer vid senaste besök", "en": "Size: people at the last visit"},
    "legend_size_value": {"sv": "{people} personer", "en": "{people} people"},
    "legend_outline": {"sv": "Grå linje: Stockholms kommun", "en": "Grey line: Stockholm municipality"},
    # Log a visit (pages/logga.py, geo/visit_form.py)
    "page_log": {"sv": "Logga besök", "en": "Log a visit"},
    "log_heading": {"sv": "Logga ett besök", "en": "Log a visit"},
    "log_intro": {
        "sv": "Samma regler som vid import av en fil. Skriv aldrig namn, personnummer eller telefonnummer.",
        "en": "The same rules as a file import. Never write names, personal identity numbers or phone numbers.",
    },
    "log_where": {"sv": "Var", "en": "Where"},
    "log_mode_list": {"sv": "Känd plats", "en": "Known place"},
    "log_mode_coords": {"sv": "Koordinater", "en": "Coordinates"},
    "log_mode_map": {"sv": "Karta", "en": "Map"},
    "log_place": {"sv": "Plats (skriv för att söka)", "en": "Place (type to search)"},
    "log_place_placeholder": {"sv": "Välj en plats", "en": "Choose a place"},
    "log_no_places": {
        "sv": "Inga kända platser ännu: ange koordinater eller välj på kartan.",
        "en": "No known places yet: give coordinates or pick on the map.",
    },
    "log_lat": {"sv": "Latitud", "en": "Latitude"},
    "log_lon": {"sv": "Longitud", "en": "Longitude"},
    "log_coords_help": {
        "sv": "WGS84 i grader (59,3309 eller 59.3309) eller SWEREF 99 TM (nord, öst).",
        "en": "WGS84 degrees (59.3309 or 59,3309) or SWEREF 99 TM (northing, easting).",
    },
    "log_map_hint": {"sv": "Tryck på kartan där besöket var.", "en": "Tap the map where the visit was."},
    "log_picked": {"sv": "Vald punkt: {lat:.5f}, {lon:.5f}", "en": "Picked point: {lat:.5f}, {lon:.5f}"},
    "log_not_picked": {"sv": "Ingen punkt vald ännu.", "en": "No point picked yet."},
    "log_new_name": {"sv": "Namn på ny plats (frivilligt)", "en": "Name of a new place (optional)"},
    "log_new_name_help": {
        "sv": "Utan namn kopplas besöket till närmaste kända plats av samma typ inom 50 m, annars skapas en ny.",
        "en": "Without a name the visit joins the nearest known place of its kind within 50 m, else a new one is made.",
    },
    "log_kind": {"sv": "Typ av plats", "en": "Kind of place"},
    "log_date": {"sv": "Datum", "en": "Date"},
    "log_time": {"sv": "Tid", "en": "Time"},
    "log_people": {"sv": "Antal personer", "en": "People"},
    "log_people_help": {
        "sv": "Personer som träffades eller sågs; 0 = ingen hittades. Tomt = okänt.",
        "en": "People met or seen; 0 = nobody found. Empty = unknown.",
    },
    "log_children": {"sv": "Varav barn", "en": "Of whom children"},
    "log_acute": {"sv": "Akut behov", "en": "Acute need"},
    "log_referred": {"sv": "Hänvisad till", "en": "Referred to"},
    "log_referred_none": {"sv": "ingen", "en": "none"},
    "referral_socialjouren": {"sv": "Socialjouren", "en": "Socialjouren"},
    "referral_polis": {"sv": "polis", "en": "police"},
    "referral_vården": {"sv": "vården", "en": "healthcare"},
    "referral_annan": {"sv": "annan", "en": "other"},
    "log_team": {"sv": "Lag (kod, aldrig ett namn)", "en": "Team (a code, never a name)"},
    "log_notes": {"sv": "Anteckning", "en": "Notes"},
    "log_submit": {"sv": "Spara besöket", "en": "Save the visit"},
    "log_saved": {"sv": "Besöket vid {place} är sparat ({shift}, {when}).", "en": "The visit at {place} is saved ({shift}, {when})."},
    "log_saved_new_place": {"sv": "En ny plats skapades: {place}.", "en": "A new place was made: {place}."},
    "log_duplicate": {
        "sv": "Besöket vid {place} fanns redan; inget nytt sparades.",
        "en": "The visit at {place} was already stored; nothing new was saved.",
    },
    "log_rejected": {"sv": "Besöket sparades inte: {reason}.", "en": "The visit was not saved: {reason}."},
    "log_removed": {
        "sv": "{count} identifierande uppgifter (personnummer, telefon, e-post) togs bort ur texten.",
        "en": "{count} identifying details (personal identity number, phone, e-mail) were removed from the text.",
    },
    "log_db_busy": {
        "sv": "Databasen är upptagen just nu; besöket sparades inte. Försök igen om en stund.",
        "en": "The database is busy right now; the visit was not saved. Try again in a moment.",
    },
}


def t(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The text for `key` in `lang`, with `{name}` placeholders filled from `values`."""
    text = TEXTS[key][lang if lang in LANGUAGES else DEFAULT_LANGUAGE]
    return text.format(**values) if values else text


def kind_label(kind: str, lang: str = DEFAULT_LANGUAGE) -> str:
    return t(f"kind_{kind}", lang)


def shift_label(shift: str, lang: str = DEFAULT_LANGUAGE) -> str:
    return t(f"shift_{shift}", lang)
