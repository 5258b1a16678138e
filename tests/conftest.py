"""Shared fixtures: real DuckDB files in tmp_path, closed after each test."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from geo import store  # noqa: E402

DATA = Path(__file__).parent / "data"
SHARED_STOCKHOLM = ROOT.parent / "shared" / "data" / "stockholm"


@pytest.fixture
def db_path(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "outreach.duckdb"
    yield path
    store.close(path)


@pytest.fixture
def cur(db_path: Path):
    return store.cursor(db_path)
