"""Header matching for visits files (PRODUCT.md §3): English or Swedish, any case, with or
without accents, spaces, hyphens and underscores alike."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from geo.privacy import is_nationality_column

# Canonical column → accepted header spellings, already normalised (see `normalise_header`).
ALIASES: dict[str, tuple[str, ...]] = {
    "visit_id": ("visit_id", "besoks_id", "besoksid", "id"),
    # The version of a submission (a new one per edit): with it, an edited submission
    # replaces its stored visit instead of becoming a second one (geo.ingest).
    "version_id": ("version_id", "instance_id", "versions_id"),
    "visited_at": ("visited_at", "tidpunkt", "besokt", "datum_tid", "datetime", "timestamp"),
    "date": ("datum", "date", "besoksdatum"),
    "time": ("tid", "time", "klockslag", "besokstid"),
    "lat": ("lat", "latitude", "latitud"),
    "lon": ("lon", "lng", "long", "longitude", "longitud"),
    "northing": ("northing", "n", "nord", "nording"),
    "easting": ("easting", "e", "ost", "osting"),
    "place_id": ("place_id", "plats_id", "platsid"),
    "place_name": ("place_name", "plats", "platsnamn", "place"),
    "place_type": ("place_type", "typ", "platstyp", "kind", "type"),
    "people": ("people", "antal", "antal_personer", "personer"),
    "children": ("children", "barn", "antal_barn"),
    "acute": ("acute", "akut"),
    "referred_to": ("referred_to", "hanvisad", "hanvisning", "hanvisad_till", "referred"),
    "team": ("team", "lag"),
    "notes": ("notes", "note", "anteckning", "anteckningar", "kommentar", "kommentarer", "comment"),
}

_LOOKUP: dict[str, str] = {alias: canon for canon, aliases in ALIASES.items() for alias in aliases}

def normalise_header(header: str) -> str:
    """Lower case, accents folded (å→a, ö→o), runs of spaces/hyphens/dots → one underscore."""
    folded = unicodedata.normalize("NFKD", header.strip().lower())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    folded = re.sub(r"[\s\-./]+", "_", folded)
    return folded.strip("_")


@dataclass
class ColumnMapping:
    """Which source header feeds each canonical column, and what was left out."""

    columns: dict[str, str] = field(default_factory=dict)   # canonical → source header
    unknown: list[str] = field(default_factory=list)        # reported, not stored
    dropped: list[str] = field(default_factory=list)        # nationality: dropped with a notice
    repeated: list[str] = field(default_factory=list)       # a second header for the same column

    def has(self, canonical: str) -> bool:
        return canonical in self.columns


def map_headers(headers: list[str], overrides: dict[str, str] | None = None) -> ColumnMapping:
    """Match each source header to a canonical column; the first of two synonyms wins.

    `overrides` (canonical → header, e.g. from a saved profile) are applied first; a header
    they name that the file lacks raises ValueError with a sentence for the user. An empty
    header means "this file has no such column": no header is detected for it (a user
    unmapping a wrongly detected column on the import page).
    """
    mapping = ColumnMapping()
    taken: set[str] = set()
    blocked: set[str] = set()
    for canon, header in (overrides or {}).items():
        if canon not in ALIASES:
            raise ValueError(f"Okänd kolumn {canon!r} i mappningen. / Unknown column {canon!r} in the mapping.")
        if not header:
            blocked.add(canon)
            continue
        if header not in headers:
            raise ValueError(f"Filen saknar kolumnen {header!r}. / The file has no column {header!r}.")
        if is_nationality_column(header):
            continue  # never stored, whatever a mapping says (PRODUCT.md §6)
        mapping.columns[canon] = header
        taken.add(header)
    for header in headers:
        if header in taken:
            continue
        key = normalise_header(header)
        canon = _LOOKUP.get(key)
        if is_nationality_column(header):  # never stored (PRODUCT.md §6)
            mapping.dropped.append(header)
        elif canon is None or canon in blocked:
            mapping.unknown.append(header)
        elif canon in mapping.columns:
            (mapping.unknown if overrides and canon in overrides else mapping.repeated).append(header)
        else:
            mapping.columns[canon] = header
    return mapping


def name_key(name: str) -> str:
    """A place name folded for matching: lower case, no accents, single spaces."""
    folded = unicodedata.normalize("NFKD", name.strip().lower())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", folded)
