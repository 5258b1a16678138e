"""Imports after the fact: history, undo of a whole import, the rejected rows, and the
preview (a dry run) that the import page shows before anything is stored.

geo.ingest turns a file into stored visits; this module is what a user does with imports
afterwards, shared by the import page and the CLI so both say the same thing.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from geo import ingest, profiles, readers, store
from geo.columns import ALIASES, ColumnMapping, map_headers
from geo.localtime import utc_to_local
from geo.texts import kind_label, t

DEMO_IMPORT_ID = "demo"  # geo.demo's import row: its visits are not a file that can be undone
PREVIEW_ROWS = 200
CANONICAL_COLUMNS: tuple[str, ...] = tuple(ALIASES)
_UPLOAD_DIR = "uppsok-uploads"
AUTOMATIC = ""  # the profile choice "no profile: match headers by their aliases only"
UPLOAD_MAX_AGE_S = 3600.0  # a preview never imported is swept after an hour


class UnknownImportError(LookupError):
    """No import has that id."""


class UndoRefusedError(ValueError):
    """The import cannot be undone (unknown, already undone, or the demo data)."""


@dataclass(frozen=True)
class UndoResult:
    """What an undo removed; `places_kept` were created by the import but are used by others."""

    import_id: str
    file_name: str
    visits_removed: int
    places_removed: int
    places_kept: int
    undone_at: datetime  # naive UTC
    visits_restored: int = 0  # earlier versions of visits the import had updated, put back


@dataclass
class Preview:
    """A dry run of one file with one mapping: the counts and what each row would become."""

    summary: ingest.ImportSummary
    outcomes: pd.DataFrame


# --- history -----------------------------------------------------------------------------

def _local(ts: Any) -> str | None:
    """Naive UTC → 'YYYY-MM-DD HH:MM' in Stockholm time, the form people read."""
    local = utc_to_local(ts)
    return None if local is None else local.strftime("%Y-%m-%d %H:%M")


def import_history(cur: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every import, newest first: who, when (Stockholm time), counts, and whether undone."""
    frame = cur.execute(
        """SELECT import_id, file_name AS file, started_at, actor, rows, imported,
                  coalesce(updated, 0) AS updated, duplicates, rejected, undone_at, undone_by
           FROM imports ORDER BY started_at DESC, import_id DESC"""
    ).df()
    when = frame["started_at"].map(_local)
    undone = frame["undone_at"].map(_local)
    frame = frame.drop(columns=["started_at", "undone_at"])
    frame.insert(2, "when", when.astype("object"))
    frame.insert(9, "undone", undone.astype("object"))
    for column in ("rows", "imported", "updated", "duplicates", "rejected"):
        frame[column] = frame[column].astype("int64")
    return frame[["import_id", "file", "when", "actor", "rows", "imported", "updated", "duplicates", "rejected",
                  "undone", "undone_by"]]


def undoable_imports(cur: duckdb.DuckDBPyConnection) -> list[str]:
    """Ids of imports that can still be undone, newest first (not undone, not the demo)."""
    rows = cur.execute(
        """SELECT import_id FROM imports WHERE undone_at IS NULL AND import_id <> ?
           ORDER BY started_at DESC, import_id DESC""",
        [DEMO_IMPORT_ID],
    ).fetchall()
    return [r[0] for r in rows]


@dataclass(frozen=True)
class UndoChoice:
    """One import the undo can remove, as the page names it: nothing but the id is used to undo."""

    import_id: str
    file_name: str
    when: str | None  # Stockholm time
    actor: str
    rows: int
    imported: int
    visits: int  # visits of this import still stored
    places: int  # places it created
    restored: int = 0  # of those, visits it updated (and no later import since): the undo restores them

    @property
    def removed(self) -> int:
        """Visits the undo deletes: its own, not the ones it only updated."""
        return self.visits - self.restored


def undo_choices(cur: duckdb.DuckDBPyConnection) -> dict[str, UndoChoice]:
    """The imports that can be undone, newest first, keyed by import id (so that a widget
    keyed by id cannot shift to another import when new ones arrive)."""
    rows = cur.execute(
        """SELECT i.import_id, i.file_name, i.started_at, i.actor, i.rows, i.imported,
                  (SELECT count(*) FROM visits v WHERE v.import_id = i.import_id),
                  (SELECT count(*) FROM places p WHERE p.import_id = i.import_id),
                  (SELECT count(*) FROM visit_versions h JOIN visits v ON v.visit_id = h.visit_id
                   WHERE h.replaced_by = i.import_id AND v.import_id = i.import_id)
           FROM imports i WHERE i.undone_at IS NULL AND i.import_id <> ?
           ORDER BY i.started_at DESC, i.import_id DESC""",
        [DEMO_IMPORT_ID],
    ).fetchall()
    return {r[0]: UndoChoice(str(r[0]), str(r[1]), _local(r[2]), str(r[3]), int(r[4]), int(r[5]), int(r[6]),
                             int(r[7]), int(r[8])) for r in rows}


def undo_label(choice: UndoChoice, lang: str) -> str:
    """What the undo choice shows for one import: file, time, who, counts and the id."""
    return t("undo_option", lang, file=choice.file_name, when=choice.when or "–", actor=choice.actor,
             visits=choice.visits, rows=choice.rows, import_id=choice.import_id)


@dataclass(frozen=True)
class Dependent:
    """A later change that rests on an import: `what` is 'updated' (a later import updated
    its visits: the undo is refused until that one is undone), 'visits_at_places' (a later
    import's visits at places this import created) or 'merge' (a merge of one of its places)."""

    @property
    def blocks_undo(self) -> bool:
        return self.what == "updated"

    what: str
    ref: str          # the later import's id, or the merge id
    name: str         # the later import's file, or the merge as "kept ← merged"
    count: int        # visits involved


def dependents(cur: duckdb.DuckDBPyConnection, import_id: str) -> list[Dependent]:
    """Later imports (not undone) and merges that touch this import's places or visits.

    An undo still removes only this import's own visits; these are what keeps some of its
    places (or what the user should know first). A later import that updated its visits (an
    edited submission) comes first: `undo_import` refuses until that one is undone.
    """
    found = [Dependent("updated", str(r[0]), str(r[1]), int(r[2])) for r in cur.execute(
        """SELECT i.import_id, i.file_name, count(*) FROM visit_versions h
           JOIN imports i ON i.import_id = h.replaced_by
           WHERE h.import_id = $iid GROUP BY i.import_id, i.file_name, i.started_at
           ORDER BY i.started_at, i.import_id""",
        {"iid": import_id},
    ).fetchall()]
    found += [Dependent("visits_at_places", str(r[0]), str(r[1]), int(r[2])) for r in cur.execute(
        """SELECT v.import_id, i.file_name, count(*) FROM visits v
           JOIN places p ON p.place_id = v.place_id AND p.import_id = $iid
           JOIN imports i ON i.import_id = v.import_id
           WHERE v.import_id IS DISTINCT FROM $iid AND i.undone_at IS NULL
           GROUP BY v.import_id, i.file_name, i.started_at ORDER BY i.started_at, v.import_id""",
        {"iid": import_id},
    ).fetchall()]
    found += [Dependent("merge", str(r[0]), f"{r[1]} ← {r[2]}", int(r[3])) for r in cur.execute(
        """SELECT m.merge_id, k.name, d.name, len(m.visit_ids) FROM place_merges m
           JOIN places k ON k.place_id = m.kept_place_id JOIN places d ON d.place_id = m.merged_place_id
           WHERE m.undone_at IS NULL AND (k.import_id = $iid OR d.import_id = $iid
                 OR EXISTS (SELECT 1 FROM visits v WHERE v.import_id = $iid AND list_contains(m.visit_ids, v.visit_id)))
           ORDER BY m.merged_at""",
        {"iid": import_id},
    ).fetchall()]
    return found


def history_table(history: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The history with column headers in the UI language, for the import page."""
    labels = {c: t(f"hist_{c}", lang) for c in history.columns}
    shown = history.astype({"undone": "object", "undone_by": "object"})
    shown[["undone", "undone_by"]] = shown[["undone", "undone_by"]].where(shown[["undone", "undone_by"]].notna(), "–")
    return shown.rename(columns=labels)


# --- undo --------------------------------------------------------------------------------

def undo_import(cur: duckdb.DuckDBPyConnection, import_id: str, actor: str) -> UndoResult:
    """Remove an import's visits and the places it created that nothing else uses; one transaction.

    Visits the import updated (a newer version of a stored submission) get their previous
    version back, so no visit goes missing. An import whose visits a later, not undone
    import has updated is refused: undoing it would remove or roll back the newer version,
    so the later import must be undone first. The import row and its rejects stay (marked
    undone), so the history still tells what happened; the visit ids are free again, so the
    same file can be imported once more.
    """
    if import_id == DEMO_IMPORT_ID:
        raise UndoRefusedError(
            "Demodata kan inte ångras som en import; bygg en ny databas i stället. / "
            "The demo data cannot be undone as an import; build a new database instead."
        )
    with store.transaction(cur):
        row = cur.execute(
            "SELECT file_name, undone_at FROM imports WHERE import_id = ?", [import_id]
        ).fetchone()
        if row is None:
            raise UndoRefusedError(f"Importen {import_id} finns inte. / The import {import_id} does not exist.")
        file_name, undone_at = row
        if undone_at is not None:
            raise UndoRefusedError(
                f"Importen {import_id} är redan ångrad ({_local(undone_at)}). / "
                f"The import {import_id} is already undone ({_local(undone_at)})."
            )
        later = cur.execute(
            """SELECT i.import_id, i.file_name, count(*) FROM visit_versions h JOIN imports i ON i.import_id = h.replaced_by
               WHERE h.import_id = ? GROUP BY ALL ORDER BY i.import_id""", [import_id]).fetchall()
        if later:
            later_id, later_file, n = later[0]
            raise UndoRefusedError(
                f"Importen {import_id} kan inte ångras: import {later_id} ({later_file}) uppdaterade sedan {n} av "
                f"dess besök; ångra den först. / The import {import_id} cannot be undone: import {later_id} "
                f"({later_file}) later updated {n} of its visits; undo that one first."
            )
        restored = _count(cur, "SELECT count(*) FROM visit_versions WHERE replaced_by = ?", [import_id])
        visits = _count(cur, "SELECT count(*) FROM visits WHERE import_id = ?", [import_id]) - restored
        cur.execute("DELETE FROM visits WHERE import_id = ?", [import_id])
        cur.execute(
            """INSERT INTO visits BY NAME SELECT * EXCLUDE (replaced_by, replaced_at)
               FROM visit_versions WHERE replaced_by = ?""", [import_id]).fetchall()
        cur.execute("DELETE FROM visit_versions WHERE replaced_by = ?", [import_id]).fetchall()
        created = _count(cur, "SELECT count(*) FROM places WHERE import_id = ?", [import_id])
        cur.execute(  # a place in a merge stays too: the merge's undo needs it
            """DELETE FROM places WHERE import_id = ?
               AND place_id NOT IN (SELECT DISTINCT place_id FROM visits)
               AND place_id NOT IN (SELECT kept_place_id FROM place_merges WHERE undone_at IS NULL)
               AND place_id NOT IN (SELECT merged_place_id FROM place_merges WHERE undone_at IS NULL)""",
            [import_id],
        )
        kept = _count(cur, "SELECT count(*) FROM places WHERE import_id = ?", [import_id])
        now = store.utcnow()
        cur.execute("UPDATE imports SET undone_at = ?, undone_by = ? WHERE import_id = ?", [now, actor, import_id])
        result = UndoResult(import_id, str(file_name), visits, created - kept, kept, now, restored)
        store.audit(cur, actor, "import_undone", {
            "import_id": import_id, "file": str(file_name), "visits_removed": visits,
            "visits_restored": restored, "places_removed": created - kept, "places_kept": kept,
        })
    return result


def _count(cur: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> int:
    row = cur.execute(sql, params).fetchone()
    return int(row[0]) if row else 0


# --- rejects -----------------------------------------------------------------------------

def latest_import_id(cur: duckdb.DuckDBPyConnection) -> str | None:
    """The most recent import's id (undone or not), or None when there is none."""
    row = cur.execute("SELECT import_id FROM imports ORDER BY started_at DESC, import_id DESC LIMIT 1").fetchone()
    return None if row is None else str(row[0])


def rejects_records(cur: duckdb.DuckDBPyConnection, import_id: str) -> list[dict[str, Any]]:
    """The rejected rows of an import, each with its reason and the row as read (identifiers removed)."""
    if _count(cur, "SELECT count(*) FROM imports WHERE import_id = ?", [import_id]) == 0:
        raise UnknownImportError(f"Importen {import_id} finns inte. / The import {import_id} does not exist.")
    frame = cur.execute(
        """SELECT row_number, column_name, reason_code, reason_sv, reason_en, raw
           FROM rejects WHERE import_id = ? ORDER BY row_number""",
        [import_id],
    ).df()
    records: list[dict[str, Any]] = []
    for rec in frame.to_dict(orient="records"):
        raw = json.loads(rec.pop("raw") or "{}")
        records.append({**rec, **raw})
    return records


def rejects_frame(cur: duckdb.DuckDBPyConnection, import_id: str) -> pd.DataFrame:
    """The rejected rows as one table: the CSV the CLI prints and the page offers for download."""
    return pd.DataFrame(rejects_records(cur, import_id))


def rejects_table(rejects: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Rejected rows for the page: row, column and reason in the UI language, then the row's values."""
    if rejects.empty:
        return pd.DataFrame(columns=[t("imp_col_row", lang), t("imp_col_column", lang), t("imp_col_reason", lang)])
    values = [c for c in rejects.columns
              if c not in ("row_number", "column_name", "reason_code", "reason_sv", "reason_en")]
    shown = rejects[["row_number", "column_name", f"reason_{_lang(lang)}", *values]]
    return shown.rename(columns={"row_number": t("imp_col_row", lang), "column_name": t("imp_col_column", lang),
                                 f"reason_{_lang(lang)}": t("imp_col_reason", lang)})


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "sv"


# --- preview (dry run) -------------------------------------------------------------------

def upload_root(directory: str | Path | None = None) -> Path:
    """The folder that holds uploads between the preview and the import: one per system
    user, so it can be private (0700) even on a shared /tmp."""
    uid = os.getuid() if hasattr(os, "getuid") else 0
    return Path(directory or tempfile.gettempdir()) / f"{_UPLOAD_DIR}-{uid}"


class UploadFolderError(OSError):
    """The upload folder exists but is not ours alone (another owner, or a symlink)."""


def _private_dir(path: Path) -> Path:
    """Create `path` (0700) or make an existing one 0700; refuse one that is not ours.

    An upload may hold identifiers (PRODUCT.md §6): other users on the machine must not
    be able to list or read it, and an older Uppsök created these folders 0755.
    """
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = path.lstat()
    if stat.S_ISLNK(info.st_mode) or (hasattr(os, "getuid") and info.st_uid != os.getuid()):
        raise UploadFolderError(
            f"Uppladdningsmappen {path} tillhör inte servern; ta bort den. / "
            f"The upload folder {path} does not belong to the server; remove it."
        )
    if stat.S_IMODE(info.st_mode) != 0o700:
        path.chmod(0o700)
    return path


def _write_private(path: Path, data: bytes) -> None:
    """Write `data` to a file only the server's user can read (0600), never through a symlink."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, 0o600)
    try:
        os.fchmod(fd, 0o600)  # an existing file keeps its mode on open
        with os.fdopen(fd, "wb") as out:
            fd = -1
            out.write(data)
    finally:
        if fd != -1:
            os.close(fd)


def save_upload(
    data: bytes, file_name: str, directory: str | Path | None = None, *,
    session: str = "", previous: str | Path | None = None, max_age: float = UPLOAD_MAX_AGE_S,
) -> tuple[Path, str]:
    """Write uploaded bytes to a private temp file (0600 in a 0700 folder) named `upload`
    with the original suffix (the readers go by it); returns the path and the content's
    SHA-256, which keys caches.

    An upload may hold identifiers and is only needed until it is imported, so this also
    removes `previous` (the same session's last upload, when a new file is chosen) and
    every upload folder untouched for `max_age` seconds (previews never imported). Each
    call touches its own file, so a preview left open is not swept while in use.
    """
    digest = hashlib.sha256(data).hexdigest()
    # Only the suffix is kept (the readers go by it): a file name may hold an identifier
    # ("besök 850709-9805.csv") and must not reach the disk, nor be longer than it allows.
    suffix = re.sub(r"[^a-z0-9]", "", Path(file_name).suffix.lower())[:8]
    safe_name = f"upload.{suffix}" if suffix else "upload"
    tag = re.sub(r"[^\w-]", "", session)[:32]
    root = _private_dir(upload_root(directory))
    folder = _private_dir(root / (f"{tag}-{digest[:16]}" if tag else digest[:16]))
    path = folder / safe_name
    if not path.exists() or path.stat().st_size != len(data):
        _write_private(path, data)
    else:
        path.touch()
    if previous is not None and Path(previous) != path:
        remove_upload(Path(previous))
    sweep_uploads(root, max_age, keep=folder)
    return path, digest


def sweep_uploads(root: Path, max_age: float = UPLOAD_MAX_AGE_S, keep: Path | None = None) -> int:
    """Remove upload folders (and stray files) whose newest file is older than `max_age`
    seconds; returns how many."""
    if not root.is_dir() or root.is_symlink():
        return 0
    cutoff = time.time() - max_age
    removed = 0
    for entry in root.iterdir():
        if entry == keep:
            continue
        try:
            if entry.is_dir() and not entry.is_symlink():
                newest = max([entry.stat().st_mtime, *(f.lstat().st_mtime for f in entry.iterdir())])
            else:
                newest = entry.lstat().st_mtime
        except OSError:  # another session removed it meanwhile
            continue
        if newest < cutoff:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            removed += 1
    return removed


_SWEEPER_LOCK = threading.Lock()
_SWEEPERS: dict[Path, threading.Thread] = {}
SWEEP_INTERVAL_S = 300.0


def start_upload_sweeper(directory: str | Path | None = None, *, max_age: float = UPLOAD_MAX_AGE_S,
                         interval: float = SWEEP_INTERVAL_S) -> int:
    """At server start: sweep old uploads now (a crash or a closed browser leaves some),
    then every `interval` seconds in a daemon thread, so an upload never imported is gone
    after `max_age` even when nobody uploads again. Once per upload folder and process;
    returns how many the first sweep removed (0 when it already runs)."""
    root = upload_root(directory)
    with _SWEEPER_LOCK:
        running = _SWEEPERS.get(root)
        if running is not None and running.is_alive():
            return 0
        removed = sweep_uploads(root, max_age)

        def loop() -> None:
            while True:
                time.sleep(interval)
                try:
                    sweep_uploads(root, max_age)
                except OSError:
                    pass  # next round

        _SWEEPERS[root] = threading.Thread(target=loop, name="uppsok-upload-sweeper", daemon=True)
        _SWEEPERS[root].start()
    return removed


def remove_upload(path: Path) -> None:
    """Delete a saved upload once it is imported, replaced or removed (it may hold identifiers)."""
    if not path.parent.parent.name.startswith(_UPLOAD_DIR):  # only ever a file save_upload wrote
        return
    path.unlink(missing_ok=True)
    try:
        path.parent.rmdir()
    except OSError:
        pass


def file_headers(path: str | Path) -> list[str]:
    """The file's column headers (read from its start only), so that a user can map them
    even when none is recognised."""
    return readers.peek_headers(Path(path))


@dataclass(frozen=True)
class Detected:
    """The mapping Uppsök proposes for a file, and the built-in profile it came from (if any)."""

    profile: str | None
    mapping: ColumnMapping
    plan: profiles.ImportPlan = field(default_factory=profiles.ImportPlan)  # form, choice labels, metadata


def detect_mapping(cur: duckdb.DuckDBPyConnection, headers: list[str], profile: str | None = None) -> Detected:
    """What `python -m geo import [--profile NAME]` would use: the named profile (built in
    or saved), else the built-in profile of the field app that wrote the file (ODK Central,
    KoboToolbox); then aliases in Swedish and English. `AUTOMATIC` means aliases only.
    Raises UnknownProfileError."""
    if profile is None:
        profile = profiles.detect_profile(headers)
    profile = profile or None
    plan = profiles.plan_for_headers(cur, headers, profile) if profile else profiles.ImportPlan()
    kept = [h for h in headers if h not in plan.metadata]
    return Detected(profile, map_headers(kept, overrides=plan.columns), plan)


def profile_columns(headers: list[str], choices: dict[str, str]) -> dict[str, str]:
    """The mapping to save as a profile from a user's choices: every mapped column, and an
    empty header for a column the aliases would find but the user unmapped, so that
    `--profile` later does exactly what the page showed."""
    automatic = map_headers(headers).columns
    return {canon: header for canon in CANONICAL_COLUMNS
            if (header := choices.get(canon) or "") or canon in automatic}


def save_profile(cur: duckdb.DuckDBPyConnection, name: str, headers: list[str], choices: dict[str, str],
                 actor: str) -> str:
    """Save the page's (corrected) mapping as a named profile; returns the name as stored.
    Raises ValueError with a sentence in both languages (no name, a built-in name, …)."""
    profiles.save_profile(cur, name, profile_columns(headers, choices), actor)
    return name.strip()


def save_form_upload(cur: duckdb.DuckDBPyConnection, name: str, data: bytes, file_name: str, actor: str) -> str:
    """Save an uploaded form definition (XLSForm .xlsx or XForm .xml) with profile `name`;
    returns the name as stored. The file is read from a temporary copy and not kept.
    Raises ValueError (geo.forms.UnreadableFormError included) with a sentence."""
    from geo.forms import read_form

    suffix = Path(file_name).suffix.lower()
    with tempfile.TemporaryDirectory(prefix="uppsok-form-") as tmp:
        path = Path(tmp) / f"form{suffix if suffix in ('.xlsx', '.xml') else '.xml'}"
        path.write_bytes(data)
        form = read_form(path)
    return profiles.save_form(cur, name, form, actor)


def looks_like_xlsform(headers: list[str], file_name: str) -> bool:
    """An XLSForm's survey sheet (type, name, label) uploaded as the visits file: an easy slip
    now that the import also takes the form, and worth saying where the form goes."""
    cells = {h.strip().lower() for h in headers}
    return Path(file_name).suffix.lower() in (".xlsx", ".xlsm", ".xls") and {"type", "name"} <= cells


def full_mapping(choices: dict[str, str | None]) -> dict[str, str]:
    """A user's choice per canonical column as ingest overrides: '' means 'not in this file',
    so the result is exactly what the user sees, nothing detected behind their back."""
    return {canon: (choices.get(canon) or "") for canon in CANONICAL_COLUMNS}


def preview(
    cur: duckdb.DuckDBPyConnection, path: str | Path, file_name: str, columns: dict[str, str] | None = None,
    plan: profiles.ImportPlan | None = None,
) -> Preview:
    """A dry run: every step of the import, then a rollback; nothing is stored. `plan` brings
    the form's choice labels and the app's metadata columns (geo.profiles.plan_for_headers)."""
    plan = plan or profiles.ImportPlan()
    summary = ingest.import_file(cur, path, actor="dashboard", file_name=file_name, columns=columns,
                                 values=plan.values, metadata=plan.metadata, dry_run=True)
    return Preview(summary=summary, outcomes=ingest.row_outcomes(cur))


def preview_table(outcomes: pd.DataFrame, lang: str, limit: int = PREVIEW_ROWS) -> pd.DataFrame:
    """The first rows of a dry run as the page shows them: outcome and reason in the UI language."""
    head = outcomes.head(limit)
    reason = head[f"reason_{_lang(lang)}"]
    kind = head["kind"].map(lambda k: None if k is None or pd.isna(k) else kind_label(str(k), lang))
    blank = lambda column: column.astype("object").where(column.notna(), "")  # noqa: E731
    return pd.DataFrame({  # the reason last: it is the long text, and empty for most rows
        t("imp_col_row", lang): head["row_number"].astype("int64"),
        t("imp_col_outcome", lang): head["outcome"].map(lambda o: t(f"outcome_{o}", lang)),
        t("imp_col_visited", lang): blank(head["visited_at_utc"].map(_local)),
        t("col_name", lang): blank(head["place"]),
        t("col_kind", lang): blank(kind),
        # as text: Streamlit draws a missing number as "None"
        t("imp_col_people_visit", lang): blank(head["people"].astype("Int64").astype("string")).astype("string"),
        t("imp_col_reason", lang): blank(reason),
    })
