"""Read an untrusted workbook in a child process that cannot take the server with it.

calamine (Rust) aborts the whole process when an allocation fails: a 1,472-byte XLSX that
declares a million columns asked for 512 GiB and killed the dashboard for every user. So
geo.readers runs `python -m geo.sheet_reader FILE` with this module only (no DuckDB, no
Streamlit), under an address-space limit and a timeout: a hostile file kills the child,
and the parent reports one sentence. The child prints the first sheet as JSON
(`{"headers": [...], "body": [[...], ...]}`) or `{"error": "ExceptionName"}`.
"""

from __future__ import annotations

import json
import math
import resource
import sys
from datetime import date, datetime, time

MEMORY_LIMIT_BYTES = 3 * 1024**3  # address space of the child; a 50 MB workbook needs well under this


def cell_text(value: object) -> str | None:
    """A spreadsheet or JSON cell as the text a CSV export would have held."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    return str(value)


def read_first_sheet(path: str) -> dict[str, object]:
    """The first sheet: first row = headers, cells as text, empty rows left out."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(path)
        rows = book.get_sheet_by_index(0).to_python(skip_empty_area=True)
    except Exception as exc:  # calamine raises its own error types for broken workbooks
        return {"error": type(exc).__name__}
    if not rows:
        return {"headers": [], "body": []}
    headers = [str(h).strip() if h is not None else "" for h in rows[0]]
    body = [[cell_text(v) for v in row] for row in rows[1:] if any(v not in (None, "") for v in row)]
    return {"headers": headers, "body": body}


def main(argv: list[str]) -> int:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
    try:
        result = read_first_sheet(argv[0])
    except MemoryError:
        result = {"error": "MemoryError"}
    json.dump(result, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
