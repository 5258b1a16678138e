"""Files as Swedish offices export them: Windows-1252, semicolons, decimal commas,
Swedish headers, date and time in two columns, SWEREF 99 TM."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from geo import ingest

from conftest import DATA

NOW = datetime(2026, 11, 24, 12, 0)


def test_windows_1252_semicolons_sweref_and_swedish_headers(cur):
    summary = ingest.import_file(cur, DATA / "visits_sv_cp1252_sweref.csv", now=NOW)
    assert (summary.rows, summary.imported, summary.rejected) == (3, 2, 1)
    assert summary.sweref_rows == 3 and summary.swapped_coordinates == 1
    assert summary.dropped_columns == ["Medborgarskap"]
    name, kind = cur.execute("SELECT name, kind FROM places").fetchone()
    assert name == "Tantolunden – slänten" and kind == "encampment"
    lat, lon, acute, referred = cur.execute(
        "SELECT lat, lon, acute, referred_to FROM visits WHERE visit_id = 'sw-1'").fetchone()
    assert abs(lat - 59.3125) < 0.002 and abs(lon - 18.0348) < 0.002
    assert acute is True and referred == "socialjouren"
    reason = cur.execute("SELECT reason_code, reason_sv FROM rejects").fetchone()
    assert reason[0] == "outside_area" and "utanför" in reason[1]
    stored = " ".join(str(v) for row in cur.execute("SELECT * FROM visits").fetchall() for v in row)
    assert "RO" not in stored.split() and "BG" not in stored.split()


def test_decimal_commas_utf8_bom_and_offsets(cur, tmp_path: Path):
    path = tmp_path / "bom.csv"
    path.write_bytes(
        "\ufeffTidpunkt;Lat;Lon;Antal\n"
        "2026-11-02T22:15:00+01:00;59,3309;18,0593;2\n"
        "2026-07-02T22:15:00Z;59,3232;18,0676;0\n".encode("utf-8")
    )
    summary = ingest.import_file(cur, path, now=NOW)
    assert summary.imported == 2
    times = sorted(r[0] for r in cur.execute("SELECT visited_at FROM visits").fetchall())
    assert times == [datetime(2026, 7, 2, 22, 15), datetime(2026, 11, 2, 21, 15)]


def test_tab_separated(cur, tmp_path: Path):
    path = tmp_path / "visits.tsv"
    path.write_text("visited_at\tlat\tlon\tpeople\n2026-11-02 22:15\t59.3309\t18.0593\t2\n", encoding="utf-8")
    assert ingest.import_file(cur, path, now=NOW).imported == 1


def test_xlsx_first_sheet_with_real_dates_and_numbers(cur):
    summary = ingest.import_file(cur, DATA / "visits.xlsx", now=NOW)
    assert (summary.rows, summary.imported, summary.rejected) == (3, 2, 1)
    assert summary.reject_reasons == {"bad_people": 1}
    assert summary.removed_identifiers["phones"] == 1
    at = cur.execute("SELECT visited_at FROM visits WHERE visit_id = 'x-1'").fetchone()[0]
    assert at == datetime(2026, 11, 3, 20, 40)


def test_geojson_points_from_a_field_app(cur):
    summary = ingest.import_file(cur, DATA / "visits_fieldapp.geojson", now=NOW)
    assert (summary.rows, summary.imported, summary.rejected) == (3, 1, 2)
    assert summary.reject_reasons == {"outside_area": 1, "no_location": 1}
    assert cur.execute("SELECT lat, lon FROM visits").fetchone() == (59.3309, 18.0593)
