"""Uploads over the size limit are refused with a message, on both pages that take files
(Importera and Områden share ui.upload_too_big); the browser-side limit is the same figure."""

from __future__ import annotations

import tomllib
from pathlib import Path

from streamlit.testing.v1 import AppTest

from geo import store
from geo.config import MAX_UPLOAD_MB

ROOT = Path(__file__).resolve().parents[1]
TOO_BIG = b"a" * (MAX_UPLOAD_MB * 1024 * 1024 + 1)


def _page(monkeypatch, db: Path, page: str) -> AppTest:
    store.cursor(db)
    monkeypatch.setenv("OUTREACH_DB", str(db))
    at = AppTest.from_file(str(ROOT / "app_pages" / page), default_timeout=60)
    at.session_state["lang"] = "sv"
    return at.run()


def test_the_server_limit_matches_the_pages():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == MAX_UPLOAD_MB == 50


def test_areas_page_refuses_a_file_over_the_limit(monkeypatch, db_path):
    at = _page(monkeypatch, db_path, "omraden.py")
    at.file_uploader[0].set_value(("stadsdelar.geojson", TOO_BIG, "application/geo+json")).run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Filen är 50 MB; den största fil sidan tar emot är 50 MB. Dela upp filen eller använd kommandot "
        "`python -m geo areas import`."]
    assert "areas_import" not in [b.key for b in at.button]  # no import offered
    assert "areas_saved_path" not in at.session_state  # the file was not saved


def test_import_page_refuses_a_file_over_the_limit(monkeypatch, db_path):
    at = _page(monkeypatch, db_path, "importera.py")
    at.file_uploader[0].set_value(("besok.csv", TOO_BIG, "text/csv")).run()
    assert not at.exception
    assert "`python -m geo import`" in at.error[0].value and "50 MB" in at.error[0].value
    assert not at.dataframe
