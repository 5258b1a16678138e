"""Text stored by an older identifier matcher is scrubbed when a newer one opens the database.

The database is real: a real import, then cells written as an older matcher let them through
(the forms issue 17 found stored: an en dash in a personnummer, a no-break space in a phone
number, `[at]` in an e-mail address), the meta key of the older matcher, and a reopen.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from conftest import ROOT
from geo import ingest, privacy, rescrub, store

LEAKS = ("850709\u20139805", "070\u00a0123\u00a045\u00a067", "anna[at]example.se")


def _every_text(cur) -> str:
    cells = []
    for table, column in rescrub.TEXT_COLUMNS + rescrub.JSON_COLUMNS:
        cells += [r[0] for r in cur.execute(f"SELECT CAST({column} AS VARCHAR) FROM {table}").fetchall()]
    return json.dumps(cells, ensure_ascii=False)


def test_an_older_matchers_leaks_are_scrubbed_once_on_open(db_path: Path) -> None:
    cur = store.cursor(db_path)
    summary = ingest.import_file(cur, ROOT / "tests" / "data" / "visits_canonical.csv", actor="lag-a",
                                 now=datetime(2026, 12, 1, 12, 0))
    assert summary.imported > 0
    pn, phone, mail = LEAKS
    # what an older matcher stored
    cur.execute("UPDATE visits SET notes = ?, team = ? WHERE rowid = (SELECT min(rowid) FROM visits)",
                [f"Sov här, pnr {pn}", f"lag {phone}"])
    cur.execute("UPDATE places SET name = ? WHERE rowid = (SELECT min(rowid) FROM places)", [f"Parken ({mail})"])
    cur.execute("UPDATE imports SET file_name = ?, summary = ? WHERE import_id = ?",
                [f"lista {pn}.csv", json.dumps({"file_name": f"lista {pn}.csv", "unknown_columns": [mail]}),
                 summary.import_id])
    cur.execute("INSERT INTO audit (\"at\", actor, action, details) VALUES (?, 'lag-a', 'import', ?)",
                [store.utcnow(), json.dumps({"file": f"lista {pn}.csv", "note": phone})])
    store.set_meta(cur, store.RESCRUBBED_KEY, "1")
    assert all(leak in _every_text(cur) for leak in LEAKS)
    store.close(db_path)

    cur = store.cursor(db_path)  # a newer matcher opens the file
    text = _every_text(cur)
    assert not any(leak in text for leak in LEAKS)
    assert not privacy.contains_identifier(text)
    assert "Sov här, pnr [borttaget]" in text and "Parken ([borttaget])" in text  # the rest stays
    name, key = cur.execute("SELECT name, name_key FROM places WHERE name LIKE 'Parken%'").fetchone()
    assert "example" not in key and key.startswith("parken")
    (details,) = cur.execute(
        "SELECT details FROM audit WHERE action = 'stored_text_rescrubbed'").fetchone()
    removed = json.loads(details)
    assert removed["matcher"] == privacy.MATCHER_VERSION
    assert (removed["personal_ids"], removed["phones"], removed["emails"]) == (4, 2, 2)
    assert store.get_meta(cur, store.RESCRUBBED_KEY) == privacy.MATCHER_VERSION
    store.close(db_path)

    cur = store.cursor(db_path)  # once per matcher version: a second open changes nothing
    assert cur.execute("SELECT count(*) FROM audit WHERE action = 'stored_text_rescrubbed'").fetchone()[0] == 1


def test_a_new_database_is_marked_without_an_audit_line(db_path: Path) -> None:
    cur = store.cursor(db_path)
    assert store.get_meta(cur, store.RESCRUBBED_KEY) == privacy.MATCHER_VERSION
    assert cur.execute("SELECT count(*) FROM audit").fetchone()[0] == 0
