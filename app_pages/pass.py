"""Planera pass: routes for a shift's pairs through the most urgent places. Widgets only; the
planner is geo/routes.py, files and links geo/route_exports.py, the map layers geo/route_maps.py,
saved plans and their follow-up geo/route_plans.py.

The inputs are outside a form because the start point can be tapped on a map (a tap must rerun
the page to show the point). Planning runs when the button is pressed, and the plan is kept in
the session, so downloads and the map do not plan again.
"""

from __future__ import annotations

import streamlit as st

import ui
from geo import maps, route_exports, route_plans, routes, settings, store, visit_form
from geo.areas import effective_service_area
from geo.localtime import utc_to_local
from geo.route_maps import pair_colour, route_layers, route_view
from geo.shifts import SHIFTS
from geo.texts import kind_label, shift_label, t

ui.require_page("pass")  # before anything else: a typed URL cannot bypass the navigation
lang = ui.lang()
cur = ui.cursor()
state = st.session_state

st.subheader(t("pass_heading", lang))
st.caption(t("pass_caption", lang, factor=routes.DETOUR_FACTOR))


def _shift_changed() -> None:
    state["pass_time"] = routes.SHIFT_START[ui.chosen("pass_shift")]


today = visit_form.now_local().date()
state.setdefault("pass_date", today)
state.setdefault("pass_shift", routes.DEFAULT_SHIFT)
state.setdefault("pass_time", routes.SHIFT_START[state["pass_shift"]])
c_date, c_shift, c_time = st.columns(3)
day = c_date.date_input(t("pass_date", lang), format="YYYY-MM-DD", key="pass_date")
shift = ui.choice(c_shift.selectbox, t("pass_shift", lang), list(SHIFTS), default=routes.DEFAULT_SHIFT,
                  format_func=lambda s: shift_label(s, lang), key="pass_shift", on_change=_shift_changed)
clock = c_time.time_input(t("pass_start_time", lang), step=900, key="pass_time")
c_pairs, c_hours, c_mode = st.columns(3)
pairs = c_pairs.number_input(t("pass_pairs", lang), min_value=1, max_value=routes.MAX_PAIRS,
                             value=routes.DEFAULT_PAIRS, step=1, key="pass_pairs")
hours = c_hours.number_input(t("pass_hours", lang), min_value=0.5, max_value=routes.MAX_HOURS,
                             value=routes.DEFAULT_HOURS, step=0.5, key="pass_hours")
mode = ui.choice(c_mode.selectbox, t("pass_mode", lang), list(routes.MODES), default=list(routes.MODES)[0],
                 key="pass_mode", format_func=lambda m: t(f"route_mode_{m}", lang))
st.caption(route_exports.mode_note(mode, lang))

places = visit_form.known_places(cur)
labels = {pid: f"{name} ({kind_label(kind, lang)})"
          for pid, name, kind in places[["place_id", "name", "kind"]].itertuples(index=False)}
where = ui.choice(st.radio, t("pass_start_from", lang), ("base", "place", "map"), default="base", horizontal=True,
                  key="pass_where", format_func=lambda w: t(f"pass_start_{w}", lang))
start_point: tuple[float, float] | None = None
if where == "base":
    start_point = settings.route_base(cur)
    st.caption(t("pass_base_is", lang, point=settings.format_point(start_point)))
elif where == "place":
    start_id = ui.choice(st.selectbox, t("pass_place", lang), list(labels), default=None, format_func=labels.get,
                         placeholder=t("log_place_placeholder", lang), key="pass_start_place")
    if start_id is not None:
        row = cur.execute("SELECT lat, lon FROM places WHERE place_id = ?", [start_id]).fetchall()
        start_point = (float(row[0][0]), float(row[0][1])) if row else None
else:
    st.caption(t("log_map_hint", lang))
    picked = ui.tapped_point("pass_pick_map", "pass_picked")
    start_point = picked
    st.caption(t("log_not_picked", lang) if picked is None else t("log_picked", lang, lat=picked[0], lon=picked[1]))

must = ui.choice(st.multiselect, t("pass_must", lang), list(labels), default=[], format_func=labels.get, key="pass_must")
start = routes.shift_start(day, shift, clock)
pool = routes.candidates(cur, frozenset(must), now=routes.ranking_time(start), targets=settings.targets(cur))
skip_labels = {pid: labels.get(pid, pid) for pid in pool["place_id"] if pid not in must}
skip = ui.choice(st.multiselect, t("pass_skip", lang), list(skip_labels), default=[], format_func=skip_labels.get,
                 key="pass_skip")
st.caption(t("pass_candidates", lang, count=len(pool)))

if st.button(t("pass_submit", lang), type="primary", key="pass_submit"):
    state.pop("pass_plan", None)
    state.pop("pass_saved_id", None)
    if start_point is None:
        st.error(t("pass_no_start", lang))
    else:
        request = routes.PlanRequest(start=start, start_point=start_point, hours=float(hours), pairs=int(pairs),
                                     mode=mode, stop_minutes=settings.stop_minutes(cur),
                                     must_visit=frozenset(must), skip=frozenset(skip))
        try:
            with st.spinner(t("pass_planning", lang)):
                state["pass_plan"] = (routes.plan_routes(pool, request, effective_service_area(cur)), shift)
        except routes.RouteError as exc:
            st.error(exc.message(lang))

if "pass_plan" in state:
    plan, plan_shift = state["pass_plan"]
    request = plan.request
    st.divider()
    m1, m2, m3 = st.columns(3)
    m1.metric(t("pass_metric_urgency", lang), f"{plan.urgency:.2f}")
    m2.metric(t("pass_metric_stops", lang), sum(len(r.stops) for r in plan.routes))
    m3.metric(t("pass_metric_left", lang), len(plan.left_out))
    st.caption(t("pass_plan_for", lang, date=f"{request.start:%Y-%m-%d}", time=f"{request.start:%H:%M}",
                 shift=shift_label(plan_shift, lang), pairs=request.pairs, hours=f"{request.hours:g}",
                 mode=t(f"route_mode_{request.mode}", lang)))
    for item in plan.must_missing:
        st.warning(t("pass_must_missing", lang, place=ui.plain(item.name),
                     reason=t(f"route_left_{item.reason}", lang)))
    for route in plan.routes:
        st.markdown(f'<span style="color:{pair_colour(route.pair)};font-size:1.4em">●</span> '
                    f"**{t('route_pair', lang, pair=route.pair)}** · "
                    + ui.plain(t("route_summary", lang, stops=len(route.stops), minutes=route.minutes, km=route.km,
                                 back=f"{route.back_at:%H:%M}")),
                    unsafe_allow_html=True)
        if route.stops:
            st.dataframe(route_exports.route_table(route, lang), hide_index=True, width="stretch")
            links = route_exports.maps_links(plan, route)
            cols = st.columns(len(links))
            for i, (col, url) in enumerate(zip(cols, links), start=1):
                col.link_button(t("pass_link_leg", lang, leg=i, legs=len(links)), url)
        else:
            st.caption(t("pass_pair_empty", lang))
    st.caption(t("pass_links_note", lang, per=route_exports.MAPS_WAYPOINTS_PER_LINK))
    centre, zoom = route_view(plan)
    ui.show_map(maps.base_map(), route_layers(plan, lang), key="pass_map", center=centre, zoom=zoom)
    if plan.left_out:
        with st.expander(t("pass_left_heading", lang, count=len(plan.left_out))):
            st.dataframe(route_exports.left_out_table(plan, lang), hide_index=True, width="stretch")

    stamp = f"{request.start:%Y%m%d_%H%M}"
    stops = sum(len(r.stops) for r in plan.routes)

    def _audit(fmt: str) -> None:
        store.audit(cur, ui.actor(), "export_route_plan",
                    {"format": fmt, "starts_at": request.start.isoformat(), "pairs": request.pairs, "stops": stops})

    d1, d2, d3, d4 = st.columns(4)
    d1.download_button(t("pass_download_html", lang),
                       data=route_exports.print_html(plan, lang, [pair_colour(r.pair) for r in plan.routes]),
                       file_name=f"uppsok_pass_{stamp}.html", mime="text/html", key="pass_dl_html",
                       on_click=_audit, args=("html",))
    d2.download_button(t("pass_download_csv", lang), data=route_exports.plan_csv(plan, lang).encode("utf-8"),
                       file_name=f"uppsok_pass_{stamp}.csv", mime="text/csv", key="pass_dl_csv",
                       on_click=_audit, args=("csv",))
    d3.download_button(t("pass_download_gpx", lang), data=route_exports.to_gpx(plan, lang),
                       file_name=f"uppsok_pass_{stamp}.gpx", mime="application/gpx+xml", key="pass_dl_gpx",
                       on_click=_audit, args=("gpx",))
    if d4.button(t("pass_save", lang), key="pass_save", disabled="pass_saved_id" in state):
        state["pass_saved_id"] = route_plans.save_plan(cur, plan, plan_shift, ui.actor())
    if "pass_saved_id" in state:
        st.success(t("pass_saved", lang, plan=state["pass_saved_id"]))

st.divider()
st.subheader(t("pass_saved_heading", lang))
st.caption(t("pass_compare_caption", lang, slack=int(route_plans.COMPARE_SLACK.total_seconds() // 60)))
saved = route_plans.list_plans(cur)
if saved.empty:
    st.info(t("pass_no_saved", lang))
else:
    plan_labels = {
        row.plan_id: t("pass_saved_label", lang, date=f"{utc_to_local(row.starts_at):%Y-%m-%d %H:%M}",
                       shift=shift_label(row.shift, lang), pairs=row.pairs, stops=row.stops)
        for row in saved.itertuples(index=False)}
    chosen = ui.choice(st.selectbox, t("pass_saved_pick", lang), list(plan_labels), default=next(iter(plan_labels)),
                       format_func=plan_labels.get, key="pass_saved_pick")
    result = route_plans.compare(cur, chosen)
    k1, k2, k3, k4 = st.columns(4)
    k1.metric(t("pass_cmp_planned", lang), result.planned)
    k2.metric(t("pass_cmp_visited", lang), len(result.visited), f"{result.share_done:.0%}", delta_color="off")
    k3.metric(t("pass_cmp_missed", lang), len(result.missed))
    k4.metric(t("pass_cmp_off_plan", lang), len(result.off_plan))
    tables = (("pass_cmp_visited", result.visited), ("pass_cmp_missed", result.missed),
              ("pass_cmp_off_plan", result.off_plan))
    for key, frame in tables:
        st.markdown(f"**{t(key, lang)}**")
        if frame.empty:
            st.caption(t("pass_cmp_none", lang))
            continue
        shown = frame.assign(kind=[kind_label(k, lang) for k in frame["kind"]])
        if "visited_at" in shown:
            shown = shown.assign(visited_at=[f"{utc_to_local(v):%Y-%m-%d %H:%M}" for v in shown["visited_at"]])
        shown = shown.drop(columns=["place_id"]).rename(columns={
            "pair": t("route_col_pair", lang), "seq": t("route_col_order", lang), "name": t("col_name", lang),
            "kind": t("col_kind", lang), "visited_at": t("pass_cmp_visited_at", lang),
            "visits": t("pass_cmp_visits", lang)})
        st.dataframe(shown, hide_index=True, width="stretch")
