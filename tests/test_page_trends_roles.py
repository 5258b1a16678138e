"""Trender for a manager: aggregates with small counts suppressed (issue 7); a team lead sees
the exact counts. Tables, charts (their data as the browser gets it) and figures are read."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from geo import store
from geo.trends import COUNT_METRICS
from test_report import END, START, with_districts
from test_trends import build

ROOT = Path(__file__).resolve().parents[1]


def trends_page(monkeypatch, db_path: Path, tmp_path: Path, role: str) -> AppTest:
    cur = store.cursor(db_path)
    build(cur)
    with_districts(cur, tmp_path)
    cur.execute("INSERT INTO recorded_estimates (as_of, estimate, low, high, comment, recorded_at, actor) "
                "VALUES (DATE '2026-03-16', 3, 2, 9, 'liten', now(), 'anna')").fetchall()
    monkeypatch.setenv("OUTREACH_DB", str(db_path))
    at = AppTest.from_file(str(ROOT / "app_pages" / "trender.py"), default_timeout=120)
    at.session_state["lang"] = "sv"
    at.session_state["local_role"] = role
    # the period from the first run, so that the estimate form starts from the estimate on 20 March
    at.session_state["trends_from"], at.session_state["trends_to"] = START, END
    at.session_state["estimate_date"] = END
    at.session_state["trends_metrics"] = list(COUNT_METRICS)  # the counts only (coverage is a share)
    at.run()
    assert not at.exception and not at.warning
    return at


def small_cells(frame: pd.DataFrame) -> list[object]:
    """Cells holding a count of 1–4, as a number or as text."""
    out = []
    for value in frame.to_numpy().ravel():
        text = str(value).strip()
        if text in {"1", "2", "3", "4", "1.0", "2.0", "3.0", "4.0"}:
            out.append(value)
    return out


def chart_values(at: AppTest) -> list[float]:
    """Every y value the charts send to the browser (their Arrow datasets)."""
    values = []
    for chart in at.get("vega_lite_chart"):
        for dataset in chart.proto.datasets:
            table = pa.ipc.open_stream(dataset.data.data).read_all().to_pandas()
            for column in ("value", "point", "low", "high", "estimate"):
                if column in table:
                    values += [v for v in table[column] if pd.notna(v)]
    return values


@pytest.mark.parametrize("split", ["none", "shift", "district"])
def test_a_manager_sees_no_count_below_five(monkeypatch, db_path, tmp_path, split):
    at = trends_page(monkeypatch, db_path, tmp_path, "manager")
    if split != "none":
        at.selectbox(key="trends_split.sv").set_value(split).run()
        assert not at.exception
    tables = [df.value for df in at.dataframe]
    assert len(tables) == len(COUNT_METRICS) + 1  # a table per metric, and the recorded estimates
    for table in tables:
        assert not small_cells(table), table
    assert "<5" in tables[0].to_numpy().ravel()  # the visits 2-20 March: 3, 1, 0 per week
    assert not [v for v in chart_values(at) if 1 <= v < 5]
    assert any("Antal 1–4 visas som <5" in c.value for c in at.caption)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Intervall (lägst–högst)"] == "<5–14"  # the estimate on 20 March: 9 (4-14)
    # the form starts from the estimate, except where it is a small count: 9 (0-14), not 9 (4-14)
    assert [at.number_input(key=k).value for k in ("estimate_rec_num", "estimate_rec_low", "estimate_rec_high")] \
        == [9, 0, 14]


def test_a_team_lead_sees_the_exact_counts(monkeypatch, db_path, tmp_path):
    at = trends_page(monkeypatch, db_path, tmp_path, "team_lead")
    visits = at.dataframe[0].value
    assert list(visits["Besök"]) == [3, 1, 0]
    assert list(at.dataframe[-1].value["Registrerad skattning"]) == [3]
    assert not any("Antal 1–4 visas som <5" in c.value for c in at.caption)
    assert {1.0, 3.0} <= set(chart_values(at))
    assert [at.number_input(key=k).value for k in ("estimate_rec_num", "estimate_rec_low", "estimate_rec_high")] \
        == [9, 4, 14]
    at.selectbox(key="trends_split.sv").set_value("shift").run()
    by_shift = at.dataframe[0].value
    assert not at.exception and set(by_shift["Besök"]) >= {1, 2}


def test_the_week_label_is_not_taken_for_a_count():
    assert small_cells(pd.DataFrame({"Vecka": ["v. 3 2026"], "n": ["<5"]})) == []
    assert small_cells(pd.DataFrame({"n": [4]})) == [4]
