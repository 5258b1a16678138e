"""Readers: a visits file → a DuckDB temp table of text columns plus its source row number.

Every reader yields the same shape, so ingest validates one thing whatever the format:
a temp table whose columns are the file's headers (all VARCHAR) and `_row`, the 1-based
data row number a user sees in a spreadsheet (header excluded). Rows the reader itself
cannot split (wrong number of fields, broken quoting) come back as `ReaderReject`s with
their row number, so that no row disappears.

CSV goes through DuckDB's own reader (fast, and it reports the lines it cannot parse);
encoding and delimiter are sniffed first because Swedish Windows exports are often
Windows-1252 and semicolon-separated.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import shutil
import tempfile
import zipfile
from collections.abc import Collection
from datetime import date, datetime, time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

CSV_SUFFIXES = {".csv", ".txt", ".tsv", ".tab"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
GEOJSON_SUFFIXES = {".geojson", ".json"}
ZIP_SUFFIXES = {".zip"}  # ODK Central's "all data" download: `FORM.csv.zip`
MAX_ZIP_MEMBER = 1 << 30  # a main table larger than this unpacked is refused, not unpacked
_SNIFF_BYTES = 64 * 1024


class UnreadableFileError(ValueError):
    """The file cannot be read as a visits table at all; the message is one sentence."""


@dataclass
class ReaderReject:
    """A row the reader could not split; `code` is a key of geo.ingest's reasons."""

    row: int
    code: str
    line: str  # the raw text of the row, for the rejects table (scrubbed before storage)


@dataclass
class RawTable:
    """A file loaded as text into temp table `name`."""

    name: str
    headers: list[str]
    rows: int                       # data rows in the file, rejects included
    rejects: list[ReaderReject] = field(default_factory=list)
    encoding: str = "utf-8"
    delimiter: str = ","
    decimal_comma: bool = False
    sha256: str = ""                # of the file's bytes, as stored with the import
    lazy: bool = False              # `name` is a view over read_csv: counts come with finish()
    cleanup: Path | None = None     # a re-encoded copy the view reads, removed by finish()
    skipped_tables: dict[str, int] = field(default_factory=dict)  # repeat tables of a .csv.zip: rows

    def finish(self, cur: duckdb.DuckDBPyConnection, table: str) -> None:
        """After `table` was made from this view (its `_row` still NULL): number the rows,
        collect the lines the CSV reader rejected, renumber `_row` to file rows around
        them, count, clean up.

        The view does not number rows as it reads (`row_number() OVER ()` is one more
        operator on every row): a table made from a single-table SELECT keeps the rows in
        file order, and its `rowid` is that order (DuckDB's order preservation), so
        `rowid + 1` is the ordinal of each accepted row.
        """
        if not self.lazy:
            return
        try:
            cur.execute(f"UPDATE {table} SET _row = (rowid + 1)::INTEGER")
            self.rejects = _reader_rejects(cur)
            accepted = cur.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            if self.rejects:
                _renumber(cur, table, accepted, sorted(r.row for r in self.rejects))
            self.rows = accepted + len(self.rejects)
        finally:
            if self.cleanup is not None:
                self.cleanup.unlink(missing_ok=True)


def load(cur: duckdb.DuckDBPyConnection, path: Path, table: str = "raw_rows",
         drop: Collection[str] = ()) -> RawTable:
    """Load `path` into temp table `table`, choosing the reader by the file's suffix.

    `drop`: exact headers never read (a field app's own metadata, per profile), so that
    they cannot clash with a form field of the same name in another case (`DeviceID`,
    `deviceid`) and never reach the import.
    """
    if not path.exists():
        raise UnreadableFileError(f"Filen {path} finns inte. / The file {path} does not exist.")
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES or suffix == "":
        raw = _load_csv(cur, path, table, drop)
    elif suffix in ZIP_SUFFIXES:
        raw = _load_zip(cur, path, table, drop)
    elif suffix in XLSX_SUFFIXES:
        raw = _load_frame(cur, _read_xlsx(path), table, drop)
        raw.sha256 = _file_sha256(path)
    elif suffix in GEOJSON_SUFFIXES:
        raw = _load_frame(cur, _read_geojson(path), table)
        raw.sha256 = _file_sha256(path)
    else:
        raise _unknown_type(suffix)
    return _split_geopoints(cur, raw)


def _file_sha256(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _unknown_type(suffix: str) -> UnreadableFileError:
    return UnreadableFileError(
        f"Filtypen {suffix} kan inte läsas; använd CSV, TSV, XLSX, GeoJSON eller ODK Centrals .csv.zip. / "
        f"The file type {suffix} cannot be read; use CSV, TSV, XLSX, GeoJSON or ODK Central's .csv.zip."
    )


# Columns that hold a whole geopoint ("lat lon alt acc" or "[lat, lon]") in one field, by
# the name field apps give them (after any "group/" prefix): KoboToolbox's `_geolocation`,
# and a form's geopoint exported unsplit. Names only, so `peek_headers` can tell without
# reading the rows.
GEOPOINT_NAMES = frozenset({"_geolocation", "geolocation", "geopoint", "gps"})


def geopoint_columns(headers: list[str]) -> dict[str, tuple[str, str]]:
    """{geopoint header: (latitude header, longitude header)} for the split columns the
    readers add, ODK-style (`gps-Latitude`), unless the file already has them."""
    split: dict[str, tuple[str, str]] = {}
    for header in headers:
        if header.rsplit("/", 1)[-1].strip().lower() in GEOPOINT_NAMES:
            lat, lon = f"{header}-Latitude", f"{header}-Longitude"
            if lat not in headers and lon not in headers:
                split[header] = (lat, lon)
    return split


def _split_geopoints(cur: duckdb.DuckDBPyConnection, raw: RawTable) -> RawTable:
    """Add latitude and longitude text columns for each one-field geopoint (geo.coords
    knows the order inside it); rows that hold no geopoint get NULLs there."""
    split = geopoint_columns(raw.headers)
    if not split:
        return raw
    from geo.coords import geopoint_sql

    extra = []
    for header, names in split.items():
        quoted = '"' + header.replace('"', '""') + '"'
        for sql, name in zip(geopoint_sql(quoted), names):
            extra.append(f'{sql} AS "{name.replace(chr(34), chr(34) * 2)}"')
            raw.headers.append(name)
    # A view on top: the CSV view underneath is still read only once, by the import.
    cur.execute(f"CREATE OR REPLACE TEMP VIEW {raw.name}_split AS SELECT *, {', '.join(extra)} FROM {raw.name}")
    raw.name = f"{raw.name}_split"
    return raw


def peek_headers(path: Path) -> list[str]:
    """The column headers `load` would give (split geopoints included), read from the start
    of the file only, so that a mapping profile can be chosen before the import."""
    if not path.exists():
        raise UnreadableFileError(f"Filen {path} finns inte. / The file {path} does not exist.")
    suffix = path.suffix.lower()
    if suffix in ZIP_SUFFIXES:
        with _zip(path) as book:
            member = _zip_main(book, path.name)
            with book.open(member) as fh:
                data = fh.read(_SNIFF_BYTES)
        headers = _peek_csv_headers(data, Path(member.filename), path.name)
    elif suffix in CSV_SUFFIXES or suffix == "":
        with path.open("rb") as fh:
            data = fh.read(_SNIFF_BYTES)
        headers = _peek_csv_headers(data, path, path.name)
    elif suffix in XLSX_SUFFIXES:
        headers = _read_xlsx(path)[0]
    elif suffix in GEOJSON_SUFFIXES:
        headers = _read_geojson(path)[0]
    else:
        raise _unknown_type(suffix)
    return headers + [name for pair in geopoint_columns(headers).values() for name in pair]


def _peek_csv_headers(data: bytes, path: Path, shown: str) -> list[str]:
    """The header row of a CSV from its first bytes (`path` gives the suffix only)."""
    if len(data) == _SNIFF_BYTES and b"\n" in data:
        data = data[: data.rindex(b"\n")]
    try:
        sample = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        sample = data.decode("cp1252", errors="replace")
    if not sample.strip():
        raise UnreadableFileError(f"Filen {shown} är tom. / The file {shown} is empty.")
    delimiter = _sniff_delimiter(sample, path.suffix.lower())
    return [h.strip().lstrip("\ufeff") for h in next(csv.reader([sample.splitlines()[0]], delimiter=delimiter))]


def _zip(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise UnreadableFileError(f"{path.name} är ingen läsbar zip-fil. / {path.name} is not a readable zip file.") from None


def _first_line(book: zipfile.ZipFile, member: zipfile.ZipInfo) -> str:
    with book.open(member) as fh:
        return fh.readline(_SNIFF_BYTES).decode("utf-8-sig", errors="replace")


def _zip_main(book: zipfile.ZipFile, shown: str) -> zipfile.ZipInfo:
    """The main table of ODK Central's `.csv.zip`: the CSV whose header has no PARENT_KEY
    (lib/data/briefcase.js appends the root table first, then one CSV per repeat group)."""
    csvs = [m for m in book.infolist() if not m.is_dir() and m.filename.lower().endswith(".csv")]
    main = [m for m in csvs if "PARENT_KEY" not in next(csv.reader([_first_line(book, m)]), [])]
    if len(main) != 1 or main[0].file_size > MAX_ZIP_MEMBER:
        raise UnreadableFileError(
            f"{shown} innehåller inte exakt en huvudtabell (CSV utan PARENT_KEY). / "
            f"{shown} does not hold exactly one main table (a CSV without PARENT_KEY).")
    return main[0]


def _load_zip(cur: duckdb.DuckDBPyConnection, path: Path, table: str, drop: Collection[str]) -> RawTable:
    """The main table of a `.csv.zip`, unpacked to a temporary file and read as a CSV; each
    repeat table is counted (data rows) and reported as skipped, never read into visits."""
    with _zip(path) as book:
        main = _zip_main(book, path.name)
        skipped: dict[str, int] = {}
        for member in book.infolist():
            if member is main or member.is_dir() or not member.filename.lower().endswith(".csv"):
                continue
            with book.open(member) as fh:
                skipped[member.filename] = max(sum(1 for _ in csv.reader(io.TextIOWrapper(fh, "utf-8-sig", newline=""))) - 1, 0)
        handle = tempfile.NamedTemporaryFile("wb", suffix=".csv", delete=False)
        with handle, book.open(main) as src:
            shutil.copyfileobj(src, handle)
    unpacked = Path(handle.name)
    try:
        raw = _load_csv(cur, unpacked, table, drop, shown=path.name)
    except BaseException:
        unpacked.unlink(missing_ok=True)
        raise
    if raw.cleanup is None:
        raw.cleanup = unpacked  # the view reads it until finish()
    else:  # re-encoded from Windows-1252: the view reads that copy
        unpacked.unlink(missing_ok=True)
    raw.sha256 = _file_sha256(path)
    raw.skipped_tables = skipped
    return raw


def _sniff_encoding(data: bytes) -> str:
    """UTF-8 (with or without BOM) when the whole file decodes as UTF-8, else Windows-1252."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"


def _sniff_delimiter(sample: str, suffix: str) -> str:
    """Tab for TSV, else whichever of ; , tab splits the header line into the most fields."""
    if suffix in {".tsv", ".tab"}:
        return "\t"
    header = sample.splitlines()[0] if sample else ""
    counts = {d: next(csv.reader([header], delimiter=d), []).__len__() for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 1 else ","


def _kept_headers(headers: list[str], drop: Collection[str], shown: str) -> list[str]:
    """The headers read (dropped ones excluded); refuses empty or case-repeated ones, since
    DuckDB column names ignore case: "Datum" and "datum" would be one column."""
    kept = [h for h in headers if h not in drop]
    if not kept or len({h.casefold() for h in kept}) != len(kept) or any(not h for h in kept):
        where = f" {shown}" if shown else ""
        raise UnreadableFileError(
            f"Filen{where} har tomma eller upprepade kolumnrubriker. / "
            f"The file{where} has empty or repeated column headers."
        )
    return kept


def _load_csv(cur: duckdb.DuckDBPyConnection, path: Path, table: str, drop: Collection[str] = (),
              shown: str | None = None) -> RawTable:
    shown = shown or path.name
    data = path.read_bytes()  # read once for both the encoding and the file's hash
    encoding = _sniff_encoding(data)
    sha256 = hashlib.sha256(data).hexdigest()
    del data
    source = path
    tmp: Path | None = None
    if encoding == "cp1252":
        # DuckDB reads UTF-8; re-encode Windows-1252 exports (å, ä, ö, –, €) once.
        handle = tempfile.NamedTemporaryFile("w", suffix=".csv", encoding="utf-8", delete=False)
        with handle, path.open(encoding="cp1252", newline="") as src:
            for chunk in iter(lambda: src.read(1 << 20), ""):
                handle.write(chunk)
        tmp = source = Path(handle.name)
    try:
        with source.open(encoding="utf-8-sig", newline="") as fh:
            sample = fh.read(_SNIFF_BYTES)
        if not sample.strip():
            raise UnreadableFileError(f"Filen {shown} är tom. / The file {shown} is empty.")
        delimiter = _sniff_delimiter(sample, path.suffix.lower())
        headers = next(csv.reader([sample.splitlines()[0]], delimiter=delimiter))
        headers = [h.strip().lstrip("\ufeff") for h in headers]
        _kept_headers(headers, drop, shown)
        raw = _read_csv_into(cur, source, table, headers, delimiter, drop)
    except BaseException:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise
    raw.cleanup = tmp
    raw.encoding = encoding
    raw.sha256 = sha256
    raw.decimal_comma = delimiter == ";"
    return raw


def _read_csv_into(
    cur: duckdb.DuckDBPyConnection, source: Path, table: str, headers: list[str], delimiter: str,
    drop: Collection[str] = (),
) -> RawTable:
    """A view over DuckDB's read_csv (all text; lines it cannot split are collected, not fatal).

    A view, not a table: the import reads the file once, straight into its parsed table,
    instead of copying a million rows of text first. `_row` is NULL here; `RawTable.finish`
    numbers the rows of that table and completes the counts. One thread: on the shared
    2-core machine a parallel read cost about 0.4 s more CPU per million rows than it saved
    in wall time (scripts/bench_import.py, paired runs); the numbering holds either way.
    """
    cur.execute(f"DROP VIEW IF EXISTS {table}")
    cur.execute(f"DROP TABLE IF EXISTS {table}")
    cur.execute("DROP TABLE IF EXISTS reject_errors; DROP TABLE IF EXISTS reject_scans")
    # a dropped header is read under a placeholder name and left out of the view
    names = [f"_dropped_{i}" if h in drop else h for i, h in enumerate(headers)]
    columns = "{" + ", ".join(f"'{_sql_text(h)}': 'VARCHAR'" for h in names) + "}"
    excluded = [n for n, h in zip(names, headers) if h in drop]
    star = f"* EXCLUDE ({', '.join(excluded)})" if excluded else "*"
    delim = {"\t": "\\t"}.get(delimiter, delimiter)  # the sniffer only yields , ; or tab
    cur.execute(
        f"""CREATE TEMP VIEW {table} AS
            SELECT NULL::INTEGER AS _row, {star}
            FROM read_csv('{_sql_text(str(source))}', delim = E'{delim}', header = true,
                          columns = {columns}, quote = '"', escape = '"',
                          store_rejects = true, rejects_table = 'reject_errors',
                          rejects_scan = 'reject_scans', auto_detect = false,
                          strict_mode = true, parallel = false)"""
    )
    return RawTable(table, [h for h in headers if h not in drop], 0, [], delimiter=delimiter, lazy=True)


def _sql_text(text: str) -> str:
    """Text inside a single-quoted SQL literal (a view cannot take parameters)."""
    return text.replace("'", "''")


def _reader_rejects(cur: duckdb.DuckDBPyConnection) -> list[ReaderReject]:
    """The lines DuckDB's CSV reader could not split, as rejects with file row numbers."""
    errors = cur.execute(
        "SELECT line, any_value(error_type), any_value(csv_line) FROM reject_errors GROUP BY line ORDER BY line"
    ).fetchall()
    return [ReaderReject(int(line) - 1, _code(str(kind)), str(text or "")) for line, kind, text in errors]


def _renumber(cur: duckdb.DuckDBPyConnection, table: str, accepted: int, rejected_rows: list[int]) -> None:
    """Accepted rows take the file row numbers that rejected ones leave free, in order."""
    cur.execute("CREATE OR REPLACE TEMP TABLE _skip AS SELECT unnest(?::INTEGER[]) AS r", [rejected_rows])
    cur.execute(
        f"""CREATE OR REPLACE TEMP TABLE {table} AS
            WITH nums AS (
                SELECT n::INTEGER AS file_row, row_number() OVER (ORDER BY n)::INTEGER AS ordinal
                FROM range(1, {accepted + len(rejected_rows) + 1}) t(n)
                WHERE n NOT IN (SELECT r FROM _skip)
            )
            SELECT t.* REPLACE (nums.file_row AS _row) FROM {table} t JOIN nums ON nums.ordinal = t._row
            ORDER BY t._row"""
    )


def _code(error_type: str) -> str:
    return {
        "TOO MANY COLUMNS": "too_many_fields",
        "MISSING COLUMNS": "too_few_fields",
        "UNQUOTED VALUE": "bad_quoting",
        "INVALID UNICODE": "bad_text",
        "LINE SIZE OVER MAXIMUM": "row_too_long",
    }.get(error_type.upper(), "unreadable_row")


def _cell_text(value: object) -> str | None:
    """A spreadsheet or JSON cell as the text a CSV export would have held."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    return str(value)


def _read_xlsx(path: Path) -> tuple[list[str], list[list[str | None]]]:
    """The first sheet of a workbook: first row = headers, cells as text."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        rows = book.get_sheet_by_index(0).to_python(skip_empty_area=True)
    except Exception as exc:  # calamine raises its own error types for broken workbooks
        raise UnreadableFileError(
            f"Arbetsboken {path.name} kan inte läsas. / The workbook {path.name} cannot be read ({type(exc).__name__})."
        ) from None
    if not rows:
        raise UnreadableFileError(f"Filen {path.name} är tom. / The file {path.name} is empty.")
    headers = [str(h).strip() if h is not None else "" for h in rows[0]]
    body = [[_cell_text(v) for v in row] for row in rows[1:] if any(v not in (None, "") for v in row)]
    return headers, body


def _read_geojson(path: Path) -> tuple[list[str], list[list[str | None]]]:
    """GeoJSON points: properties are the columns, the point gives lon/lat."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
        features = data["features"] if data.get("type") == "FeatureCollection" else [data]
    except (ValueError, KeyError, AttributeError):
        raise UnreadableFileError(
            f"{path.name} är ingen GeoJSON-fil. / {path.name} is not a GeoJSON file."
        ) from None
    headers: list[str] = []
    for feature in features:
        for key in (feature.get("properties") or {}):
            if key not in headers and key not in ("lat", "lon"):
                headers.append(key)
    headers += ["lat", "lon"]
    body: list[list[str | None]] = []
    for feature in features:
        props = feature.get("properties") or {}
        geometry = feature.get("geometry") or {}
        lon = lat = None
        if geometry.get("type") == "Point" and len(geometry.get("coordinates") or []) >= 2:
            lon, lat = geometry["coordinates"][:2]  # GeoJSON order is [lon, lat]
        body.append([_cell_text(props.get(h)) for h in headers[:-2]] + [_cell_text(lat), _cell_text(lon)])
    return headers, body


def _load_frame(
    cur: duckdb.DuckDBPyConnection, table_data: tuple[list[str], list[list[str | None]]], table: str,
    drop: Collection[str] = (),
) -> RawTable:
    """Rows already split by a Python reader → the same temp table shape as CSV."""
    all_headers, body = table_data
    headers = _kept_headers(all_headers, drop, "")
    keep = [i for i, h in enumerate(all_headers) if h not in drop]
    width = len(all_headers)
    rows = [(row + [None] * width)[:width] for row in body]
    frame = pd.DataFrame([[row[i] for i in keep] for row in rows], columns=headers, dtype="string")
    frame.insert(0, "_row", pd.array(range(1, len(frame) + 1), dtype="int32"))
    cur.register("_frame_df", frame)
    cur.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM _frame_df")
    cur.unregister("_frame_df")
    return RawTable(table, headers, len(frame))
