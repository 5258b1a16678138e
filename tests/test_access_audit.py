"""The audit table is append-only for the app (PRODUCT.md §6, issue 7).

Two checks: no SQL text in geo/, app_pages/, ui.py or dashboard.py updates, deletes,
replaces, truncates, drops or alters `audit` (the scan reads every string literal and
f-string; a statement whose table is a placeholder is allowed only where listed below), and
the code paths that do delete rows (undo of an import, deleting a boundary layer, resetting
settings, taking a role away, rebuilding the demo: what a retention run does too) leave every
earlier audit row exactly as it was.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import geopandas as gpd
from shapely.geometry import box

from conftest import DATA, ROOT
from geo import access, boundaries, demo, imports, ingest, settings, store

SOURCES = sorted([*(ROOT / "geo").glob("*.py"), *(ROOT / "app_pages").glob("*.py"), ROOT / "ui.py", ROOT / "dashboard.py"])
TOUCHES_AUDIT = re.compile(
    r"\b(UPDATE|DELETE\s+FROM|TRUNCATE(\s+TABLE)?|DROP\s+TABLE(\s+IF\s+EXISTS)?|ALTER\s+TABLE|"
    r"INSERT\s+OR\s+REPLACE\s+INTO|REPLACE\s+INTO|COPY)\s+\"?audit\"?\b",
    re.IGNORECASE,
)
DYNAMIC_TARGET = re.compile(r"\b(UPDATE|DELETE\s+FROM|TRUNCATE|DROP\s+TABLE)\s+\{", re.IGNORECASE)
# Statements whose table is a placeholder, per file, with what the placeholder can be:
DYNAMIC_ALLOWED = {
    "geo/demo.py": 1,  # DELETE FROM {table} for table in ("visits", "places", "rejects", "imports")
    "geo/ingest.py": 1,  # UPDATE {table} … scrubbing identifiers from "staged" rows of one import
    "geo/readers.py": 1,  # UPDATE {table} SET _row … numbering the rows of an import's temp table "typed"
    # UPDATE {table} SET {column} … once per identifier-matcher version, identifiers an older
    # matcher let through are replaced by [borttaget] in stored text, audit details included:
    # privacy wins over append-only there (PRODUCT.md §6: never in the database), and the
    # rescrub writes its own audit line with the counts.
    "geo/rescrub.py": 1,
}
INSERT_AUDIT = re.compile(r"\bINSERT\s+INTO\s+\"?audit\"?\b", re.IGNORECASE)


def _sql_strings(path: Path) -> list[str]:
    """Every string literal in the file, f-strings with their placeholders shown as {…}."""
    texts = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.JoinedStr):
            texts.append("".join(v.value if isinstance(v, ast.Constant) else "{…}" for v in node.values))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            texts.append(node.value)
    return [" ".join(text.split()) for text in texts]


def test_the_scan_catches_what_it_looks_for(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text('cur.execute("""UPDATE audit\n SET actor = ?""")\nq = f"DELETE FROM {name}"\n'
                   'cur.execute(\'delete from "audit" where 1\')\n', encoding="utf-8")
    texts = _sql_strings(bad)
    assert sum(bool(TOUCHES_AUDIT.search(s)) for s in texts) == 2
    assert sum(bool(DYNAMIC_TARGET.search(s)) for s in texts) == 1
    assert not TOUCHES_AUDIT.search("DELETE FROM audit_seq_backup") and not TOUCHES_AUDIT.search("UPDATE audits")


def test_no_code_path_changes_or_removes_audit_rows():
    offending, dynamic, inserts = [], {}, []
    for path in SOURCES:
        name = str(path.relative_to(ROOT))
        for text in _sql_strings(path):
            if TOUCHES_AUDIT.search(text):
                offending.append((name, text[:120]))
            if DYNAMIC_TARGET.search(text):
                dynamic[name] = dynamic.get(name, 0) + 1
            if INSERT_AUDIT.search(text):
                inserts.append(name)
    assert offending == []
    assert dynamic == DYNAMIC_ALLOWED  # a new statement on a placeholder table must be looked at and listed
    assert inserts == ["geo/store.py"]  # store.audit() is the one writer
    assert [n for n in dir(store) if "audit" in n.lower()] == ["audit"]  # the store offers nothing else


def _audit_rows(cur) -> list[tuple]:
    return cur.execute('SELECT audit_id, "at", actor, action, CAST(details AS VARCHAR) FROM audit ORDER BY audit_id').fetchall()


def test_deleting_code_paths_leave_earlier_audit_rows_untouched(db_path, tmp_path):
    demo.build_demo(db_path, seed=7)  # the demo's own audit line
    cur = store.cursor(db_path)
    steps = []
    summary = ingest.import_file(cur, DATA / "visits_canonical.csv", actor="lag-a")
    steps.append(lambda: imports.undo_import(cur, summary.import_id, actor="teamledare"))
    layer = gpd.GeoDataFrame({"namn": ["Södermalm"]}, geometry=[box(18.0, 59.3, 18.1, 59.32)], crs="EPSG:4326")
    layer.to_file(tmp_path / "d.geojson", driver="GeoJSON")
    steps.append(lambda: boundaries.import_layer(cur, tmp_path / "d.geojson", "distrikt", actor="t"))
    steps.append(lambda: boundaries.delete_layer(cur, "distrikt", "t"))
    steps.append(lambda: settings.save(cur, {"area_overdue_days": 21}, "t"))
    steps.append(lambda: settings.reset(cur, "t"))
    steps.append(lambda: access.set_role(cur, "email", "a@stockholm.se", "admin", "t"))
    steps.append(lambda: access.set_role(cur, "email", "b@stockholm.se", "partner", "t"))
    steps.append(lambda: access.remove_role(cur, "email", "b@stockholm.se", "t"))
    for step in steps:
        before = _audit_rows(cur)
        step()
        after = _audit_rows(cur)
        assert after[: len(before)] == before and len(after) > len(before)
    before = _audit_rows(cur)
    store.close(db_path)
    demo.build_demo(db_path, seed=8, force=True)  # wipes visits, places, rejects, imports: not the audit
    assert _audit_rows(store.cursor(db_path))[: len(before)] == before


def test_replacing_a_profile_is_audited_with_what_it_replaced(cur):
    import json

    from geo import profiles

    profiles.save_profile(cur, "kontoret", {"visited_at": "Datum"}, "a")
    profiles.save_profile(cur, "kontoret", {"visited_at": "Tid"}, "b")
    rows = [json.loads(d) for (d,) in cur.execute(
        "SELECT details FROM audit WHERE action = 'profile_save' ORDER BY audit_id").fetchall()]
    assert [r["before"] for r in rows] == [None, rows[0]["columns"]]
    assert rows[1]["columns"]["visited_at"] == "Tid" and rows[0]["columns"]["visited_at"] == "Datum"
