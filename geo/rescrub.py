"""Scrub text already stored with the current identifier matcher.

Imports scrub every cell before it is stored, but a database written by an older matcher
may still hold identifiers that the current one recognises (an en dash in a personnummer,
a fullwidth digit, `anna[at]example.se`). `geo.store` runs `rescrub_stored` once per
matcher version when it opens a database, so an upgrade cleans what was stored before it,
without anyone having to remember a command.

Ids (`visit_id`, `place_id`) are not rewritten here: other tables refer to them, and an id
that held an identifier was already replaced by a keyed hash at import.
"""

from __future__ import annotations

import json
from typing import Any

import duckdb

from geo import privacy
from geo.columns import name_key

# Free text that a user or a file supplied: (table, column).
TEXT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("visits", "notes"), ("visits", "team"),
    ("visit_versions", "notes"), ("visit_versions", "team"),
    ("places", "name"),
    ("imports", "file_name"),
    ("partner_reports", "description"), ("partner_reports", "message"),
    ("feedback", "from_whom"), ("feedback", "body"), ("feedback", "reply"),
    ("route_plan_stops", "name"),
    ("recorded_estimates", "comment"),
    ("area_layers", "source_file"),
)
# JSON documents whose string values came from files or users (rejected cells, summaries
# with file names and headers, audit details).
JSON_COLUMNS: tuple[tuple[str, str], ...] = (
    ("rejects", "raw"), ("imports", "summary"), ("audit", "details"), ("route_plans", "params"),
)


def _scrub_json(value: Any, counts: privacy.ScrubCounts) -> Any:
    """Every string in a JSON document scrubbed, keys included (a header can be a key)."""
    if isinstance(value, str):
        text, found = privacy.scrub(value)
        counts.add(found)
        return text
    if isinstance(value, list):
        return [_scrub_json(item, counts) for item in value]
    if isinstance(value, dict):
        return {_scrub_json(k, counts): _scrub_json(v, counts) for k, v in value.items()}
    return value


def _existing(cur: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
    return {(str(t), str(c)) for t, c in cur.execute(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main'"
    ).fetchall()}


def rescrub_stored(cur: duckdb.DuckDBPyConnection) -> privacy.ScrubCounts:
    """Scrub every stored free-text cell and JSON string in place; returns what was removed.

    Only cells the SQL prefilter flags are read into Python (the same pattern the import
    uses, a superset of what the scrubber matches), so a clean database costs one scan.
    Runs inside the caller's transaction.
    """
    counts = privacy.ScrubCounts()
    existing = _existing(cur)
    hint = privacy.PREFILTER_SQL
    assert "'" not in hint  # inlined as a constant, so RE2 compiles it once per statement
    for table, column in TEXT_COLUMNS + JSON_COLUMNS:
        if (table, column) not in existing:
            continue
        rows = cur.execute(
            f"SELECT rowid, CAST({column} AS VARCHAR) FROM {table} "
            f"WHERE {column} IS NOT NULL AND regexp_matches(CAST({column} AS VARCHAR), '{hint}')"
        ).fetchall()
        for rowid, text in rows:
            found = privacy.ScrubCounts()
            if (table, column) in JSON_COLUMNS:
                try:
                    new = json.dumps(_scrub_json(json.loads(text), found), ensure_ascii=False)
                except ValueError:
                    new, found = privacy.scrub(text)
            else:
                new, found = privacy.scrub(text)
            if not found.total():
                continue
            counts.add(found)
            if (table, column) == ("places", "name"):
                cur.execute("UPDATE places SET name = ?, name_key = ? WHERE rowid = ?", [new, name_key(new), rowid])
            else:
                cur.execute(f"UPDATE {table} SET {column} = ? WHERE rowid = ?", [new, rowid])
    return counts
