"""Hostile and broken files: no row lost, no garbled value, no file brings the service down.

Every file is real (written to disk, imported into a real DuckDB file); the hostile
workbooks are built with zipfile, so the test shows exactly what they hold.
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import cli, ingest, readers, store
from geo.readers import UnreadableFileError

from conftest import DATA

NOW = datetime(2026, 11, 24, 12, 0)  # naive UTC
HEADER = "visit_id,visited_at,lat,lon,place_type,notes"


def _row(i: int, notes: str = "") -> str:
    return f"v{i},2026-11-{1 + i % 20:02d} 22:15,59.3309,18.0593,sovplats,{notes or f'n{i}'}"


def _rejects(cur, import_id: str) -> dict[int, str]:
    return dict(cur.execute("SELECT row_number, reason_code FROM rejects WHERE import_id = ?", [import_id]).fetchall())


def _balanced(summary: ingest.ImportSummary) -> bool:
    return summary.rows == summary.imported + summary.duplicates + summary.rejected


# --- rows lost without a word ------------------------------------------------------------

def test_an_unclosed_quote_at_row_6_rejects_that_row_and_imports_the_other_999(cur, tmp_path):
    lines = [HEADER] + [_row(i, '"broken start' if i == 6 else "") for i in range(1, 1001)]
    path = tmp_path / "quote.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = ingest.import_file(cur, path, now=NOW)
    assert (summary.rows, summary.imported, summary.rejected) == (1000, 999, 1)
    assert _rejects(cur, summary.import_id) == {6: "bad_quoting"}
    assert cur.execute("SELECT count(*) FROM visits WHERE visit_id = 'v1000'").fetchone()[0] == 1


def test_a_note_spanning_lines_is_one_row_and_blank_lines_do_not_shift_row_numbers(cur, tmp_path):
    path = tmp_path / "multi.csv"
    note = '"sov under\nbron, två"'
    path.write_text("\n".join([HEADER, _row(1), _row(2, note), "", _row(3) + ",extra", _row(4)]) + "\n",
                    encoding="utf-8")
    summary = ingest.import_file(cur, path, now=NOW)
    assert (summary.rows, summary.imported, summary.rejected) == (4, 3, 1)
    assert _rejects(cur, summary.import_id) == {3: "too_many_fields"}
    assert cur.execute("SELECT notes FROM visits WHERE visit_id = 'v2'").fetchone()[0] == "sov under\nbron, två"


def test_blank_lines_on_the_fast_path_keep_reject_row_numbers(cur, tmp_path):
    path = tmp_path / "blank.csv"
    path.write_text(f"{HEADER}\n{_row(1)}\n\n\n{_row(2)},extra\n{_row(3)}\n", encoding="utf-8")
    summary = ingest.import_file(cur, path, now=NOW)
    assert (summary.rows, summary.imported, summary.rejected) == (3, 2, 1)
    assert _rejects(cur, summary.import_id) == {2: "too_many_fields"}


def test_mixed_line_endings_import_instead_of_failing(cur, tmp_path):
    path = tmp_path / "crlf.csv"
    path.write_bytes(f"{HEADER}\r\n{_row(1)}\r\n{_row(2)}\n{_row(3)}\r\n".encode())
    summary = ingest.import_file(cur, path, now=NOW)
    assert (summary.rows, summary.imported) == (3, 3)


def test_a_file_mixing_utf8_and_cp1252_lines_is_decoded_per_line_with_a_warning(cur, tmp_path):
    data = b"visited_at,lat,lon,place_type,place_name\n"
    for i in range(6):
        # a kilometre apart, so that no name is matched to another's place by the radius
        line = f"2026-11-0{i + 1} 22:15,{59.30 + i * 0.01:.4f},18.0600,sovplats,Östermalm {i}\n"
        data += line.encode("cp1252" if i == 3 else "utf-8")
    path = tmp_path / "mixed.csv"
    path.write_bytes(data)
    summary = ingest.import_file(cur, path, now=NOW)
    assert (summary.rows, summary.imported, summary.cp1252_rows) == (6, 6, 1)
    names = {r[0] for r in cur.execute("SELECT name FROM places").fetchall()}
    assert names == {f"Östermalm {i}" for i in range(6)}
    assert not any("Ã" in n for n in names)


def test_a_cp1252_file_leaves_no_copy_on_disk_even_when_the_import_fails(cur, tmp_path, monkeypatch):
    spool = tmp_path / "tmp"
    spool.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    bad = tmp_path / "konton.csv"
    bad.write_bytes("konto;belopp;anteckning\n1;2;Södermalm 19850709-9805\n".encode("cp1252"))
    with pytest.raises(ingest.NotAVisitsFileError):
        ingest.import_file(cur, bad, now=NOW)
    summary = ingest.import_file(cur, DATA / "visits_sv_cp1252_sweref.csv", now=NOW)
    assert summary.rows and _balanced(summary)
    assert list(spool.iterdir()) == []


@pytest.mark.parametrize(("text", "code"), [
    ("0001-01-01 10:00", "old_date"),
    ("1999-12-31 23:00", "old_date"),
    ("02.11.26 22:15", "old_date"),          # a two-digit year: 2002-11-26 or 2026-11-02?
    ("2026-11-01T10:00+25:00", "bad_date"),  # no such offset
    ("2026-11-01T10:00+01:75", "bad_date"),
    ("2026-11-01T10:00+01:00", None),
    ("02.11.2026 22:15", None),
])
def test_dates_outside_the_plausible_window_and_impossible_offsets_are_rejected(cur, tmp_path, text, code):
    path = tmp_path / "dates.csv"
    path.write_text(f"visited_at,lat,lon\n{text},59.3309,18.0593\n", encoding="utf-8")
    summary = ingest.import_file(cur, path, now=NOW)
    assert _rejects(cur, summary.import_id) == ({1: code} if code else {})
    assert cur.execute("SELECT count(*) FROM visits WHERE visited_at < '2000-01-01'").fetchone()[0] == 0


# --- one file takes the service down -----------------------------------------------------

def _xlsx(path: Path, sheet_xml: str, extra: dict[str, bytes] | None = None) -> Path:
    """A minimal workbook: the parts calamine needs, and the given first sheet."""
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>",
        "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>",
        "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
        '<sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>",
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, text in parts.items():
            book.writestr(name, text)
        for name, data in (extra or {}).items():
            book.writestr(name, data)
    return path


def _sheet(cells: str, dimension: str | None = None) -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"{dim}<sheetData>{cells}</sheetData></worksheet>")


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def test_the_minimal_workbook_builder_makes_a_readable_workbook(cur, tmp_path):
    cells = (f'<row r="1">{_inline("A1", "visited_at")}{_inline("B1", "lat")}{_inline("C1", "lon")}</row>'
             f'<row r="2">{_inline("A2", "2026-11-02 22:15")}{_inline("B2", "59.3309")}{_inline("C2", "18.0593")}</row>')
    summary = ingest.import_file(cur, _xlsx(tmp_path / "ok.xlsx", _sheet(cells, "A1:C2")), now=NOW)
    assert (summary.rows, summary.imported) == (1, 1)


def test_a_workbook_declaring_a_million_columns_is_refused_before_it_is_read(tmp_path):
    path = _xlsx(tmp_path / "wide.xlsx", _sheet(f'<row r="1">{_inline("A1", "x")}{_inline("BDWGN1", "y")}</row>',
                                                "A1:BDWGN1"))
    assert path.stat().st_size < 2000
    with pytest.raises(UnreadableFileError, match="1000000"):
        readers.check_xlsx(path)


def test_a_workbook_whose_cells_need_512_gib_does_not_take_this_process_down(cur, tmp_path):
    # No <dimension>: only the reader finds that A1 and XFD1048576 make a 16384 × 1048576 grid.
    path = _xlsx(tmp_path / "huge.xlsx", _sheet(f'<row r="1">{_inline("A1", "visited_at")}</row>'
                                                f'<row r="1048576">{_inline("XFD1048576", "x")}</row>'))
    with pytest.raises(UnreadableFileError):
        ingest.import_file(cur, path, now=NOW)
    assert cur.execute("SELECT 1").fetchone() == (1,)  # still here


def test_a_zip_bomb_workbook_is_refused_by_its_compression_ratio(tmp_path):
    path = _xlsx(tmp_path / "bomb.xlsx", _sheet(""), {"xl/media/pad.bin": b"\0" * (8 * 1024**2)})
    assert path.stat().st_size < 100_000
    with pytest.raises(UnreadableFileError, match="zip"):
        readers.check_xlsx(path)


def _run_cli(path: Path, db: Path) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(["import", str(path), "--db", str(db)])
    return code, err.getvalue()


def _one_sentence(code: int, err: str) -> None:
    assert "Traceback" not in err
    assert code == 2, err
    assert len(err.strip().splitlines()) == 1 and " / " in err  # Swedish / English


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


UNREADABLE = {
    "garbage.csv": bytes(range(256)) * 8,
    "picture.csv": b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0\x1f\xf3\xffa",
    "empty.csv": b"",
    "spaces.csv": b"  \n\n ",
    "utf16.csv": "visited_at,lat,lon\n2026-11-02 22:15,59.33,18.06\n".encode("utf-16-le"),
    "nested.geojson": ('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, '
                       f'"geometry": {{"type": "Point", "coordinates": {_nested(50_000)}}}}}]}}').encode(),
    "deep.json": _nested(100_000).encode(),
    "null.geojson": b'{"type": "FeatureCollection", "features": null}',
    "list.geojson": b'{"type": "FeatureCollection", "features": [1, "x"]}',
    "props.geojson": b'{"type": "FeatureCollection", "features": [{"properties": [1], "geometry": null}]}',
    "notzip.xlsx": b"PK\x03\x04 this is not a zip",
    "other.xlsx": None,  # a zip, but no workbook in it (filled in below)
    "text.xlsx": b"visited_at,lat,lon\n",
    # a header named like the readers' own row number column, on the Python split (a header
    # with a line break in it), the DuckDB path and a GeoJSON property
    "row_header.csv": b'visited_at,lat,lon,_row,"c\nd"\n2026-11-03 21:00,59.33,18.05,1,2\n',
    "row_header_fast.csv": b"visited_at,lat,lon,_ROW\n2026-11-03 21:00,59.33,18.05,1\n",
    "row_prop.geojson": (b'{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
                         b'{"visited_at": "2026-11-03 21:00", "_row": 1}, '
                         b'"geometry": {"type": "Point", "coordinates": [18.05, 59.33]}}]}'),
}


@pytest.mark.parametrize("name", sorted(UNREADABLE))
def test_each_unreadable_file_gives_one_sentence_and_exit_2(tmp_path, name):
    path = tmp_path / name
    if UNREADABLE[name] is None:
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("readme.txt", "hej")
    else:
        path.write_bytes(UNREADABLE[name])
    _one_sentence(*_run_cli(path, tmp_path / "u.duckdb"))


FUZZ = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".csv", ".tsv", ".geojson", ".xlsx"]))
def test_fuzz_bytes_never_give_a_traceback(data, suffix):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"f{suffix}"
        path.write_bytes(data)
        _one_sentence(*_run_cli(path, Path(tmp) / "f.duckdb"))


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20,
)
_features = st.lists(st.fixed_dictionaries({"type": st.just("Feature"), "properties": _json, "geometry": _json}),
                     max_size=3)


@FUZZ
@given(doc=st.one_of(_json, st.fixed_dictionaries({"type": st.just("FeatureCollection"),
                                                    "features": st.one_of(_json, _features)})))
def test_fuzz_json_structures_exit_0_or_one_sentence(doc):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.geojson"
        path.write_text(json.dumps(doc), encoding="utf-8")
        code, err = _run_cli(path, Path(tmp) / "f.duckdb")
        assert "Traceback" not in err
        if code != 0:
            _one_sentence(code, err)


_REAL_XLSX = (DATA / "visits.xlsx").read_bytes()


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cuts=st.lists(st.tuples(st.integers(0, len(_REAL_XLSX) - 1), st.binary(min_size=1, max_size=8)),
                     min_size=1, max_size=4))
def test_fuzz_damaged_workbooks_exit_0_or_one_sentence(cuts):
    data = bytearray(_REAL_XLSX)
    for at, junk in cuts:
        data[at:at + len(junk)] = junk
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.xlsx"
        path.write_bytes(bytes(data))
        code, err = _run_cli(path, Path(tmp) / "f.duckdb")
        assert "Traceback" not in err
        if code != 0:
            _one_sentence(code, err)
        store.close()


_cell = st.text(st.characters(codec="utf-8", exclude_characters='"\r\n\x00'), max_size=6)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.one_of(st.just([]), st.lists(_cell, min_size=1, max_size=4)), min_size=1, max_size=12),
       crlf=st.booleans())
def test_duckdb_and_the_careful_split_agree_on_rows_numbers_and_rejects(rows, crlf):
    """The fast reader and the Python split give the same cells, row numbers and rejects,
    so a file's outcome does not depend on which of them read it."""
    def quoted(cell: str) -> str:
        return f'"{cell}"' if "," in cell or cell != cell.strip() or not cell else cell

    end = "\r\n" if crlf else "\n"
    text = end.join(["a,b,c"] + [",".join(quoted(c) for c in row) for row in rows]) + end
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.csv"
        path.write_text(text, encoding="utf-8", newline="")
        cur = store.cursor(Path(tmp) / "f.duckdb")
        try:
            results = []
            for careful in (False, True):
                raw = readers.load(cur, path, careful=careful)
                cur.execute(f"CREATE OR REPLACE TEMP TABLE t AS SELECT * FROM {raw.name}")
                raw.finish(cur, "t")
                cells = cur.execute("SELECT _row, a, b, c FROM t ORDER BY _row").fetchall()
                results.append((raw.rows, cells, sorted((r.row, r.code) for r in raw.rejects)))
            assert results[0] == results[1]
            assert results[0][0] == sum(1 for row in rows if row)
        finally:
            store.close(Path(tmp) / "f.duckdb")


def test_a_workbook_given_by_a_relative_path_is_read_by_the_child(tmp_path, monkeypatch):
    monkeypatch.chdir(DATA)
    code = cli.main(["import", "visits.xlsx", "--db", str(tmp_path / "r.duckdb")])
    store.close()
    assert code == 0


def test_utf16_with_a_bom_is_read(cur, tmp_path):
    path = tmp_path / "u16.csv"
    path.write_bytes("visited_at,lat,lon,place_name\n2026-11-02 22:15,59.3309,18.0593,Årsta\n".encode("utf-16"))
    summary = ingest.import_file(cur, path, now=NOW)
    assert (summary.rows, summary.imported) == (1, 1)
    assert cur.execute("SELECT name FROM places").fetchone()[0] == "Årsta"


def test_a_utf8_bom_file_with_an_unclosed_quote_loses_no_row(cur, tmp_path):
    lines = [HEADER] + [_row(i, '"oops' if i == 2 else "") for i in range(1, 6)]
    path = tmp_path / "bom.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    summary = ingest.import_file(cur, path, now=NOW)
    assert (summary.rows, summary.imported, summary.rejected) == (5, 4, 1)
    assert _rejects(cur, summary.import_id) == {2: "bad_quoting"}
