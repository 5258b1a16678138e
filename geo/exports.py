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


def to_safe_csv(frame: pd.DataFrame, sep: str = ",") -> str:
    """CSV whose text cells cannot run as spreadsheet formulas (PRODUCT.md §6).

    Cells that hold the separator, a quote or a line break are quoted (QUOTE_MINIMAL), so
    that `;=1+1` in a `;` export stays one cell and never becomes a cell `=1+1`; a carriage
    return inside a cell is written as a line feed.
    """
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(_neutralise)
    buffer = io.StringIO()
    safe.to_csv(buffer, index=False, sep=sep, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    return buffer.getvalue()


def _neutralise(value: Any) -> Any:
    """Prefix a text cell that a spreadsheet would read as a formula with an apostrophe.

    Only a formula start WITH more after it is evaluated: a bare `-` (the valid "no referral"
    value) or `+` is text to a spreadsheet and must survive the fix-and-re-import loop as it
    is. `-5` is a formula to Excel and stays neutralised.
    """
    if not isinstance(value, str):
        return value
    if len(value) > 1 and value[0] in _FORMULA_STARTS:
        value = "'" + value
    # Python's csv writer quotes a cell with "\n" but not one with a lone "\r", which a reader
    # then takes for the end of the row: line breaks leave as "\n", inside a quoted cell.
    return value.replace("\r\n", "\n").replace("\r", "\n") if "\r" in value else value
