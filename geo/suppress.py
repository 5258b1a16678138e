"""The small-count rule for anything that leaves the team (PRODUCT.md §6), in one place.

A count of 1–4 could point at identifiable people, so it is shown as "<5". Zero stays
zero (nobody is exposed by it) and a missing value is a dash.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd

SMALL_LIMIT = 5
SUPPRESSED = "<5"


def suppress(value: object) -> str:
    """A count as it may leave the team: "<5" for 1–4, "–" for missing, else the whole number."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "–"
    number = int(value)  # type: ignore[call-overload]
    return SUPPRESSED if 0 < number < SMALL_LIMIT else str(number)


def suppress_frame(frame: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """A copy with `columns` turned into suppressed text."""
    out = frame.copy()
    for column in columns:
        out[column] = [suppress(v) for v in out[column]]
    return out


def is_small(value: object) -> bool:
    """True for a count of 1–4: the counts that are shown as "<5"."""
    return suppress(value) == SUPPRESSED


def null_small(values: pd.Series) -> pd.Series:
    """Counts as a chart may draw them outside the team: 1–4 become missing (a gap, no tooltip)."""
    numbers = pd.to_numeric(values, errors="coerce").astype(float)
    return numbers.where(~((numbers >= 1) & (numbers < SMALL_LIMIT)))
