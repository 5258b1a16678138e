"""Shared UI helpers for the pages: language, the database cursor, and the one map wrapper.

Kept small on purpose. `show_map` is THE wrapper around `st_folium`: AppTest cannot see
inside the map component, so page tests patch `ui.show_map` and check what it was given,
and the map itself is checked in a real browser (tests/test_browser_map.py).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import duckdb
import folium
import streamlit as st

from geo import store
from geo.config import DB_ENV_VAR, resolve_db_path
from geo.texts import DEFAULT_LANGUAGE, LANGUAGES, t

LANGUAGE_NAMES = {"sv": "Svenska", "en": "English"}
MAP_HEIGHT = 620


def lang() -> str:
    """The session's language (Swedish until the user switches)."""
    value = st.session_state.get("lang", DEFAULT_LANGUAGE)
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def actor() -> str:
    """Who is acting in this session, for the audit log and for who-sent-what.

    Until a login is configured every session acts as "dashboard"; the access work makes
    this the signed-in user's e-mail (or the local role in local mode).
    """
    return "dashboard"


def language_switch() -> str:
    """The language radio in the sidebar; its value lives in st.session_state["lang"]."""
    st.session_state.setdefault("lang", DEFAULT_LANGUAGE)
    # One bilingual label, the same in both languages: whoever cannot read the current
    # language still finds the switch, and the widget keeps one identity across switches.
    st.sidebar.radio(
        t("language_switch"),
        options=list(LANGUAGES),
        format_func=LANGUAGE_NAMES.get,
        key="lang",
        horizontal=True,
    )
    return lang()


def db_path() -> Path:
    return resolve_db_path()


@dataclass(frozen=True)
class FirstRun:
    """What happened to the database when the dashboard started."""

    path: Path
    demo_built: bool  # this process built the demo because there was no database
    missing: bool  # OUTREACH_DB names a file that does not exist: nothing was made


@st.cache_resource(show_spinner=False)
def _build_demo_once(path: str) -> bool:
    """Build the demo database once per process (concurrent sessions wait for the first)."""
    from geo.demo import build_demo  # lazy: the demo module is heavy and only needed once

    if Path(path).exists():  # another session (or the CLI) made it meanwhile
        return False
    build_demo(Path(path))
    return True


def first_run() -> FirstRun:
    """Make the demo when there is no database and OUTREACH_DB is not set.

    PRODUCT.md: with OUTREACH_DB set to an existing database no demo is made. When it is
    set to a file that does not exist we make nothing either and say how to create one:
    a path someone chose on purpose should not silently fill with made-up data.
    """
    path = db_path()
    if path.exists():
        return FirstRun(path, demo_built=False, missing=False)
    if os.environ.get(DB_ENV_VAR):
        return FirstRun(path, demo_built=False, missing=True)
    with st.spinner(t("demo_building", lang())):
        built = _build_demo_once(str(path.resolve()))
    return FirstRun(path, demo_built=built, missing=False)


def cursor() -> duckdb.DuckDBPyConnection:
    """A cursor on the dashboard's database, or a clear error and the end of this run."""
    try:
        return store.cursor(db_path())
    except store.DatabaseInUseError as exc:
        st.error(str(exc), icon="🔒")  # the message is already in Swedish and English
    except store.StoreError as exc:
        st.error(t("db_error", lang(), error=str(exc)))
    st.stop()
    raise AssertionError("unreachable")  # st.stop() raises; keeps type checkers honest


def show_map(
    m: folium.Map,
    feature_groups: list[folium.FeatureGroup],
    key: str,
    height: int = MAP_HEIGHT,
    returned_objects: list[str] | None = None,
) -> dict | None:
    """Draw the constant base map with the changing layers; returns what st_folium read back.

    `feature_group_to_add` lets filter changes swap the places without remounting the map
    (pan and zoom survive), and `returned_objects=[]` (the default) keeps pan and zoom from
    rerunning the script (PRODUCT.md §5). A page that wants clicks asks for e.g.
    `["last_object_clicked"]`, which changes only on a click, so panning still sends nothing.
    streamlit-folium fixes `returned_objects` when it first mounts a map, so a page that
    switches between the two must also switch `key`.
    """
    from streamlit_folium import st_folium

    return st_folium(
        m,
        key=key,
        height=height,
        use_container_width=True,
        returned_objects=list(returned_objects or []),
        feature_group_to_add=feature_groups,
    )


def pick_point(
    m: folium.Map,
    feature_groups: list[folium.FeatureGroup],
    key: str,
    height: int = 300,
) -> tuple[float, float] | None:
    """A small map the user taps to pick a point: the second (and only other) st_folium wrapper.

    It reads back only `last_clicked`, so panning and zooming still do not rerun the
    script, only a tap does. Page tests patch this function, as they patch `show_map`.
    """
    from streamlit_folium import st_folium

    from geo.coords import from_leaflet

    state = st_folium(
        m,
        key=key,
        height=height,
        use_container_width=True,
        returned_objects=["last_clicked"],
        feature_group_to_add=feature_groups,
    )
    return from_leaflet((state or {}).get("last_clicked"))


_MARKDOWN_SPECIALS = set("\\`*_{}[]()<>#+-.!|~$:")


def plain(text: str) -> str:
    """User or file text made safe to put inside a Markdown message (st.success, st.error …).

    Those messages render Markdown, so a place name such as `[x](javascript:…)` or `**` would
    be interpreted; every Markdown punctuation character is backslash-escaped.
    """
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIALS else ch for ch in text)


def is_partner() -> bool:
    """True when the session acts for an NGO partner: the Rapportera page then shows only the
    partner's own reports, never the staff's inbox. Until roles exist (issue 7 items 1–2)
    nobody is a partner; the access work makes this read the signed-in user's role."""
    return False
