"""Places after the import: the list a team lead checks, and the fixes a person can make that
the import cannot (issue 11): merge two places that are one, rename one, mark one cleared.

A merge moves the visits to the kept place and marks the other merged, never deleted: it is
cleared at the merge (so that no map, plan or estimate counts it again) and its id and name
lead the import to the kept place. The moved visit ids are recorded, so that an undo moves
exactly those back. Every change is audited. No Streamlit here; app_pages/platser.py is thin.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

import duckdb
import pandas as pd

from geo import coverage, privacy, store
from geo.columns import name_key
from geo.localtime import utc_to_local
from geo.texts import TextError, kind_label, t

ACTIVE, CLEARED, MERGED = "active", "cleared", "merged"
STATUSES: tuple[str, ...] = (ACTIVE, CLEARED, MERGED)
MAX_NAME = 120


class PlaceError(TextError):
    """A refused change to a place; the sentence is in geo.texts under `key`."""


@dataclass(frozen=True)
class Merge:
    """One merge as recorded: `visit_ids` moved from `merged_place_id` to `kept_place_id`."""

    merge_id: str
    kept_place_id: str
    merged_place_id: str
    visit_ids: tuple[str, ...]
    merged_at: datetime  # naive UTC


@dataclass(frozen=True)
class MergeUndone:
    """What an undo of a merge moved back."""

    merge_id: str
    kept_place_id: str
    merged_place_id: str
    visits_moved_back: int


def _local(ts: object) -> str | None:
    local = utc_to_local(ts)
    return None if local is None else local.strftime("%Y-%m-%d %H:%M")


def district_layer(cur: duckdb.DuckDBPyConnection) -> str | None:
    """The boundary layer that names a place's district: the first one imported (None without)."""
    row = cur.execute("SELECT layer FROM area_layers ORDER BY imported_at, layer LIMIT 1").fetchone()
    return None if row is None else str(row[0])


def list_places(cur: duckdb.DuckDBPyConnection, search: str = "", layer: str | None = None) -> pd.DataFrame:
    """Every place with its kind, district (when a boundary layer exists), last visit (Stockholm
    time), number of visits and status, by name; `search` matches the name folded like the
    import folds it (case and accents ignored). `layer` defaults to district_layer()."""
    frame = cur.execute(
        """WITH per_place AS (SELECT place_id, count(*) AS visits, max(visited_at) AS last_visit
                              FROM visits GROUP BY place_id),
                merged AS (SELECT merged_place_id, arg_max(kept_place_id, merged_at) AS kept_place_id
                           FROM place_merges WHERE undone_at IS NULL GROUP BY merged_place_id)
           SELECT p.place_id, p.name, p.kind, p.lat, p.lon, v.last_visit,
                  coalesce(v.visits, 0)::INTEGER AS visits,
                  CASE WHEN m.merged_place_id IS NOT NULL THEN 'merged'
                       WHEN p.cleared_at IS NOT NULL THEN 'cleared' ELSE 'active' END AS status,
                  k.name AS merged_into
           FROM places p
           LEFT JOIN per_place v USING (place_id)
           LEFT JOIN merged m ON m.merged_place_id = p.place_id
           LEFT JOIN places k ON k.place_id = m.kept_place_id
           WHERE contains(p.name_key, ?)
           ORDER BY p.name COLLATE sv, p.place_id""",  # Swedish order: Å, Ä, Ö after Z
        [name_key(search or "")],
    ).df()
    layer = layer if layer is not None else district_layer(cur)
    district = pd.Series([None] * len(frame), dtype="object")
    if layer is not None and len(frame):
        areas = coverage.layer_areas(cur, layer)
        ids = coverage.assign_areas(areas, frame["lat"].to_numpy(), frame["lon"].to_numpy(), layer)
        names = dict(zip(areas["area_id"].astype(str), areas["name"].astype(str)))
        district = pd.Series([names.get(str(i)) if i is not None else None for i in ids], dtype="object")
    frame.insert(3, "district", district)
    frame["last_visit"] = frame["last_visit"].map(_local).astype("object")
    return frame.drop(columns=["lat", "lon"])


def _place(cur: duckdb.DuckDBPyConnection, place_id: str) -> tuple[str, datetime | None]:
    row = cur.execute("SELECT name, cleared_at FROM places WHERE place_id = ?", [place_id]).fetchone()
    if row is None:
        raise PlaceError("places_unknown", place_id=place_id)
    return str(row[0]), row[1]


def _merged_into(cur: duckdb.DuckDBPyConnection, place_id: str) -> str | None:
    row = cur.execute(
        "SELECT kept_place_id FROM place_merges WHERE merged_place_id = ? AND undone_at IS NULL", [place_id]
    ).fetchone()
    return None if row is None else str(row[0])


def _not_merged(cur: duckdb.DuckDBPyConnection, place_id: str) -> str:
    name, _ = _place(cur, place_id)
    if _merged_into(cur, place_id) is not None:
        raise PlaceError("places_is_merged", name=name)
    return name


def merge_places(cur: duckdb.DuckDBPyConnection, keep_id: str, merge_id: str, actor: str) -> Merge:
    """Move every visit of `merge_id` to `keep_id` and mark `merge_id` merged; one transaction."""
    if keep_id == merge_id:
        raise PlaceError("places_merge_same")
    with store.transaction(cur):
        kept_name = _not_merged(cur, keep_id)
        merged_name = _not_merged(cur, merge_id)
        _, cleared_before = _place(cur, merge_id)
        visit_ids = [r[0] for r in cur.execute(
            "SELECT visit_id FROM visits WHERE place_id = ? ORDER BY visit_id", [merge_id]).fetchall()]
        now = store.utcnow()
        record = Merge(f"m-{now:%Y%m%d%H%M%S}-{secrets.token_hex(3)}", keep_id, merge_id, tuple(visit_ids), now)
        cur.execute("UPDATE visits SET place_id = ? WHERE place_id = ?", [keep_id, merge_id]).fetchall()
        cur.execute("UPDATE places SET cleared_at = coalesce(cleared_at, ?) WHERE place_id = ?",
                    [now, merge_id]).fetchall()
        cur.execute(
            "INSERT INTO place_merges VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
            [record.merge_id, keep_id, merge_id, now, actor, visit_ids, cleared_before],
        ).fetchall()
        store.audit(cur, actor, "place_merge", {
            "merge_id": record.merge_id, "kept": keep_id, "kept_name": kept_name, "merged": merge_id,
            "merged_name": merged_name, "visits_moved": len(visit_ids),
        })
    return record


def active_merges(cur: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Merges that can be undone, newest first, with both names and when (Stockholm time)."""
    frame = cur.execute(
        """SELECT m.merge_id, m.kept_place_id, k.name AS kept_name, m.merged_place_id, d.name AS merged_name,
                  m.merged_at, m.actor, len(m.visit_ids)::INTEGER AS visits
           FROM place_merges m JOIN places k ON k.place_id = m.kept_place_id
           JOIN places d ON d.place_id = m.merged_place_id
           WHERE m.undone_at IS NULL ORDER BY m.merged_at DESC, m.merge_id DESC"""
    ).df()
    frame["when"] = frame.pop("merged_at").map(_local).astype("object")
    return frame


def undo_merge(cur: duckdb.DuckDBPyConnection, merge_id: str, actor: str) -> MergeUndone:
    """Move exactly the merge's visits back and restore the merged place as it was.

    Refused while a later merge took the kept place into a third one: its visits are there
    now, so undo that merge first.
    """
    with store.transaction(cur):
        row = cur.execute(
            """SELECT kept_place_id, merged_place_id, visit_ids, cleared_before, merged_at, undone_at
               FROM place_merges WHERE merge_id = ?""", [merge_id]).fetchone()
        if row is None:
            raise PlaceError("places_merge_unknown", merge_id=merge_id)
        kept, merged, visit_ids, cleared_before, merged_at, undone_at = row
        if undone_at is not None:
            raise PlaceError("places_merge_undone", merge_id=merge_id)
        later = _merged_into(cur, kept)
        if later is not None:
            raise PlaceError("places_merge_later", name=_place(cur, kept)[0], into=_place(cur, later)[0])
        moved = int(cur.execute(
            "SELECT count(*) FROM visits WHERE place_id = ? AND list_contains(?, visit_id)",
            [kept, list(visit_ids)]).fetchone()[0])
        cur.execute("UPDATE visits SET place_id = ? WHERE place_id = ? AND list_contains(?, visit_id)",
                    [merged, kept, list(visit_ids)]).fetchall()
        cur.execute("UPDATE places SET cleared_at = ? WHERE place_id = ?", [cleared_before, merged]).fetchall()
        cur.execute("UPDATE place_merges SET undone_at = ?, undone_by = ? WHERE merge_id = ?",
                    [store.utcnow(), actor, merge_id]).fetchall()
        store.audit(cur, actor, "place_merge_undone", {
            "merge_id": merge_id, "kept": kept, "merged": merged, "visits_moved_back": moved,
        })
    return MergeUndone(merge_id, str(kept), str(merged), moved)


def rename_place(cur: duckdb.DuckDBPyConnection, place_id: str, name: str, actor: str) -> str:
    """Give a place a new name (identifiers removed, as on import); returns the name stored."""
    clean, _ = privacy.scrub(" ".join((name or "").split()))
    if not clean:
        raise PlaceError("places_name_empty")
    if len(clean) > MAX_NAME:
        raise PlaceError("places_name_long", max=MAX_NAME)
    with store.transaction(cur):
        before = _not_merged(cur, place_id)
        if before == clean:
            return clean
        cur.execute("UPDATE places SET name = ?, name_key = ? WHERE place_id = ?",
                    [clean, name_key(clean), place_id]).fetchall()
        store.audit(cur, actor, "place_rename", {"place_id": place_id, "before": before, "after": clean})
    return clean


def set_cleared(cur: duckdb.DuckDBPyConnection, place_id: str, cleared: bool, actor: str) -> bool:
    """Mark a place cleared (nobody is expected there any more) or reopen it; audited.
    Returns False when it already was so."""
    with store.transaction(cur):
        name = _not_merged(cur, place_id)
        _, cleared_at = _place(cur, place_id)
        if (cleared_at is not None) == cleared:
            return False
        cur.execute("UPDATE places SET cleared_at = ? WHERE place_id = ?",
                    [store.utcnow() if cleared else None, place_id]).fetchall()
        store.audit(cur, actor, "place_cleared" if cleared else "place_reopened",
                    {"place_id": place_id, "name": name})
    return True


def places_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The list as the Platser page shows it: kind and status in the UI language."""
    blank = lambda column: column.astype("object").where(column.notna(), "")  # noqa: E731
    return pd.DataFrame({
        t("col_name", lang): frame["name"].astype("object"),
        t("col_kind", lang): frame["kind"].map(lambda k: kind_label(str(k), lang)),
        t("col_district", lang): blank(frame["district"]),
        t("col_last_visit", lang): blank(frame["last_visit"]),
        t("places_col_visits", lang): frame["visits"].astype("int64"),
        t("places_col_status", lang): frame["status"].map(lambda s: t(f"places_status_{s}", lang)),
        t("places_col_merged_into", lang): blank(frame["merged_into"]),
    })


def place_label(row: dict, lang: str) -> str:
    """One place in a choice: name, kind, visits and id (two places may share a name)."""
    return t("places_option", lang, name=row["name"], kind=kind_label(str(row["kind"]), lang),
             visits=int(row["visits"]), place_id=row["place_id"])


def merge_label(row: dict, lang: str) -> str:
    """One merge in the undo choice: both names, when, who, how many visits."""
    return t("places_undo_option", lang, kept=row["kept_name"], merged=row["merged_name"],
             when=row["when"] or "–", actor=row["actor"], visits=int(row["visits"]))
