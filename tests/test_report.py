"""The report for samverkansgruppen: PDF and CSV leave no place name, no coordinate, no count
below 5; the PDF opens and holds the figures the page shows; CLI report and retention."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

import geopandas as gpd
import pypdf
import pytest
from shapely.geometry import box
from streamlit.testing.v1 import AppTest

from geo import boundaries, cli, store
from geo.report import make_report
from test_trends import PLACES, VISITS, build

ROOT = Path(__file__).resolve().parents[1]
START, END = date(2026, 3, 2), date(2026, 3, 20)


def with_districts(cur, tmp_path: Path) -> None:
    """Two districts split at longitude 18.06 (Kungsträdgården, Hötorget, Vitabergsparken, Fatbursparken east)."""
    layer = gpd.GeoDataFrame({"namn": ["Väster", "Öster"]},
                             geometry=[box(17.9, 59.2, 18.06, 59.4), box(18.06, 59.2, 18.2, 59.4)], crs="EPSG:4326")
    layer.to_file(tmp_path / "d.geojson", driver="GeoJSON")
    boundaries.import_layer(cur, tmp_path / "d.geojson", "distrikt")


def forbidden() -> list[str]:
    """Every place name and every coordinate (as stored and rounded) of the test data."""
    out = []
    for _, name, _, lat, lon, _, _ in PLACES:
        out += [name, str(lat), str(lon), f"{lat:.4f}", f"{lon:.4f}", f"{lat:.3f}", f"{lon:.3f}"]
    return out


def pdf_text(body: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(body)).pages)


def test_csv_has_no_small_counts_names_or_coordinates(cur, tmp_path):
    build(cur)
    with_districts(cur, tmp_path)
    text = make_report(cur, START, END, "csv", "test", layer="distrikt").decode("utf-8")
    for needle in forbidden():
        assert needle not in text
    rows = list(csv.DictReader(io.StringIO(text)))
    values = [row["värde"] for row in rows]
    # every whole-number cell is 0 or at least 5; small counts are "<5"
    for value in values:
        for number in re.findall(r"(?<![\d.])\d+(?![\d.])", value if not value.startswith("Period") else ""):
            if "%" not in value and "dagar" not in value:
                assert int(number) == 0 or int(number) >= 5, value
    key = {row["mått"]: row["värde"] for row in rows if row["avsnitt"] == "Nyckeltal"}
    # visits 2 - 20 March: v1 v2 v3 v4 = 4 -> "<5"; the estimate for 20 March: 9 (4-14)
    assert key["Besök"] == "<5"
    assert key["Skattat antal personer"] == "9"
    assert key["Intervall (lägst–högst)"] == "<5–14"
    districts = [row for row in rows if row["avsnitt"] == "per distrikt"]
    assert {row["vecka eller distrikt"] for row in districts} == {"Öster"}  # only visited places count
    assert all(row["värde"] in ("0", "<5") for row in districts)


def test_pdf_opens_without_names_or_coordinates(cur, tmp_path):
    build(cur)
    with_districts(cur, tmp_path)
    body = make_report(cur, START, END, "pdf", "test", layer="distrikt")
    text = pdf_text(body)
    assert "Uppsök – rapport till samverkansgruppen" in text
    assert "Period 2026-03-02 till 2026-03-20" in text
    assert "Metod" in text
    for needle in forbidden():
        assert needle not in text
    assert "<5–14" in text
    made = cur.execute("SELECT details->>'format' FROM audit WHERE action = 'report'").fetchall()
    assert made == [("pdf",)]


def test_pdf_holds_the_figures_the_page_shows(monkeypatch, db_path):
    cur = store.cursor(db_path)
    build(cur)
    monkeypatch.setenv("OUTREACH_DB", str(db_path))
    at = AppTest.from_file(str(ROOT / "app_pages" / "trender.py"), default_timeout=120)
    at.session_state["lang"] = "sv"
    at.run()
    at.date_input(key="trends_from").set_value(START)
    at.date_input(key="trends_to").set_value(END).run()
    assert not at.exception
    shown = {m.label: m.value for m in at.metric}
    assert shown["Skattat antal personer"] == "9" and shown["Intervall (lägst–högst)"] == "<5–14"
    assert shown["Besök"] == "<5" and shown["Täckning vid periodens slut"] == "0 %"
    text = pdf_text(make_report(cur, START, END, "pdf", "test"))
    for label, value in shown.items():
        assert f"{label} {value}" in text, (label, value)


def test_page_charts_tables_and_recording(monkeypatch, db_path, tmp_path):
    cur = store.cursor(db_path)
    build(cur)
    with_districts(cur, tmp_path)
    monkeypatch.setenv("OUTREACH_DB", str(db_path))
    at = AppTest.from_file(str(ROOT / "app_pages" / "trender.py"), default_timeout=120)
    at.session_state["lang"] = "sv"
    at.run()
    at.date_input(key="trends_from").set_value(START)
    at.date_input(key="trends_to").set_value(END).run()
    assert not at.exception
    tables = [df.value for df in at.dataframe]
    visits = tables[0]
    assert list(visits["Vecka"]) == ["v. 10 2026", "v. 11 2026", "v. 12 2026"]
    assert list(visits["Besök"]) == [3, 1, 0]
    assert "Besök, ett år tidigare" in visits.columns
    people = tables[2]
    assert list(people["Personer sedda"]) == [5, 4, 0]
    at.selectbox(key="trends_split.sv").set_value("district").run()
    assert not at.exception
    by_district = at.dataframe[0].value
    assert set(by_district["Grupp"]) == {"Väster", "Öster"}
    at.date_input(key="estimate_date").set_value(END).run()
    assert [m.value for m in at.metric][:2] == ["9", "4–14"]  # the page's own figures, not suppressed
    at.date_input(key="estimate_rec_date").set_value(END)
    at.number_input(key="estimate_rec_num").set_value(9)
    at.number_input(key="estimate_rec_low").set_value(4)
    at.number_input(key="estimate_rec_high").set_value(14)
    at.text_input(key="estimate_rec_comment").set_value("till samverkansgruppen")
    at.button(key="FormSubmitter:estimate_record-Spara skattningen").click().run()
    assert not at.exception
    assert at.success and "9" in at.success[0].value
    assert cur.execute("SELECT estimate, low, high FROM recorded_estimates").fetchall() == [(9, 4, 14)]
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    assert any(m.label == "Estimated number of people" for m in at.metric)


def test_cli_report_pdf_and_csv(db_path, tmp_path, capsys):
    build(store.cursor(db_path))
    store.close(db_path)
    out = tmp_path / "rapport.pdf"
    code = cli.main(["report", "--from", "2026-03-02", "--to", "2026-03-20", "--out", str(out), "--db", str(db_path)])
    assert code == 0 and "rapport.pdf" in capsys.readouterr().out
    assert "Skattat antal personer 9" in pdf_text(out.read_bytes())
    csv_out = tmp_path / "rapport.csv"
    assert cli.main(["report", "--from", "2026-03-02", "--to", "2026-03-20", "--out", str(csv_out),
                     "--db", str(db_path)]) == 0
    assert "Nyckeltal,Skattat antal personer,,9" in csv_out.read_text(encoding="utf-8")
    assert cli.main(["report", "--from", "2026-03-20", "--to", "2026-03-02", "--out", str(csv_out),
                     "--db", str(db_path)]) == 2
    assert cli.main(["report", "--from", "2026-03-02", "--to", "2026-03-20", "--out", str(tmp_path / "r.docx"),
                     "--db", str(db_path)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and ".pdf" in err
    cur = store.cursor(db_path)
    assert cur.execute("SELECT details->>'format' FROM audit WHERE action = 'report' ORDER BY audit_id").fetchall() == [
        ("pdf",), ("csv",)]


def test_cli_retention(db_path, capsys):
    build(store.cursor(db_path))
    store.close(db_path)
    # everything in the test data is more than 200 days old by now
    assert cli.main(["retention", "--older-than-days", "200", "--dry-run", "--db", str(db_path)]) == 0
    assert "7 besök/visits" in capsys.readouterr().out
    cur = store.cursor(db_path)
    assert cur.execute("SELECT count(*) FROM visits").fetchone()[0] == len(VISITS)
    store.close(db_path)
    assert cli.main(["retention", "--older-than-days", "200", "--yes", "--db", str(db_path)]) == 0
    assert "7 besök raderade" in capsys.readouterr().out
    cur = store.cursor(db_path)
    assert cur.execute("SELECT count(*) FROM visits").fetchone()[0] == 0
    assert cur.execute("SELECT sum(visits) FROM visit_weeks_archive").fetchone()[0] == len(VISITS)
    assert cur.execute("SELECT count(*) FROM audit WHERE action = 'retention'").fetchone()[0] == 1
    store.close(db_path)
    with pytest.raises(SystemExit) as exited:  # argparse's usage error
        cli.main(["retention", "--older-than-days", "-1", "--db", str(db_path)])
    assert exited.value.code == 2
