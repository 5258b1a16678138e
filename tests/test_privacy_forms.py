"""Identifiers in every written form never reach the database or the disk (PRODUCT.md §6).

A careful adversary wrote personnummer, phone numbers and e-mail addresses the way people
and their tools really do: Word's en dash, the minus sign, non-breaking and thin spaces
from copy-paste, fullwidth digits and '＠', "070/123 45 67", "46701234567",
"anna[at]example.se", quoted local parts, samordningsnummer. Each test here imports real
files into a real DuckDB file and reads back every text cell of every table and the bytes
of the database file, its WAL and the temp and upload folders.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import stat
import tempfile
import time
import zipfile
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import cli, imports, ingest, privacy, store
from test_privacy import luhn_digit

NOW = datetime(2026, 11, 20, 12, 0)
DASHES = ["-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2212", "\ufe63", "\uff0d"]
SPACES = [" ", "\u00a0", "\u2007", "\u2009", "\u202f", "\u2002", "\u3000", "\t"]
INVISIBLE = ["\u200b", "\u00ad", "\u2060", "\ufeff"]


def pnr(yymmdd: str, serial3: str) -> str:
    return yymmdd + serial3 + luhn_digit(yymmdd + serial3)


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) - 0x30 + 0xFF10) if c.isdigit() else c for c in text)


VALID = pnr("850709", "980")  # 8507099805
SAMORD = pnr("850769", "123")  # day 09 + 60

# The written forms tried by hand; the property test below draws many more.
FORMS: list[str] = [
    # personnummer and samordningsnummer
    f"19{VALID[:6]}-{VALID[6:]}", f"{VALID[:6]}-{VALID[6:]}", VALID, f"19{VALID}",
    f"{VALID[:6]}+{VALID[6:]}", f"{VALID[:6]} {VALID[6:]}", f"{VALID[:6]} - {VALID[6:]}",
    f"{VALID[:6]}\u2013{VALID[6:]}", f"{VALID[:6]}\u2212{VALID[6:]}", f"{VALID[:6]}\u2014{VALID[6:]}",
    f"{VALID[:6]}\u00a0{VALID[6:]}", f"{VALID[:6]}\u202f{VALID[6:]}", f"{VALID[:6]}\u2009{VALID[6:]}",
    f"{VALID[:6]}\u00a0\u2013\u00a0{VALID[6:]}", f"{VALID[:6]}\u200b{VALID[6:]}",
    "1985-07-09-9805", "85-07-09-9805", "1985-07-09 9805", "1985.07.09-9805", "1985\u201307\u201309\u20139805",
    fullwidth(f"{VALID[:6]}-{VALID[6:]}"), fullwidth(VALID), f"{fullwidth(VALID[:6])}\uff0d{fullwidth(VALID[6:])}",
    f"{SAMORD[:6]}-{SAMORD[6:]}", f"19{SAMORD}", f"{SAMORD[:6]}\u2013{SAMORD[6:]}",
    # phone numbers
    "070-123 45 67", "0701234567", "070 123 45 67", "070/123 45 67", "070 / 123 45 67", "(070) 123 45 67",
    "070\u2013123\u00a045\u00a067", "070\u2212123 45 67", "070\u202f123\u202f45\u202f67", "070.123.45.67",
    fullwidth("070-123 45 67"), "08-123 456 78", "08\u2013123\u00a0456\u00a078", "(08) 123 45 67",
    "+46 70 123 45 67", "+46701234567", "+46 (0)70-123 45 67", "0046 70 123 45 67", "\uff0b46 70 123 45 67",
    "+46\u00a070\u00a0123\u00a045\u00a067", "46701234567", "46 70 123 45 67", "+40 721 234 567", "+359 88 123 4567",
    # e-mail addresses
    "anna@example.se", "anna.berg@example.se", "anna\uff20example.se", "anna\ufe6bexample.se", "anna[at]example.se",
    "anna(at)example.se", "anna [at] example.se", "anna at example.se", "anna[at]example[dot]se",
    '"anna b"@example.se', "\u201canna b\u201d@example.se", "ANNA@EXAMPLE.SE", "anna @ example.se",
]

# Ordinary text that must stay exactly as written (false positives cost the team notes).
KEPT: list[str] = [
    "0180-12345",  # 018 (Uppsala) + a subscriber number starting with 0: not a phone number
    "08-508 00 000",  # Stockholm stad's switchboard: a public service number
    "Socialjouren 08-508 40 000",
    "SL-kort 0100 2000 3000",
    "kort 0123 4567 8901",
    "Faktura 2026-10452",
    "fakturanr 4711-2026-03",
    "Faktura nr 100245-2026",
    "OCR 1234567890",
    "ordernr 46123456",
    "2026-11-24 22:30",
    "2026-11-24T22:30:00+01:00",
    "24/11/2026 22:30",
    "01/02/2026",
    "kl 08.00-10.00",
    "kl 08:30\u201310:00",
    "pass 08\u201310 12\u201314",
    "59.3293, 18.0686",
    "59,3293\u00a018,0686",
    "6580000 674000",
    "N 6580123 E 674321",
    "118\u00a020 Stockholm",
    "Hornsgatan 124, 118 20",
    "3 personer, 1 tält",
    "−3 grader",
    "bussar 4 och 94",
    "Sov under bron vid Årstaviken",
    "Informerade om härbärget på Fridhemsgatan",
    "Mötte dem at Centralen",
    "titta på @stockholmsstad",
    "Hämtade 2 filtar, 3 madrasser",
    "Ring 112 vid fara",
    "Ring 1177 för råd",
    "Polisen 114 14",
    "ca 40 min",
    "½ liter",
]


# ------------------------------------------------------------------ helpers

_GENERATED = re.compile(r"h:[0-9a-f]{32}|x:[0-9a-f]{24}|p-[0-9a-f]{12}|imp-\d{8}-\d{6}-[0-9a-f]{6}(?:-\d+)?"
                        r"|\b[0-9a-f]{64}\b")
_SEPARATORS = re.compile(r"[\s\-./()+\[\]\"]")


def _compact(text: str) -> str:
    """Normalised, separators out: '070–123 45 67' and '0701234567' compare equal."""
    return _SEPARATORS.sub("", privacy.normalise(text)[0]).lower()


def _text_cells(cur: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    """(table, column, text) for every column of every table, cast to text."""
    found = []
    tables = [r[0] for r in cur.execute(
        "SELECT table_name FROM duckdb_tables() WHERE NOT temporary AND NOT internal").fetchall()]
    for table in tables:
        cols = cur.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = ? AND NOT internal "
                           "AND database_name = current_database()", [table]).fetchall()
        for (col,) in cols:
            for (value,) in cur.execute(f'SELECT "{col}"::VARCHAR FROM "{table}" WHERE "{col}" IS NOT NULL').fetchall():
                found.append((table, col, value))
    return found


def _files(*roots: Path) -> list[Path]:
    return [p for root in roots if root.exists() for p in ([root] if root.is_file() else root.rglob("*"))
            if p.is_file()]


def leaked(forms: list[str], db: Path, texts: list[str], dirs: list[Path]) -> list[str]:
    """The forms found anywhere (a database cell, a text such as stdout or a summary, or a
    file's bytes), then any other text in which `contains_identifier` still sees one."""
    store.close()
    con = duckdb.connect(str(db), read_only=True)
    try:
        cells = [_GENERATED.sub(" ", v) for _, _, v in _text_cells(con)]
    finally:
        con.close()
    haystack = [*cells, *(_GENERATED.sub(" ", t) for t in texts)]
    compact = [_compact(h) for h in haystack]
    blobs = [p.read_bytes() for p in _files(db, db.with_name(db.name + ".wal"), *dirs)]
    out = []
    for form in forms:
        core = _compact(form)
        in_text = any(form in h for h in haystack) or any(core in c for c in compact)
        needles = {form.encode(), privacy.normalise(form)[0].encode(), core.encode()}
        if in_text or any(n in b for n in needles for b in blobs):
            out.append(form)
    return out + [h for h in haystack if privacy.contains_identifier(h)]


HEADER = ["visit_id", "visited_at", "lat", "lon", "place_id", "place_name", "place_type", "people", "team", "notes"]


def visits_csv(ident: str, n: int = 0) -> tuple[list[str], list[list[str]]]:
    """One file with `ident` in every text column of an imported row, in rejected rows (as a
    date, a count, a kind, a coordinate), in a row the reader cannot split, and in two
    headers (an unknown column and a nationality column)."""
    header = [*HEADER, f"tel{n} {ident}", f"nationalitet{n} {ident}"]
    lat, lon = f"59.33{n % 90 + 10}", "18.0593"
    rows = [
        [ident, "2026-11-03 21:00", lat, lon, ident, ident, "sovplats", "2", ident, f"Ring {ident} i morgon", "x", "y"],
        [f"r2-{n}", ident, lat, lon, "", f"{ident} bron", "sovplats", "1", "A", ident, "", ""],
        [f"r3-{n}", "2026-11-03 21:10", lat, lon, "", "Centralen", ident, ident, "A", "ok", "", ""],
        [f"r4-{n}", "2026-11-03 21:20", ident, ident, "", "", "sovplats", "1", "A", "ok", "", ""],
        [f"r5-{n}", "2026-11-03 21:30", lat, lon, "", "Centralen", "sovplats", "1", "A", "ok", "", "", ident, ident],
    ]
    return header, rows


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header, *rows])
    path.write_text(buffer.getvalue(), encoding="utf-8")


@contextlib.contextmanager
def private_tempdir(path: Path):
    """Point Python's temp folder (uploads, readers' copies) at `path` for the test."""
    path.mkdir(parents=True, exist_ok=True)
    old = tempfile.tempdir
    tempfile.tempdir = str(path)
    try:
        yield path
    finally:
        tempfile.tempdir = old


def import_everywhere(tmp: Path, forms: list[str], per_file: int = 16) -> tuple[Path, list[str], list[Path]]:
    """Import the forms (`per_file` to a file, each in its own rows and headers, all in the
    file name) through the page's path: upload saved, dry run, import with the original
    file name, upload removed; returns the database, the summaries and previews as text,
    and the folders to scan."""
    db = tmp / "v.duckdb"
    temp = tmp / "temp"
    with private_tempdir(temp):
        cur = store.cursor(db)
        texts = []
        for start in range(0, len(forms), per_file):
            chunk = forms[start : start + per_file]
            header = [*HEADER]
            for k, form in enumerate(chunk):
                header += visits_csv(form, start + k)[0][len(HEADER):]
            rows = []
            for k, form in enumerate(chunk):
                base = len(HEADER)
                for row in visits_csv(form, start + k)[1]:
                    own, overflow = row[base : base + 2], row[base + 2 :]
                    rows.append(row[:base] + [""] * (2 * k) + own + [""] * (2 * (len(chunk) - k - 1)) + overflow)
            source = tmp / f"src-{start}.csv"
            write_csv(source, header, rows)
            name = f"besök {' '.join(chunk)}.csv"
            saved, _ = imports.save_upload(source.read_bytes(), name, session="s")
            source.unlink()
            try:
                preview = imports.preview(cur, saved, name)
                summary = ingest.import_file(cur, saved, actor="test", now=NOW, file_name=name)
            finally:
                imports.remove_upload(saved)
            texts += [str(preview.summary.to_json()), str(summary.to_json()), preview.outcomes.to_csv()]
        cur.close()
    return db, texts, [temp, tmp]


# ------------------------------------------------------------------ forms

@pytest.mark.parametrize("form", FORMS)
def test_every_written_form_is_removed_from_a_note(form: str) -> None:
    note = f"Sov här, {form}, 3 personer."
    out, counts = privacy.scrub(note)
    assert counts.total() == 1, (form, out)
    assert out == f"Sov här, {privacy.REDACTED}, 3 personer."  # the rest exactly as written
    assert not privacy.contains_identifier(out)


def test_no_written_form_survives_a_real_import(tmp_path: Path) -> None:
    db, texts, dirs = import_everywhere(tmp_path, FORMS)
    assert leaked(FORMS, db, texts, dirs) == []
    # the rows were really imported and rejected, not refused as a whole
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM visits").fetchone()[0] == len(FORMS)
    assert con.execute("SELECT count(*) FROM rejects").fetchone()[0] == 4 * len(FORMS)
    con.close()


@pytest.mark.parametrize("text", KEPT)
def test_ordinary_text_stays_as_written(text: str) -> None:
    note = f"Noterat: {text}. Allt lugnt."
    assert privacy.scrub(note) == (note, privacy.ScrubCounts())
    assert not privacy.contains_identifier(note)


def test_removal_keeps_the_original_characters_around_it() -> None:
    text = "Tält\u00a0vid bron – ring 070\u2212123\u202f45\u202f67 ½ h, ＡＢ"
    assert privacy.scrub(text)[0] == f"Tält\u00a0vid bron – ring {privacy.REDACTED} ½ h, ＡＢ"


# ------------------------------------------------------------------ drawn forms

@st.composite
def personal_ids(draw: st.DrawFn) -> str:
    year, month = draw(st.integers(0, 99)), draw(st.integers(1, 12))
    day = draw(st.integers(1, 28)) + draw(st.sampled_from([0, 60]))  # samordningsnummer: day + 60
    ten = pnr(f"{year:02d}{month:02d}{day:02d}", f"{draw(st.integers(0, 999)):03d}")
    century = draw(st.sampled_from(["", "19" if year > 26 else "20"]))
    if draw(st.booleans()):  # the date written as a date
        ds = draw(st.sampled_from([*DASHES, ".", "/"]))
        date = f"{century}{ten[:2]}{ds}{ten[2:4]}{ds}{ten[4:6]}"
        sep = draw(st.sampled_from([*DASHES, *SPACES[:5], "+"]))
    else:
        date = century + ten[:6]
        sep = draw(st.sampled_from(["", "+", *DASHES, *SPACES, *INVISIBLE,
                                    " - ", "\u00a0\u2013\u00a0", " \u2212 "]))
    form = f"{date}{sep}{ten[6:]}"
    return fullwidth(form) if draw(st.booleans()) else form


@st.composite
def phones(draw: st.DrawFn) -> str:
    sub = draw(st.from_regex(r"\A[1-9][0-9]{6}\Z"))
    mobile = draw(st.sampled_from(["70", "72", "73", "76", "79"]))
    dash, space = draw(st.sampled_from(DASHES)), draw(st.sampled_from(SPACES))
    groups = f"{sub[:3]}{space}{sub[3:5]}{space}{sub[5:]}"
    form = draw(st.sampled_from([
        f"0{mobile}{dash}{groups}", f"0{mobile}{sub}", f"0{mobile}{space}{groups}", f"0{mobile}/{groups}",
        f"(0{mobile}){space}{groups}", f"0{mobile}{dash}{sub}",
        f"+46{space}{mobile}{space}{groups}", f"+46{mobile}{sub}", f"+46{space}(0){mobile}{dash}{groups}",
        f"0046{space}{mobile}{space}{groups}", f"46{mobile}{sub}", f"\uff0b46{space}{mobile}{space}{groups}",
        f"08{dash}{sub[:3]}{space}{sub[3:5]}{space}{sub[5:]}" if not sub.startswith("508") else f"0{mobile}{sub}",
        f"+40{space}7{sub[:2]}{space}{sub[2:5]}{space}{sub[4:7]}",
    ]))
    return fullwidth(form) if draw(st.booleans()) else form


@st.composite
def emails(draw: st.DrawFn) -> str:
    user = draw(st.from_regex(r"\A[a-zåäö][a-z0-9._]{0,8}[a-z0-9]\Z"))
    host = draw(st.from_regex(r"\A[a-z][a-z0-9-]{0,8}[a-z]\Z"))
    tld = draw(st.sampled_from(["se", "com", "nu", "org"]))
    at = draw(st.sampled_from(["@", "\uff20", "\ufe6b", "[at]", "(at)", " [at] ", " (at) ", " at ", " @ ", "[AT]"]))
    local = draw(st.sampled_from([user, f'"{user} b"', f"\u201c{user} b\u201d"]))
    dot = draw(st.sampled_from([".", "[dot]", "(dot)"])) if "at" in at.lower() else "."
    form = f"{local}{at}{host}{dot}{tld}"
    return form.upper() if draw(st.booleans()) else form


identifiers = st.one_of(personal_ids(), phones(), emails())


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(forms=st.lists(identifiers, min_size=1, max_size=3))
def test_drawn_identifiers_never_survive_anywhere(forms: list[str]) -> None:
    """Identifiers in every written form, in notes, team, visit and place ids, place names,
    rejected rows, headers and the file name: after a real import, none survives in any
    cell of any table (audit, imports, rejects included), the summaries, the database
    file, its WAL, or the temp and upload folders."""
    with tempfile.TemporaryDirectory(dir=tempfile.gettempdir()) as tmp:
        db, texts, dirs = import_everywhere(Path(tmp), forms)
        try:
            assert leaked(forms, db, texts, dirs) == []
            assert not [p for p in _files(dirs[0]) if "uppsok-uploads" in str(p)]  # uploads gone
        finally:
            store.close()


@settings(max_examples=60, deadline=None)
@given(st.one_of(
    st.text(alphabet=st.sampled_from([*"0123456789 ()./+-@atAT[]\"x\n", *DASHES, *SPACES, *INVISIBLE,
                                      "\uff10", "\uff15", "\uff20", "å", "ș", "½"]), max_size=30),
    st.tuples(st.text(max_size=8), identifiers, st.text(max_size=8)).map("".join),
))
def test_the_sql_prefilter_is_a_superset_of_the_scrubber(text: str) -> None:
    """One matcher: every text `scrub` would change is flagged by the pattern DuckDB runs."""
    flagged = _DB.execute(f"SELECT regexp_matches(?, '{ingest.IDENTIFIER_HINT}')", [text]).fetchone()[0]
    if privacy.scrub(text)[1].total():
        assert flagged, text
    assert flagged == privacy.might_contain_identifier(text), text


_DB = duckdb.connect()


# ------------------------------------------------------------------ CLI, headers, file name

def test_cli_output_and_history_hold_no_identifier_from_the_file_name_or_a_header(tmp_path: Path) -> None:
    forms = ["850709\u20139805", "070 123 45 67", "anna[at]example.se"]
    path = tmp_path / f"besök {' '.join(forms)}.csv"
    write_csv(path, [*HEADER, f"ring {forms[1]}"], [["v1", "2026-11-03 21:00", "59.3309", "18.0593", "", "Centralen",
                                                    "sovplats", "1", "A", "ok", "x"]])
    db = tmp_path / "v.duckdb"
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        assert cli.main(["import", str(path), "--db", str(db)]) == 0
        assert cli.main(["import", str(path), "--db", str(db), "--json"]) == 0
    assert privacy.REDACTED in out.getvalue()
    path.unlink()
    assert leaked(forms, db, [out.getvalue(), err.getvalue()], []) == []


# ------------------------------------------------------------------ uploads on disk

def test_uploads_are_private_and_deleted(tmp_path: Path) -> None:
    path, _ = imports.save_upload(b"a,b\n1,2\n", "besök.csv", directory=tmp_path, session="s1")
    root = imports.upload_root(tmp_path)
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    imports.remove_upload(path)
    assert not path.exists() and not path.parent.exists()


def test_an_old_world_readable_upload_folder_is_made_private(tmp_path: Path) -> None:
    root = imports.upload_root(tmp_path)
    root.mkdir(mode=0o755)
    os.chmod(root, 0o755)
    (root / "old").mkdir()
    stale = root / "old" / "x.csv"
    stale.write_bytes(b"x")
    os.chmod(stale, 0o644)
    path, _ = imports.save_upload(b"a,b\n", "ny.csv", directory=tmp_path)
    assert stat.S_IMODE(root.stat().st_mode) == 0o700 and stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_replaced_upload_is_deleted(tmp_path: Path) -> None:
    first, _ = imports.save_upload(b"a\n1\n", "a.csv", directory=tmp_path, session="s")
    second, _ = imports.save_upload(b"b\n2\n", "b.csv", directory=tmp_path, session="s", previous=first)
    assert not first.exists() and second.exists()


def test_uploads_are_swept_at_start_up_without_a_new_upload(tmp_path: Path) -> None:
    old, _ = imports.save_upload(b"a\n1\n", "gammal.csv", directory=tmp_path, session="s1")
    fresh, _ = imports.save_upload(b"b\n2\n", "ny.csv", directory=tmp_path, session="s2")
    hour_ago = time.time() - imports.UPLOAD_MAX_AGE_S - 60
    for p in (old, old.parent):
        os.utime(p, (hour_ago, hour_ago))
    assert imports.start_upload_sweeper(tmp_path, interval=3600) == 1
    assert not old.exists() and fresh.exists()
    assert imports.start_upload_sweeper(tmp_path) == 0  # once per process


def test_a_failed_import_on_the_page_deletes_the_upload(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The page's import callback removes the upload in `finally`: an import that fails
    leaves nothing behind (the next run saves the widget's bytes again)."""
    from test_page_import import page

    with private_tempdir(tmp_path / "temp"):
        at = page(monkeypatch, tmp_path / "v.duckdb")
        good = "visited_at,lat,lon,notes\n2026-11-03 21:00,59.3309,18.0593,ring 070-123 45 67\n".encode()
        at.file_uploader[0].set_value(("besök.csv", good, "text/csv")).run()
        saved = Path(at.session_state["imp_saved_path"])
        assert saved.exists() and stat.S_IMODE(saved.stat().st_mode) == 0o600
        broken = b"\x00" * len(good)  # same size: only a deleted file is written again
        saved.write_bytes(broken)
        at.button(key="imp_go").click().run()
        assert at.error  # the import failed
        assert not saved.exists() or saved.read_bytes() == good
        store.close()


def test_a_valid_personnummer_wins_over_a_timestamp() -> None:
    """"20260115123c" reads as 2026-01-15 12:3c and as a personnummer with a correct Luhn
    digit: privacy wins; the same digits with a wrong check digit stay."""
    number = "20" + pnr("260115", "123")
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert privacy.scrub(f"loggad {number}")[0] == f"loggad {privacy.REDACTED}"
    assert privacy.scrub(f"loggad {wrong}")[1].total() == 0


@pytest.mark.parametrize("text", ["070 " * 20000, "1985-07-09-9805 " * 2000, "0123 4567 " * 10000,
                                  "\u00a0".join(["070"] * 20000), "46 70 " * 10000])
def test_hostile_runs_are_scrubbed_in_one_pass(text: str) -> None:
    """Long runs of number-like groups once cost one full scan per removal; the result is
    the same whether the run is long or short (and the test returns in well under a second)."""
    out, counts = privacy.scrub(text)
    assert privacy.scrub(out) == (out, privacy.ScrubCounts())


def test_a_repeat_table_name_and_an_unreadable_file_name_are_scrubbed(tmp_path: Path) -> None:
    """The names of a .csv.zip's repeat tables (summary, history, stdout) and the file name
    quoted by an unreadable-file error (stderr) are file text too."""
    forms = ["850709-9805", "070 123 45 67", "anna@example.se"]
    zipped = tmp_path / "export.csv.zip"
    with zipfile.ZipFile(zipped, "w") as book:
        book.writestr("export.csv", "visited_at,lat,lon,place_name,KEY\n2026-11-03 21:00,59.3309,18.0593,Centralen,k1\n")
        for form in forms:
            book.writestr(f"export-{form}.csv", "a,PARENT_KEY,KEY\n1,k1,k1/r\n")
    empty = tmp_path / f"tom {forms[0]}.csv"
    empty.write_bytes(b"")
    binary = tmp_path / f"bild {forms[1]}.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    db = tmp_path / "v.duckdb"
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        assert cli.main(["import", str(zipped), "--db", str(db), "--json"]) == 0
        assert cli.main(["import", str(empty), "--db", str(db)]) == 2
        assert cli.main(["import", str(binary), "--db", str(db)]) == 2
    assert err.getvalue().count(privacy.REDACTED) == 4  # each name twice (Swedish, English)
    summary = json.loads(out.getvalue().strip().splitlines()[-1])
    assert sum(summary["skipped_tables"].values()) == 3  # every repeat table still counted
    empty.unlink()
    binary.unlink()
    assert leaked(forms, db, [out.getvalue(), err.getvalue()], []) == []


@pytest.mark.parametrize("slash", ["\u2215", "\u2044", "\uff0f"])
def test_a_phone_number_with_a_look_alike_slash_is_removed(slash: str) -> None:
    """A file name cannot hold '/', so a phone number with a slash reaches one as the
    division slash ("besök 070∕123 45 67.csv")."""
    text, counts = privacy.scrub(f"besök 070{slash}123 45 67.csv")
    assert (text, counts.phones) == (f"besök {privacy.REDACTED}.csv", 1)
