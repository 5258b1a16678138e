"""`python -m geo` as scripts use it: real processes, real files, exit codes and output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import DATA, ROOT


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    full_env = {**os.environ, **(env or {})}
    full_env.pop("OUTREACH_DB", None) if env is None else None
    return subprocess.run([sys.executable, "-m", "geo", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env=full_env)


def test_help_for_every_command():
    for command in ([], ["demo"], ["import"], ["rejects"], ["overdue"]):
        result = run(*command, "--help")
        assert result.returncode == 0 and "usage:" in result.stdout


def test_import_json_last_line_and_reimport(tmp_path: Path):
    db = str(tmp_path / "x.duckdb")
    first = run("import", str(DATA / "visits_canonical.csv"), "--db", db, "--json")
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout.strip().splitlines()[-1])
    assert {k: summary[k] for k in ("rows", "imported", "duplicates", "rejected")} == {
        "rows": 19, "imported": 7, "duplicates": 1, "rejected": 11}
    assert summary["import_id"]
    again = json.loads(run("import", str(DATA / "visits_canonical.csv"), "--db", db, "--json").stdout.splitlines()[-1])
    assert again["imported"] == 0 and again["duplicates"] == 8


def test_rejects_latest_import_as_csv_and_json(tmp_path: Path):
    db = str(tmp_path / "x.duckdb")
    run("import", str(DATA / "visits_canonical.csv"), "--db", db)
    as_json = json.loads(run("rejects", "--db", db, "--format", "json").stdout)
    assert len(as_json["rejects"]) == 11
    assert {r["row_number"] for r in as_json["rejects"]} == set(range(7, 18))
    as_csv = run("rejects", as_json["import_id"], "--db", db).stdout
    assert as_csv.splitlines()[0].startswith("row_number,column_name,reason_code")
    assert "'-1" in as_csv  # a cell starting with '-' is neutralised
    missing = run("rejects", "imp-nope", "--db", db)
    assert missing.returncode == 2 and "imp-nope" in missing.stderr


def test_not_a_visits_file_exits_2_and_leaves_the_database_unchanged(tmp_path: Path):
    db = tmp_path / "x.duckdb"
    run("import", str(DATA / "visits_canonical.csv"), "--db", str(db))
    other = tmp_path / "budget.csv"
    other.write_text("konto,belopp\n1,2\n", encoding="utf-8")
    result = run("import", str(other), "--db", str(db))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    count = json.loads(run("rejects", "--db", str(db), "--format", "json").stdout)
    assert len(count["rejects"]) == 11  # latest import is still the first one


def test_bad_usage_exits_2(tmp_path: Path):
    assert run("overdue", "--days", "-3", "--db", str(tmp_path / "x.duckdb")).returncode == 2
    assert run("import", str(tmp_path / "missing.csv"), "--db", str(tmp_path / "x.duckdb")).returncode == 2
    assert run("bogus").returncode == 2


def test_db_from_environment(tmp_path: Path):
    db = tmp_path / "env.duckdb"
    result = run("import", str(DATA / "visits_canonical.csv"), "--json", env={"OUTREACH_DB": str(db)})
    assert result.returncode == 0 and db.exists()


def test_demo_then_overdue_json(tmp_path: Path):
    db = str(tmp_path / "demo.duckdb")
    built = run("demo", "--db", db, "--seed", "7")
    assert built.returncode == 0, built.stderr
    result = run("overdue", "--db", db, "--format", "json")
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert records, "the demo must have overdue places"
    for key in ("name", "kind", "lat", "lon", "last_visit", "days_since"):
        assert key in records[0]
    urgencies = [r["urgency"] if r["urgency"] is not None else float("inf") for r in records]
    assert urgencies == sorted(urgencies, reverse=True)
    table = run("overdue", "--db", db)
    assert table.returncode == 0 and "days_since" in table.stdout
    csv_out = run("overdue", "--db", db, "--format", "csv", "--days", "3")
    assert len(csv_out.stdout.splitlines()) - 1 >= len(records)


def test_demo_refuses_to_overwrite_real_data(tmp_path: Path):
    db = str(tmp_path / "real.duckdb")
    run("import", str(DATA / "visits_canonical.csv"), "--db", db)
    refused = run("demo", "--db", db)
    assert refused.returncode == 2 and "--force" in refused.stderr
    unconfirmed = run("demo", "--db", db, "--force")  # says what it would delete, deletes nothing
    assert unconfirmed.returncode == 2 and "--yes" in unconfirmed.stderr and "real visits" in unconfirmed.stderr
    assert run("demo", "--db", db, "--force", "--yes").returncode == 0


def test_cli_exports_are_audited(tmp_path: Path):
    import duckdb

    db = str(tmp_path / "x.duckdb")
    run("import", str(DATA / "visits_canonical.csv"), "--db", db)
    assert run("rejects", "--db", db, "--format", "csv").returncode == 0
    assert run("overdue", "--db", db, "--days", "1", "--format", "json").returncode == 0
    con = duckdb.connect(db, read_only=True)
    exports = con.execute(
        "SELECT details->>'what', (details->>'rows')::INTEGER FROM audit WHERE action = 'export' ORDER BY audit_id"
    ).fetchall()
    con.close()
    assert exports[0] == ("rejects", 11) and exports[1][0] == "overdue" and exports[1][1] >= 1
