"""Trender: weeks and months against a year earlier, the population estimate with its range,
and the report for samverkansgruppen. Widgets only; see geo/trends.py, geo/estimate.py, geo/report.py.

Roles that do not see places (managers) see aggregates with small counts suppressed: 1–4 as
"<5" in tables and figures, and as gaps in the charts (geo.suppress, as in the report)."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

import ui
from geo import access, settings, store
from geo.boundaries import list_layers
from geo.config import ESTIMATE_WINDOW_DAYS
from geo.estimate import (
    Estimate, EstimateError, estimate, estimate_at, estimate_series, record_estimate, recorded_estimates,
)
from geo.localtime import utc_to_local
from geo.report import key_rows, make_report, report_data
from geo.suppress import is_small, suppress
from geo.texts import t
from geo.trend_charts import estimate_chart, trend_chart, trend_table, vega_spec
from geo.trends import METRICS, data_version, monday, period_trends, view_windows, with_year_earlier
from geo.weekly import grain_table

who = ui.require_page("trender")  # before anything else: a typed URL cannot bypass the navigation
hide_small = not access.sees_places(who.role)  # managers: aggregates with small counts suppressed
lang = ui.lang()
cur = ui.cursor()
db = ui.db_path()
version = data_version(cur)  # cached figures below are recomputed only when this changes


@st.cache_data(max_entries=2, show_spinner=False)
def _grain(path: str, key: tuple, windows: tuple):  # noqa: ANN202
    """The place-week grain of this run's weeks (the period and the year earlier), read once and
    shared by the trends and the report's figures below (`key` holds the data version). Those
    are cached themselves, so only the latest grains are kept (a long period's grain is large)."""
    return grain_table(store.cursor(path), list(windows))


@st.cache_data(max_entries=32, show_spinner=False)
def _trends(path: str, key: tuple, windows: tuple, **kwargs: object):  # noqa: ANN202
    """Trends for this database state (`key` holds the data version and the choices)."""
    c = store.cursor(path)
    grain = _grain(path, key[:1], windows)
    if kwargs.pop("year_earlier"):
        return with_year_earlier(c, grain=grain, **kwargs)  # type: ignore[arg-type]
    return period_trends(c, grain=grain, **kwargs)  # type: ignore[arg-type]


@st.cache_data(max_entries=32, show_spinner=False)
def _estimate(path: str, key: tuple, as_of: date, window: int, max_age: int) -> Estimate:
    return estimate(store.cursor(path), as_of, window, max_age)


@st.cache_data(max_entries=32, show_spinner=False)
def _report_summary(path: str, key: tuple, start: date, end: date, layer: str | None, max_age: int,
                    _windows: tuple, _weekly: pd.DataFrame | None, _est: Estimate | None):  # noqa: ANN202
    """The report's figures, from the page's grain, weekly trends and estimate at the end (when it
    has them). `_windows`, `_weekly` and `_est` follow from the other arguments, so they are not
    part of the cache key."""
    est = _est or _estimate(path, key, end, ESTIMATE_WINDOW_DAYS, max_age)
    return report_data(store.cursor(path), start, end, layer, "sv", grain=_grain(path, key, _windows),
                       weekly=_weekly, est=est)


@st.cache_data(max_entries=32, show_spinner=False)
def _estimates(path: str, key: tuple, days: tuple, window: int, max_age: int):  # noqa: ANN202
    return estimate_series(store.cursor(path), list(days), window, max_age)


st.subheader(t("trends_heading", lang))
st.caption(t("trends_caption", lang))

today: date = utc_to_local(store.utcnow()).date()  # type: ignore[union-attr]  # never None for a timestamp
layers = list(list_layers(cur)["layer"])
c_from, c_to, c_freq, c_split, c_layer = st.columns([2, 2, 2, 2, 2])
# By default the last 12 whole weeks: the week in progress would show as a sudden drop.
last_sunday = monday(today) - timedelta(days=1)
start = c_from.date_input(t("trends_from", lang), value=monday(last_sunday) - timedelta(weeks=11), key="trends_from")
end = c_to.date_input(t("trends_to", lang), value=last_sunday, key="trends_to")
freq = ui.choice(c_freq.radio, t("trends_freq", lang), ["week", "month"], default="week",
                 format_func=lambda f: t(f"trends_freq_{f}", lang), horizontal=True, key="trends_freq")
split = ui.choice(c_split.selectbox, t("trends_split", lang), ["none", "shift", "district"], default="none",
                  format_func=lambda s: t(f"trends_split_{s}", lang), key="trends_split")
layer = c_layer.selectbox(t("trends_layer", lang), layers, key="trends_layer") if layers else None
metrics = ui.choice(st.multiselect, t("trends_metrics", lang), list(METRICS), default=["visits", "coverage", "people"],
                    format_func=lambda m: t(f"trends_metric_{m}", lang), key="trends_metrics")
by = None if split == "none" else split
if by == "district" and not layer:
    st.info(t("trends_no_layers", lang))
    by = None

if end < start:
    st.error(t("trends_bad_period", lang))
    st.stop()

targets = settings.targets(cur)
common = {"start": start, "end": end, "freq": freq, "targets": targets, "lang": lang}
windows = tuple(view_windows(start, end, targets))  # one read of the grain, whichever view
if by is None:
    frame = _trends(str(db), (version, "year", start, end, freq, lang), windows, year_earlier=True, **common)
else:
    frame = _trends(str(db), (version, by, layer, start, end, freq, lang), windows, year_earlier=False, by=by,
                    layer=layer, outside=t("trends_outside", lang), **common)

if hide_small:
    st.caption(t("trends_small_counts_hidden", lang))
for metric in metrics:
    st.vega_lite_chart(spec=vega_spec(trend_chart(frame, metric, freq, by, lang, hide_small)), width="stretch")
    st.dataframe(trend_table(frame, metric, freq, by, lang, hide_small), hide_index=True, width="stretch")
with st.expander(t("trends_definitions", lang).split("**")[1], expanded=False):
    st.markdown(t("trends_definitions", lang))

# --- the estimate ---------------------------------------------------------------------
st.subheader(t("estimate_heading", lang))
max_age = settings.estimate_max_age_days(cur)
e_date, e_window = st.columns(2)
as_of = e_date.date_input(t("estimate_date", lang), value=end, key="estimate_date")
window = int(e_window.number_input(t("estimate_window", lang), min_value=1, max_value=90, value=14, step=1,
                                   key="estimate_window"))
# the weekly series (charted below) holds the end date and usually the chosen date: no query of their own
week_days = tuple(sorted(end - timedelta(weeks=i) for i in range(max(1, (end - start).days // 7 + 1))))
series = _estimates(str(db), (version,), week_days, window, max_age)
est = estimate_at(series, as_of, window, max_age) or _estimate(str(db), (version,), as_of, window, max_age)
shown_count = suppress if hide_small else str
m_point, m_range = st.columns(2)
m_point.metric(t("estimate_point", lang), shown_count(est.point))
m_range.metric(t("estimate_range", lang), f"{shown_count(est.low)}–{shown_count(est.high)}")
st.caption(t("estimate_places", lang, seen=shown_count(est.places_seen), carried=shown_count(est.places_carried),
             max_age=max_age))
with st.expander(t("estimate_method_heading", lang)):
    st.markdown(t("estimate_method", lang, window=window, max_age=max_age))

with st.form("estimate_record"):
    st.markdown(f"**{t('estimate_record_heading', lang)}**")
    r_date, r_num, r_low, r_high = st.columns(4)
    rec_date = r_date.date_input(t("estimate_date", lang), value=as_of, key="estimate_rec_date")
    # the form starts from the estimate, but not from a small count a manager may not see
    start_at = {n: 0 if hide_small and is_small(n) else n for n in (est.point, est.low, est.high)}
    rec_num = r_num.number_input(t("estimate_number", lang), min_value=0, value=start_at[est.point], step=1,
                                 key="estimate_rec_num")
    rec_low = r_low.number_input(t("estimate_low", lang), min_value=0, value=start_at[est.low], step=1,
                                 key="estimate_rec_low")
    rec_high = r_high.number_input(t("estimate_high", lang), min_value=0, value=start_at[est.high], step=1,
                                   key="estimate_rec_high")
    rec_comment = st.text_input(t("estimate_comment", lang), key="estimate_rec_comment", max_chars=300)
    if st.form_submit_button(t("estimate_save", lang)):
        try:
            record_estimate(cur, rec_date, int(rec_num), int(rec_low), int(rec_high), rec_comment, ui.actor())
            st.success(t("estimate_saved", lang, number=int(rec_num), low=int(rec_low), high=int(rec_high), day=rec_date))
        except EstimateError as exc:
            st.error(str(exc))

st.markdown(f"**{t('estimate_history_heading', lang)}**")
recorded = recorded_estimates(cur)
days = tuple(sorted(set(week_days) | {d for d in recorded["as_of"] if start <= d <= end}))
computed = series if days == week_days else _estimates(str(db), (version,), days, window, max_age)
shown = recorded[(recorded["as_of"] >= start) & (recorded["as_of"] <= end)]
st.vega_lite_chart(spec=vega_spec(estimate_chart(computed, shown, lang, hide_small)), width="stretch")
if recorded.empty:
    st.caption(t("estimate_no_records", lang))
else:
    history = recorded[["as_of", "estimate", "low", "high", "comment"]]
    if hide_small:
        history = history.assign(**{c: [suppress(v) for v in history[c]] for c in ("estimate", "low", "high")})
    st.dataframe(history.rename(columns={
        "as_of": t("estimate_date", lang), "estimate": t("estimate_recorded", lang), "low": t("estimate_low", lang),
        "high": t("estimate_high", lang), "comment": t("estimate_col_comment", lang)}), hide_index=True, width="stretch")

# --- the report for samverkansgruppen --------------------------------------------------
st.subheader(t("report_heading", lang))
st.caption(t("report_caption", lang))
report_layer = st.selectbox(t("report_layer", lang), layers, key="report_layer") if layers else None
summary = _report_summary(str(db), (version,), start, end, report_layer, max_age, windows,
                          frame if freq == "week" and by is None else None,
                          estimate_at(series, end, window, max_age) if window == ESTIMATE_WINDOW_DAYS else None)
key_cols = st.columns(4)
for i, (label, value) in enumerate(key_rows(summary, lang)):
    key_cols[i % 4].metric(label, value)
actor = ui.actor()


def _download(fmt: str):
    """Made when the button is clicked (on another thread: its own cursor), and audited."""
    return lambda: make_report(store.cursor(db), start, end, fmt, actor, layer=report_layer, lang="sv")


name = f"uppsok_samverkansgruppen_{start}_{end}"
d_pdf, d_csv = st.columns(2)
d_pdf.download_button(t("report_download_pdf", lang), data=_download("pdf"), file_name=f"{name}.pdf",
                      mime="application/pdf", key="report_pdf", on_click="ignore")
d_csv.download_button(t("report_download_csv", lang), data=_download("csv"), file_name=f"{name}.csv",
                      mime="text/csv", key="report_csv", on_click="ignore")
