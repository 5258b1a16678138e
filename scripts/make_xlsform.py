"""Generate forms/uppsok_besok.xlsx: the visit form field workers load into ODK Collect
or KoboCollect to log visits offline, in Swedish and English.

Field names are Uppsök's canonical column names (PRODUCT.md §3), and the form has no
groups, so an ODK Central or KoboToolbox CSV export of it imports with no mapping: the
built-in profiles in geo/profiles.py take the app's own columns (`meta-instanceID`,
`_uuid`, `location-Latitude`, `_location_latitude` …). Run it again after editing the
rows below and commit the workbook:

    .venv/bin/python scripts/make_xlsform.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "forms" / "uppsok_besok.xlsx"

SV, EN = "Svenska (sv)", "English (en)"
FORM_VERSION = "2026112401"

SURVEY_COLUMNS = [
    "type", "name", f"label::{SV}", f"label::{EN}", f"hint::{SV}", f"hint::{EN}",
    "required", "relevant", "constraint", f"constraint_message::{SV}", f"constraint_message::{EN}",
    "default", "appearance",
]

# (type, name, label sv, label en, hint sv, hint en, required, relevant, constraint,
#  constraint message sv, constraint message en, default, appearance)
SURVEY = [
    ("start", "start", "", "", "", "", "", "", "", "", "", "", ""),
    ("end", "end", "", "", "", "", "", "", "", "", "", "", ""),
    ("dateTime", "visited_at", "Tidpunkt för besöket", "Time of the visit",
     "Ändra om du registrerar besöket i efterhand.", "Change it when you log the visit afterwards.",
     "yes", "", ". <= now()", "Tidpunkten kan inte ligga i framtiden.", "The time cannot be in the future.",
     "now()", ""),
    ("geopoint", "location", "Plats (GPS)", "Location (GPS)",
     "Stå vid platsen och vänta tills noggrannheten är under 20 m.",
     "Stand at the place and wait until the accuracy is below 20 m.",
     "", "", "", "", "", "", ""),
    ("text", "place_name", "Platsens namn", "Name of the place",
     "Platsens namn, t.ex. 'Tantolunden norra slänten'. Aldrig en persons namn.",
     "The place's name, e.g. 'Tantolunden norra slänten'. Never a person's name.",
     "${location} = ''", "", "", "", "", "", ""),
    ("select_one place_type", "place_type", "Typ av plats", "Type of place", "", "",
     "yes", "", "", "", "", "", ""),
    ("integer", "people", "Antal personer", "Number of people",
     "Personer som träffades eller sågs; 0 om ingen var där.",
     "People met or seen; 0 when nobody was there.",
     "yes", "", ". >= 0", "Antalet kan inte vara negativt.", "The number cannot be negative.", "", ""),
    ("integer", "children", "Varav barn", "Of whom children", "", "",
     "yes", "", ". >= 0 and . <= ${people}",
     "Antalet barn kan inte vara negativt eller fler än antalet personer.",
     "The number of children cannot be negative or more than the number of people.", "0", ""),
    ("select_one yes_no", "acute", "Akut behov?", "Acute need?",
     "Barn i utsatthet, gravid, svår missbruks- eller psykisk ohälsa, äldre eller funktionsnedsatta.",
     "Children at risk, pregnancy, severe addiction or mental illness, elderly or disabled people.",
     "yes", "", "", "", "", "", ""),
    ("select_one referral", "referred_to", "Hänvisad till", "Referred to", "", "",
     "yes", "${acute} = 'yes'", "", "", "", "", ""),
    ("text", "team", "Lag", "Team",
     "Lagets eller parets kod, t.ex. A eller B2. Aldrig ett namn.",
     "The team's or pair's code, e.g. A or B2. Never a name.",
     "", "", "regex(., '^[A-Za-z0-9_-]{1,12}$')",
     "Ange en kod utan mellanslag (högst 12 tecken), aldrig ett namn.",
     "Give a code without spaces (at most 12 characters), never a name.", "", ""),
    ("text", "notes", "Anteckning", "Notes",
     "Inga namn, personnummer, telefonnummer eller e-postadresser.",
     "No names, personal identity numbers, phone numbers or e-mail addresses.",
     "", "", "not(regex(., '[0-9]{6}[-+ ]?[0-9]{4}')) and not(contains(., '@'))",
     "Skriv inte personnummer eller e-postadresser i anteckningen.",
     "Do not write personal identity numbers or e-mail addresses in the notes.", "", "multiline"),
]

CHOICES_COLUMNS = ["list_name", "name", f"label::{SV}", f"label::{EN}"]
CHOICES = [
    ("place_type", "sovplats", "Sovplats", "Sleeping place"),
    ("place_type", "boplats", "Boplats", "Encampment"),
    ("place_type", "annan", "Annan", "Other"),
    ("yes_no", "yes", "Ja", "Yes"),
    ("yes_no", "no", "Nej", "No"),
    ("referral", "socialjouren", "Socialjouren", "Socialjouren (social emergency service)"),
    ("referral", "polis", "Polis", "Police"),
    ("referral", "varden", "Vården", "Healthcare"),
    ("referral", "annan", "Annan", "Other"),
    ("referral", "none", "Ingen hänvisning", "Not referred"),
]

SETTINGS_COLUMNS = ["form_title", "form_id", "version", "default_language", "allow_choice_duplicates"]
SETTINGS = [("Uppsök – besök", "uppsok_besok", FORM_VERSION, SV, "no")]


def build() -> Workbook:
    """The three XLSForm sheets, header row in bold."""
    book = Workbook()
    sheets = (("survey", SURVEY_COLUMNS, SURVEY), ("choices", CHOICES_COLUMNS, CHOICES),
              ("settings", SETTINGS_COLUMNS, SETTINGS))
    first = True
    for title, columns, rows in sheets:
        sheet = book.active if first else book.create_sheet()
        first = False
        sheet.title = title
        sheet.append(columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([value if value != "" else None for value in row])
        for letter, width in zip("ABCDEFGHIJKLM", (22, 14, 30, 30, 40, 40, 16, 18, 30, 30, 30, 12, 12)):
            sheet.column_dimensions[letter].width = width
    return book


def main(out: Path = OUT) -> int:
    out.parent.mkdir(parents=True, exist_ok=True)
    build().save(out)
    print(f"wrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
