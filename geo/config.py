"""Defaults shared by the CLI and the dashboard: where the database lives, time zone, targets."""

from __future__ import annotations

import os
from pathlib import Path
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")

DEFAULT_DB = Path("data") / "outreach.duckdb"
DB_ENV_VAR = "OUTREACH_DB"

# Kinds of place, as stored. The UI names them (sovplats, boplats, annan) via geo.texts.
KINDS: tuple[str, ...] = ("sleeping_place", "encampment", "other")

# Target interval between visits per kind, in days (PRODUCT.md / issue 2 defaults).
TARGET_DAYS: dict[str, int] = {"encampment": 7, "sleeping_place": 14, "other": 14}

# An area not visited for more than this many days is overdue (coverage, the map's area list).
AREA_OVERDUE_DAYS = 14

# Import: a visit with coordinates and no place joins the nearest known place within this radius.
MATCH_RADIUS_M = 50

# Largest file a page accepts (Importera, Områden); .streamlit/config.toml server.maxUploadSize agrees.
MAX_UPLOAD_MB = 50


def resolve_db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """`--db PATH`, else $OUTREACH_DB, else data/outreach.duckdb (PRODUCT.md §4)."""
    if explicit:
        return Path(explicit)
    env = os.environ.get(DB_ENV_VAR)
    if env:
        return Path(env)
    return DEFAULT_DB

# Acute cases count towards coverage and urgency for this many days.
ACUTE_WINDOW_DAYS = 90

# Patrol planning (issue 5): minutes spent at a place per kind, and the default start and end
# point of a shift's routes. T-Centralen, central and reached by every metro line, stands in
# for the team's base until a team sets its own (Inställningar, `route_base`).
STOP_MINUTES: dict[str, int] = {"sleeping_place": 10, "encampment": 25, "other": 10}
ROUTE_BASE: tuple[float, float] = (59.3309, 18.0593)
ROUTE_BASE_NAME = "T-Centralen"
# Population estimate (issue 6): the window of "seen recently", and how old a place's last
# count may be to be carried forward into the upper bound.
ESTIMATE_WINDOW_DAYS = 14
ESTIMATE_MAX_AGE_DAYS = 60
