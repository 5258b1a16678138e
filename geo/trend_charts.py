"""Altair charts and display tables for the Trender page (no Streamlit here, so tests can read them).

One chart per metric: the chosen period as a solid line, the same period a year earlier as
a dashed line (unsplit view), or one line per shift or district (split view). Labels are
"v. 47 2026" for weeks and "nov 2026" for months, in the session's language.

`suppressed=True` is for roles that see aggregates only (managers): counts of 1–4 are "<5" in
the tables and missing in the charts (a gap, so no tooltip tells the exact number), through
geo.suppress. Coverage is a share, not a count, and is shown as it is.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from geo.suppress import null_small, suppress_frame
from geo.texts import shift_label, t
from geo.trends import COUNT_METRICS


def _group_label(group: str, by: str | None, lang: str) -> str:
    if by == "shift" and group in ("day", "evening", "weekend"):
        return shift_label(group, lang)
    return group or t("trends_all", lang)


def long_frame(frame: pd.DataFrame, metric: str, by: str | None, lang: str, suppressed: bool = False) -> pd.DataFrame:
    """period, label, series, value: one row per period and line of the chart (small counts
    missing when `suppressed`)."""
    parts = []
    if by is None:
        parts.append(frame.assign(series=t("trends_this_period", lang), value=frame[metric]))
        if f"prev_{metric}" in frame:
            parts.append(frame.assign(series=t("trends_year_earlier", lang), value=frame[f"prev_{metric}"]))
    else:
        parts.append(frame.assign(series=[_group_label(g, by, lang) for g in frame["group"]], value=frame[metric]))
    out = pd.concat(parts, ignore_index=True)[["period", "label", "series", "value"]]
    if metric == "coverage":
        out["value"] = (out["value"] * 100).round(1)
    elif suppressed and metric in COUNT_METRICS:
        out["value"] = null_small(out["value"])
    return out


def trend_chart(frame: pd.DataFrame, metric: str, freq: str, by: str | None, lang: str,
                suppressed: bool = False) -> alt.Chart:
    """A line chart of `metric` over the periods, with tooltips."""
    data = long_frame(frame, metric, by, lang, suppressed)
    order = list(dict.fromkeys(frame.sort_values("period")["label"]))
    axis_title = t("trends_week" if freq == "week" else "trends_month", lang)
    title = t(f"trends_metric_{metric}", lang) + (" (%)" if metric == "coverage" else "")
    dash = alt.StrokeDash("series:N", title=t("trends_series", lang),
                          scale=alt.Scale(domain=[t("trends_this_period", lang), t("trends_year_earlier", lang)],
                                          range=[[1, 0], [5, 4]])) if by is None else alt.value([1, 0])
    return (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("label:N", sort=order, title=axis_title, axis=alt.Axis(labelAngle=-45)),
            y=alt.Y("value:Q", title=title),
            color=alt.Color("series:N", title=t("trends_series" if by is None else "trends_group", lang)),
            strokeDash=dash,
            tooltip=[alt.Tooltip("label:N", title=axis_title), alt.Tooltip("series:N", title=t("trends_series", lang)),
                     alt.Tooltip("value:Q", title=title, format=",.1f" if metric == "coverage" else ",d")],
        )
        .properties(height=280)
    )


def trend_table(frame: pd.DataFrame, metric: str, freq: str, by: str | None, lang: str,
                suppressed: bool = False) -> pd.DataFrame:
    """The figures under a chart: period, group (split view), value, value a year earlier (unsplit view);
    counts of 1–4 as "<5" when `suppressed`."""
    period = t("trends_week" if freq == "week" else "trends_month", lang)
    name = t(f"trends_metric_{metric}", lang) + (" (%)" if metric == "coverage" else "")
    scale = 100 if metric == "coverage" else 1
    out = pd.DataFrame({period: frame["label"]})
    if by is not None:
        out[t("trends_group", lang)] = [_group_label(g, by, lang) for g in frame["group"]]
    out[name] = (frame[metric] * scale).round(1) if scale != 1 else frame[metric]
    if by is None and f"prev_{metric}" in frame:
        prev = frame[f"prev_{metric}"]
        out[f"{name}, {t('trends_year_earlier', lang).lower()}"] = (prev * scale).round(1) if scale != 1 else prev
    if suppressed and metric in COUNT_METRICS:
        out = suppress_frame(out, [c for c in out.columns if c not in (period, t("trends_group", lang))])
    return out.reset_index(drop=True)


def estimate_chart(computed: pd.DataFrame, recorded: pd.DataFrame, lang: str, suppressed: bool = False) -> alt.Chart:
    """Computed estimate (line with a low–high band) against recorded estimates (points with error bars);
    figures of 1–4 left out when `suppressed`."""
    if suppressed:
        computed = computed.assign(**{c: null_small(computed[c]) for c in ("point", "low", "high")})
        recorded = recorded.assign(**{c: null_small(recorded[c]) for c in ("estimate", "low", "high")})
    comp = computed.assign(as_of=pd.to_datetime(computed["as_of"]), series=t("estimate_computed", lang))
    x = alt.X("as_of:T", title=t("estimate_date", lang), axis=alt.Axis(format="%Y-%m-%d"))
    band = alt.Chart(comp).mark_area(opacity=0.2).encode(x=x, y=alt.Y("low:Q", title=t("estimate_point", lang)),
                                                           y2="high:Q")
    line = alt.Chart(comp).mark_line(point=True).encode(
        x=x, y="point:Q", color=alt.Color("series:N", title=t("trends_series", lang)),
        tooltip=[alt.Tooltip("as_of:T", title=t("estimate_date", lang), format="%Y-%m-%d"),
                 alt.Tooltip("point:Q", title=t("estimate_point", lang)),
                 alt.Tooltip("low:Q", title=t("estimate_low", lang)),
                 alt.Tooltip("high:Q", title=t("estimate_high", lang))])
    layers: list[alt.Chart] = [band, line]
    if len(recorded):
        rec = recorded.assign(as_of=pd.to_datetime(recorded["as_of"]), series=t("estimate_recorded", lang))
        layers.append(alt.Chart(rec).mark_rule().encode(x=x, y="low:Q", y2="high:Q"))
        layers.append(alt.Chart(rec).mark_point(size=80, filled=True, shape="diamond").encode(
            x=x, y="estimate:Q", color=alt.Color("series:N"),
            tooltip=[alt.Tooltip("as_of:T", title=t("estimate_date", lang), format="%Y-%m-%d"),
                     alt.Tooltip("estimate:Q", title=t("estimate_recorded", lang)),
                     alt.Tooltip("low:Q", title=t("estimate_low", lang)),
                     alt.Tooltip("high:Q", title=t("estimate_high", lang)),
                     alt.Tooltip("comment:N", title=t("estimate_col_comment", lang))]))
    return alt.layer(*layers).properties(height=280)


def vega_spec(chart: alt.Chart | alt.LayerChart) -> dict:
    """The chart as a Vega-Lite spec for st.vega_lite_chart, without validating it against the
    Vega-Lite JSON schema on every run (st.altair_chart does: most of a chart's cost). The charts
    here are fixed in code and validated by tests/test_trends.py; no theme sizes are added, as
    with st.altair_chart."""
    spec = chart.to_dict(validate=False)
    spec.pop("config", None)  # Altair's default theme: a fixed 300 px view that Streamlit replaces
    return spec
