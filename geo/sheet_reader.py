"""Read an untrusted workbook in a child process that cannot take the server with it.

calamine (Rust) aborts the whole process when an allocation fails: a 1,472-byte XLSX that
declares a million columns asked for 512 GiB and killed the dashboard for every user. So
geo.readers runs `python -m geo.sheet_reader FILE` with this module only (no DuckDB, no
Streamlit), under an address-space limit and a timeout: a hostile file kills the child,
and the parent reports one sentence. The child prints the first sheet as JSON
lines (see write_first_sheet).
"""

from __future__ import annotations

import json
import math
import resource
import sys
from datetime import date, datetime, time
from typing import TextIO

MEMORY_LIMIT_BYTES = 3 * 1024**3  # address space of the child; a 50 MB workbook needs well under this
MAX_CELLS = 20_000_000            # rows × columns of the sheet's used range


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


def write_first_sheet(path: str, out: TextIO) -> None:
    """The first sheet as JSON lines: `{"headers": [...]}`, then one list per non-empty row,
    cells as text; or one `{"error": ...}` line. Streamed row by row, so the child holds
    calamine's grid and one row, not a second copy of the sheet as Python objects."""
    from python_calamine import CalamineWorkbook

    try:
        sheet = CalamineWorkbook.from_path(path).get_sheet_by_index(0)
        if sheet.height * sheet.width > MAX_CELLS:
            out.write(json.dumps({"error": "TooManyCells"}) + "\n")
            return
        headers: list[str] | None = None
        for row in sheet.iter_rows():
            if not any(v not in (None, "") for v in row):
                continue  # empty rows: before the header (like to_python's skip_empty_area) and between rows
            if headers is None:
                headers = [str(h).strip() if h is not None else "" for h in row]
                out.write(json.dumps({"headers": headers}, ensure_ascii=False) + "\n")
                continue
            out.write(json.dumps([cell_text(v) for v in row], ensure_ascii=False) + "\n")
        if headers is None:
            out.write(json.dumps({"headers": []}) + "\n")
    except Exception as exc:  # calamine raises its own error types for broken workbooks
        out.write(json.dumps({"error": type(exc).__name__}) + "\n")


def main(argv: list[str]) -> int:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
    try:
        write_first_sheet(argv[0], sys.stdout)
    except MemoryError:
        print(json.dumps({"error": "MemoryError"}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
