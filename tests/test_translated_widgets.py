"""Selects with translated labels must go through `ui.choice`, or a language switch breaks them.

Streamlit keeps a selectbox's, multiselect's or radio's value as the labels it showed, and a
widget with a `key` keeps its identity when those labels change. After a switch from Swedish
to English such a widget shows the old labels, and its value matches no option (a kind filter
then quietly filters out every place). `ui.choice` gives the widget a key per language and
carries the choice over. The first test finds any keyed select drawn directly with a
`format_func`; the second switches a page and checks a choice survives.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo import feedback, store

ROOT = Path(__file__).resolve().parents[1]
SELECTS = {"selectbox", "multiselect", "radio", "pills", "segmented_control"}


def keyed_translated_selects(source: str) -> list[int]:
    """Lines of calls `<anything>.selectbox(..., key=..., format_func=...)` (and the other selects)."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in SELECTS:
            keywords = {k.arg for k in node.keywords}
            if {"key", "format_func"} <= keywords:
                lines.append(node.lineno)
    return lines


def test_the_guard_finds_direct_selects_with_any_receiver():
    source = """
st.selectbox("a", [1], key="a", format_func=str)
st.sidebar.multiselect("b", [1], format_func=str, key="b")
col.radio("c", [1], key="c", format_func=str)
st.selectbox("d", [1], key="d")                        # no translated labels: fine
ui.choice(st.selectbox, "e", [1], key="e", default=1, format_func=str)  # the way to do it
"""
    assert keyed_translated_selects(source) == [2, 3, 4]


@pytest.mark.parametrize("page", sorted((ROOT / "app_pages").glob("*.py")), ids=lambda p: p.stem)
def test_no_page_draws_a_keyed_translated_select_directly(page):
    lines = keyed_translated_selects(page.read_text(encoding="utf-8"))
    assert not lines, f"{page.name} lines {lines}: use ui.choice for keyed selects with format_func"


def test_a_choice_survives_the_switch_to_english(monkeypatch, db_path):
    """Synpunkter: a category filter and a case's status chosen in Swedish stay chosen in English."""
    cur = store.cursor(db_path)
    for category in ("complaint", "praise"):
        feedback.register(cur, received_on=feedback.today_local(), channel="phone", category=category,
                          body="Ett ärende", from_whom="", responsible="anna", actor="anna")
    monkeypatch.setenv("OUTREACH_DB", str(db_path))
    at = AppTest.from_file(str(ROOT / "app_pages" / "synpunkter.py"), default_timeout=60)
    at.session_state["lang"] = "sv"
    at.run()
    assert not at.exception
    at.multiselect(key="fb_filter_category.sv").set_value(["praise"]).run()
    assert at.multiselect(key="fb_filter_category.sv").value == ["praise"]
    assert len(at.dataframe[0].value) == 1

    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    categories = at.multiselect(key="fb_filter_category.en")
    assert categories.label == "Category"
    assert categories.value == ["praise"]
    assert categories.options == ["opinion", "complaint", "praise"]  # the English labels
    assert len(at.dataframe[0].value) == 1  # the filter still matches the case, now in English
    assert at.selectbox(key="fb_pick.en").options == ["#2 · praise · received"]
