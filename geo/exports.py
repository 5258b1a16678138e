"""Exports that leave Uppsök as files: CSV whose cells cannot run as spreadsheet formulas.

Shared by the CLI and the pages, so that a download button and `python -m geo … --format
csv` neutralise cells the same way (PRODUCT.md §6).
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pandas as pd

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def to_safe_csv(frame: pd.DataFrame) -> str:
    """CSV whose text cells cannot run as spreadsheet formulas (PRODUCT.md §6)."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(_neutralise)
    buffer = io.StringIO()
    safe.to_csv(buffer, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    return buffer.getvalue()


def _neutralise(value: Any) -> Any:
    """Prefix a text cell that a spreadsheet would read as a formula with an apostrophe."""
    if isinstance(value, str) and value[:1] in _FORMULA_STARTS:
        return "'" + value
    return value
