"""Import a visits file: every row ends imported, updated, duplicate or rejected (PRODUCT.md §3).

The work is set-based so that a million rows import in a few times DuckDB's own CSV read:
a reader loads the file as text into a temp table (geo.readers), one SQL pass parses dates,
numbers and codes, numpy checks coordinates (geo.coords owns their order and CRS) and the
service area (geo.areas), place references are resolved against known places, text fields
are scrubbed of identifiers (geo.privacy), and everything is written in one transaction:
a failure anywhere leaves the database as it was.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Callable, Collection
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from functools import wraps
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import duckdb
import numpy as np
import pandas as pd
import shapely

from shapely.geometry.base import BaseGeometry

from geo import areas, coords, localtime, privacy, readers, settings, shifts, store
from geo.columns import ColumnMapping, map_headers, name_key

FUTURE_TOLERANCE = timedelta(minutes=10)
# Older dates are typing errors, not visits: `0001-01-01`, or a two-digit year such as
# `02.11.26` read as year 26. A two-digit year is rejected, not guessed: Swedish short dates
# are yy-mm-dd, so it could be 2002-11-26 as well as 2026-11-02.
OLDEST_DATE = "2000-01-01"

# Reject reasons: code → (Swedish, English). `{value}` is the offending value, as read.
REASONS: dict[str, tuple[str, str]] = {
    "too_many_fields": ("raden har fler fält än rubrikraden", "the row has more fields than the header"),
    "too_few_fields": ("raden har färre fält än rubrikraden", "the row has fewer fields than the header"),
    "bad_quoting": ("ett citattecken i raden är inte avslutat", "a quote in the row is not closed"),
    "bad_text": ("raden innehåller tecken som inte är giltig text", "the row has characters that are not valid text"),
    "row_too_long": ("raden är för lång", "the row is too long"),
    "unreadable_row": ("raden kan inte läsas", "the row cannot be read"),
    "missing_date": ("datum och tid saknas", "the date and time are missing"),
    "bad_date": ("datumet '{value}' kan inte läsas (använd ÅÅÅÅ-MM-DD TT:MM)",
                 "the date '{value}' cannot be read (use YYYY-MM-DD HH:MM)"),
    "future_date": ("datumet '{value}' ligger i framtiden", "the date '{value}' is in the future"),
    "old_date": ("datumet '{value}' ligger före år 2000 (skriv året med fyra siffror)",
                 "the date '{value}' is before the year 2000 (write the year with four digits)"),
    "bad_coordinates": ("koordinaterna '{value}' är inte en plats i Sverige",
                        "the coordinates '{value}' are not a position in Sweden"),
    "outside_area": ("platsen {value} ligger {km} km utanför serviceområdet",
                     "the position {value} lies {km} km outside the service area"),
    "no_location": ("platsen saknas: ange plats, plats-id eller koordinater",
                    "no location: give a place, a place id or coordinates"),
    "unknown_place": ("platsen '{value}' är okänd och raden saknar koordinater",
                      "the place '{value}' is unknown and the row has no coordinates"),
    "bad_people": ("antalet personer '{value}' är inte ett heltal ≥ 0",
                   "the number of people '{value}' is not a whole number ≥ 0"),
    "bad_children": ("antalet barn '{value}' är inte ett heltal ≥ 0",
                     "the number of children '{value}' is not a whole number ≥ 0"),
    "children_exceed_people": ("fler barn ({value}) än personer", "more children ({value}) than people"),
    "bad_acute": ("akut '{value}' ska vara ja eller nej", "acute '{value}' must be yes or no"),
    "bad_kind": ("platstypen '{value}' är okänd (sovplats, boplats eller annan)",
                 "the place type '{value}' is unknown (sleeping place, encampment or other)"),
    "bad_referral": ("hänvisningen '{value}' är okänd (socialjouren, polis, vården, annan)",
                     "the referral '{value}' is unknown (socialjouren, police, healthcare, other)"),
}

# Which canonical column each reason is about (reported with the reject).
_REASON_COLUMN = {
    "missing_date": "visited_at", "bad_date": "visited_at", "future_date": "visited_at",
    "old_date": "visited_at",
    "bad_coordinates": "lat", "outside_area": "lat", "no_location": "place_name",
    "unknown_place": "place_name", "bad_people": "people", "bad_children": "children",
    "children_exceed_people": "children", "bad_acute": "acute", "bad_kind": "place_type",
    "bad_referral": "referred_to",
}

_KINDS_SQL = """CASE regexp_replace(strip_accents(lower(place_type)), '[\\s\\-]+', '_', 'g')
    WHEN 'sovplats' THEN 'sleeping_place' WHEN 'sleeping_place' THEN 'sleeping_place'
    WHEN 'sleeping' THEN 'sleeping_place' WHEN 'boplats' THEN 'encampment'
    WHEN 'encampment' THEN 'encampment' WHEN 'camp' THEN 'encampment' WHEN 'lager' THEN 'encampment'
    WHEN 'annan' THEN 'other' WHEN 'other' THEN 'other' WHEN 'ovrigt' THEN 'other' END"""

_REFERRAL_SQL = """CASE strip_accents(lower(referred_to))
    WHEN 'socialjouren' THEN 'socialjouren' WHEN 'polis' THEN 'polis' WHEN 'police' THEN 'polis'
    WHEN 'varden' THEN 'vården' WHEN 'healthcare' THEN 'vården' WHEN 'sjukvard' THEN 'vården'
    WHEN 'annan' THEN 'annan' WHEN 'other' THEN 'annan' END"""

_NO_REFERRAL = ("none", "ingen", "nej", "no", "-", "0")
_YES = ("ja", "j", "yes", "y", "true", "sant", "1", "x")
_NO = ("nej", "n", "no", "false", "falskt", "0")

_DATE_FORMATS = [
    "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H.%M", "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d", "%Y/%m/%d %H:%M", "%d/%m/%Y %H:%M", "%d.%m.%Y %H:%M", "%d/%m/%Y", "%d.%m.%Y",
]


class _DryRun(Exception):
    """Raised inside the transaction of a dry run so that it rolls back."""


class NotAVisitsFileError(ValueError):
    """The file lacks the columns a visits file must have; nothing was imported."""


@dataclass
class ImportSummary:
    """What happened to every row of one file."""

    import_id: str
    file_name: str
    rows: int = 0
    imported: int = 0
    updated: int = 0  # a new version of a stored submission replaced its visit
    duplicates: int = 0
    rejected: int = 0
    new_places: int = 0
    swapped_coordinates: int = 0
    sweref_rows: int = 0
    date_only_rows: int = 0
    cp1252_rows: int = 0   # lines of a mostly UTF-8 file decoded as Windows-1252 (a mixed file)
    removed_identifiers: dict[str, int] = field(default_factory=dict)
    unknown_columns: list[str] = field(default_factory=list)
    dropped_columns: list[str] = field(default_factory=list)
    column_mapping: dict[str, str] = field(default_factory=dict)
    reject_reasons: dict[str, int] = field(default_factory=dict)
    # Name variants joined to a place of their kind within the matching radius:
    # {"name": as in the file, "place": the place's name, "place_id", "distance_m"}.
    place_matches: list[dict[str, Any]] = field(default_factory=list)
    metadata_columns: list[str] = field(default_factory=list)   # the app's own, dropped unread
    skipped_tables: dict[str, int] = field(default_factory=dict)  # repeat tables of a .csv.zip: rows

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _one_at_a_time(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run under the database's write lock (store.write_lock): two sessions importing the
    same file at once must end as one import and one of duplicates, never as doubled visits.
    The lock covers place resolution too, which also reads what is stored before writing."""
    @wraps(func)
    def locked(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        cur = args[0] if args else kwargs["cur"]
        with store.write_lock(cur):  # type: ignore[arg-type]
            return func(*args, **kwargs)
    return locked


@_one_at_a_time
def import_file(
    cur: duckdb.DuckDBPyConnection,
    path: str | Path,
    *,
    actor: str = "cli",
    now: datetime | None = None,
    radius_m: float | None = None,
    file_name: str | None = None,
    columns: dict[str, str] | None = None,
    values: dict[str, dict[str, str]] | None = None,
    metadata: Collection[str] = (),
    dry_run: bool = False,
) -> ImportSummary:
    """Import one visits file; raises NotAVisitsFileError/UnreadableFileError before writing.

    The matching radius (`radius_m`, default: the setting) and the service area come from the
    database's settings, so every import path follows the same rules.
    `columns` (canonical → source header) overrides the detected mapping, as a saved profile
    or a user's correction on the import page does. `dry_run` does every step, counts
    included, then rolls back: `row_outcomes(cur)` shows what each row would become.
    `values` ({canonical: {label (case folded): name}}, from the form, geo.profiles) turns a
    form's choice labels back into its choice names; `metadata` headers (the field app's
    own columns) are never read.
    """
    path = Path(path)
    now = now or store.utcnow()
    raw = readers.load(cur, path, drop=metadata)  # refuses a missing or unreadable file first
    file_bytes_hash = raw.sha256
    import_id = _new_import_id(cur, now, file_bytes_hash)
    # The file name is file text too ("besök 850709-9805.csv"): scrubbed before it is shown,
    # stored in the history or written to the audit.
    shown_name, name_counts = privacy.scrub(file_name or path.name)
    summary = ImportSummary(import_id=import_id, file_name=shown_name)
    try:
        mapping = map_headers(raw.headers, overrides=columns)
    except ValueError as exc:
        raise NotAVisitsFileError(privacy.scrub(str(exc))[0]) from None
    _require_columns(mapping, shown_name)
    summary.unknown_columns = mapping.unknown + mapping.repeated
    summary.dropped_columns = mapping.dropped
    summary.column_mapping = dict(mapping.columns)
    summary.metadata_columns = [h for h in metadata if h]
    # A repeat table's name is a zip member's file name, file text too.
    for name, rows in raw.skipped_tables.items():  # two names may scrub alike: rows add up
        shown_table = privacy.scrub(name)[0]
        summary.skipped_tables[shown_table] = summary.skipped_tables.get(shown_table, 0) + rows

    try:
        _stage(cur, raw.name, mapping, values or {})
        _parse(cur, now)
        raw.finish(cur, "typed")  # a CSV is read here, once, straight into `typed`
    except (duckdb.InvalidInputException, duckdb.ConversionException, readers.RowCountMismatch):
        if not raw.lazy:
            raise
        # DuckDB's reader refused the file or lost count of its rows: split it in Python.
        raw = readers.load(cur, path, drop=metadata, careful=True)
        _stage(cur, raw.name, mapping, values or {})
        _parse(cur, now)
    summary.rows = raw.rows
    summary.cp1252_rows = raw.cp1252_lines
    summary.date_only_rows = _scalar(cur, "SELECT count(*) FROM typed WHERE date_only AND utc_ts IS NOT NULL")
    counts = _scrub_text(cur)
    counts.add(name_counts)
    _scrub_headers(summary, counts)
    _check_coordinates(cur, summary, areas.effective_service_area(cur))
    _classify(cur, now)
    matches = _resolve_places(cur, settings.match_radius_m(cur) if radius_m is None else radius_m, now, import_id)
    _hash_and_dedupe(cur)

    clean_lines: list[str] = []
    for reject in raw.rejects:  # rows the reader could not split are kept too, scrubbed
        line, line_counts = privacy.scrub(reject.line)
        counts.add(line_counts)
        clean_lines.append(line)
    reader_rejects = pd.DataFrame(
        {"_row": [r.row for r in raw.rejects], "reason": [r.code for r in raw.rejects], "line": clean_lines},
    ).astype({"_row": "int32", "reason": "string", "line": "string"})

    _rejected_cells(cur, counts)
    _annotate(cur, summary.column_mapping, reader_rejects)
    summary.removed_identifiers = {
        "personal_ids": counts.personal_ids, "phones": counts.phones, "emails": counts.emails,
    }
    try:
        with store.transaction(cur):
            _write(cur, summary, actor, now, file_bytes_hash, matches)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass  # everything rolled back; the temp tables behind `row_outcomes` stay for the preview
    return summary


def _new_import_id(cur: duckdb.DuckDBPyConnection, now: datetime, file_hash: str) -> str:
    """Readable and unique: time of import, file hash prefix, a counter if both repeat."""
    base = f"imp-{now:%Y%m%d-%H%M%S}-{file_hash[:6]}"
    taken = {r[0] for r in cur.execute("SELECT import_id FROM imports WHERE import_id LIKE ?", [base + "%"]).fetchall()}
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _scalar(cur: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> int:
    row = cur.execute(sql, params or []).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def _require_columns(mapping: ColumnMapping, name: str) -> None:
    has_time = mapping.has("visited_at") or mapping.has("date")
    has_where = (
        (mapping.has("lat") and mapping.has("lon"))
        or (mapping.has("northing") and mapping.has("easting"))
        or mapping.has("place_id") or mapping.has("place_name")
    )
    if not has_time or not has_where:
        missing = [] if has_time else ["visited_at/datum"]
        missing += [] if has_where else ["lat+lon, northing+easting, place_id eller/or place_name"]
        raise NotAVisitsFileError(
            f"{name} är ingen besöksfil: kolumn saknas ({'; '.join(missing)}). / "
            f"{name} is not a visits file: missing column ({'; '.join(missing)})."
        )


def _text(mapping: ColumnMapping, canonical: str) -> str:
    """SQL for a source column as trimmed text, NULL when empty or absent."""
    header = mapping.columns.get(canonical)
    if header is None:
        return "NULL::VARCHAR"
    quoted = '"' + header.replace('"', '""') + '"'
    # trim() copies every string; most cells have no surrounding spaces, so test for them
    # first (two cheap pattern tests): the same result as nullif(trim(x), '') at a third of the cost.
    cell = f"CASE WHEN {quoted} LIKE ' %' OR {quoted} LIKE '% ' THEN nullif(trim({quoted}), '') ELSE nullif({quoted}, '') END"
    # The apostrophe our own CSV exports put before a cell a spreadsheet would evaluate
    # (geo.exports: "'- sov under bron", "'-17") is taken off again, so the fix-and-re-import
    # loop stores the note as written and the id still finds its visit.
    return (f"CASE WHEN {quoted} LIKE '''__%' AND regexp_matches({quoted}, '(?s)^''[-=+@\\t\\r].') "
            f"THEN nullif(trim(substr({quoted}, 2)), '') ELSE {cell} END")


def _choice(sql: str, labels: dict[str, str]) -> str:
    """SQL: a cell whose case-folded text is one of a form's choice labels becomes the choice name."""
    if not labels:
        return sql
    pairs = ", ".join(f"'{k.replace(chr(39), chr(39) * 2)}': '{v.replace(chr(39), chr(39) * 2)}'"
                      for k, v in labels.items())
    return f"coalesce(MAP {{{pairs}}}[lower({sql})], {sql})"


def _stage(cur: duckdb.DuckDBPyConnection, table: str, mapping: ColumnMapping,
           values: dict[str, dict[str, str]] | None = None) -> None:
    """Rename the source columns to canonical ones; date and time in two columns are joined;
    a form's choice labels become its choice names."""
    if mapping.has("visited_at"):
        ts = _text(mapping, "visited_at")
    else:
        ts = f"nullif(concat_ws(' ', {_text(mapping, 'date')}, {_text(mapping, 'time')}), '')"
    canon = [
        "visit_id", "version_id", "lat", "lon", "northing", "easting", "place_id", "place_name", "place_type",
        "people", "children", "acute", "referred_to", "team", "notes",
    ]
    selects = ", ".join(f"{_choice(_text(mapping, c), (values or {}).get(c, {}))} AS {c}" for c in canon)
    cur.execute(f"CREATE OR REPLACE TEMP VIEW staged AS SELECT _row, {ts} AS ts_text, {selects} FROM {table}")


def _parse(cur: duckdb.DuckDBPyConnection, now: datetime) -> None:
    """One SQL pass: timestamps to naive UTC, numbers, yes/no, kinds and referrals."""
    # No pre-scan for the years present (a CSV is a view read once): holidays for a wide
    # range, summer time for recent years, newest first; other years fall back to ICU.
    cur.execute("CREATE OR REPLACE TEMP TABLE holidays (day DATE)")
    cur.execute("INSERT INTO holidays SELECT unnest(?::DATE[])", [shifts.holiday_dates(2000, now.year + 1)])
    formats = "[" + ", ".join(f"'{f}'" for f in _DATE_FORMATS) + "]"
    periods = localtime.summer_time_periods(now.year - 6, now.year + 1)[::-1]
    # Cheap tests first: the regular expressions run only on the cells that need them (a CASE
    # evaluates its THEN only on the rows that reach it; AND/OR in a projection evaluate both sides).
    has_offset = (r"CASE WHEN suffix(ts_text, 'Z') OR contains(ts_text, '+') OR length(ts_text) > 16 THEN "
                  r"regexp_matches(ts_text, '\d[ T]?\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-](0\d|1[0-4])(:?[0-5]\d)?)$') "
                  r"ELSE FALSE END")
    time_given = (r"CASE WHEN contains(ts_text, ':') THEN TRUE "
                  r"ELSE regexp_matches(coalesce(ts_text, ''), '[ T]\d{1,2}[:.]\d{2}') END")
    cur.execute(
        f"""CREATE OR REPLACE TEMP VIEW parsed AS
        WITH flagged AS (
            SELECT *, {has_offset} AS has_offset, {time_given} AS time_given
            FROM staged
        ), local AS (
            SELECT *, CASE WHEN NOT has_offset THEN
                          try_strptime(replace(ts_text, 'T', ' '), {formats})
                          + CASE WHEN time_given THEN INTERVAL 0 HOUR ELSE INTERVAL 12 HOUR END
                      END AS local_parsed,
                      CASE WHEN has_offset THEN timezone('UTC', TRY_CAST(ts_text AS TIMESTAMPTZ)) END AS utc_given
            FROM flagged
        )
        SELECT * EXCLUDE (has_offset, time_given, local_parsed, utc_given),
            NOT time_given AS date_only,
            CASE WHEN has_offset THEN utc_given ELSE {localtime.to_utc_sql('local_parsed', periods)} END AS utc_ts,
            CASE WHEN has_offset THEN {localtime.to_local_sql('utc_given', periods)} ELSE local_parsed END AS local_ts,
            TRY_CAST(replace(lat, ',', '.') AS DOUBLE) AS lat_num,
            TRY_CAST(replace(lon, ',', '.') AS DOUBLE) AS lon_num,
            TRY_CAST(replace(replace(northing, ',', '.'), ' ', '') AS DOUBLE) AS n_num,
            TRY_CAST(replace(replace(easting, ',', '.'), ' ', '') AS DOUBLE) AS e_num,
            {_count_sql('people')} AS people_num,
            {_count_sql('children')} AS children_num,
            CASE WHEN acute IS NULL THEN NULL
                 WHEN lower(acute) IN {_YES} THEN TRUE
                 WHEN lower(acute) IN {_NO} THEN FALSE END AS acute_bool,
            CASE place_type WHEN 'sovplats' THEN 'sleeping_place' WHEN 'boplats' THEN 'encampment'
                            WHEN 'annan' THEN 'other' WHEN 'sleeping_place' THEN 'sleeping_place'
                            WHEN 'encampment' THEN 'encampment' WHEN 'other' THEN 'other'
                            ELSE CASE WHEN place_type IS NULL THEN NULL ELSE {_KINDS_SQL} END END AS kind,
            CASE WHEN referred_to IS NULL OR lower(referred_to) IN {_NO_REFERRAL} THEN NULL
                 ELSE {_REFERRAL_SQL} END AS referral
        FROM local"""
    )
    # Projections of the file only, no join (the shift's holiday lookup is one; it runs in
    # _hash_and_dedupe): a CSV's rows are numbered by their order in this table (readers.RawTable.finish).
    cur.execute(
        """CREATE OR REPLACE TEMP TABLE typed AS
        SELECT *, (lat IS NOT NULL OR lon IS NOT NULL OR northing IS NOT NULL OR easting IS NOT NULL) AS coord_given
        FROM parsed"""
    )


MAX_COUNT = 10_000  # more people than this at one visit is a typing error, not a count


def _count_sql(column: str) -> str:
    """SQL: a count cell as INTEGER, NULL unless a whole number from 0 to MAX_COUNT ("3", "3,0")."""
    number = f"TRY_CAST(replace({column}, ',', '.') AS DOUBLE)"
    return (f"CASE WHEN isfinite({number}) AND {number} >= 0 AND {number} <= {MAX_COUNT} "
            f"AND {number} = floor({number}) THEN {number}::INTEGER END")


def _check_coordinates(cur: duckdb.DuckDBPyConnection, summary: ImportSummary, area: BaseGeometry) -> None:
    """Coordinates to WGS84 (SWEREF 99 TM detected, swaps corrected), then the service area."""
    arr = cur.execute("SELECT _row, lat_num, lon_num, n_num, e_num, coord_given FROM typed").fetchnumpy()
    lat_in, lon_in = _floats(arr["lat_num"]), _floats(arr["lon_num"])
    lat, lon, swapped, valid = coords.wgs84_arrays(lat_in, lon_in)
    sweref = np.zeros(len(lat), dtype=bool)
    # Rows not valid as WGS84: SWEREF 99 TM from northing/easting, or from lat/lon columns
    # holding SWEREF numbers (GIS exports sometimes name them so).
    for n_in, e_in in ((_floats(arr["n_num"]), _floats(arr["e_num"])), (lat_in, lon_in)):
        todo = np.flatnonzero(~valid & ~np.isnan(n_in) & ~np.isnan(e_in))
        if len(todo):
            s_lat, s_lon, s_swap, s_ok = coords.sweref_arrays_to_wgs84(n_in[todo], e_in[todo])
            hit = todo[s_ok]
            lat[hit], lon[hit], swapped[hit], valid[hit], sweref[hit] = s_lat[s_ok], s_lon[s_ok], s_swap[s_ok], True, True
    given = np.asarray(arr["coord_given"], dtype=bool)
    inside = np.zeros(len(lat), dtype=bool)
    inside[valid] = areas.in_service_area_array(lat[valid], lon[valid], area)
    summary.swapped_coordinates = int((swapped & valid & given).sum())
    summary.sweref_rows = int((sweref & given).sum())
    km_outside = np.full(len(lat), np.nan)
    outside = np.flatnonzero(valid & ~inside & given)
    km_outside[outside] = areas.km_outside_array(lat[outside], lon[outside], area)  # for the reject reason
    coord_valid, in_area = valid & given, inside & given
    # Most rows keep their coordinates as given: valid WGS84 in latitude, longitude order,
    # inside the area (or no coordinates at all). Only the other rows (swapped, SWEREF,
    # invalid, outside) go back to SQL, as a small table that `checked` joins by row
    # number; the rest take their values from `typed`, so no million-row join is needed.
    as_given = (_same(lat, lat_in) & _same(lon, lon_in) & (coord_valid == given) & (in_area == given)
                & np.isnan(km_outside))
    other = np.flatnonzero(~as_given)
    geo_df = pd.DataFrame({"_row": arr["_row"][other], "wlat": lat[other], "wlon": lon[other],
                           "km_outside": km_outside[other], "coord_valid": coord_valid[other],
                           "in_area": in_area[other]})
    cur.register("geo_df", geo_df)
    cur.execute("CREATE OR REPLACE TEMP TABLE geo AS SELECT * FROM geo_df")
    cur.unregister("geo_df")
    cur.execute(
        """CREATE OR REPLACE TEMP VIEW checked AS
        SELECT t.*,
               CASE WHEN g._row IS NULL THEN t.lat_num ELSE g.wlat END AS wlat,
               CASE WHEN g._row IS NULL THEN t.lon_num ELSE g.wlon END AS wlon,
               g.km_outside,
               CASE WHEN g._row IS NULL THEN t.coord_given ELSE g.coord_valid END AS coord_valid,
               CASE WHEN g._row IS NULL THEN t.coord_given ELSE g.in_area END AS in_area
        FROM typed t LEFT JOIN geo g ON g._row = t._row"""
    )


def _same(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Elementwise equal, NaN equal to NaN."""
    return (a == b) | (np.isnan(a) & np.isnan(b))


def _floats(values: Any) -> np.ndarray:
    """A DuckDB numpy column (possibly masked) as floats with NaN for NULL."""
    return np.ma.filled(np.ma.asarray(values, dtype=float), np.nan)


def _classify(cur: duckdb.DuckDBPyConnection, now: datetime) -> None:
    """The first rule a row breaks becomes its reason (NULL = the row is acceptable)."""
    cur.execute(
        """CREATE OR REPLACE TEMP VIEW classified AS
        SELECT *, CASE
            WHEN ts_text IS NULL THEN 'missing_date'
            WHEN utc_ts IS NULL THEN 'bad_date'
            WHEN utc_ts > '{future}'::TIMESTAMP THEN 'future_date'
            WHEN local_ts < TIMESTAMP '{oldest}' OR utc_ts < TIMESTAMP '{oldest}' - INTERVAL 1 DAY THEN 'old_date'
            WHEN coord_given AND NOT coord_valid THEN 'bad_coordinates'
            WHEN coord_valid AND NOT in_area THEN 'outside_area'
            WHEN NOT coord_given AND place_id IS NULL AND place_name IS NULL THEN 'no_location'
            WHEN people IS NOT NULL AND people_num IS NULL THEN 'bad_people'
            WHEN children IS NOT NULL AND children_num IS NULL THEN 'bad_children'
            WHEN children_num > coalesce(people_num, children_num) THEN 'children_exceed_people'
            WHEN acute IS NOT NULL AND acute_bool IS NULL THEN 'bad_acute'
            WHEN place_type IS NOT NULL AND kind IS NULL THEN 'bad_kind'
            WHEN referred_to IS NOT NULL AND lower(referred_to) NOT IN {none} AND referral IS NULL THEN 'bad_referral'
        END AS reason
        FROM checked""".format(future=(now + FUTURE_TOLERANCE).isoformat(sep=" "), none=_NO_REFERRAL, oldest=OLDEST_DATE)
    )


def _resolve_places(
    cur: duckdb.DuckDBPyConnection, radius_m: float, now: datetime, import_id: str,
) -> list[dict[str, Any]]:
    """Give every acceptable row a place: by id, by name, by nearest of its kind, or a new one;
    returns the name variants that joined a place within the radius (ImportSummary.place_matches).

    Ids and names are resolved once per distinct value (SQL groups the rows), so a million
    rows naming two thousand places cost two thousand Python steps, not a million.
    """
    first = """arg_min(wlat, _row) FILTER (WHERE coord_valid) AS wlat,
               arg_min(wlon, _row) FILTER (WHERE coord_valid) AS wlon,
               arg_min(kind, _row) FILTER (WHERE coord_valid) AS kind,
               bool_or(coord_valid) AS coord_valid, min(_row) AS first_row"""
    ids = cur.execute(
        f"""SELECT place_id, arg_min(place_name, _row) FILTER (WHERE coord_valid) AS place_name, {first}
            FROM classified WHERE reason IS NULL AND place_id IS NOT NULL GROUP BY place_id ORDER BY first_row"""
    ).df()
    names = cur.execute(
        f"""SELECT place_name, {first}
            FROM classified WHERE reason IS NULL AND place_id IS NULL AND place_name IS NOT NULL
            GROUP BY place_name ORDER BY first_row"""
    ).df()
    points = cur.execute(
        """SELECT _row, kind, wlat, wlon FROM classified
           WHERE reason IS NULL AND place_id IS NULL AND place_name IS NULL AND coord_valid ORDER BY _row"""
    ).df()
    known = cur.execute("SELECT place_id, name, name_key, kind, lat, lon FROM places WHERE cleared_at IS NULL").df()
    merged = cur.execute(
        """SELECT m.merged_place_id, m.kept_place_id, p.name_key FROM place_merges m
           JOIN places p ON p.place_id = m.merged_place_id WHERE m.undone_at IS NULL"""
    ).fetchall()
    kept = {old: new for old, new, _ in merged}
    aliases = {old: _follow(kept, old) for old in kept}
    alias_names = {key: aliases[old] for old, _, key in merged}
    cleared = [r[0] for r in cur.execute("SELECT place_id FROM places WHERE cleared_at IS NOT NULL").fetchall()]
    resolver = _PlaceResolver(known, radius_m, aliases, alias_names, cleared)
    id_df, name_df, point_df = resolver.resolve(ids, names, points)
    for name, frame in (("id_df", id_df), ("name_df", name_df), ("point_df", point_df)):
        cur.register(name, frame)
    cur.execute(
        """CREATE OR REPLACE TEMP VIEW placed AS
        SELECT c.* EXCLUDE (reason),
               CASE WHEN c.reason IS NULL AND coalesce(i.resolved, n.resolved, p.resolved) IS NULL
                    THEN 'unknown_place' ELSE c.reason END AS reason,
               coalesce(i.resolved, n.resolved, p.resolved) AS resolved_place
        FROM classified c
        LEFT JOIN id_df i ON i.place_id = c.place_id
        LEFT JOIN name_df n ON c.place_id IS NULL AND n.place_name = c.place_name
        LEFT JOIN point_df p ON p._row = c._row"""
    )
    new = resolver.new_places_frame(now, import_id)
    cur.register("new_df", new)
    cur.execute("CREATE OR REPLACE TEMP TABLE new_places AS SELECT * FROM new_df")
    cur.unregister("new_df")
    return resolver.matches


def _follow(kept: dict[str, str], place_id: str) -> str:
    """The place a merged place now lives on (a merge of a merge leads further)."""
    seen = {place_id}
    while place_id in kept and kept[place_id] not in seen:
        place_id = kept[place_id]
        seen.add(place_id)
    return place_id


class _PlaceResolver:
    """Matches rows to known places, creating (and then reusing) new ones where none fits.

    Matching by id and by name is vectorised (one dictionary lookup per distinct value), so
    a million rows that name a few thousand places cost a few thousand Python steps.
    """

    def __init__(self, known: pd.DataFrame, radius_m: float, aliases: dict[str, str] | None = None,
                 alias_names: dict[str, str] | None = None, cleared_ids: list[str] | None = None) -> None:
        self.radius_m = radius_m
        self.by_id: dict[str, str] = {pid: pid for pid in known["place_id"]}
        self.by_name: dict[str, str] = {}
        for pid, key in zip(known["place_id"], known["name_key"]):
            self.by_name.setdefault(key, pid)
        active = set(self.by_id)
        for alias, pid in (aliases or {}).items():  # merged places: their id and name lead to the kept place
            self.by_id.setdefault(alias, pid)
        for key, pid in (alias_names or {}).items():
            if pid in active:
                self.by_name.setdefault(key, pid)
        for pid in cleared_ids or []:  # an id is an id: a visit to a cleared place is recorded there
            self.by_id.setdefault(pid, pid)
        self.known = known
        self.names: dict[str, str] = dict(zip(known["place_id"], known["name"])) if "name" in known else {}
        self.matches: list[dict[str, Any]] = []   # name variants joined to a place within the radius
        self.new: list[dict[str, Any]] = []
        self._grid: dict[tuple[str, int, int], list[int]] = {}   # new places by kind and cell

    def resolve(
        self, ids: pd.DataFrame, names: pd.DataFrame, points: pd.DataFrame
    ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """Distinct ids → place, distinct names → place, coordinate-only rows → place.

        Unknown ids and names become new places when the file gives coordinates for them
        (their first row with valid coordinates); otherwise they stay unresolved (NULL).
        """
        id_out: list[str | None] = []
        for row in ids.itertuples(index=False):
            pid = self.by_id.get(row.place_id)
            if pid is None and row.coord_valid:
                pid = self._create(row, place_id=str(row.place_id))
            id_out.append(pid)
        name_out = self._resolve_names(names)
        point_out: list[str] = []
        if len(points):
            nearest, _ = self._nearest_known(points)
            pn, pe = coords.to_sweref(points["wlat"].to_numpy(float), points["wlon"].to_numpy(float))
            for row, found, n, e in zip(points.itertuples(index=False), nearest, pn, pe):
                point_out.append(found or self._nearest_new(row, n, e) or self._create(row, at=(n, e)))
        return (
            pd.DataFrame({"place_id": ids["place_id"].astype("string"), "resolved": pd.array(id_out, dtype="string")}),
            pd.DataFrame({"place_name": names["place_name"].astype("string"),
                          "resolved": pd.array(name_out, dtype="string")}),
            pd.DataFrame({"_row": points["_row"].astype("int32"), "resolved": pd.array(point_out, dtype="string")}),
        )

    def _resolve_names(self, names: pd.DataFrame) -> list[str | None]:
        """Distinct names → place: the same name (normalised) first, as the team writes it;
        else, when the name comes with coordinates, the nearest place of its kind within the
        radius, known or created by this import, so that a variant ("Tantolunden – slänten")
        does not split one place in two; else a new place. Each variant match is recorded.
        """
        out: list[str | None] = []
        pending: list[int] = []
        for i, row in enumerate(names.itertuples(index=False)):
            pid = self.by_name.get(name_key(str(row.place_name)))
            out.append(pid)
            if pid is None and row.coord_valid:
                pending.append(i)
        if not pending:
            return out
        rows = names.iloc[pending]
        nearest, dist = self._nearest_known(rows)  # vectorised: one tree query per kind
        pn, pe = coords.to_sweref(rows["wlat"].to_numpy(float), rows["wlon"].to_numpy(float))
        for i, row, found, d, n, e in zip(pending, rows.itertuples(index=False), nearest, dist, pn, pe):
            same = self.by_name.get(name_key(str(row.place_name)))  # "TANTOLUNDEN" after "Tantolunden", new
            if same is not None:
                out[i] = same
                continue
            if found is None:
                found, d = self._nearest_new(row, n, e, with_distance=True) or (None, None)
            if found is None:
                out[i] = self._create(row, at=(n, e))
                continue
            out[i] = found
            self.matches.append({"name": str(row.place_name), "place": self.names.get(found, found),
                                 "place_id": found, "distance_m": int(round(float(d)))})
        return out

    def _nearest_known(self, rows: pd.DataFrame) -> tuple[list[str | None], list[float | None]]:
        """Nearest known place within the radius, of the row's kind (any kind when none is
        given), and its distance in metres."""
        result: list[str | None] = [None] * len(rows)
        distance: list[float | None] = [None] * len(rows)
        if not len(self.known):
            return result, distance
        kn, ke = coords.to_sweref(self.known["lat"].to_numpy(), self.known["lon"].to_numpy())
        rn, re_ = coords.to_sweref(rows["wlat"].to_numpy(float), rows["wlon"].to_numpy(float))
        known_kind = self.known["kind"].to_numpy()
        row_kind = rows["kind"].astype("object").to_numpy()
        for kind in pd.unique(row_kind):
            is_none = kind is None or pd.isna(kind)
            idx = np.flatnonzero(pd.isna(row_kind) if is_none else row_kind == kind)
            cand = np.arange(len(known_kind)) if is_none else np.flatnonzero(known_kind == kind)
            if not len(cand) or not len(idx):
                continue
            tree = shapely.STRtree(shapely.points(ke[cand], kn[cand]))
            found, dists = tree.query_nearest(shapely.points(re_[idx], rn[idx]), max_distance=self.radius_m,
                                              all_matches=False, return_distance=True)
            for qi, ti, d in zip(found[0], found[1], dists):
                result[idx[qi]] = str(self.known["place_id"].iloc[cand[ti]])
                distance[idx[qi]] = float(d)
        return result, distance

    def _cell(self, n: float, e: float) -> tuple[int, int]:
        return int(n // self.radius_m), int(e // self.radius_m)

    def _nearest_new(self, row: Any, n: float, e: float, with_distance: bool = False) -> Any:
        """A place this import already created within the radius (same kind, or any);
        with `with_distance`, (place, metres) or None."""
        kind = None if pd.isna(row.kind) else row.kind
        cn, ce = self._cell(n, e)
        best, best_d = None, self.radius_m
        for k in ([kind] if kind is not None else list({p["kind"] for p in self.new})):
            for dn in (-1, 0, 1):
                for de in (-1, 0, 1):
                    for i in self._grid.get((k, cn + dn, ce + de), []):
                        d = float(np.hypot(self.new[i]["_n"] - n, self.new[i]["_e"] - e))
                        if d <= best_d:
                            best, best_d = self.new[i]["place_id"], d
        if with_distance:
            return None if best is None else (best, best_d)
        return best

    def _create(self, row: Any, place_id: str | None = None, at: tuple[float, float] | None = None) -> str:
        """A new place from a row; `at` is its SWEREF (northing, easting) when already known."""
        kind = "other" if pd.isna(row.kind) else str(row.kind)
        place_name = getattr(row, "place_name", None)
        has_name = place_name is not None and not pd.isna(place_name)
        # Names and ids were scrubbed in `typed` already (_scrub_text).
        name = str(place_name) if has_name else place_id or f"{row.wlat:.5f}, {row.wlon:.5f}"
        if place_id is None:
            digest = hashlib.sha1(f"{kind}|{name_key(name)}|{row.wlat:.5f}|{row.wlon:.5f}".encode()).hexdigest()
            place_id = f"p-{digest[:12]}"
        n, e = at or (float(v[0]) for v in coords.to_sweref(np.array([row.wlat]), np.array([row.wlon])))
        self.names[place_id] = name
        self.new.append({"place_id": place_id, "name": name, "name_key": name_key(name), "kind": kind,
                         "lat": float(row.wlat), "lon": float(row.wlon), "_n": n, "_e": e})
        self._grid.setdefault((kind, *self._cell(n, e)), []).append(len(self.new) - 1)
        self.by_id[place_id] = place_id
        self.by_name.setdefault(name_key(name), place_id)
        return place_id

    def new_places_frame(self, now: datetime, import_id: str) -> pd.DataFrame:
        cols = ["place_id", "name", "name_key", "kind", "lat", "lon"]
        frame = pd.DataFrame(self.new, columns=cols + ["_n", "_e"])[cols]
        frame["created_at"] = pd.Series([now] * len(frame), dtype="datetime64[us]")
        frame["cleared_at"] = pd.Series([pd.NaT] * len(frame), dtype="datetime64[us]")
        frame["import_id"] = import_id
        return frame


# Cells that might hold an identifier: geo.privacy's own prefilter (a superset of what its
# scrubber removes, derived from the same normalisation and finders). Only these cells go
# through Python, so a million clean rows cost one SQL pass.
IDENTIFIER_HINT = privacy.PREFILTER_SQL
_TEXT_COLUMNS = ("notes", "team", "place_name")   # scrubbed in place
_ID_COLUMNS = ("visit_id", "version_id", "place_id")            # replaced by a keyed hash when they hold an identifier
# The cells of a row as read that `typed` keeps unscrubbed (parsed, not stored): a rejected
# row gives them back in its reason and `raw`, so they are scrubbed for rejected rows only.
_READ_ONLY_COLUMNS = ("ts_text", "lat", "lon", "northing", "easting", "place_type", "people", "children",
                      "acute", "referred_to")


def _scrub_text(cur: duckdb.DuckDBPyConnection) -> privacy.ScrubCounts:
    """Remove identifiers from every stored text cell of `typed` before anything uses it.

    Free text loses the identifier itself; an id column that holds one (a personnummer used
    as a visit id, say) is replaced by a keyed hash, so that re-imports still recognise it
    but the number cannot be read back or guessed from the database.
    """
    counts = privacy.ScrubCounts()
    _scrub_table(cur, "typed", "_row", _TEXT_COLUMNS + _ID_COLUMNS, counts, hashed=_ID_COLUMNS)
    return counts


def _scrub_table(
    cur: duckdb.DuckDBPyConnection, table: str, key: str, columns: tuple[str, ...],
    counts: privacy.ScrubCounts, *, hashed: tuple[str, ...] = (),
) -> None:
    """Scrub `columns` of temp `table` in place: only cells matching IDENTIFIER_HINT go
    through geo.privacy; `hashed` columns get a keyed hash instead; removals are added to `counts`."""
    assert "'" not in IDENTIFIER_HINT  # inlined as a constant, so RE2 compiles it once
    hint = " OR ".join(f"regexp_matches(coalesce({c}, ''), '{IDENTIFIER_HINT}')" for c in columns)
    suspects = cur.execute(f"SELECT {key}, {', '.join(columns)} FROM {table} WHERE {hint}").fetchall()
    if not suspects:
        return
    secret = _id_secret(cur) if hashed else b""
    fixed: list[tuple[Any, ...]] = []
    for key_value, *values in suspects:
        clean: list[str | None] = []
        for column, value in zip(columns, values):
            if value is None or not privacy.might_contain_identifier(value):  # matched on another cell
                clean.append(value)
                continue
            scrubbed, found = privacy.scrub(value)
            counts.add(found)
            if found.total() and column in hashed:
                scrubbed = "x:" + hmac.new(secret, value.encode(), hashlib.sha256).hexdigest()[:24]
            clean.append(scrubbed)
        fixed.append((key_value, *clean))
    frame = pd.DataFrame(fixed, columns=[key, *columns]).astype({c: "string" for c in columns})
    cur.register("scrubbed_df", frame)
    sets = ", ".join(f"{c} = f.{c}" for c in columns)
    cur.execute(f"UPDATE {table} SET {sets} FROM scrubbed_df f WHERE {table}.{key} = f.{key}")
    cur.unregister("scrubbed_df")


def _scrub_headers(summary: ImportSummary, counts: privacy.ScrubCounts) -> None:
    """Header names are file text too: the summary (stored with the import) gets them scrubbed."""
    def clean(header: str) -> str:
        scrubbed, found = privacy.scrub(header)
        counts.add(found)
        return scrubbed

    summary.unknown_columns = [clean(h) for h in summary.unknown_columns]
    summary.dropped_columns = [clean(h) for h in summary.dropped_columns]
    summary.column_mapping = {canon: clean(h) for canon, h in summary.column_mapping.items()}


def _id_secret(cur: duckdb.DuckDBPyConnection) -> bytes:
    """This database's key for hashing ids that held identifiers (made once, kept in meta)."""
    secret = store.get_meta(cur, "id_secret")
    if secret is None:
        secret = secrets.token_hex(32)
        store.set_meta(cur, "id_secret", secret)
    return bytes.fromhex(secret)


def _rejected_cells(cur: duckdb.DuckDBPyConnection, counts: privacy.ScrubCounts) -> None:
    """Temp table `rejected_cells`: the cells as read of the rejected rows, scrubbed.

    The reasons and `raw` of the rejects list are built from these cells only (plus fixed
    text and numbers we format), so no identifier reaches them; only the few rejected rows
    go through this, not the million accepted ones. Text columns were scrubbed in `typed`.
    """
    cur.execute(
        f"""CREATE OR REPLACE TEMP TABLE rejected_cells AS
            SELECT t._row, {', '.join(f"t.{c}" for c in _READ_ONLY_COLUMNS + _TEXT_COLUMNS)}, t.place_id
            FROM final f JOIN typed t ON t._row = f._row WHERE f.reason IS NOT NULL"""
    )
    _scrub_table(cur, "rejected_cells", "_row", _READ_ONLY_COLUMNS, counts)


def _hash_and_dedupe(cur: duckdb.DuckDBPyConnection) -> None:
    """visit_id from the source, else a content hash; then each acceptable row's outcome.

    Without a version id (the old rule): a stored or repeated visit id is a duplicate, the
    first row of a repeat wins. With one (a field app's edit-aware export):
    * of the rows of one file with the same id, the last one wins and the others are
      duplicates: ODK Central and KoboToolbox write one row per submission, its current
      version, so a repeat only comes from exports joined in time order, newest last
      (neither export carries an edit time; ODK's `Edits` counts edits, Kobo has no such column);
    * a version already stored for that id, now or replaced earlier, is a duplicate (an old
      export imported again never rolls a visit back);
    * the winner is `updated` when its id is stored (with another version), else imported.
      A visit stored without a version (before profiles named one) is updated only when a
      value differs, so re-importing an unchanged export still counts duplicates.

    `final` is narrow (what is stored or shown); the cells as read stay in `typed` and are
    joined back only for rejected rows.
    """
    cur.execute(
        f"""CREATE OR REPLACE TEMP TABLE final AS
        SELECT _row, reason, CASE WHEN reason IS NOT NULL THEN 'rejected' ELSE 'imported' END AS outcome,
               resolved_place, utc_ts, CASE WHEN utc_ts IS NULL THEN NULL ELSE {shifts.shift_sql('local_ts')} END AS shift,
               wlat, wlon, people_num, children_num,
               acute_bool, referral, team, notes, kind, place_id, place_name, km_outside, version_id,
               CASE WHEN visit_id IS NOT NULL THEN visit_id ELSE
                    'h:' || md5(concat_ws('|', strftime(utc_ts, '%Y-%m-%dT%H:%M:%S'),
                    coalesce(place_id, ''), coalesce(lower(place_name), ''),
                    coalesce(round(wlat, 6)::VARCHAR, ''), coalesce(round(wlon, 6)::VARCHAR, ''),
                    coalesce(people_num::VARCHAR, ''), coalesce(children_num::VARCHAR, ''),
                    coalesce(acute_bool::VARCHAR, ''), coalesce(referral, ''), coalesce(team, ''),
                    coalesce(notes, ''))) END AS vid
        FROM placed"""
    )
    # A rejected row whose visit is already stored (fixed from the rejects export and imported
    # since) is a duplicate, not a row to fix again: re-importing the source ends all duplicates.
    cur.execute(
        """UPDATE final SET outcome = 'duplicate', reason = NULL
           WHERE outcome = 'rejected' AND vid IN (SELECT visit_id FROM visits)"""
    ).fetchall()
    # Most rows are new: mark them imported, then flip only the duplicates (already stored,
    # or a repeat of an earlier row of this file), which are few, instead of rewriting all.
    cur.execute(
        """UPDATE final SET outcome = 'duplicate'
           WHERE outcome = 'imported' AND version_id IS NULL AND vid IN (SELECT visit_id FROM visits)"""
    ).fetchall()
    # the repeat first: when a file's latest version of a submission is already stored, an
    # earlier row of it must not win and roll the visit back
    cur.execute(
        """UPDATE final SET outcome = 'duplicate'
           FROM (SELECT vid, CASE WHEN bool_or(version_id IS NOT NULL) THEN max(_row) ELSE min(_row) END AS winner
                 FROM final WHERE outcome = 'imported' GROUP BY vid HAVING count(*) > 1) rep
           WHERE final.outcome = 'imported' AND final.vid = rep.vid AND final._row <> rep.winner"""
    ).fetchall()
    versioned = cur.execute(  # fetchall: DuckDB 2 refuses to unregister below while a result is unfinished
        "SELECT count(*) > 0 FROM final WHERE version_id IS NOT NULL AND outcome = 'imported'").fetchall()[0][0]
    if versioned:  # a file without version ids (most files) skips every step below that needs them
        cur.execute(
            """UPDATE final SET outcome = 'duplicate'
               FROM (SELECT visit_id, version_id FROM visits WHERE version_id IS NOT NULL
                     UNION SELECT visit_id, version_id FROM visit_versions WHERE version_id IS NOT NULL) known
               WHERE final.outcome = 'imported' AND final.vid = known.visit_id
                 AND final.version_id = known.version_id"""
        ).fetchall()
        # A version equal to its stable id is the unedited original (ODK Central's KEY and
        # Kobo's meta/rootUuid are the first instanceID): an older export imported after a
        # newer one must not roll a stored edit back.
        cur.execute(
            """UPDATE final SET outcome = 'duplicate' FROM visits v
               WHERE final.outcome = 'imported' AND final.version_id = final.vid AND v.visit_id = final.vid
                 AND v.version_id IS NOT NULL AND v.version_id <> final.version_id"""
        ).fetchall()
    if versioned:
        cur.execute(
            """UPDATE final SET outcome = 'updated' FROM visits v
               WHERE final.outcome = 'imported' AND final.version_id IS NOT NULL AND v.visit_id = final.vid"""
        ).fetchall()
        cur.execute(
            f"""UPDATE final SET outcome = 'duplicate' FROM visits v
                WHERE final.outcome = 'updated' AND v.visit_id = final.vid AND v.version_id IS NULL
                  AND NOT ({' OR '.join(f'v.{c} IS DISTINCT FROM final.{s}' for c, s in _VERSIONED)})"""
        ).fetchall()
    for name in ("id_df", "name_df", "point_df"):
        cur.unregister(name)


# Stored visit column → its column in `final`: what an update replaces (and the audit compares).
_VERSIONED: tuple[tuple[str, str], ...] = (
    ("place_id", "resolved_place"), ("visited_at", "utc_ts"), ("shift", "shift"), ("lat", "wlat"),
    ("lon", "wlon"), ("people", "people_num"), ("children", "children_num"), ("acute", "acute_bool"),
    ("referred_to", "referral"), ("team", "team"), ("notes", "notes"),
)


def _annotate(cur: duckdb.DuckDBPyConnection, mapping: dict[str, str], reader_rejects: pd.DataFrame) -> None:
    """Temp view `outcomes`: one row per source row with its outcome and reason, in both
    languages (the rejected ones kept in table `rejected_rows`). It feeds the rejects table
    and an import preview, and outlives a dry run."""
    cur.execute("CREATE OR REPLACE TEMP TABLE reasons (code VARCHAR, sv VARCHAR, en VARCHAR, col VARCHAR)")
    cur.executemany("INSERT INTO reasons VALUES (?, ?, ?, ?)",
                    [(code, sv, en, _REASON_COLUMN.get(code)) for code, (sv, en) in REASONS.items()])
    value_sql = """CASE f.reason
        WHEN 'bad_date' THEN t.ts_text WHEN 'future_date' THEN t.ts_text WHEN 'old_date' THEN t.ts_text
        WHEN 'bad_coordinates' THEN concat_ws(', ', coalesce(t.lat, t.northing), coalesce(t.lon, t.easting))
        WHEN 'outside_area' THEN printf('(%.5f, %.5f)', f.wlat, f.wlon)
        WHEN 'unknown_place' THEN coalesce(t.place_id, t.place_name)
        WHEN 'bad_people' THEN t.people WHEN 'bad_children' THEN t.children
        WHEN 'children_exceed_people' THEN t.children WHEN 'bad_acute' THEN t.acute
        WHEN 'bad_kind' THEN t.place_type WHEN 'bad_referral' THEN t.referred_to END"""
    km_sql = "coalesce(printf('%.1f', f.km_outside), '?')"
    shown = """f.utc_ts AS visited_at_utc, f.resolved_place AS place_id,
               coalesce(f.place_name, f.place_id) AS place, f.kind, f.wlat AS lat, f.wlon AS lon,
               f.people_num AS people"""
    cur.register("reader_rejects_df", reader_rejects)
    cur.execute(
        f"""CREATE OR REPLACE TEMP TABLE rejected_rows AS
            SELECT f._row AS row_number, f.outcome, f.reason AS reason_code, coalesce(m.header, r.col) AS column_name,
                   replace(replace(r.sv, '{{value}}', coalesce({value_sql}, '')), '{{km}}', {km_sql}) AS reason_sv,
                   replace(replace(r.en, '{{value}}', coalesce({value_sql}, '')), '{{km}}', {km_sql}) AS reason_en,
                   {shown},
                   to_json(struct_pack(visit_id := f.vid, visited_at := t.ts_text, lat := t.lat, lon := t.lon,
                                       northing := t.northing, easting := t.easting,
                                       place_id := t.place_id, place_name := t.place_name,
                                       place_type := t.place_type, people := t.people,
                                       children := t.children, acute := t.acute,
                                       referred_to := t.referred_to, team := t.team, notes := t.notes)) AS raw
            FROM final f JOIN rejected_cells t ON t._row = f._row
            JOIN reasons r ON r.code = f.reason
            LEFT JOIN (SELECT unnest(?::VARCHAR[]) AS canon, unnest(?::VARCHAR[]) AS header) m ON m.canon = r.col
            WHERE f.reason IS NOT NULL
            UNION ALL
            SELECT d._row, 'rejected', d.reason, NULL, r.sv, r.en, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                   to_json(struct_pack(line := d.line))
            FROM reader_rejects_df d JOIN reasons r ON r.code = d.reason""",
        [list(mapping.keys()), list(mapping.values())],
    )
    cur.unregister("reader_rejects_df")
    # Accepted rows are described on demand (a preview asks; a large import never does).
    cur.execute(
        f"""CREATE OR REPLACE TEMP VIEW outcomes AS
            SELECT f._row AS row_number, f.outcome, NULL::VARCHAR AS reason_code, NULL::VARCHAR AS column_name,
                   NULL::VARCHAR AS reason_sv, NULL::VARCHAR AS reason_en, {shown}, NULL::VARCHAR AS raw
            FROM final f WHERE f.reason IS NULL
            UNION ALL
            SELECT * FROM rejected_rows"""
    )


def row_outcomes(cur: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """What became of each row in this cursor's last import or dry run, in file order."""
    return cur.execute("SELECT * EXCLUDE (raw) FROM outcomes ORDER BY row_number").df()


def _write(
    cur: duckdb.DuckDBPyConnection, summary: ImportSummary, actor: str, now: datetime, file_hash: str,
    matches: list[dict[str, Any]] | None = None,
) -> None:
    """Everything the import stores, inside the caller's transaction."""
    iid = summary.import_id
    # Deduplicate again inside the transaction: a visit stored since the first check (by a
    # writer outside the import lock) must end as a duplicate here, not as a second row.
    cur.execute(
        """UPDATE final SET outcome = 'duplicate'
           WHERE outcome = 'imported' AND vid IN (SELECT visit_id FROM visits)"""
    ).fetchall()
    if matches:  # only the names this import stores (a re-imported file's duplicates match nothing new)
        used = {r[0] for r in cur.execute(
            "SELECT DISTINCT place_name FROM final WHERE outcome = 'imported' AND place_id IS NULL").fetchall()}
        summary.place_matches = [m for m in matches if m["name"] in used]
    cur.execute(
        """INSERT INTO places SELECT place_id, name, name_key, kind, lat, lon, created_at, cleared_at, import_id
           FROM new_places WHERE place_id IN (SELECT resolved_place FROM final WHERE outcome IN ('imported', 'updated'))"""
    )
    summary.new_places = _scalar(cur, "SELECT count(*) FROM places WHERE import_id = ?", [iid])
    changes = _replace_updated(cur, iid, now)
    cur.execute(
        """INSERT INTO visits (visit_id, place_id, visited_at, shift, lat, lon, people, children,
                               acute, referred_to, team, notes, import_id, version_id)
           SELECT vid, resolved_place, utc_ts, shift, wlat, wlon, people_num, children_num,
                  acute_bool, referral, team, notes, ?, version_id
           FROM final WHERE outcome IN ('imported', 'updated')""",
        [iid],
    )
    cur.execute(
        """INSERT INTO rejects
           SELECT ?, row_number, column_name, reason_code, reason_sv, reason_en, raw
           FROM rejected_rows""",
        [iid],
    )
    counts = dict(cur.execute("SELECT outcome, count(*) FROM final GROUP BY outcome").fetchall())
    summary.imported = int(counts.get("imported", 0))
    summary.updated = int(counts.get("updated", 0))
    summary.duplicates = int(counts.get("duplicate", 0))
    summary.rejected = _scalar(cur, "SELECT count(*) FROM rejected_rows")
    summary.reject_reasons = dict(cur.execute(
        "SELECT reason_code, count(*) FROM rejected_rows GROUP BY 1 ORDER BY 2 DESC, 1"
    ).fetchall())
    if summary.rows != summary.imported + summary.updated + summary.duplicates + summary.rejected:
        raise RuntimeError(f"import accounting does not add up: {summary}")  # rolls the import back
    cur.execute(
        "INSERT INTO imports (import_id, file_name, file_sha256, started_at, actor, rows, imported, updated, "
        "duplicates, rejected, summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [iid, summary.file_name, file_hash, now, actor, summary.rows, summary.imported, summary.updated,
         summary.duplicates, summary.rejected, json.dumps(summary.to_json(), ensure_ascii=False)],
    )
    if summary.imported:
        store.mark_real_data(cur)  # the first real import ends a demo database
    store.audit(cur, actor, "import", {"import_id": iid, "file": summary.file_name, "rows": summary.rows,
                                       "imported": summary.imported, "updated": summary.updated,
                                       "rejected": summary.rejected})
    if summary.updated:
        store.audit(cur, actor, "visits_updated", {"import_id": iid, "file": summary.file_name,
                                                   "visits": summary.updated, "changes": changes})


def _replace_updated(cur: duckdb.DuckDBPyConnection, import_id: str, now: datetime) -> list[dict[str, Any]]:
    """Move the stored versions that `updated` rows replace to `visit_versions` (undo puts
    them back) and remove them from `visits`; returns, per visit, the columns that changed
    as [before, after] for the audit log.

    Only stored values are compared: notes and team were scrubbed before they were stored,
    the visit id is the source's id (hashed when it held an identifier), and staff names are
    never stored, so nothing identifying reaches the log.
    """
    if not cur.execute("SELECT count(*) FROM final WHERE outcome = 'updated'").fetchall()[0][0]:
        return []
    diffs = ", ".join(f"CASE WHEN v.{c} IS DISTINCT FROM f.{s} THEN [v.{c}::VARCHAR, f.{s}::VARCHAR] END"
                      for c, s in _VERSIONED)
    rows = cur.execute(
        f"""SELECT f.vid, v.version_id, f.version_id, {diffs}
            FROM final f JOIN visits v ON v.visit_id = f.vid WHERE f.outcome = 'updated' ORDER BY f._row"""
    ).fetchall()
    changes = [
        {"visit_id": vid, "version": [old, new],
         "changed": {c: pair for (c, _), pair in zip(_VERSIONED, pairs) if pair is not None}}
        for vid, old, new, *pairs in rows
    ]
    cur.execute(
        """INSERT INTO visit_versions BY NAME
           SELECT v.*, ? AS replaced_by, ? AS replaced_at FROM visits v
           WHERE v.visit_id IN (SELECT vid FROM final WHERE outcome = 'updated')""",
        [import_id, now],
    ).fetchall()
    cur.execute("DELETE FROM visits WHERE visit_id IN (SELECT vid FROM final WHERE outcome = 'updated')").fetchall()
    return changes
