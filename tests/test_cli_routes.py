"""`python -m geo route` as scripts use it: real processes on a real database file."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import gpxpy

from geo import store
from route_data import make_route_db
from test_cli import run


def route_db(tmp_path: Path) -> str:
    path = tmp_path / "r.duckdb"
    make_route_db(path)
    store.close(path)  # release the file for the subprocess
    return str(path)


def test_route_json_csv_and_gpx(tmp_path: Path):
    db = route_db(tmp_path)
    result = run("route", "--db", db, "--pairs", "2", "--hours", "2", "--start", "59.3309,18.0593",
                 "--shift", "kväll", "--date", "2031-03-04")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data["routes"]) == 2 and data["start"] == "2031-03-04T18:00+01:00"
    for route in data["routes"]:
        assert route["minutes"] <= 120 and route["km"] > 0
        assert all({"name", "lat", "lon", "arrival", "urgency"} <= set(stop) for stop in route["stops"])
        arrivals = [stop["arrival"] for stop in route["stops"]]
        assert arrivals == sorted(arrivals)
    names = [s["name"] for r in data["routes"] for s in r["stops"]] + [x["name"] for x in data["left_out"]]
    assert len(names) == len(set(names)) == 9  # every place once: on a route or left out
    # the same plan again, as CSV and GPX
    as_csv = run("route", "--db", db, "--hours", "2", "--start", "59.3309,18.0593", "--date", "2031-03-04",
                 "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [r["name"] for r in rows] == [s["name"] if not s["name"].startswith("=") else "'" + s["name"]
                                         for r in data["routes"] for s in r["stops"]]
    as_gpx = run("route", "--db", db, "--hours", "2", "--start", "59.3309,18.0593", "--date", "2031-03-04",
                 "--format", "gpx")
    parsed = gpxpy.parse(as_gpx.stdout)
    assert [len(r.points) for r in parsed.routes] == [len(r["stops"]) + 2 for r in data["routes"]]
    audit = store.cursor(db).execute("SELECT count(*) FROM audit WHERE action = 'export'").fetchone()[0]
    assert audit == 3


def test_route_bad_input_exits_2_with_one_sentence(tmp_path: Path):
    db = route_db(tmp_path)
    cases = [
        (["--start", "59.8586,17.6389"], "outside the service area"),  # Uppsala
        (["--hours", "0.1"], "too short for a single place"),
        (["--pairs", "10", "--date", "2031-03-04"], "More pairs (10) than places to visit (9)"),  # all overdue by then
        (["--must", "Nowhere"], "does not exist"),
        (["--start", "59.33"], "LAT,LON"),
    ]
    for args, english in cases:
        result = run("route", "--db", db, *args)
        assert result.returncode == 2, (args, result.stderr)
        assert english in result.stderr and "Traceback" not in result.stderr, result.stderr
        if "LAT,LON" not in english:
            assert len(result.stderr.strip().splitlines()) == 1


def test_route_with_no_candidates_and_help(tmp_path: Path):
    empty = tmp_path / "empty.duckdb"
    store.cursor(empty)
    store.close(empty)
    result = run("route", "--db", str(empty))
    assert result.returncode == 2 and "There are no places to plan" in result.stderr
    help_text = run("route", "--help")
    assert help_text.returncode == 0 and "usage:" in help_text.stdout and "--pairs" in help_text.stdout
