"""A transparent urgency score per place, with the reason spelled out in Swedish and English.

Team leads must be able to see why a place ranks where it does, so the score is a plain
sum of five terms, each shown in the reason:

- overdue: days since the last visit divided by the kind's target interval (14 days at a
  14-day target = 1.0), capped at OVERDUE_CAP so one forgotten place cannot hide all others;
  a place never visited counts as NEVER_RATIO;
- people: PEOPLE_POINTS per person seen at the last visit, at most PEOPLE_CAP;
- encampment: ENCAMPMENT_POINTS (a settlement holds more people, often children);
- acute: ACUTE_POINTS when an acute need was found there in the last 90 days;
- partner report (issue 7): REPORT_POINTS when a partner report still waiting for the team
  (geo.partner_reports: effective status new or seen) lies within the matching radius of
  the place, REPORT_ACUTE_POINTS more when such a report says acute. The report goes to
  the nearest active place within the radius; a place with an open report is listed even
  when it is not overdue ("rapporterad av partner").

An open report with no known place within the radius becomes a candidate row of its own
(`source` = "report", `place_id` = "report:<id>", `report_id` set, kind and people from the
report, never visited), so the planner can route to it like to any other place. Every row
has `source` ("place" or "report"), `reports` (open reports counted) and `report_acute`.

Places never visited still rank first (staleness' contract: nobody knows who is there).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

import duckdb
import numpy as np
import pandas as pd

from geo.config import ACUTE_WINDOW_DAYS, TARGET_DAYS
from geo.staleness import place_status
from geo.store import utcnow
from geo.texts import kind_label
from geo.localtime import utc_series_to_local

OVERDUE_CAP = 5.0
NEVER_RATIO = 3.0
PEOPLE_POINTS = 0.1
PEOPLE_CAP = 1.0
ENCAMPMENT_POINTS = 0.5
ACUTE_POINTS = 1.0
REPORT_POINTS = 1.0
REPORT_ACUTE_POINTS = 1.0
REPORT_PREFIX = "report:"  # place_id of a report's own candidate row

_REASON = {
    "never": {"sv": "aldrig besökt", "en": "never visited"},
    "days": {"sv": "{days} dagar sedan besök (mål {target})", "en": "{days} days since a visit (target {target})"},
    "people": {"sv": "{people} personer senast", "en": "{people} people last seen"},
    "encampment": {"sv": "boplats", "en": "encampment"},
    "acute": {"sv": "{acute} akuta fall senaste 90 dagarna", "en": "{acute} acute cases in the last 90 days"},
    "reported": {"sv": "rapporterad av partner", "en": "reported by a partner"},
    "reported_n": {"sv": "rapporterad av partner ({n} rapporter)", "en": "reported by a partner ({n} reports)"},
    "reported_acute": {"sv": "akut enligt rapport", "en": "acute according to a report"},
    "report_only": {"sv": "ingen känd plats här", "en": "no known place here"},
}


def score(status: pd.DataFrame) -> pd.DataFrame:
    """Adds urgency_score and its terms to a place_status frame that has acute_90d."""
    never = status["last_visit"].isna().to_numpy()
    # plain numpy arrays: the same arithmetic as the pandas version, without its per-call overhead
    days = pd.to_numeric(status["days_since"]).to_numpy(dtype=float, na_value=np.nan)
    target = pd.to_numeric(status["target_days"]).to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.minimum(days / target, OVERDUE_CAP)  # NaN stays NaN, as pandas' clip
    overdue = np.where(never, NEVER_RATIO, np.where(np.isnan(ratio), 0.0, ratio))
    seen = pd.to_numeric(status["people_last_seen"]).to_numpy(dtype=float, na_value=np.nan)
    people = np.minimum(np.where(np.isnan(seen), 0.0, seen) * PEOPLE_POINTS, PEOPLE_CAP)
    encampment = np.where(status["kind"].to_numpy() == "encampment", ENCAMPMENT_POINTS, 0.0)
    acute_cases = pd.to_numeric(status["acute_90d"]).to_numpy(dtype=float, na_value=np.nan)
    acute = np.where(np.where(np.isnan(acute_cases), 0.0, acute_cases) > 0, ACUTE_POINTS, 0.0)
    total = overdue + people + encampment + acute
    if "reports" in status:
        reported = pd.to_numeric(status["reports"]).to_numpy(dtype=float, na_value=0.0) > 0
        report_acute = status["report_acute"].fillna(False).to_numpy(dtype=bool)
        total = total + np.where(reported, REPORT_POINTS, 0.0) + np.where(report_acute, REPORT_ACUTE_POINTS, 0.0)
    return status.assign(urgency_score=np.round(total, 2))


def _count(value: object) -> int:
    """A whole count from a frame cell; 0 for missing (None, NaN, pd.NA)."""
    if value is None or value is pd.NA or value != value:
        return 0
    return int(value)


def reasons(frame: pd.DataFrame, lang: str) -> list[str]:
    """`reason` for every row of a frame: the same text, from plain column lists (no per-row
    dicts or pandas lookups, which cost more than the query at thousands of places)."""
    never_text, days_text = _REASON["never"][lang], _REASON["days"][lang]
    people_text, acute_text = _REASON["people"][lang], _REASON["acute"][lang]
    reported, reported_n = _REASON["reported"][lang], _REASON["reported_n"][lang]
    reported_acute, report_only = _REASON["reported_acute"][lang], _REASON["report_only"][lang]
    encampment = kind_label("encampment", lang)
    n = len(frame)
    acute = frame["acute_90d"].tolist() if "acute_90d" in frame else [None] * n
    source = frame["source"].tolist() if "source" in frame else ["place"] * n
    reports = frame["reports"].tolist() if "reports" in frame else [0] * n
    report_acute = frame["report_acute"].tolist() if "report_acute" in frame else [False] * n
    out: list[str] = []
    for never, days, target, people, kind, cases, src, n_reports, r_acute in zip(
            frame["last_visit"].isna().tolist(), frame["days_since"].tolist(), frame["target_days"].tolist(),
            frame["people_last_seen"].tolist(), frame["kind"].tolist(), acute, source, reports, report_acute):
        if src == "report":
            parts = [report_only]
        else:
            parts = [never_text if never else days_text.format(days=int(days), target=int(target))]
        if _count(people) > 0:
            parts.append(people_text.format(people=_count(people)))
        if kind == "encampment":
            parts.append(encampment)
        if _count(cases) > 0:
            parts.append(acute_text.format(acute=_count(cases)))
        if _count(n_reports) > 0:
            parts.append(reported if _count(n_reports) == 1 else reported_n.format(n=_count(n_reports)))
            if r_acute is True or r_acute is np.True_:
                parts.append(reported_acute)
        out.append(" · ".join(parts))
    return out


def with_reports(status: pd.DataFrame, reports: pd.DataFrame, targets: Mapping[str, int],
                 days: int | None = None) -> pd.DataFrame:
    """The place rows with `source`, `reports`, `report_acute`, `report_id`, plus one candidate
    row per open report that has no known place within the radius (see the module docstring)."""
    matched = reports[reports["place_id"].notna()]
    counts: dict[str, int] = matched["place_id"].value_counts().to_dict() if len(matched) else {}
    acute_at = set(matched.loc[matched["acute"].astype(bool), "place_id"]) if len(matched) else set()
    ids = status["place_id"]
    places = status.assign(source="place", report_id=None,
                           reports=ids.map(counts).fillna(0).astype(int) if counts else 0,
                           report_acute=ids.isin(acute_at) if acute_at else False)
    alone = reports[reports["place_id"].isna()]
    if alone.empty:
        return places
    target = [days if days is not None else targets[k] for k in alone["kind"]]
    candidates = pd.DataFrame({
        "place_id": [f"{REPORT_PREFIX}{int(i)}" for i in alone["report_id"]],
        "name": [candidate_name(i, d) for i, d in zip(alone["report_id"], alone["description"])],
        "kind": alone["kind"].to_numpy(), "lat": alone["lat"].to_numpy(float), "lon": alone["lon"].to_numpy(float),
        "last_visit": pd.NaT, "days_since": np.nan, "people_last_seen": alone["people"].to_numpy(dtype=float,
                                                                                                  na_value=np.nan),
        "target_days": target, "overdue": True, "urgency": np.inf, "acute_90d": 0,
        "source": "report", "report_id": alone["report_id"].astype(int).to_numpy(), "reports": 1,
        "report_acute": alone["acute"].astype(bool).to_numpy(),
    })
    return pd.concat([places, candidates.astype({"last_visit": places["last_visit"].dtype})], ignore_index=True)


def candidate_name(report_id: object, description: object) -> str:
    """A report candidate's name: its number and (the start of) the sender's description."""
    text = "" if description is None or pd.isna(description) else str(description).strip()
    return f"Rapport #{int(report_id)}" + (f": {text[:40]}" if text else "")


def ranked_places(
    cur: duckdb.DuckDBPyConnection,
    now: datetime | None = None,
    days: int | None = None,
    targets: Mapping[str, int] = TARGET_DAYS,
    only_overdue: bool = True,
    radius_m: float | None = None,
) -> pd.DataFrame:
    """Places ranked by urgency: never visited first, then by urgency_score; reasons in sv and en.

    Keeps place_status' columns; `urgency` becomes the score (None for never visited, which
    always rank first), so that "most urgent first" stays true of that column too. Open
    partner reports within `radius_m` (default: the matching-radius setting) raise a place's
    score, and those with no place nearby come as candidates of their own.
    """
    from geo.partner_reports import open_reports  # reports read areas and settings; only here

    now = now or utcnow()
    status = place_status(cur, now=now, days=days, targets=targets,
                          acute_since=now - timedelta(days=ACUTE_WINDOW_DAYS))
    status = status.rename(columns={"acute_since": "acute_90d"})
    status = with_reports(status, open_reports(cur, radius_m=radius_m), targets, days)
    if only_overdue:
        status = status[status["overdue"] | (status["reports"] > 0)]
    status = score(status)
    never = status["last_visit"].isna()
    status = status.assign(_never=never).sort_values(
        ["_never", "urgency_score", "people_last_seen", "name"], ascending=[False, False, False, True],
        na_position="last", kind="stable").drop(columns="_never")
    status["reason_sv"] = reasons(status, "sv")
    status["reason_en"] = reasons(status, "en")
    status["urgency"] = status["urgency_score"].astype(object).where(~status["last_visit"].isna(), None)
    return status.reset_index(drop=True)


def with_districts(ranked: pd.DataFrame, areas: pd.DataFrame | None, layer: str | None) -> pd.DataFrame:
    """Adds `district`: the name of the area of `layer` each place lies in (None outside all)."""
    if areas is None or ranked.empty:
        return ranked.assign(district=None)
    from geo.coverage import assign_areas

    ids = assign_areas(areas, ranked["lat"].to_numpy(), ranked["lon"].to_numpy(), layer)
    names = dict(zip(areas["area_id"], areas["name"]))
    return ranked.assign(district=[names.get(i) if i is not None else None for i in ids])


def plan_table(ranked: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The Planera page's table (and CSV): localised headers, the reason in the page's language."""
    from geo.texts import t

    local = utc_series_to_local(ranked["last_visit"])
    return pd.DataFrame({
        t("col_name", lang): ranked["name"].astype(str),
        t("col_kind", lang): [kind_label(k, lang) for k in ranked["kind"]],
        t("col_district", lang): ranked["district"].map(lambda d: "–" if d is None or pd.isna(d) else d),
        t("col_last_visit", lang): local.dt.strftime("%Y-%m-%d").fillna(t("never", lang)),
        t("col_days_since", lang): ranked["days_since"].map(lambda d: "–" if pd.isna(d) else str(int(d))),
        t("col_target_days", lang): ranked["target_days"].astype(int),
        t("col_people", lang): ranked["people_last_seen"].map(lambda d: "–" if pd.isna(d) else str(int(d))),
        t("col_urgency", lang): ranked["urgency_score"],
        t("col_reason", lang): ranked[f"reason_{lang}"],
    })
