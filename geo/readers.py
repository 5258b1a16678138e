"""Readers: a visits file → a DuckDB temp table of text columns plus its source row number.

Every reader yields the same shape, so ingest validates one thing whatever the format:
a temp table whose columns are the file's headers (all VARCHAR) and `_row`, the 1-based
data row number a user sees in a spreadsheet (header excluded). Rows the reader itself
cannot split (wrong number of fields, broken quoting) come back as `ReaderReject`s with
their row number, so that no row disappears.

A CSV's records are counted from its bytes first (`_scan_lines`), independently of any
parser. A well-formed UTF-8 file then goes through DuckDB's own reader (fast, and it
reports the lines it cannot parse), checked against that count; any other file (another
encoding, line breaks inside quotes, a quote left open, mixed line endings) is split by
Python's csv module from memory, one record at a time, so a stray quote costs one row.
Workbooks are read in a limited child process (geo.sheet_reader).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from geo import privacy, sheet_reader

CSV_SUFFIXES = {".csv", ".txt", ".tsv", ".tab"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
GEOJSON_SUFFIXES = {".geojson", ".json"}
ZIP_SUFFIXES = {".zip"}  # ODK Central's "all data" download: `FORM.csv.zip`
MAX_ZIP_MEMBER = 1 << 30  # a main table larger than this unpacked is refused, not unpacked
_SNIFF_BYTES = 64 * 1024


class UnreadableFileError(ValueError):
    """The file cannot be read as a visits table at all; the message is one sentence.

    The message names the file, and a file name is file text ("besök 850709-9805.csv"):
    it is scrubbed here, so no caller can show or log the identifier."""

    def __init__(self, message: str) -> None:
        super().__init__(privacy.scrub(message)[0])


class RowCountMismatch(RuntimeError):
    """DuckDB's reader gave a different number of rows than the file's lines."""


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
    lazy: bool = False              # `name` is a view over read_csv: rejects come with finish()
    cp1252_lines: int = 0           # lines of a mostly UTF-8 file that were decoded as Windows-1252
    blank_lines: np.ndarray | None = None  # physical line numbers DuckDB skips (lazy only)
    skipped_tables: dict[str, int] = field(default_factory=dict)  # repeat tables of a .csv.zip: rows
    # (every header of the file, the dropped ones): a reject's line loses those cells (lazy only)
    line_mask: tuple[list[str], frozenset[str]] | None = None

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
        cur.execute(f"UPDATE {table} SET _row = (rowid + 1)::INTEGER")
        self.rejects = _reader_rejects(cur, self.blank_lines)
        if self.line_mask:
            for reject in self.rejects:
                reject.line = mask_dropped(reject.line, *self.line_mask, self.delimiter)
        accepted = cur.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        if accepted + len(self.rejects) != self.rows:
            # The line scan and DuckDB disagree: the import retries with the careful split.
            raise RowCountMismatch(f"{self.rows} lines, {accepted + len(self.rejects)} read")
        if self.rejects:
            _renumber(cur, table, accepted, sorted(r.row for r in self.rejects))


def load(cur: duckdb.DuckDBPyConnection, path: Path, table: str = "raw_rows", *,
         drop: Collection[str] = (), careful: bool = False) -> RawTable:
    """Load `path` into temp table `table`, choosing the reader by the file's suffix.

    `drop`: exact headers never read (a field app's own metadata, per profile), so that
    they cannot clash with a form field of the same name in another case (`DeviceID`,
    `deviceid`) and never reach the import. `careful` splits a CSV in Python even when it
    looks simple enough for DuckDB's reader (the retry when that reader fails or disagrees
    with the line count)."""
    if not path.exists():
        raise UnreadableFileError(f"Filen {path} finns inte. / The file {path} does not exist.")
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES or suffix == "":
        raw = _load_csv(cur, path, table, drop=drop, careful=careful)
    elif suffix in ZIP_SUFFIXES:
        raw = _load_zip(cur, path, table, drop)
    elif suffix in XLSX_SUFFIXES:
        raw = _load_frame(cur, _read_xlsx(path), table, drop=drop)
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
        headers = _peek_csv_headers(data, Path(member.filename).suffix.lower(), path.name)
    elif suffix in CSV_SUFFIXES or suffix == "":
        with path.open("rb") as fh:
            data = fh.read(_SNIFF_BYTES)
        headers = _peek_csv_headers(data, suffix, path.name)
    elif suffix in XLSX_SUFFIXES:
        headers = _read_xlsx(path)[0]
    elif suffix in GEOJSON_SUFFIXES:
        headers = _read_geojson(path)[0]
    else:
        raise _unknown_type(suffix)
    return headers + [name for pair in geopoint_columns(headers).values() for name in pair]


def _peek_csv_headers(data: bytes, suffix: str, shown: str) -> list[str]:
    """The header row of a CSV from its first bytes."""
    if len(data) == _SNIFF_BYTES and b"\n" in data:
        data = data[: data.rindex(b"\n")]
    if not data.strip():
        raise UnreadableFileError(f"Filen {shown} är tom. / The file {shown} is empty.")
    sample = bytes(_decode(data, shown).utf8).decode("utf-8", errors="replace")
    if not sample.strip():
        raise UnreadableFileError(f"Filen {shown} är tom. / The file {shown} is empty.")
    delimiter = _sniff_delimiter(sample, suffix)
    try:
        return [h.strip().lstrip("\ufeff") for h in next(csv.reader([sample.splitlines()[0]], delimiter=delimiter))]
    except csv.Error:
        raise UnreadableFileError(
            f"Rubrikraden i {shown} kan inte läsas. / The header line of {shown} cannot be read."
        ) from None


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
    try:
        csvs = [m for m in book.infolist() if not m.is_dir() and m.filename.lower().endswith(".csv")]
        main = [m for m in csvs if "PARENT_KEY" not in next(csv.reader([_first_line(book, m)]), [])]
    except (zipfile.BadZipFile, zlib.error, csv.Error, OSError, EOFError, NotImplementedError):
        raise UnreadableFileError(f"{shown} är ingen läsbar zip-fil. / {shown} is not a readable zip file.") from None
    if len(main) != 1 or main[0].file_size > MAX_ZIP_MEMBER:
        raise UnreadableFileError(
            f"{shown} innehåller inte exakt en huvudtabell (CSV utan PARENT_KEY). / "
            f"{shown} does not hold exactly one main table (a CSV without PARENT_KEY).")
    return main[0]


def _load_zip(cur: duckdb.DuckDBPyConnection, path: Path, table: str, drop: Collection[str]) -> RawTable:
    """The main table of a `.csv.zip`, unpacked in memory (never to disk: it holds the
    visits) and split as a CSV; each repeat table is counted (data rows) and reported as
    skipped, never read into visits."""
    with _zip(path) as book:
        main = _zip_main(book, path.name)
        skipped: dict[str, int] = {}
        try:
            for member in book.infolist():
                if member is main or member.is_dir() or not member.filename.lower().endswith(".csv"):
                    continue
                with book.open(member) as fh:
                    rows = csv.reader(io.TextIOWrapper(fh, "utf-8-sig", errors="replace", newline=""))
                    skipped[member.filename] = max(sum(1 for _ in rows) - 1, 0)
            with book.open(main) as src:
                data = src.read(MAX_ZIP_MEMBER + 1)
        except (zipfile.BadZipFile, zlib.error, csv.Error, OSError, EOFError, NotImplementedError):
            raise UnreadableFileError(f"{path.name} är ingen läsbar zip-fil. / {path.name} is not a readable zip file.") from None
    raw = _load_csv(cur, path, table, drop=drop, careful=True, data=data, suffix=Path(main.filename).suffix.lower())
    raw.sha256 = _file_sha256(path)
    raw.skipped_tables = skipped
    return raw


class _Decoded:
    """A CSV file's bytes as UTF-8: which encoding it was, and how many lines were decoded
    as Windows-1252 inside an otherwise UTF-8 file (a mixed file is decoded per line)."""

    def __init__(self, utf8: bytes, encoding: str, cp1252_lines: int = 0) -> None:
        self.utf8, self.encoding, self.cp1252_lines = utf8, encoding, cp1252_lines


_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")


def _decode(data: bytes, name: str) -> _Decoded:
    """UTF-8 (BOM or not) as is; UTF-16 with a BOM; otherwise each line on its own: UTF-8
    when it decodes as UTF-8, else Windows-1252. A whole Windows-1252 file is common
    (Swedish Excel); a file with both kinds of line (rows pasted from two sources) is
    decoded per line too, and counted, so it is never stored as mojibake ("Ã–stermalm").
    Text with NUL bytes is not a text file (binary, or UTF-16 without a BOM)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _Decoded(data.decode("utf-16").encode("utf-8"), "utf-16")
        except UnicodeDecodeError:
            raise _not_text(name) from None
    if b"\x00" in data:
        raise _not_text(name)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if data.startswith(b"\xef\xbb\xbf"):
            return _Decoded(data[3:], "utf-8-sig")
        return _Decoded(data, "utf-8")
    lines = data.split(b"\n")
    utf8_lines = cp1252_lines = 0
    out: list[bytes] = []
    for line in lines:
        try:
            line.decode("utf-8")
            utf8_lines += bool(_UTF8_MULTIBYTE.search(line))
            out.append(line)
        except UnicodeDecodeError:
            cp1252_lines += 1
            out.append(line.decode("cp1252", errors="replace").encode("utf-8"))
    if out and out[0].startswith(b"\xef\xbb\xbf"):
        out[0] = out[0][3:]
    return _Decoded(b"\n".join(out), "mixed" if utf8_lines else "cp1252", cp1252_lines if utf8_lines else 0)


def _not_text(name: str) -> UnreadableFileError:
    return UnreadableFileError(
        f"Filen {name} är ingen textfil (binär fil eller UTF-16 utan BOM); spara den som CSV i UTF-8. / "
        f"The file {name} is not a text file (binary, or UTF-16 without a BOM); save it as CSV in UTF-8."
    )


def _sniff_delimiter(sample: str, suffix: str) -> str:
    """Tab for TSV, else whichever of ; , tab splits the header line into the most fields."""
    if suffix in {".tsv", ".tab"}:
        return "\t"
    header = sample.splitlines()[0] if sample else ""
    try:
        counts = {d: len(next(csv.reader([header], delimiter=d), [])) for d in (",", ";", "\t")}
    except csv.Error:
        return ","
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 1 else ","


def _check_headers(headers: list[str], name: str, drop: Collection[str] = ()) -> None:
    """Refuses empty or case-repeated headers among those read (dropped ones excluded), since
    DuckDB column names ignore case: "Datum" and "datum" would be one column."""
    headers = [h for h in headers if h not in drop]
    if not headers or len({h.casefold() for h in headers}) != len(headers) or any(not h for h in headers):
        name = f"{name} " if name else ""
        raise UnreadableFileError(
            f"Filen {name}har tomma eller upprepade kolumnrubriker. / "
            f"The file {name}has empty or repeated column headers."
        )
    if any(h.casefold() == "_row" for h in headers):  # the readers' own row number column
        name = f"{name} " if name else ""
        raise UnreadableFileError(
            f"Filen {name}har en kolumn som heter _row, ett namn som importen själv använder. / "
            f"The file {name}has a column named _row, a name the import uses itself."
        )


@dataclass
class _Lines:
    """Where a CSV's physical lines are, found with numpy on the bytes (no parsing)."""

    simple: bool              # no line break inside quotes, one line-ending style: DuckDB may split it
    records: int              # non-blank lines after the header = data records, when `simple`
    blank_lines: np.ndarray   # 1-based physical numbers of blank lines after the header


def _scan_lines(buf: bytes) -> _Lines:
    """Count the file's records independently of any CSV parser.

    A line break with an odd number of quotes before it lies inside a quoted field: either a
    multi-line note or a quote that is never closed. Either way DuckDB's reader may swallow
    the rest of the file into one field (an unclosed quote at row 6 of 1,000 rows gave
    `rows=5`), so such a file, or one mixing CRLF and LF, goes to the careful Python split.
    """
    arr = np.frombuffer(buf, dtype=np.uint8)
    nl = np.flatnonzero(arr == 10)
    quotes = np.flatnonzero(arr == 34) if b'"' in buf else np.zeros(0, dtype=np.int64)
    cr = np.flatnonzero(arr == 13) if b"\r" in buf else np.zeros(0, dtype=np.int64)
    simple = len(quotes) % 2 == 0 and not (np.searchsorted(quotes, nl) & 1).any()
    if simple and len(cr):  # CRLF throughout, or no CR at all
        simple = len(cr) == len(nl) and bool((arr[nl[nl > 0] - 1] == 13).all()) and (nl[0] > 0 if len(nl) else False)
    starts = np.concatenate(([0], nl + 1))
    ends = np.concatenate((nl, [len(arr)]))
    if len(cr):
        ends = ends - (ends > starts) * (arr[np.maximum(ends - 1, 0)] == 13)
    blank = ends == starts
    if not len(blank) or blank[0]:  # the header must be the first line
        return _Lines(False, 0, np.zeros(0, dtype=np.int64))
    blank_after = np.flatnonzero(blank[1:]) + 2
    return _Lines(bool(simple), int((~blank[1:]).sum()), blank_after)


def _load_csv(cur: duckdb.DuckDBPyConnection, path: Path, table: str, *, drop: Collection[str] = (),
              careful: bool = False, data: bytes | None = None, suffix: str | None = None) -> RawTable:
    """A CSV file as a temp table: DuckDB reads a well-formed UTF-8 file where it lies (fast);
    any other file (another encoding, line breaks inside quotes, mixed line endings) is
    split in Python from memory, so no re-encoded copy is ever written to disk. `data`: the
    CSV's bytes when they do not lie in `path` (a zip member), always split in Python."""
    careful = careful or data is not None
    suffix = suffix or path.suffix.lower()
    if data is None:
        data = path.read_bytes()  # read once for the encoding, the line scan and the file's hash
    sha256 = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise UnreadableFileError(f"Filen {path.name} är tom. / The file {path.name} is empty.")
    decoded = _decode(data, path.name)
    sample = bytes(decoded.utf8[:_SNIFF_BYTES]).decode("utf-8", errors="ignore")
    if not sample.strip():
        raise UnreadableFileError(f"Filen {path.name} är tom. / The file {path.name} is empty.")
    delimiter = _sniff_delimiter(sample, suffix)
    lines = _scan_lines(decoded.utf8)
    if lines.simple and not careful and decoded.encoding in ("utf-8", "utf-8-sig"):
        del data
        headers = [h.strip().lstrip("\ufeff") for h in next(csv.reader([sample.splitlines()[0]], delimiter=delimiter))]
        _check_headers(headers, path.name, drop)
        raw = _read_csv_into(cur, path, table, headers, delimiter, drop)
        raw.rows, raw.blank_lines = lines.records, lines.blank_lines
        decoded.utf8 = b""  # the file's bytes are not needed any more; DuckDB reads the file
    else:
        text = bytes(decoded.utf8).decode("utf-8", errors="replace")
        del data, decoded.utf8
        headers, body, numbers, rejects = _split_records(text, delimiter, path.name, drop)
        raw = _load_frame(cur, (headers, body), table, numbers, drop=drop)
        raw.rows, raw.rejects = len(body) + len(rejects), rejects
    raw.encoding = decoded.encoding
    raw.cp1252_lines = decoded.cp1252_lines
    raw.sha256 = sha256
    raw.decimal_comma = delimiter == ";"
    return raw


_MAX_RECORD_LINES = 200  # a quoted note spanning more lines than this is a quote left open


def _split_records(text: str, delimiter: str, name: str, drop: Collection[str] = ()
                   ) -> tuple[list[str], list[list[str | None]], list[int], list[ReaderReject]]:
    """Split CSV text into records with Python's csv module, one physical line at a time.

    A line with an odd number of quotes opens a quoted field: the following lines join it
    until the quote closes, if that gives one record of the header's width; otherwise the
    line alone is rejected ("a quote is not closed") and splitting resumes at the next line,
    so one stray quote costs one row, never the rest of the file.
    """
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    header_line = lines[0].removesuffix("\r") if lines else ""
    try:
        headers = [h.strip().lstrip("\ufeff") for h in next(csv.reader([header_line], delimiter=delimiter))]
    except (csv.Error, StopIteration):
        raise UnreadableFileError(
            f"Rubrikraden i {name} kan inte läsas. / The header line of {name} cannot be read."
        ) from None
    _check_headers(headers, name, drop)
    width = len(headers)
    dropped = frozenset(drop)
    masked = (lambda text: mask_dropped(text, headers, dropped, delimiter)) if dropped else (lambda text: text)
    body: list[list[str | None]] = []
    numbers: list[int] = []
    rejects: list[ReaderReject] = []
    record, i, n = 0, 1, len(lines)
    while i < n:
        line = lines[i].removesuffix("\r")
        if not line:
            i += 1
            continue
        record += 1
        last = i
        if line.count('"') % 2:
            odd = True
            while odd and last + 1 < n and last - i < _MAX_RECORD_LINES:
                last += 1
                odd = bool(lines[last].count('"') % 2)
            if odd:
                rejects.append(ReaderReject(record, "bad_quoting", masked(line)))
                i += 1
                continue
        chunk = "\n".join(l.removesuffix("\r") for l in lines[i:last + 1])
        try:
            fields = list(csv.reader(io.StringIO(chunk, newline=""), delimiter=delimiter, strict=True))
        except csv.Error:
            fields = []
        while len(fields) == 1 and len(fields[0]) > width and fields[0][-1] == "":
            fields[0].pop()  # trailing empty fields (`a,b,c,,`), as DuckDB's reader allows
        if len(fields) != 1 or len(fields[0]) != width:
            code = ("bad_quoting" if last > i or len(fields) != 1
                    else "too_many_fields" if len(fields[0]) > width else "too_few_fields")
            rejects.append(ReaderReject(record, code, masked(line)))
            i += 1
            continue
        body.append([v if v != "" else None for v in fields[0]])
        numbers.append(record)
        i = last + 1
    return headers, body, numbers, rejects


def mask_dropped(line: str, headers: list[str], drop: frozenset[str], delimiter: str) -> str:
    """A line no reader could split, with the cells of dropped columns (a field app's
    metadata: SubmitterName, _submitted_by, DeviceID) emptied, since it is stored as the
    reject's raw text and staff names are never stored.

    The line cannot be split reliably, so it is cut at every delimiter, quotes or not (a cut
    never merges cells, so no cell hides inside another), and a piece is emptied if any
    column it could belong to is dropped: extra or missing pieces (`shift`) and pieces of a
    quoted cell holding the delimiter (at most one per piece with an odd number of quotes)
    move a piece by at most that many columns. Privacy over completeness: a neighbour may be
    emptied too.
    """
    masked = {i for i, h in enumerate(headers) if h in drop}
    if not masked:
        return line
    pieces = line.split(delimiter)
    shift = len(pieces) - len(headers)
    slack = sum(piece.count('"') % 2 for piece in pieces)
    lo, hi = min(0, shift) - slack, max(0, shift) + slack
    return delimiter.join("" if any(j - d in masked for d in range(lo, hi + 1)) else piece
                          for j, piece in enumerate(pieces))


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
    _drop(cur, table)
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
    return RawTable(table, [h for h in headers if h not in drop], 0, [], delimiter=delimiter, lazy=True,
                    line_mask=(headers, frozenset(drop)) if drop else None)


def _drop(cur: duckdb.DuckDBPyConnection, name: str) -> None:
    """Drop temp table or view `name`, whichever it is (DuckDB refuses DROP VIEW on a table)."""
    kinds = cur.execute("SELECT table_type FROM information_schema.tables WHERE table_name = ?", [name]).fetchall()
    for (kind,) in kinds:
        cur.execute(f"DROP {'VIEW' if kind == 'VIEW' else 'TABLE'} IF EXISTS {name}")


def _sql_text(text: str) -> str:
    """Text inside a single-quoted SQL literal (a view cannot take parameters)."""
    return text.replace("'", "''")


def _reader_rejects(cur: duckdb.DuckDBPyConnection, blank_lines: np.ndarray | None) -> list[ReaderReject]:
    """The lines DuckDB's CSV reader could not split, as rejects with file row numbers.

    DuckDB numbers physical lines (header = 1) and skips blank ones; a data row's number
    counts only the non-blank lines, as `_scan_lines` did."""
    errors = cur.execute(
        "SELECT line, any_value(error_type), any_value(csv_line) FROM reject_errors GROUP BY line ORDER BY line"
    ).fetchall()
    blanks = blank_lines if blank_lines is not None else np.zeros(0, dtype=np.int64)
    return [ReaderReject(int(line) - 1 - int(np.searchsorted(blanks, int(line))), _code(str(kind)), str(text or ""))
            for line, kind, text in errors]


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


_cell_text = sheet_reader.cell_text

# Limits checked on the zip before any spreadsheet parser runs (a 2.6 MB zip bomb expanded to
# 4.1 GB): what a real visits workbook of MAX_UPLOAD_MB stays far below.
XLSX_MAX_UNCOMPRESSED = 1024 * 1024**2   # all members together
XLSX_MAX_RATIO = 200                     # uncompressed / compressed, for members over 1 MB
XLSX_MAX_CELLS = sheet_reader.MAX_CELLS   # declared by a sheet's <dimension>
XLSX_MAX_COLUMNS = 16_384                # Excel's own limit (XFD)
XLSX_TIMEOUT_S = 300
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,7})(\d{1,9})(?::([A-Z]{1,7})(\d{1,9}))?"')


def _bad_workbook(name: str, why_sv: str, why_en: str) -> UnreadableFileError:
    return UnreadableFileError(f"Arbetsboken {name} kan inte läsas: {why_sv}. / The workbook {name} cannot be read: {why_en}.")


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number


def check_xlsx(path: Path) -> None:
    """Refuse a workbook whose zip or declared sheet size is out of bounds, before calamine."""
    name = path.name
    too_big = ("den är för stor eller packad för hårt (zip-bomb)", "it is too large or packed too tightly (zip bomb)")
    try:
        with zipfile.ZipFile(path) as book:
            members = book.infolist()
            if sum(m.file_size for m in members) > XLSX_MAX_UNCOMPRESSED:
                raise _bad_workbook(name, *too_big)
            for m in members:
                if m.file_size > 1024**2 and m.file_size > XLSX_MAX_RATIO * max(m.compress_size, 1):
                    raise _bad_workbook(name, *too_big)
            sheets = [m for m in members if m.filename.startswith("xl/worksheets/") and m.filename.endswith(".xml")]
            if "xl/workbook.xml" not in book.namelist() or not sheets:
                raise _bad_workbook(name, "den är ingen XLSX-fil", "it is not an XLSX file")
            for sheet in sheets:
                with book.open(sheet) as fh:
                    head = fh.read(8192)
                match = _DIMENSION.search(head)
                if match is None:
                    continue
                c1, r1, c2, r2 = match.groups()
                cols = abs(_column_number(c2 or c1) - _column_number(c1)) + 1
                rows = abs(int(r2 or r1) - int(r1)) + 1
                if cols > XLSX_MAX_COLUMNS or cols * rows > XLSX_MAX_CELLS:
                    raise _bad_workbook(name, f"bladet anger {cols} kolumner och {rows} rader",
                                        f"the sheet declares {cols} columns and {rows} rows")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError, NotImplementedError,
            RuntimeError, ValueError) as exc:
        if isinstance(exc, UnreadableFileError):
            raise
        raise _bad_workbook(name, "den är ingen XLSX-fil", "it is not an XLSX file") from None


def _read_xlsx(path: Path) -> tuple[list[str], list[list[str | None]]]:
    """The first sheet of a workbook: first row = headers, cells as text.

    Checked first (check_xlsx), then read by geo.sheet_reader in a child process with a
    memory limit and a timeout, so that no workbook can abort or exhaust this process.
    """
    check_xlsx(path)
    broken = ("den är skadad eller för stor", "it is damaged or too large")
    try:
        done = subprocess.run([sys.executable, "-m", "geo.sheet_reader", str(path.resolve())], capture_output=True,
                              timeout=XLSX_TIMEOUT_S, cwd=Path(__file__).resolve().parents[1], check=False)
    except subprocess.TimeoutExpired:
        raise _bad_workbook(path.name, *broken) from None
    lines = done.stdout.splitlines()
    try:
        first = json.loads(lines[0]) if done.returncode == 0 and lines else {"error": "crash"}
        body = [json.loads(line) for line in lines[1:]]
    except ValueError:
        first = {"error": "output"}
    if "error" in first:
        raise _bad_workbook(path.name, *broken)
    headers = first["headers"]
    if not headers:
        raise UnreadableFileError(f"Filen {path.name} är tom. / The file {path.name} is empty.")
    return headers, body


def _read_geojson(path: Path) -> tuple[list[str], list[list[str | None]]]:
    """GeoJSON points: properties are the columns, the point gives lon/lat.

    Anything that is not that shape (`"features": null`, nesting too deep for the parser,
    a list where an object belongs) is one sentence, not a traceback."""
    try:
        return _geojson_table(json.loads(path.read_bytes().decode("utf-8-sig")))
    except (ValueError, KeyError, AttributeError, TypeError, RecursionError):
        raise UnreadableFileError(
            f"{path.name} är ingen GeoJSON-fil. / {path.name} is not a GeoJSON file."
        ) from None


def _geojson_table(data: object) -> tuple[list[str], list[list[str | None]]]:
    if not isinstance(data, dict):
        raise ValueError("not an object")
    features = data["features"] if data.get("type") == "FeatureCollection" else [data]
    if not isinstance(features, list) or not all(isinstance(f, dict) for f in features):
        raise ValueError("features")
    headers: list[str] = []
    for feature in features:
        props, geometry = feature.get("properties") or {}, feature.get("geometry") or {}
        if not isinstance(props, dict) or not isinstance(geometry, dict):
            raise ValueError("feature")
        for key in props:
            if key not in headers and key not in ("lat", "lon"):
                headers.append(key)
    headers += ["lat", "lon"]
    body: list[list[str | None]] = []
    for feature in features:
        props = feature.get("properties") or {}
        geometry = feature.get("geometry") or {}
        lon = lat = None
        coordinates = geometry.get("coordinates")
        if geometry.get("type") == "Point" and isinstance(coordinates, list) and len(coordinates) >= 2:
            lon, lat = coordinates[:2]  # GeoJSON order is [lon, lat]
        body.append([_json_cell(props.get(h)) for h in headers[:-2]] + [_json_cell(lat), _json_cell(lon)])
    return headers, body


def _json_cell(value: object) -> str | None:
    """A JSON value as cell text; a nested list or object is its JSON text."""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return _cell_text(value)


def _load_frame(
    cur: duckdb.DuckDBPyConnection, table_data: tuple[list[str], list[list[str | None]]], table: str,
    numbers: list[int] | None = None, *, drop: Collection[str] = (),
) -> RawTable:
    """Rows already split by a Python reader → the same temp table shape as CSV; `numbers`
    are their file row numbers when some rows were rejected in between; `drop`ped headers
    are left out."""
    all_headers, body = table_data
    _check_headers(all_headers, "", drop)
    keep = [i for i, h in enumerate(all_headers) if h not in drop]
    headers = [all_headers[i] for i in keep]
    width = len(all_headers)
    rows = [(row + [None] * width)[:width] for row in body]
    frame = pd.DataFrame([[row[i] for i in keep] for row in rows] if drop else rows, columns=headers, dtype="string")
    frame.insert(0, "_row", pd.array(numbers if numbers is not None else range(1, len(frame) + 1), dtype="int32"))
    _drop(cur, table)  # also completes any result the caller left open, which register() refuses
    cur.register("_frame_df", frame)
    cur.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM _frame_df")
    cur.unregister("_frame_df")
    return RawTable(table, headers, len(frame))
