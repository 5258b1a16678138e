"""Log one visit from a form, validated by exactly the rules of a file import (issue 3, item 8).

There is one set of rules: the form is written as a one-row CSV with canonical English
headers and handed to `geo.ingest.import_file`, so a form and a file can never disagree on
what a valid visit is (dates, the future, the service area, counts, kinds, referrals,
place matching, duplicates). What the form adds is only how the answer comes back: one
outcome with the reason in Swedish and English.

Decisions:
- **Only an imported visit is stored.** The form first runs the import as a dry run; a
  rejected or duplicate form writes nothing (no `imports` row, no `rejects` row). The user
  is looking at the form and fixes it on the spot, so a stored reject would be an orphan
  nobody re-imports, would clutter the import history with empty "formulär" imports, and
  would take the place of the last file's rejects in `python -m geo rejects` (latest
  import). An accepted form is then imported for real: one import (file name
  "formulär") per logged visit, audited and undoable like any file.
- **Identifiers never touch the disk.** Free text (notes, team code, new place name) is
  scrubbed with `geo.privacy.scrub` (the rule ingest applies) *before* the temporary CSV is
  written; ingest scrubs again (and finds nothing). The result reports how many were removed.
- Typed coordinates go to the CSV as typed text, so decimal commas, swapped lat/lon and
  SWEREF 99 TM numbers are read exactly as in a file.
"""

from __future__ import annotations

import csv
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import duckdb
import pandas as pd

from geo import ingest, privacy
from geo.config import STOCKHOLM

FORM_FILE_NAME = "formulär"

# Columns of the one-row CSV: canonical English headers (geo.columns.ALIASES).
CSV_COLUMNS: tuple[str, ...] = (
    "visited_at", "place_id", "place_name", "place_type", "lat", "lon",
    "people", "children", "acute", "referred_to", "team", "notes",
)

# Kinds as the form offers them (Swedish codes, as a file would have them).
# Referrals as the form offers them; None = not referred.
FORM_REFERRALS: tuple[str | None, ...] = (None, "socialjouren", "polis", "vården", "annan")

Outcome = Literal["imported", "duplicate", "rejected"]


def now_local() -> datetime:
    """Now in Stockholm (naive local time, to the minute): the form's default visit time."""
    return datetime.now(STOCKHOLM).replace(tzinfo=None, second=0, microsecond=0)


def to_local(utc: datetime) -> datetime:
    """A stored (naive UTC) time as naive Stockholm time, for messages."""
    return utc.replace(tzinfo=UTC).astimezone(STOCKHOLM).replace(tzinfo=None)


@dataclass
class VisitForm:
    """One visit as the form gives it.

    Where: `place_id` of a known place, or `lat`/`lon` (typed text or a picked point), with
    an optional `place_name` for a new place. `visited_at` is local Stockholm time (an aware
    datetime is converted). `kind` is sovplats/boplats/annan (or the stored English codes).
    """

    visited_at: datetime = field(default_factory=now_local)
    place_id: str | None = None
    place_name: str | None = None
    lat: float | str | None = None
    lon: float | str | None = None
    kind: str | None = None
    people: int | None = None
    children: int | None = None
    acute: bool | None = None
    referred_to: str | None = None
    team: str | None = None
    notes: str | None = None


@dataclass
class VisitResult:
    """What became of one form: imported, duplicate or rejected (with the reason)."""

    outcome: Outcome
    reason_code: str | None = None
    reason_sv: str | None = None
    reason_en: str | None = None
    column: str | None = None
    place_id: str | None = None
    place_name: str | None = None
    new_place: bool = False
    visit_id: str | None = None
    visited_at_utc: datetime | None = None
    shift: str | None = None
    import_id: str | None = None  # only when the visit was stored
    removed_identifiers: int = 0

    def reason(self, lang: str) -> str | None:
        """The rejection reason in the UI language."""
        return self.reason_en if lang == "en" else self.reason_sv


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value).strip()


def _local_time(value: datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(STOCKHOLM).replace(tzinfo=None)
    return value.strftime("%Y-%m-%d %H:%M")


def _scrubbed(value: str | None) -> tuple[str, int]:
    text = _text(value)
    if not text:
        return "", 0
    clean, counts = privacy.scrub(text)
    return clean, counts.total()


def to_row(form: VisitForm) -> tuple[dict[str, str], int]:
    """The form as one CSV row of text (canonical headers), and how many identifiers were removed."""
    notes, n_notes = _scrubbed(form.notes)
    team, n_team = _scrubbed(form.team)
    name, n_name = _scrubbed(form.place_name)
    by_id = bool(_text(form.place_id))
    row = {
        "visited_at": _local_time(form.visited_at),
        "place_id": _text(form.place_id),
        # a known place brings its own name, kind and position
        "place_name": "" if by_id else name,
        "place_type": "" if by_id else _text(form.kind),
        "lat": "" if by_id else _text(form.lat),
        "lon": "" if by_id else _text(form.lon),
        "people": _text(form.people),
        "children": _text(form.children),
        "acute": "" if form.acute is None else ("ja" if form.acute else "nej"),
        "referred_to": _text(form.referred_to),
        "team": team,
        "notes": notes,
    }
    return row, n_notes + n_team + (0 if by_id else n_name)


def _run(cur: duckdb.DuckDBPyConnection, path: Path, actor: str, dry_run: bool) -> tuple[ingest.ImportSummary, pd.Series]:
    summary = ingest.import_file(cur, path, actor=actor, file_name=FORM_FILE_NAME, dry_run=dry_run)
    outcomes = ingest.row_outcomes(cur)
    if len(outcomes) != 1:  # the file is ours and has one row; anything else is a bug
        raise RuntimeError(f"a visit form gave {len(outcomes)} rows")
    return summary, outcomes.iloc[0]


def _value(row: pd.Series, name: str) -> object | None:
    value = row.get(name)
    return None if value is None or pd.isna(value) else value


def log_visit(cur: duckdb.DuckDBPyConnection, form: VisitForm, actor: str) -> VisitResult:
    """Validate and store one visit through the file import; see the module docstring.

    Raises store.DatabaseInUseError / duckdb errors as an import would; never a reject
    for the caller to catch: a rejected form comes back as `VisitResult(outcome="rejected")`.
    """
    row, removed = to_row(form)
    with tempfile.TemporaryDirectory(prefix="uppsok-form-") as tmp:
        path = Path(tmp) / "visit.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=CSV_COLUMNS)
            writer.writeheader()
            writer.writerow(row)
        summary, outcome = _run(cur, path, actor, dry_run=True)
        if outcome["outcome"] == "imported":  # only now write anything
            summary, outcome = _run(cur, path, actor, dry_run=False)

    removed += sum(summary.removed_identifiers.values())
    result = VisitResult(
        outcome=str(outcome["outcome"]),  # type: ignore[arg-type]
        reason_code=_value(outcome, "reason_code"),  # type: ignore[arg-type]
        reason_sv=_value(outcome, "reason_sv"),  # type: ignore[arg-type]
        reason_en=_value(outcome, "reason_en"),  # type: ignore[arg-type]
        column=_value(outcome, "column_name"),  # type: ignore[arg-type]
        place_id=_value(outcome, "place_id"),  # type: ignore[arg-type]
        visited_at_utc=_value(outcome, "visited_at_utc"),  # type: ignore[arg-type]
        removed_identifiers=removed,
    )
    if result.place_id:
        found = cur.execute("SELECT name FROM places WHERE place_id = ?", [result.place_id]).fetchone()
        result.place_name = found[0] if found else row["place_name"] or None
    if result.outcome == "imported":
        result.import_id = summary.import_id
        result.new_place = summary.new_places > 0
        stored = cur.execute(
            "SELECT visit_id, shift, visited_at FROM visits WHERE import_id = ?", [summary.import_id]
        ).fetchone()
        if stored:
            result.visit_id, result.shift, result.visited_at_utc = stored
    return result


def known_places(cur: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Active (not cleared) places for the form's list: place_id, name, kind; by name."""
    return cur.execute(
        "SELECT place_id, name, kind FROM places WHERE cleared_at IS NULL ORDER BY name_key, place_id"
    ).df()
