"""The documented fix-and-re-import loop (issue 17): import a file with rejected rows, export
the rejects as CSV, fix the bad values in a spreadsheet, import that file, then import the
original source again. Exactly the fixed rows are added, nothing twice, and the source ends
all duplicates. The export neutralises only what a spreadsheet would evaluate."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
from hypothesis import given, settings, strategies as st

from geo import imports, ingest, store
from geo.exports import to_safe_csv

SOURCE = """visit_id,visited_at,lat,lon,place_name,place_type,people,children,acute,referred_to,team,notes
L-1,2026-11-02 22:15,59.3309,18.0593,T-Centralen uppgång,sovplats,2,0,nej,-,A,Två sov
L-2,2026-11-03 10:05,59.3232,18.0676,Gamla stan gränd,sovplats,två,,nej,-,A,Fel antal
L-3,2026-11-04 21:40,59.3420,18.0490,Vasaparken,boplats,3,1,kanske,-,B,=SUM(A1) i anteckningen
,2026-11-05 23:10,59.3150,18.0720,Slussen,sovplats,tre,,nej,-,B,utan id
L-5,2026-11-06 20:00,59.3330,18.0650,Kungsträdgården,sovplats,1,0,nej,-,A,ok
"""
FIXES = {"people": {"två": "2", "tre": "3"}, "acute": {"kanske": "ja"}}


def _stored(cur) -> list[tuple]:
    return cur.execute("SELECT visit_id, people, acute, referred_to FROM visits ORDER BY visit_id").fetchall()


def test_fix_and_reimport_adds_exactly_the_fixed_rows_and_the_source_ends_duplicates(cur, tmp_path: Path) -> None:
    source = tmp_path / "source.csv"
    source.write_text(SOURCE, encoding="utf-8")
    first = ingest.import_file(cur, source)
    assert (first.imported, first.rejected) == (2, 3)

    exported = to_safe_csv(imports.rejects_frame(cur, first.import_id))
    table = pd.read_csv(io.StringIO(exported), dtype=str, keep_default_na=False)
    assert list(table["referred_to"]) == ["-", "-", "-"]  # the valid no-referral value, not '-
    assert set(table["visit_id"]) >= {"L-2", "L-3"}  # the row's id travels with it
    assert "'=SUM(A1) i anteckningen" in list(table["notes"])  # a formula stays neutralised
    for column, fixes in FIXES.items():  # what a user does in the spreadsheet
        table[column] = table[column].replace(fixes)
    fixed = tmp_path / "fixed.csv"
    table.to_csv(fixed, index=False)

    second = ingest.import_file(cur, fixed)
    assert (second.imported, second.duplicates, second.rejected) == (3, 0, 0), second.reject_reasons
    rows = _stored(cur)
    assert len(rows) == len({r[0] for r in rows}) == 5
    assert ("L-2", 2, False, None) in rows and ("L-3", 3, True, None) in rows

    again = ingest.import_file(cur, source)  # a later export from the source system
    assert (again.imported, again.duplicates, again.rejected) == (0, 5, 0)
    fixed_again = ingest.import_file(cur, fixed)
    assert (fixed_again.imported, fixed_again.duplicates) == (0, 3)
    assert _stored(cur) == rows


def test_only_cells_a_spreadsheet_evaluates_are_neutralised() -> None:
    cells = ["-", "+", "=", "@", "-5", "=1+1", "+46", "@SUM(A1)", "\tx", "\rx", "a-b", "", "ok"]
    text = to_safe_csv(pd.DataFrame({"v": cells}))
    back = list(pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)["v"])
    assert back == ["-", "+", "=", "@", "'-5", "'=1+1", "'+46", "'@SUM(A1)", "'\tx", "'\nx", "a-b", "", "ok"]


def test_a_cell_holding_the_separator_is_quoted() -> None:
    text = to_safe_csv(pd.DataFrame({"a": [";=1+1", "x"], "b": ["1", "2"]}), sep=";")
    assert text.splitlines()[1] == '";=1+1";1'
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[1] == [";=1+1", "1"]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("=+-@\t\r;,\"\n a1")), max_size=6), min_size=1, max_size=5),
       st.sampled_from([",", ";"]))
def test_no_exported_cell_starts_a_formula(cells: list[str], sep: str) -> None:
    """Hostile cells: every cell read back by a CSV parser is the value, or the value behind
    an apostrophe when it is a formula start with more after it; no field starts a formula."""
    text = to_safe_csv(pd.DataFrame({"v": cells, "w": cells}), sep=sep)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))[1:]
    assert all(len(r) == 2 for r in rows)
    for cell, (read, _) in zip(cells, rows):
        formula = len(cell) > 1 and cell[0] in "=+-@\t\r"
        value = ("'" + cell if formula else cell).replace("\r\n", "\n").replace("\r", "\n")
        assert read == value
        assert not (len(read) > 1 and read[0] in "=+-@\t\r")


def test_the_loop_stores_notes_and_ids_as_written_not_with_the_exports_apostrophe(cur, tmp_path: Path) -> None:
    """A note written as a bullet ("- sov under bron") or an id starting with '-' leaves the
    export as "'- sov under bron" (a spreadsheet would evaluate it); imported back, the
    apostrophe is the export's, not the user's: the stored note is the source's, and the id
    still finds the visit when the source is imported again (else it is stored twice)."""
    source = tmp_path / "source.csv"
    source.write_text("visit_id,visited_at,lat,lon,place_name,people,notes\n"
                      "-17,2026-11-02 22:15,59.3309,18.0593,Centralen,två,- sov under bron\n"
                      "L-2,2026-11-03 10:05,59.3309,18.0593,Centralen,tre,+1 hund\n", encoding="utf-8")
    first = ingest.import_file(cur, source)
    assert first.rejected == 2
    table = pd.read_csv(io.StringIO(to_safe_csv(imports.rejects_frame(cur, first.import_id))),
                        dtype=str, keep_default_na=False)
    assert list(table["notes"]) == ["'- sov under bron", "'+1 hund"]  # neutralised on the way out
    table["people"] = table["people"].replace({"två": "2", "tre": "3"})
    fixed = tmp_path / "fixed.csv"
    table.to_csv(fixed, index=False)
    assert ingest.import_file(cur, fixed).imported == 2
    stored = cur.execute("SELECT visit_id, notes FROM visits ORDER BY visited_at").fetchall()
    assert stored == [("-17", "- sov under bron"), ("L-2", "+1 hund")]
    again = ingest.import_file(cur, source)
    assert (again.imported, again.duplicates) == (0, 2)
