"""geo.maps: one compact GeoJson layer, colour bins, escaping, no CDN, and the size bar."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import folium
import numpy as np
import pandas as pd
import pytest

from geo import maps
from geo.config import KINDS

NOW = datetime(2025, 11, 20, 12, 0)
EVIL = "<img src=x onerror=alert(1)>"


def status_frame(rows: list[tuple[str, str, int | None, int | None]]) -> pd.DataFrame:
    """A place_status-shaped frame from (name, kind, days since or None, people or None)."""
    n = len(rows)
    days = [r[2] for r in rows]
    return pd.DataFrame({
        "place_id": [f"p{i}" for i in range(n)],
        "name": [r[0] for r in rows],
        "kind": [r[1] for r in rows],
        "lat": np.linspace(59.25, 59.40, n),
        "lon": np.linspace(17.85, 18.15, n),
        "last_visit": [pd.NaT if d is None else NOW - timedelta(days=d) for d in days],
        "days_since": pd.array(days, dtype="Int64"),
        "people_last_seen": pd.array([r[3] for r in rows], dtype="Int64"),
        "target_days": [7 if r[1] == "encampment" else 14 for r in rows],
        "overdue": [d is None or d > (7 if r[1] == "encampment" else 14) for r, d in zip(rows, days)],
        "urgency": 1.0,
    })


def random_status(n: int, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    days = rng.integers(0, 400, n)
    never = rng.random(n) < 0.05
    rows = [
        (f"Plats {i} vid {['Tantolunden', 'Hötorget', 'Årstaskogen'][i % 3]}", KINDS[i % 3],
         None if never[i] else int(days[i]), int(rng.integers(0, 25)))
        for i in range(n)
    ]
    frame = status_frame(rows)
    frame["lat"] = rng.uniform(59.23, 59.43, n)
    frame["lon"] = rng.uniform(17.80, 18.20, n)
    return frame


def render(layer_status: pd.DataFrame, lang: str = "sv") -> str:
    m = maps.base_map()
    maps.places_layer(layer_status, lang).add_to(m)
    return m.get_root().render()


def the_layer(group: folium.FeatureGroup) -> maps.PlacesLayer:
    (layer,) = group._children.values()
    assert isinstance(layer, maps.PlacesLayer)
    return layer


SAMPLE = [
    ("Tantolunden", "sleeping_place", 3, 2),
    ("Hötorget", "encampment", 20, 6),
    (EVIL, "sleeping_place", None, None),
    ("Kungsträdgården", "other", 100, 0),
    ("Skanstull", "sleeping_place", 10, None),
]


def test_places_are_one_geojson_layer_with_one_feature_each():
    group = maps.places_layer(status_frame(SAMPLE), "sv")
    layer = the_layer(group)
    assert len(layer) == len(SAMPLE)
    html = render(status_frame(SAMPLE))
    # one L.geoJson for the outline, one for the places; no Marker objects per place
    assert html.count("L.geoJson(") == 2
    assert "L.marker(" not in html
    assert html.count("L.circleMarker(") == 1  # inside the layer's pointToLayer, once


@pytest.mark.parametrize(("days", "expected"), [
    (0, 0), (7, 0), (8, 1), (14, 1), (15, 2), (30, 2), (31, 3), (90, 3), (91, 4), (5000, 4),
    (None, maps.NEVER_BIN), (pd.NA, maps.NEVER_BIN),
])
def test_day_bins(days, expected):
    assert maps.day_bin(days) == expected


def test_colours_per_bin_and_never_visited_stands_out():
    rows = [(f"p{d}", "sleeping_place", d, 1) for d in (2, 10, 20, 60, 200)] + [("never", "sleeping_place", None, 1)]
    layer = the_layer(maps.places_layer(status_frame(rows), "sv"))
    fills = {layer.rows[i][-1]: layer.style_of(i)["fillColor"] for i in range(len(layer))}
    assert [fills[f"p{d}"] for d in (2, 10, 20, 60, 200)] == list(maps.BIN_COLOURS)
    assert fills["never"] == maps.NEVER_COLOUR
    assert len(set(maps.BIN_COLOURS) | {maps.NEVER_COLOUR}) == 6
    # never visited is drawn last, i.e. on top of everything else
    assert layer.rows[-1][-1] == "never"


def test_kinds_differ_by_outline_and_size_by_people():
    styles = {kind: maps.marker_style(kind, 0, 5) for kind in KINDS}
    assert styles["encampment"]["weight"] > 2 * styles["sleeping_place"]["weight"]
    assert "dashArray" in styles["other"] and "dashArray" not in styles["sleeping_place"]
    radii = [maps.radius_for(p) for p in (None, 0, 1, 5, 20, 500)]
    assert radii == sorted(radii) and radii[0] == maps.MIN_RADIUS and radii[-1] == maps.MAX_RADIUS


def test_tooltip_values_are_escaped_and_in_stockholm_time():
    frame = status_frame(SAMPLE)
    frame.loc[0, "last_visit"] = pd.Timestamp("2025-06-30 22:30")  # 00:30 on 1 July in Stockholm
    layer = the_layer(maps.places_layer(frame, "en"))
    by_name = {row[-1]: dict(zip(maps.ROW_FIELDS, row)) for row in layer.rows}
    assert "&lt;img src=x onerror=alert(1)&gt;" in by_name
    evil = by_name["&lt;img src=x onerror=alert(1)&gt;"]
    assert evil["date"] is None and evil["days"] is None and evil["people"] is None
    assert by_name["Tantolunden"]["date"] == "2025-07-01"
    assert by_name["Hötorget"]["days"] == 20 and by_name["Hötorget"]["people"] == 6
    assert layer.config["never"] == "never" and layer.config["kinds"] == ["sleeping place", "encampment", "other"]
    html = render(frame)
    assert "<img src=x" not in html and "onerror=alert(1)>" not in html


def test_a_name_cannot_close_the_script():
    html = render(status_frame([("</script><script>alert(1)</script>", "encampment", 1, 1)]))
    assert html.count("</script>") == html.count("<script")


def test_no_cdn_anywhere():
    html = render(status_frame(SAMPLE))
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert sources == [maps.LEAFLET_JS, maps.LEAFLET_CSS]
    for word in ("jquery", "bootstrap", "awesome", "cdn.", "cdnjs", "fontawesome", "d3js"):
        assert word not in html.lower()
    # what streamlit-folium collects into js_links/css_links: every element's defaults
    m = maps.base_map()
    maps.places_layer(status_frame(SAMPLE), "sv").add_to(m)
    links = []
    stack = [m]
    while stack:
        element = stack.pop()
        links += [url for _, url in getattr(element, "default_js", [])]
        links += [url for _, url in getattr(element, "default_css", [])]
        stack += list(element._children.values())
    assert set(links) == {maps.LEAFLET_JS, maps.LEAFLET_CSS}
    # the class lists folium shares between maps are untouched
    assert any("jsdelivr" in url for _, url in folium.Map.default_js)


def test_base_map_is_constant_so_streamlit_folium_does_not_remount():
    from streamlit_folium import _get_map_string, generate_js_hash

    def key() -> str:
        m = maps.base_map()
        m.get_root().render()
        return generate_js_hash(_get_map_string(m), "karta_map")

    assert key() == key()


def test_base_map_draws_stockholm_outline():
    html = maps.base_map().get_root().render()
    coords = re.findall(r"\[(1[78]\.\d+), (59\.\d+)\]", html)
    assert len(coords) > 50  # the municipality outline is drawn without tiles
    assert '"interactive": false' in html


def test_ten_thousand_places_stay_small():
    html = render(random_status(10_000))
    assert len(html.encode()) <= 1_500_000


def test_empty_status_gives_an_empty_layer():
    layer = the_layer(maps.places_layer(status_frame([]), "sv"))
    assert len(layer) == 0
    assert "L.geoJson(" in render(status_frame([]))


def test_legend_items_in_both_languages():
    sv, en = maps.legend_items("sv"), maps.legend_items("en")
    assert len(sv) == len(en)
    days = [item for item in sv if item.group == "days"]
    assert [item.fill for item in days] == [*maps.BIN_COLOURS, maps.NEVER_COLOUR]
    assert days[0].label == "0–7 dagar" and days[-1].label == "aldrig besökt"
    assert [item.label for item in en if item.group == "days"][-2:] == ["more than 90 days", "never visited"]
    assert {item.weight for item in sv if item.group == "kind"} == {w for w, _ in maps.KIND_STROKE.values()}
    html = maps.legend_html("en")
    assert "Days since last visit" in html and "encampment: thick outline" in html


def test_filters_headline_and_table():
    frame = status_frame(SAMPLE)
    assert len(maps.filter_places(frame, list(KINDS), 0)) == 5
    assert set(maps.filter_places(frame, list(KINDS), 15)["name"]) == {"Hötorget", EVIL, "Kungsträdgården"}
    assert list(maps.filter_places(frame, ["encampment"], 0)["name"]) == ["Hötorget"]
    assert len(maps.filter_places(frame, [], 0)) == 0
    figures = maps.headline(frame)
    assert (figures.places, figures.overdue, figures.people) == (5, 3, 8)
    table = maps.overdue_table(frame, "en")
    assert list(table.columns) == ["Place", "Kind", "Last visit", "Days since", "Target (days)", "People last seen"]
    assert set(table["Place"]) == {"Hötorget", EVIL, "Kungsträdgården"}
    assert "never" in set(table["Last visit"])
