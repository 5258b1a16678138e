"""Shared UI helpers for the pages: language, the database cursor, and the one map wrapper.

Kept small on purpose. `show_map` is THE wrapper around `st_folium`: AppTest cannot see
inside the map component, so page tests patch `ui.show_map` and check what it was given,
and the map itself is checked in a real browser (tests/test_browser_map.py).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import folium
import streamlit as st

from geo import access, store
from geo.config import DB_ENV_VAR, MAX_UPLOAD_MB, resolve_db_path
from geo.texts import DEFAULT_LANGUAGE, LANGUAGES, t

LANGUAGE_NAMES = {"sv": "Svenska", "en": "English"}
MAP_HEIGHT = 620


def lang() -> str:
    """The session's language (Swedish until the user switches)."""
    value = st.session_state.get("lang", DEFAULT_LANGUAGE)
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def actor() -> str:
    """Who is acting in this session, for the audit log and for who-sent-what.

    The signed-in user's e-mail when a login is configured, else "local:<role>" (local mode).
    """
    who = session()
    if who.local:
        return f"local:{who.role}"
    return who.email or "unknown"


# --- Login and roles (issue 7) -------------------------------------------------------------
# With an [auth] section in .streamlit/secrets.toml Streamlit's OpenID Connect login is used
# and the role comes from the user_roles table (geo.access). Without it the app runs in
# local mode: a banner says so and a sidebar selectbox chooses the role. The local default
# is admin, who may open every page: on a laptop without a login there is nobody to keep
# out, and page tests that open a page file directly run as the whole team would. That is
# why local mode serves this machine only (.streamlit/config.toml, local_mode_guard).

LOCAL_ROLE_KEY = "local_role"
_LOGIN_AUDITED = "_access_login_audited"


@dataclass(frozen=True)
class Session:
    """Who is using this session: role (None: no role), e-mail (None in local mode)."""

    role: str | None
    email: str | None
    local: bool
    logged_in: bool


def auth_configured() -> bool:
    """True when secrets.toml has an [auth] section: st.user then always has is_logged_in."""
    return "is_logged_in" in st.user.to_dict()


def session() -> Session:
    """This session's user and role, read afresh on every run (a role change applies at once)."""
    if not auth_configured():
        role = chosen(LOCAL_ROLE_KEY, access.ADMIN)  # the switch is drawn later in the run
        return Session(role if role in access.ROLES else access.ADMIN, None, local=True, logged_in=False)
    if not st.user.get("is_logged_in"):
        return Session(None, None, local=False, logged_in=False)
    email = access.verified_email(st.user.to_dict())  # an unverified e-mail gives no role and is not the actor
    return Session(access.role_for(cursor(), email, st.user.get("groups")), email, local=False, logged_in=True)


def local_mode_guard() -> None:
    """Without a login nobody may reach the app from the network (everyone would be admin):
    a server listening beyond localhost, or a visitor from elsewhere, sees only a refusal,
    unless access.OPEN_LOCAL_ENV opens it loudly."""
    if auth_configured():
        return
    client = st.context.ip_address  # None for localhost; AppTest's stand-in client gives a non-str
    verdict = access.local_mode_exposure(st.get_option("server.address"),
                                         client if isinstance(client, str) else None, os.environ)
    if verdict == "refuse":
        st.error(t("local_exposed", lang()), icon="🔒")
        st.stop()
    if verdict == "warn":
        st.warning(t("local_exposed_override", lang()), icon="⚠️")


def login_wall() -> None:
    """With a login configured, a visitor who is not signed in sees only the login page."""
    if auth_configured() and not st.user.get("is_logged_in"):
        lang_ = lang()
        st.title("Uppsök")
        st.write(t("login_intro", lang_))
        st.button(t("login_button", lang_), type="primary", key="access_login", on_click=st.login)
        st.stop()


def _logout() -> None:
    who = session()
    store.audit(cursor(), who.email or "unknown", "logout", {"role": who.role})
    st.logout()


def _audit_login(who: Session) -> None:
    """One audit line per sign-in: a reload (a new Streamlit session on the same sign-in,
    recognised by the ID token's issued-at time) is not a new login."""
    details: dict[str, object] = {"role": who.role, "allowed": who.role is not None}
    issued = st.user.get("iat")
    if isinstance(issued, int | float):
        details["signed_in_at"] = datetime.fromtimestamp(issued, UTC).replace(tzinfo=None).isoformat()
        seen = cursor().execute(
            "SELECT count(*) FROM audit WHERE action = 'login' AND actor = ? AND json_extract_string(details, '$.signed_in_at') = ?",
            [who.email or "unknown", details["signed_in_at"]]).fetchone()[0]
        if seen:
            return
    store.audit(cursor(), who.email or "unknown", "login", details)


def gate() -> Session:
    """The login wall, the login audit (once per session) and the refusal of users without a role."""
    login_wall()
    who = session()
    if who.local:
        return who
    if not st.session_state.get(_LOGIN_AUDITED):
        _audit_login(who)
        st.session_state[_LOGIN_AUDITED] = True
    if who.role is None:
        st.error(t("access_no_role", lang(), email=plain(who.email or "?")))
        st.button(t("logout_button", lang()), key="access_logout_norole", on_click=_logout)
        st.stop()
    return who


def account_sidebar(who: Session) -> None:
    """Local mode: the banner and the role switcher. Signed in: who, which role, log out."""
    lang_ = lang()
    if who.local:
        st.warning(t("local_mode_banner", lang_), icon="🔓")
        choice(st.sidebar.selectbox, t("local_role_switch", lang_), list(access.ROLES), default=who.role,
               format_func=lambda r: role_label(r, lang_), key=LOCAL_ROLE_KEY)
        return
    st.sidebar.caption(t("signed_in_as", lang_, email=plain(who.email or "?"), role=role_label(who.role, lang_)))
    st.sidebar.button(t("logout_button", lang_), key="access_logout", on_click=_logout)


def role_label(role: str | None, lang_: str) -> str:
    return t(f"role_{role}", lang_) if role in access.ROLES else "–"


def require_page(page: str) -> Session:
    """At the top of every page: refuse (and stop) unless this session's role may open `page`.

    The navigation already hides the page; this check keeps a typed URL out as well.
    """
    who = gate()
    if not access.may_open(who.role, page):
        st.error(t("access_refused", lang()), icon="⛔")
        st.stop()
    return who


def upload_too_big(uploaded, command: str, limit_mb: int = MAX_UPLOAD_MB) -> bool:
    """Show a message and return True when an uploaded file is over the limit (Importera, Områden).

    `server.maxUploadSize` already stops larger files in the browser; this check is what the
    server itself enforces, whatever the client sends. `command` is the CLI that takes any size.
    """
    if uploaded.size > limit_mb * 1024 * 1024:
        st.error(t("upload_too_big", lang(), size=uploaded.size / 1024 / 1024, limit=limit_mb, command=command))
        return True
    return False


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


def choice(
    widget: Callable[..., Any],
    label: str,
    options: Sequence[Any],
    *,
    key: str,
    default: Any,
    format_func: Callable[[Any], str],
    **kwargs: Any,
) -> Any:
    """A selectbox, multiselect or radio with translated labels that survives a language switch.

    Streamlit keeps a select's value as the labels it showed. After a switch those labels
    match no option, and a kind filter would quietly filter out every place. So the widget
    gets a key per language, and the choice itself (the options, not their labels) is kept
    under `key` and carried over to the other language's widget. The current choice is also
    the widget's default on every run: a browser that redraws the widget from scratch (seen
    with eight busy sessions) then shows the choice, not the first option.
    """
    widget_key = f"{key}.{lang()}"
    options = list(options)
    current = st.session_state.get(widget_key, st.session_state.get(key, default))
    if getattr(widget, "__name__", "") == "multiselect":
        kwargs["default"] = [value for value in (current or []) if value in options]
    else:
        if current not in options:
            current = default
        kwargs["index"] = options.index(current) if current in options else None
    value = widget(label, options=options, format_func=format_func, key=widget_key, **kwargs)
    st.session_state[key] = value
    return value


def set_choice(key: str, value: Any) -> None:
    """Set a `choice` widget from code (a map click, a profile just saved), in either language.

    Call it before the widget is drawn in this run, or from a callback.
    """
    forget_choice(key)
    st.session_state[key] = value
    st.session_state[f"{key}.{lang()}"] = value


def chosen(key: str, default: Any = None) -> Any:
    """A `choice` widget's value as a callback sees it: fresh under the widget's own key.

    Callbacks run before the page draws `choice` again, so `key` may still hold the value
    of the run before; the widget's key (per language) already holds the new one.
    """
    return st.session_state.get(f"{key}.{lang()}", st.session_state.get(key, default))


def forget_choice(key: str, *, empty: bool = False) -> None:
    """Drop a `choice` widget's state in both languages, so it shows its default again.

    A dropped state does not reach the browser, which keeps showing the old choice (an
    undone import, a merged place). `empty=True`, for a widget whose default is no choice,
    sets it to None instead, from a callback, so the browser is told to empty it too.
    """
    for name in (key, *(f"{key}.{language}" for language in LANGUAGES)):
        st.session_state.pop(name, None)
    if empty:
        st.session_state[f"{key}.{lang()}"] = None


def db_path() -> Path:
    return resolve_db_path()


@dataclass(frozen=True)
class FirstRun:
    """What happened to the database when the dashboard started."""

    path: Path
    demo_built: bool  # this process built the demo because there was no database
    missing: bool  # OUTREACH_DB names a file that does not exist: nothing was made


_DEMO_BUILT = "_demo_built_here"


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
    if path.exists():  # the notice stays for the session: the start page reruns straight away
        return FirstRun(path, demo_built=st.session_state.get(_DEMO_BUILT, False), missing=False)
    if os.environ.get(DB_ENV_VAR):
        return FirstRun(path, demo_built=False, missing=True)
    with st.spinner(t("demo_building", lang())):
        built = _build_demo_once(str(path.resolve()))
    st.session_state[_DEMO_BUILT] = built
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
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
) -> dict | None:
    """Draw the constant base map with the changing layers; returns what st_folium read back.

    `feature_group_to_add` lets filter changes swap the places without remounting the map
    (pan and zoom survive), and `returned_objects=[]` (the default) keeps pan and zoom from
    rerunning the script (PRODUCT.md §5). A page that wants clicks asks for e.g.
    `["last_object_clicked"]`, which changes only on a click, so panning still sends nothing.
    streamlit-folium fixes `returned_objects` when it first mounts a map, so a page that
    switches between the two must also switch `key`. `center`/`zoom` move the view without
    remounting (the route map shows its stops).
    """
    from streamlit_folium import st_folium

    return st_folium(
        m,
        key=key,
        height=height,
        use_container_width=True,
        returned_objects=list(returned_objects or []),
        feature_group_to_add=feature_groups,
        center=center,
        zoom=zoom,
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



def tapped_point(key: str, state_key: str) -> tuple[float, float] | None:
    """The point tapped on a small map (Logga, Planera pass, Rapportera), kept in `state_key`.

    A new tap is stored and the page reruns, so the map draws the marker where it was put.
    """
    from geo import maps

    picked = st.session_state.get(state_key)
    clicked = pick_point(maps.base_map(), [maps.picked_point_layer(picked)], key=key, height=maps.PICK_MAP_HEIGHT)
    if clicked is not None and clicked != picked:
        st.session_state[state_key] = clicked
        st.rerun()
    return picked

_MARKDOWN_SPECIALS = set("\\`*_{}[]()<>#+-.!|~$:")


def plain(text: str) -> str:
    """User or file text made safe to put inside a Markdown message (st.success, st.error …).

    Those messages render Markdown, so a place name such as `[x](javascript:…)` or `**` would
    be interpreted; every Markdown punctuation character is backslash-escaped.
    """
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIALS else ch for ch in text)
