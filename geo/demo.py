"""A realistic, deterministic demo database (`python -m geo demo`, PRODUCT.md §4).

The first thing a team lead sees is the demo, so it has to look like Stockholm: places sit
at real public locations where people sleep rough (parks, forests, stations, bridges) in
every district, visits follow the team's shifts and the seasons, and on the demo's "today"
a share of places is overdue so the map has something to highlight.

Everything is drawn from one seeded generator, so a seed and a date give the same database
byte for byte (the `imports.started_at` and audit time stamps record the real build time).
No real person, team member or identifier appears anywhere: team codes are "A" and "B",
notes are short generic phrases, place names describe locations.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

import duckdb
import numpy as np
import pandas as pd

from geo import store
from geo.areas import in_service_area
from geo.columns import name_key
from geo.config import STOCKHOLM, TARGET_DAYS
from geo.shifts import is_holiday, shift_of
from geo.staleness import overdue_places

DEMO_IMPORT_ID = "demo"
DEMO_ACTOR = "demo"
N_PLACES = 300
HISTORY_DAYS = 730  # two years of visits up to `today`
TEAMS = ("A", "B")


class DemoRefusedError(Exception):
    """The database holds real data; building a demo would destroy it."""


def real_data(cur: duckdb.DuckDBPyConnection) -> dict[str, int] | None:
    """What `demo --force` would delete: visits, places and imports of a database that holds
    real data (not a demo, or a demo that has had a real import since); None otherwise."""
    if store.is_demo(cur) or not store.has_data(cur):
        return None
    visits, places, imports = cur.execute(
        "SELECT (SELECT count(*) FROM visits), (SELECT count(*) FROM places), "
        "(SELECT count(*) FROM imports WHERE undone_at IS NULL)").fetchone()
    return {"visits": int(visits), "places": int(places), "imports": int(imports)}


@dataclass(frozen=True)
class DemoSummary:
    places: int
    visits: int
    overdue: int
    path: Path


class Anchor(NamedTuple):
    """A real, named public location; demo places are scattered around it."""

    name: str
    lat: float
    lon: float
    kind: str       # forest | park | station | square | bridge
    spread_m: float  # how far places may lie from the anchor (keeps them on land)
    camp: bool      # encampments are plausible here (forests, large parks at the edge)


def _a(name: str, lat: float, lon: float, kind: str, spread_m: float = 0, camp: bool = False) -> Anchor:
    default = {"forest": 250.0, "park": 120.0, "station": 60.0, "square": 50.0, "bridge": 40.0}[kind]
    return Anchor(name, lat, lon, kind, spread_m or default, camp)


# Real locations, WGS84, grouped by district (stadsdelsområde). Checked during development
# against the city's district polygons and water layer; the product does not need those files.
ANCHORS: tuple[Anchor, ...] = (
    # Norrmalm
    _a("Stockholm Central", 59.3301, 18.0582, "station"),
    _a("T-Centralen", 59.3317, 18.0610, "station"),
    _a("Sergels torg", 59.3324, 18.0645, "square"),
    _a("Cityterminalen", 59.3317, 18.0556, "station", 40),
    _a("Kungsträdgården", 59.3310, 18.0715, "park", 80),
    _a("Hötorget", 59.3347, 18.0632, "square"),
    _a("Tegnérlunden", 59.3387, 18.0553, "park", 60),
    _a("Observatorielunden", 59.3415, 18.0545, "park", 90),
    _a("Vasaparken", 59.3405, 18.0435, "park", 100),
    _a("Norra Bantorget", 59.3363, 18.0570, "square", 40),
    _a("Odenplan", 59.3430, 18.0495, "station"),
    _a("Vanadislunden", 59.3495, 18.0505, "park", 120),
    _a("Adolf Fredriks kyrkogård", 59.3375, 18.0625, "park", 50),
    _a("Johannes kyrkogård", 59.3402, 18.0617, "park", 60),
    _a("Bellevueparken", 59.352, 18.052, "park", 90, camp=True),
    _a("Karlbergs station", 59.3398, 18.0339, "station"),
    # Östermalm
    _a("Humlegården", 59.3395, 18.0730, "park", 120),
    _a("Stureplan", 59.3357, 18.0735, "square", 40),
    _a("Östermalmstorg", 59.3350, 18.0780, "square", 40),
    _a("Karlaplan", 59.3383, 18.0905, "square", 60),
    _a("Tessinparken", 59.3440, 18.0960, "park", 100),
    _a("Lill-Jansskogen", 59.3515, 18.0765, "forest", 300, camp=True),
    _a("Norra Djurgården, Uggleviken", 59.3565, 18.0880, "forest", 120, camp=True),
    _a("Stora Skuggan", 59.3620, 18.0930, "forest", 60, camp=True),
    _a("Brunnsviken, östra stranden", 59.3600, 18.0580, "forest", 100, camp=True),
    _a("Tekniska högskolan", 59.3456, 18.0716, "station"),
    _a("Ladugårdsgärdet", 59.3415, 18.1130, "park", 250, camp=True),
    _a("Hjorthagen, Husarviken", 59.3540, 18.1050, "forest", 150, camp=True),
    _a("Nobelparken", 59.3330, 18.1030, "park", 70),
    _a("Djurgården, Lejonslätten", 59.3280, 18.1050, "park", 75),
    _a("Djurgården, Isbladskärret", 59.3290, 18.1270, "forest", 60, camp=True),
    # Kungsholmen
    _a("Kronobergsparken", 59.3335, 18.0310, "park", 100),
    _a("Rålambshovsparken", 59.3290, 18.0230, "park", 150),
    _a("Västerbron, norra brofästet", 59.3262, 18.0228, "bridge", 40),
    _a("Fridhemsplan", 59.3325, 18.0290, "station"),
    _a("Norr Mälarstrand", 59.3280, 18.0400, "park", 60),
    _a("Stadshusparken", 59.3273, 18.0545, "park", 25),
    _a("Kungsholmstorg", 59.3310, 18.0480, "square", 40),
    _a("Fredhällsparken", 59.3300, 18.0030, "park", 100),
    _a("Smedsudden", 59.3260, 18.0150, "park", 40),
    _a("Hornsbergs strandpark", 59.3385, 18.0080, "park", 80),
    _a("Karlbergssjön, södra stranden", 59.3375, 18.0200, "park", 60),
    _a("Kungsholms strand", 59.3352, 18.042, "park", 30),
    # Södermalm
    _a("Tantolunden", 59.3125, 18.0440, "park", 125, camp=True),
    _a("Vitabergsparken", 59.3120, 18.0870, "park", 120),
    _a("Skinnarviksberget", 59.3205, 18.0535, "park", 40),
    _a("Ivar Los park", 59.3200, 18.0565, "park", 40),
    _a("Mariatorget", 59.3170, 18.0630, "park", 50),
    _a("Medborgarplatsen", 59.3145, 18.0730, "square", 50),
    _a("Slussen", 59.3195, 18.0720, "station", 50),
    _a("Björns trädgård", 59.3155, 18.0745, "park", 40),
    _a("Nytorget", 59.3125, 18.0815, "park", 40),
    _a("Zinkensdamm", 59.3178, 18.0500, "station", 50),
    _a("Stockholms södra", 59.3142, 18.0645, "station"),
    _a("Katarina kyrkogård", 59.3160, 18.0805, "park", 60),
    _a("Långholmen", 59.3203, 18.0280, "forest", 35, camp=True),
    _a("Högalidsparken", 59.3165, 18.0410, "park", 80),
    _a("Rosenlundsparken", 59.3130, 18.0610, "park", 80),
    _a("Eriksdalslunden", 59.3055, 18.0660, "park", 28, camp=True),
    _a("Skanstull", 59.3080, 18.0770, "station", 50),
    _a("Hornstull", 59.3155, 18.0340, "station", 50),
    _a("Danvikstull", 59.3150, 18.1000, "park", 55),
    _a("Reimersholme", 59.3180, 18.0180, "park", 45),
    # Enskede-Årsta-Vantör
    _a("Årstaskogen", 59.3010, 18.0560, "forest", 125, camp=True),
    _a("Årsta holmar", 59.3050, 18.0750, "forest", 38, camp=True),
    _a("Gullmarsplan", 59.2990, 18.0805, "station", 60),
    _a("Globen, Arenaområdet", 59.2935, 18.0830, "square", 80),
    _a("Sockenplan", 59.2835, 18.0705, "station", 60),
    _a("Årstafältet", 59.2980, 18.0380, "park", 200, camp=True),
    _a("Högdalen centrum", 59.2635, 18.0430, "station", 60),
    _a("Rågsved", 59.2565, 18.0285, "station", 80),
    _a("Bandhagen", 59.2705, 18.0495, "station", 60),
    _a("Högdalstoppen", 59.2575, 18.0500, "forest", 200, camp=True),
    _a("Stureby", 59.2750, 18.0560, "park", 100),
    _a("Skogskyrkogården", 59.2750, 18.1000, "forest", 200),
    _a("Hagsätra", 59.2625, 18.0125, "station", 80),
    _a("Rågsveds friområde", 59.2530, 18.0400, "forest", 170, camp=True),
    # Skarpnäck
    _a("Nackareservatet vid Björkhagen", 59.2975, 18.1190, "forest", 150, camp=True),
    _a("Flatenreservatet", 59.2580, 18.1450, "forest", 150, camp=True),
    _a("Skarpnäck centrum", 59.2665, 18.1330, "station", 60),
    _a("Bagarmossen", 59.2765, 18.1315, "station", 60),
    _a("Hammarbybacken", 59.2985, 18.1025, "forest", 200, camp=True),
    _a("Hammarbyhöjden", 59.2947, 18.1048, "station", 60),
    _a("Kärrtorp", 59.2845, 18.1145, "station", 60),
    _a("Skarpnäcksfältet", 59.2690, 18.1240, "park", 200, camp=True),
    # Farsta
    _a("Farsta centrum", 59.2435, 18.0930, "station", 80),
    _a("Farsta strand", 59.2365, 18.1015, "station", 50),
    _a("Hökarängen", 59.2580, 18.0820, "station", 60),
    _a("Fagersjöskogen", 59.2455, 18.0600, "forest", 60, camp=True),
    _a("Sköndal", 59.2560, 18.1180, "park", 120),
    _a("Svedmyra", 59.2774, 18.0672, "station", 60),
    _a("Gubbängen", 59.2625, 18.0820, "station", 60),
    # Hägersten-Älvsjö (Älvsjö)
    _a("Älvsjö station", 59.2786, 18.0105, "station", 60),
    _a("Älvsjöskogen", 59.2675, 17.9925, "forest", 250, camp=True),
    _a("Långbro park", 59.2745, 18.0080, "park", 120),
    _a("Hagsätraskogen", 59.2640, 18.0000, "forest", 250, camp=True),
    # Hägersten-Älvsjö (Hägersten-Liljeholmen)
    _a("Hägerstensåsen", 59.2945, 17.9725, "forest", 250, camp=True),
    _a("Liljeholmen", 59.3100, 18.0230, "station", 60),
    _a("Aspudden", 59.3065, 18.0010, "station", 60),
    _a("Midsommarkransen", 59.3015, 18.0115, "station", 60),
    _a("Vinterviken", 59.3140, 18.0010, "forest", 150, camp=True),
    _a("Mälarhöjdsbadet", 59.3010, 17.9510, "forest", 150, camp=True),
    _a("Fruängen", 59.2860, 17.9650, "station", 60),
    _a("Västertorp", 59.2910, 17.9670, "station", 60),
    _a("Axelsberg", 59.3045, 17.9745, "station", 60),
    _a("Trekanten", 59.3090, 18.0130, "park", 80),
    _a("Gröndal", 59.3160, 18.0090, "park", 80),
    _a("Långsjön", 59.2690, 17.9750, "forest", 150, camp=True),
    # Skärholmen
    _a("Skärholmen centrum", 59.2770, 17.9070, "station", 80),
    _a("Sätra", 59.2850, 17.9210, "station", 60),
    _a("Sätraskogen", 59.2880, 17.9050, "forest", 250, camp=True),
    _a("Vårberg", 59.2760, 17.8900, "station", 60),
    _a("Bredäng", 59.2950, 17.9340, "station", 60),
    # Bromma
    _a("Brommaplan", 59.3383, 17.9390, "station", 60),
    _a("Alvik", 59.3335, 17.9800, "station", 60),
    _a("Judarskogen", 59.3400, 17.9160, "forest", 70, camp=True),
    _a("Stora Mossen", 59.3345, 17.9660, "station", 60),
    _a("Ålstensskogen", 59.3220, 17.9540, "forest", 200, camp=True),
    _a("Åkeshov", 59.3420, 17.9240, "park", 150),
    _a("Nockeby", 59.3290, 17.9240, "park", 120),
    _a("Tranebergsbron, västra brofästet", 59.3340, 17.9930, "bridge", 25),
    _a("Kyrksjön", 59.3460, 17.9230, "forest", 150, camp=True),
    _a("Ängbyplan", 59.3415, 17.9071, "station", 60),
    _a("Islandstorget", 59.3459, 17.8940, "station", 60),
    # Hässelby-Vällingby
    _a("Vällingby centrum", 59.3630, 17.8720, "station", 80),
    _a("Hässelby strand", 59.3610, 17.8320, "station", 80),
    _a("Hässelby gård", 59.3670, 17.8440, "station", 60),
    _a("Grimstaskogen", 59.3515, 17.8660, "forest", 220, camp=True),
    _a("Johannelund", 59.3680, 17.8590, "station", 60),
    _a("Råcksta", 59.3550, 17.8820, "station", 60),
    _a("Blackeberg", 59.3485, 17.8830, "station", 60),
    # Spånga-Tensta
    _a("Tensta centrum", 59.3945, 17.9020, "station", 80),
    _a("Hjulsta", 59.3960, 17.8880, "station", 60),
    _a("Spånga station", 59.3833, 17.8988, "station", 60),
    _a("Järvafältet, Tensta", 59.4005, 17.9100, "forest", 200, camp=True),
    _a("Bromsten", 59.3800, 17.9250, "park", 120),
    # Rinkeby-Kista
    _a("Rinkeby torg", 59.3880, 17.9280, "square", 60),
    _a("Kista centrum", 59.4030, 17.9445, "station", 80),
    _a("Husby", 59.4100, 17.9260, "station", 60),
    _a("Akalla", 59.4145, 17.9130, "station", 60),
    _a("Järvafältet, Akalla", 59.4190, 17.9060, "forest", 120, camp=True),
    _a("Eggeby gård", 59.4030, 17.9180, "forest", 125, camp=True),
    _a("Rinkebyskogen", 59.3925, 17.9180, "forest", 200, camp=True),
    _a("Hansta naturreservat", 59.4270, 17.9080, "forest", 300, camp=True),
)

# How many extra places an anchor of each kind attracts (every anchor has at least one).
_EXTRA_WEIGHT = {"forest": 4.0, "park": 1.6, "station": 0.8, "square": 0.6, "bridge": 0.8}

# Descriptions of where at an anchor a place lies, by anchor kind; "{dir}" is a compass part.
_SPOTS: dict[str, tuple[str, ...]] = {
    "forest": ("{dir} skogsbrynet", "{dir} slänten", "vid stigen, {dir} delen", "i granskogen, {dir} delen",
               "vid bäcken", "under kraftledningen", "{dir} kullen", "vid gamla grusplanen"),
    "park": ("{dir} slänten", "buskaget, {dir} delen", "vid lekplatsen", "bakom toaletterna",
             "vid gångvägen, {dir} delen", "under träden, {dir} delen", "vid muren"),
    "station": ("vid {dir} uppgången", "under trappan", "vid cykelparkeringen", "vid biljetthallen",
                "gångtunneln", "vid bussterminalen"),
    "square": ("vid {dir} hörnet", "under arkaden", "vid portiken", "trappan mot gatan"),
    "bridge": ("under brofästet", "vid brostödet", "gångtunneln under bron"),
}
_DIRECTION = ("norra", "nordöstra", "östra", "sydöstra", "södra", "sydvästra", "västra", "nordvästra")

# People met, relative to the year's average: more in summer, fewer in winter.
_SEASON = np.array([0.55, 0.55, 0.65, 0.8, 1.0, 1.2, 1.3, 1.25, 1.05, 0.8, 0.65, 0.6])

_NOTES_SWEEP = ("Ingen på platsen.", "Tomt, spår av övernattning.", "Sovsäck kvar, ingen anträffad.",
                "Ingen anträffad, platsen städad.", "Tomt vid besöket.")
_NOTES_CAMP = ("Tält och presenningar, flera personer vid eldstaden.", "Informerade om rättigheter och skyldigheter.",
               "Delade ut information om härbärgen.", "Nya tält sedan förra besöket.",
               "Mycket skräp, meddelat trafikkontoret.", "Samtal via tolk, läget lugnt.",
               "Färre tält än förra veckan.")
_NOTES_SLEEP = ("Person sov, väckte inte.", "Kort samtal, informerade om natthärbärge.",
                "Madrass och filtar på platsen.", "Erbjöd kontakt med dagverksamhet.",
                "Samtal, inga akuta behov.", "Hänvisade till frivilligorganisation för mat.")
_NOTES_COLD = ("Kallt, informerade om extra härbärgesplatser.", "Delade ut information om värmestugor.")
# Acute visits: the note follows the referral (None = the person declined help).
_NOTES_ACUTE = {
    "socialjouren": "Akut behov, kontakt med Socialjouren.",
    "vården": "Person mycket nedkyld eller sjuk, ambulans tillkallad.",
    "polis": "Oro för utnyttjande, kontakt med polis.",
    "annan": "Akut behov, hänvisad vidare till partnerorganisation.",
    None: "Akut behov, personen avböjde hjälp.",
}
_NOTE_CHILDREN = "Barn på platsen, Socialjouren kontaktad."
_NOTE_CLEARED = "Platsen är riven, inga personer kvar."
_REFERRALS = ("socialjouren", "vården", "polis", "annan")


def build_demo(
    path: str | Path, seed: int = 42, today: date | None = None, force: bool = False
) -> DemoSummary:
    """Replace the database at `path` with a demo of two years of outreach up to `today`.

    Refuses (DemoRefusedError) when the file holds real data, unless `force`. The whole
    replacement is one transaction: a failure leaves the file as it was.
    """
    path = Path(path)
    started = time.perf_counter()
    real_today = datetime.now(STOCKHOLM).date()
    today = today or real_today
    cutoff = _end_of_day_utc(today)
    if today >= real_today:
        cutoff = min(cutoff, store.utcnow())  # never a visit in the future
    rng = np.random.default_rng(seed)

    places = _make_places(rng, today)
    visits = _make_visits(rng, places, today, cutoff)
    places = places[_PLACE_COLUMNS]

    cur = store.cursor(path)
    with store.transaction(cur):
        was_demo, had_data = store.is_demo(cur), store.has_data(cur)
        if had_data and not was_demo and not force:
            raise DemoRefusedError(
                f"Databasen {path} innehåller riktiga data; använd --force för att ersätta dem med "
                f"en demo. / The database {path} holds real data; use --force to replace it with a demo."
            )
        for table in ("visits", "visit_versions", "places", "rejects", "imports"):
            cur.execute(f"DELETE FROM {table}")
        _insert_frame(cur, "places", places)
        _insert_frame(cur, "visits", visits)
        cur.execute(
            "INSERT INTO imports (import_id, file_name, file_sha256, started_at, actor, rows, imported, duplicates, rejected, summary) "
            "VALUES (?, 'demo', NULL, ?, ?, ?, ?, 0, 0, ?)",
            [DEMO_IMPORT_ID, store.utcnow(), DEMO_ACTOR, len(visits), len(visits),
             f'{{"places": {len(places)}, "seed": {seed}, "today": "{today.isoformat()}"}}'],
        )
        store.set_meta(cur, "is_demo", "true")
        store.set_meta(cur, "demo_seed", str(seed))
        store.set_meta(cur, "demo_today", today.isoformat())
        store.audit(cur, DEMO_ACTOR, "demo_built", {
            "seed": seed, "today": today.isoformat(), "places": len(places), "visits": len(visits),
            "replaced_real_data": bool(had_data and not was_demo),
            "seconds": round(time.perf_counter() - started, 2),
        })
    overdue = len(overdue_places(cur, now=cutoff))
    return DemoSummary(places=len(places), visits=len(visits), overdue=overdue, path=path)


# --- places -------------------------------------------------------------------------------

_PLACE_COLUMNS = ["place_id", "name", "name_key", "kind", "lat", "lon", "created_at", "cleared_at", "import_id"]
_VISIT_COLUMNS = ["visit_id", "place_id", "visited_at", "shift", "lat", "lon", "people", "children",
                  "acute", "referred_to", "team", "notes", "import_id"]


def _make_places(rng: np.random.Generator, today: date) -> pd.DataFrame:
    """About N_PLACES places around the anchors, with kinds and life spans (local dates).

    Besides the stored columns the frame carries planning columns for `_make_visits`:
    start/end day offsets, visit interval, size, and whether the place is neglected.
    """
    counts = _places_per_anchor(rng)
    rows: list[dict[str, object]] = []
    used: dict[str, int] = {}
    for anchor, count in zip(ANCHORS, counts, strict=True):
        spots = list(rng.permutation(len(_SPOTS[anchor.kind])))
        for i in range(count):
            lat, lon, bearing = _jitter(rng, anchor, first=i == 0)
            direction = _DIRECTION[int(((bearing + 22.5) % 360) // 45)]
            spot = _SPOTS[anchor.kind][spots[i % len(spots)]].format(dir=direction)
            rows.append({"anchor": anchor, "lat": lat, "lon": lon, "spot": spot})
    n = len(rows)
    kinds = _choose_kinds(rng, [r["anchor"] for r in rows])  # type: ignore[misc]

    names = []
    for row, kind in zip(rows, kinds, strict=True):
        base = f"{row['anchor'].name}, {row['spot']}"  # type: ignore[attr-defined]
        used[base] = used.get(base, 0) + 1
        if used[base] > 1:
            label = {"encampment": "boplats", "sleeping_place": "sovplats"}.get(kind, "plats")
            base = f"{base} ({label} {used[base]})"
        names.append(base)

    # Life spans in days since the start of the history (0 … HISTORY_DAYS = today).
    start = np.where(
        rng.random(n) < 0.5,
        rng.integers(0, 45, n),                      # known when the history begins
        rng.integers(45, HISTORY_DAYS - 10, n),      # reported later
    )
    new = rng.choice(n, size=6, replace=False)       # newly reported, not yet visited
    start[new] = HISTORY_DAYS - rng.integers(1, 6, new.size)
    unvisited = np.zeros(n, dtype=bool)
    unvisited[new] = True

    end = np.full(n, HISTORY_DAYS)
    clear_p = np.where(kinds == "encampment", 0.30, 0.11)
    can_clear = (~unvisited) & (start < HISTORY_DAYS - 70) & (rng.random(n) < clear_p)
    for i in np.flatnonzero(can_clear):
        end[i] = rng.integers(start[i] + 30, HISTORY_DAYS - 14)
    cleared = end < HISTORY_DAYS

    # Visit rhythm: encampments more often than sleeping places, with per-place variation.
    target = np.array([TARGET_DAYS[k] for k in kinds], dtype=float)
    mean_gap = target * np.where(kinds == "encampment", 0.35, 0.4) * rng.lognormal(0.0, 0.2, n)
    active_visited = np.flatnonzero(~cleared & ~unvisited & (start < HISTORY_DAYS - 60))
    neglected = np.zeros(n, dtype=bool)
    neglected[rng.choice(active_visited, size=round(0.15 * (n - cleared.sum())), replace=False)] = True
    # A neglected place was last visited between 1 and 2.5 target intervals too long ago.
    stop = np.where(neglected, HISTORY_DAYS - target * (1.0 + rng.uniform(0.15, 1.5, n)), end)

    size = np.where(kinds == "encampment", rng.uniform(4.0, 9.0, n), rng.uniform(0.9, 1.8, n))
    families = (kinds == "encampment") & (rng.random(n) < 0.15)
    first_day = today - timedelta(days=HISTORY_DAYS)
    return pd.DataFrame({
        "place_id": [f"demo-p{i + 1:04d}" for i in range(n)],
        "name": names,
        "name_key": [name_key(s) for s in names],
        "kind": kinds,
        "lat": [round(float(r["lat"]), 6) for r in rows],  # type: ignore[arg-type]
        "lon": [round(float(r["lon"]), 6) for r in rows],  # type: ignore[arg-type]
        "import_id": DEMO_IMPORT_ID,
        "start_day": start, "end_day": end, "stop_day": stop, "cleared": cleared,
        "unvisited": unvisited, "mean_gap": mean_gap, "size": size, "families": families,
        "first_day": first_day,
    })


def _places_per_anchor(rng: np.random.Generator) -> np.ndarray:
    """One place per anchor, the rest spread by kind weight (forests attract the most)."""
    weights = np.array([_EXTRA_WEIGHT[a.kind] for a in ANCHORS])
    extra = rng.multinomial(N_PLACES - len(ANCHORS), weights / weights.sum())
    return 1 + extra


def _jitter(rng: np.random.Generator, anchor: Anchor, first: bool) -> tuple[float, float, float]:
    """A point within the anchor's spread (the first place sits close to the anchor)."""
    bearing = float(rng.uniform(0, 360))
    radius = anchor.spread_m * (0.25 if first else math.sqrt(float(rng.uniform(0.05, 1.0))))
    for _ in range(10):
        d_north = radius * math.cos(math.radians(bearing))
        d_east = radius * math.sin(math.radians(bearing))
        lat = anchor.lat + d_north / 111_320.0
        lon = anchor.lon + d_east / (111_320.0 * math.cos(math.radians(anchor.lat)))
        if in_service_area(lat, lon):
            return lat, lon, bearing
        radius /= 2
    return anchor.lat, anchor.lon, bearing


def _choose_kinds(rng: np.random.Generator, anchors: list[Anchor]) -> np.ndarray:
    """About 20 % encampments (only where plausible), a few 'other', the rest sleeping places."""
    n = len(anchors)
    kinds = np.full(n, "sleeping_place", dtype=object)
    camp = np.array([a.camp for a in anchors])
    forest = np.array([a.kind == "forest" for a in anchors])
    weight = np.where(camp, np.where(forest, 3.0, 1.0), 0.0)
    n_camp = min(round(0.2 * n), int(camp.sum()))
    chosen = rng.choice(n, size=n_camp, replace=False, p=weight / weight.sum())
    kinds[chosen] = "encampment"
    urban = np.flatnonzero(np.array([a.kind in ("station", "square", "bridge") for a in anchors]))
    kinds[rng.choice(urban, size=round(0.04 * n), replace=False)] = "other"
    return kinds.astype(str)


# --- visits -------------------------------------------------------------------------------

def _make_visits(
    rng: np.random.Generator, places: pd.DataFrame, today: date, cutoff: datetime
) -> pd.DataFrame:
    """Two years of visits; sets `created_at` and `cleared_at` on `places` from them."""
    place_idx, day_offset = _visit_days(rng, places)
    n = day_offset.size
    first_day = places["first_day"].iat[0]
    days = pd.to_datetime(first_day) + pd.to_timedelta(day_offset, unit="D")
    kinds = places["kind"].to_numpy()[place_idx]
    camp = kinds == "encampment"

    # Shift and local time: the weekend shift covers Saturdays, Sundays and holidays.
    off = _off_days(days)
    evening = rng.random(n) < np.where(camp, 0.35, 0.55)
    minutes = np.where(
        off, rng.integers(10 * 60, 22 * 60, n),
        np.where(evening, rng.integers(18 * 60, 23 * 60, n), rng.integers(9 * 60, 16 * 60 + 30, n)),
    )
    local = days + pd.to_timedelta(minutes, unit="min")
    utc = (local.tz_localize(STOCKHOLM, ambiguous=True, nonexistent="shift_forward")
           .tz_convert("UTC").tz_localize(None))
    shifts = np.array([shift_of(t) for t in local.to_pydatetime()])

    # People: seasonal, encampments 3–12, sleeping places 0–3, sweeps common.
    season = _SEASON[local.month.to_numpy() - 1]
    size = places["size"].to_numpy()[place_idx]
    sweep_p = np.where(camp, 0.06, 0.30) + np.where(shifts == "day", 0.06, 0.0) + 0.08 * (1.0 - season)
    sweep = rng.random(n) < np.clip(sweep_p, 0.02, 0.6)
    people = np.where(
        camp,
        np.clip(np.rint(size * season + rng.normal(0.0, 1.3, n)), 3, 12),
        np.clip(np.rint(size * season + rng.normal(0.0, 0.6, n)), 1, 3),
    ).astype(int)
    people[sweep] = 0
    kids_p = np.where(places["families"].to_numpy()[place_idx], 0.35, np.where(camp, 0.02, 0.003))
    children = np.where((people >= 2) & (rng.random(n) < kids_p),
                        np.minimum(rng.integers(1, 4, n), people - 1), 0)
    acute_p = 0.017 + 0.05 * (children > 0) + 0.01 * (season < 0.7)
    acute = (people > 0) & (rng.random(n) < acute_p)
    referred = np.where(
        acute & (rng.random(n) < 0.85),
        rng.choice(_REFERRALS, n, p=[0.55, 0.25, 0.12, 0.08]),
        np.where((people > 0) & (rng.random(n) < 0.01), rng.choice(("annan", "vården"), n), None),
    )
    referred = np.where(acute & (children > 0), "socialjouren", referred)
    notes = _notes(rng, camp, people, children, acute, referred, season)

    frame = pd.DataFrame({
        "place_idx": place_idx, "visited_at": utc, "shift": shifts,
        "people": people, "children": children, "acute": acute, "referred_to": referred, "notes": notes,
    })
    frame = frame[frame["visited_at"] <= cutoff]
    frame = _close_cleared(frame, places)
    frame = frame.sort_values(["visited_at", "place_idx"], kind="stable").reset_index(drop=True)

    pidx = frame["place_idx"].to_numpy()
    lat = places["lat"].to_numpy()[pidx] + rng.normal(0.0, 0.00012, len(frame))
    lon = places["lon"].to_numpy()[pidx] + rng.normal(0.0, 0.00024, len(frame))
    north = places["lat"].to_numpy()[pidx] > 59.325
    team = np.where(rng.random(len(frame)) < np.where(north, 0.7, 0.3), TEAMS[0], TEAMS[1])
    visits = pd.DataFrame({
        "visit_id": [f"demo-v{i + 1:06d}" for i in range(len(frame))],
        "place_id": places["place_id"].to_numpy()[pidx],
        "visited_at": frame["visited_at"].to_numpy(),
        "shift": frame["shift"].to_numpy(),
        "lat": np.round(lat, 6), "lon": np.round(lon, 6),
        "people": frame["people"].to_numpy(dtype="int32"),
        "children": frame["children"].to_numpy(dtype="int32"),
        "acute": frame["acute"].to_numpy(dtype=bool),
        "referred_to": frame["referred_to"].to_numpy(dtype=object),
        "team": team,
        "notes": frame["notes"].to_numpy(dtype=object),
        "import_id": DEMO_IMPORT_ID,
    })[_VISIT_COLUMNS]
    _set_life_span(places, frame, rng, today, cutoff)
    return visits


def _visit_days(rng: np.random.Generator, places: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Visit days per place as a renewal process (gamma gaps) over the place's life span."""
    idx_parts, day_parts = [], []
    for i, row in enumerate(places.itertuples(index=False)):
        if row.unvisited:
            continue
        mean = float(row.mean_gap)
        gaps = rng.gamma(3.0, mean / 3.0, int((row.end_day - row.start_day) / mean * 2) + 10)
        t = row.start_day + np.concatenate(([0.0], np.cumsum(np.maximum(gaps, 0.6))))
        t = t[(t < row.end_day) & (t <= row.stop_day)]
        if row.cleared:  # the visit that found the place cleared
            t = np.append(t[t < row.end_day - 1], row.end_day - 0.5)
        days = np.unique(np.floor(t).astype(int))
        days = days[days <= HISTORY_DAYS]
        idx_parts.append(np.full(days.size, i))
        day_parts.append(days)
    return np.concatenate(idx_parts), np.concatenate(day_parts)


def _off_days(days: pd.DatetimeIndex) -> np.ndarray:
    """True on weekends and Swedish holidays, computed once per calendar date."""
    unique = days.unique()
    flags = {d: d.weekday() >= 5 or is_holiday(d.date()) for d in unique}
    return np.array([flags[d] for d in days])


def _notes(
    rng: np.random.Generator, camp: np.ndarray, people: np.ndarray, children: np.ndarray,
    acute: np.ndarray, referred: np.ndarray, season: np.ndarray,
) -> np.ndarray:
    """Short generic Swedish phrases, sometimes none; never anything that identifies anyone."""
    n = people.size
    out = np.where(
        people == 0, rng.choice(_NOTES_SWEEP, n),
        np.where(camp, rng.choice(_NOTES_CAMP, n), rng.choice(_NOTES_SLEEP, n)),
    ).astype(object)
    cold = (season < 0.7) & (people > 0) & (rng.random(n) < 0.25)
    out[cold] = rng.choice(_NOTES_COLD, int(cold.sum()))
    out[(rng.random(n) < 0.18)] = None
    for i in np.flatnonzero(acute):
        out[i] = _NOTE_CHILDREN if children[i] > 0 else _NOTES_ACUTE[referred[i]]
    return out


def _close_cleared(frame: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    """The last visit to a cleared place found it empty and is what cleared it."""
    cleared_idx = np.flatnonzero(places["cleared"].to_numpy())
    last = frame[frame["place_idx"].isin(cleared_idx)].groupby("place_idx")["visited_at"].idxmax()
    frame.loc[last.to_numpy(), ["people", "children", "acute", "referred_to", "notes"]] = (
        0, 0, False, None, _NOTE_CLEARED,
    )
    return frame


def _set_life_span(
    places: pd.DataFrame, visits: pd.DataFrame, rng: np.random.Generator, today: date, cutoff: datetime
) -> None:
    """created_at = first visit (new places: reported lately); cleared_at = the clearing visit."""
    grouped = visits.groupby("place_idx")["visited_at"]
    first, last = grouped.min(), grouped.max()
    n = len(places)
    created: list[datetime] = []
    for i in range(n):
        if i in first.index:
            created.append(first[i].to_pydatetime())
        else:  # newly reported by a partner, daytime, a few days ago
            day = today - timedelta(days=HISTORY_DAYS - int(places["start_day"].iat[i]))
            local = datetime(day.year, day.month, day.day, int(rng.integers(9, 17)), int(rng.integers(0, 60)))
            created.append(min(_to_utc(local), cutoff))
    places["created_at"] = pd.to_datetime(created)
    cleared = places["cleared"].to_numpy()
    places["cleared_at"] = pd.Series(
        [last[i].to_pydatetime() if cleared[i] and i in last.index else None for i in range(n)],
        dtype="datetime64[us]",
    )


# --- helpers ------------------------------------------------------------------------------

def _to_utc(local: datetime) -> datetime:
    """A naive Stockholm wall time as naive UTC, the stored form."""
    return local.replace(tzinfo=STOCKHOLM).astimezone(UTC).replace(tzinfo=None)


def _end_of_day_utc(day: date) -> datetime:
    return _to_utc(datetime(day.year, day.month, day.day, 23, 59, 59))


def _insert_frame(cur: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    """Bulk insert through DuckDB's DataFrame scan: one statement, not one per row."""
    view = f"_demo_{table}"
    cur.register(view, frame)
    try:
        cur.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {view}")  # by name: later columns stay NULL
    finally:
        cur.unregister(view)
