"""The report for the collaboration group (samverkansgruppen): PDF and CSV, aggregates only.

What leaves the team: key figures for the period, the population estimate with its range,
weekly charts and a table per district. Never a place name, a coordinate or a note; every
count goes through geo.suppress (1–4 shown as "<5"), charts included (a week with 1–4 is
drawn as a gap). The report is in Swedish by default, states its period and the date it
was made, and explains the method in a footnote. Making a report is written to the audit
log (`make_report`), whether from the page or the command line.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from geo import settings, store
from geo.estimate import Estimate, estimate
from geo.exports import to_safe_csv
from geo.localtime import utc_to_local
from geo.suppress import null_small, suppress, suppress_frame
from geo.texts import t
from geo.trends import _district_map, grain_window, monday, period_trends
from geo.weekly import grain_table

FORMATS: tuple[str, ...] = ("pdf", "csv")
KEY_FIGURES: tuple[str, ...] = ("visits", "sweeps", "places_visited", "acute", "referred")
DISTRICT_COLUMNS: tuple[str, ...] = ("visits", "sweeps", "places_visited", "people_week", "acute", "referred")
_FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))


class ReportError(ValueError):
    """A report that cannot be made (e.g. the period ends before it starts); one sentence, sv and en."""


@dataclass
class ReportData:
    start: date
    end: date
    made_at: datetime  # Stockholm local time
    totals: dict[str, int]  # KEY_FIGURES over the period
    coverage: float | None  # share at the end of the period's last week
    estimate: Estimate
    weekly: pd.DataFrame  # label, visits, people (per week, not suppressed yet)
    layer: str | None
    districts: pd.DataFrame = field(default_factory=pd.DataFrame)  # name + DISTRICT_COLUMNS


def report_data(cur: duckdb.DuckDBPyConnection, start: date, end: date, layer: str | None = None,
                lang: str = "sv", grain: pa.Table | None = None, weekly: pd.DataFrame | None = None,
                est: Estimate | None = None) -> ReportData:
    """Everything the report shows, computed from the place-week grain and the estimate.

    A page passes what it already has: `grain` (geo.weekly.grain_table, holding at least
    `grain_window(start, end)`), `weekly` (its unsplit weekly trends for the same period, with
    or without the year earlier) and `est` (the estimate at `end` with the default window).
    """
    if end < start:
        raise ReportError("Perioden slutar innan den börjar. / The period ends before it starts.")
    targets = settings.targets(cur)
    if grain is None:
        grain = grain_table(cur, [grain_window(start, end, targets)])
    if weekly is None:
        weekly = period_trends(cur, start, end, "week", targets=targets, lang=lang, grain=grain)
    params = {"w0": monday(start), "w1": monday(end)}
    cur.register("rp_grain", grain)
    try:
        totals_row = cur.execute(
            """SELECT coalesce(sum(visits), 0), coalesce(sum(sweeps), 0), count(DISTINCT place_id),
                      coalesce(sum(acute), 0), coalesce(sum(referred), 0)
               FROM rp_grain WHERE week_start BETWEEN $w0 AND $w1""", params).fetchall()[0]
        totals = dict(zip(KEY_FIGURES, (int(v) for v in totals_row), strict=True))
        coverage = float(weekly["coverage"].iloc[-1]) if len(weekly) and pd.notna(weekly["coverage"].iloc[-1]) else None
        if est is None:
            est = estimate(cur, end, max_age_days=settings.estimate_max_age_days(cur))
        districts = pd.DataFrame(columns=["name", *DISTRICT_COLUMNS])
        if layer:
            outside = t("trends_outside", lang)
            cur.register("tr_map", _district_map(cur, layer, outside))
            try:
                districts = cur.execute(
                    """SELECT m.grp AS name, sum(visits)::INTEGER AS visits, sum(sweeps)::INTEGER AS sweeps,
                              count(DISTINCT place_id)::INTEGER AS places_visited,
                              sum(acute)::INTEGER AS acute, sum(referred)::INTEGER AS referred
                       FROM rp_grain g JOIN tr_map m USING (place_id)
                       WHERE week_start BETWEEN $w0 AND $w1
                       GROUP BY m.grp ORDER BY m.grp""", params).df()
            finally:
                cur.unregister("tr_map")
            per_week = period_trends(cur, start, end, "week", by="district", layer=layer, targets=targets,
                                     outside=outside, lang=lang, grain=grain)
            mean_people = per_week.groupby("group")["people"].mean().round().astype(int).rename("people_week")
            districts = districts.merge(mean_people, left_on="name", right_index=True, how="left")
            districts = districts[["name", *DISTRICT_COLUMNS]]
    finally:
        cur.unregister("rp_grain")
    made = utc_to_local(store.utcnow())
    return ReportData(start, end, made.replace(tzinfo=None, microsecond=0) if made is not None else datetime.now(),
                      totals, coverage, est, weekly[["label", "visits", "people"]].copy(), layer, districts)


# --- rows shared by the PDF, the CSV and the page ---------------------------------------

def key_rows(data: ReportData, lang: str = "sv") -> list[tuple[str, str]]:
    """(label, value as shown) for the key figures, the coverage and the estimate; suppressed."""
    rows = [(t(f"trends_metric_{key}", lang), suppress(data.totals[key])) for key in KEY_FIGURES]
    rows.append((t("report_coverage_end", lang), "–" if data.coverage is None else f"{round(data.coverage * 100)} %"))
    est = data.estimate
    rows.append((t("estimate_point", lang), suppress(est.point)))
    rows.append((t("estimate_range", lang), f"{suppress(est.low)}–{suppress(est.high)}"))
    return rows


def district_rows(data: ReportData, lang: str = "sv") -> pd.DataFrame:
    """The district table as it leaves the team: suppressed counts, Swedish (or English) headers."""
    table = suppress_frame(data.districts, DISTRICT_COLUMNS)
    return table.rename(columns={"name": t("report_district", lang),
                                 **{c: t(f"report_col_{c}", lang) for c in DISTRICT_COLUMNS}})


def method_note(data: ReportData, lang: str = "sv") -> str:
    return t("report_method", lang, window=data.estimate.window_days, max_age=data.estimate.max_age_days)


def _period_text(data: ReportData, lang: str) -> str:
    return t("report_period", lang, start=data.start.isoformat(), end=data.end.isoformat(),
             made=data.made_at.strftime("%Y-%m-%d %H:%M"))


# --- CSV --------------------------------------------------------------------------------

def report_csv(data: ReportData, lang: str = "sv") -> str:
    """One tidy table: section, figure, district, value (formula-safe, suppressed)."""
    rows: list[tuple[str, str, str, str]] = [(t("report_section_about", lang), t("report_title", lang), "",
                                              _period_text(data, lang))]
    rows += [(t("report_section_key", lang), label, "", value) for label, value in key_rows(data, lang)]
    for _, week in data.weekly.iterrows():
        rows.append((t("report_section_week", lang), t("trends_metric_visits", lang), str(week["label"]),
                     suppress(week["visits"])))
        rows.append((t("report_section_week", lang), t("trends_metric_people", lang), str(week["label"]),
                     suppress(week["people"])))
    table = district_rows(data, lang)
    name_col = table.columns[0]
    for _, row in table.iterrows():
        for column in table.columns[1:]:
            rows.append((t("report_section_district", lang), column, str(row[name_col]), str(row[column])))
    rows.append((t("report_section_about", lang), t("report_method_heading", lang), "", method_note(data, lang)))
    frame = pd.DataFrame(rows, columns=[t("report_csv_section", lang), t("report_csv_figure", lang),
                                        t("report_csv_group", lang), t("report_csv_value", lang)])
    return to_safe_csv(frame)


# --- PDF --------------------------------------------------------------------------------

def _chart_png(weekly: pd.DataFrame, metric: str, lang: str) -> bytes | None:
    """A bar chart of one weekly metric as PNG (vl-convert); weeks with 1–4 are left out."""
    try:
        import altair as alt
        import vl_convert as vlc
    except ImportError:  # pragma: no cover - both are pinned; a broken install still gets a report
        return None
    values = weekly[["label", metric]].copy()
    values[metric] = null_small(values[metric])
    title = t(f"trends_metric_{metric}", lang)
    chart = alt.Chart(values).mark_bar(color="#1f5f8b").encode(
        x=alt.X("label:N", sort=None, title=t("trends_week", lang)),
        y=alt.Y(f"{metric}:Q", title=title),
    ).properties(width=460, height=150, title=title)
    return vlc.vegalite_to_png(chart.to_json(), scale=2)


def _font(pdf: object) -> tuple[str, bool]:
    """DejaVu Sans when the system has it (any text), else Helvetica (Latin-1, which has åäö)."""
    for folder in _FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            pdf.add_font("DejaVu", "", str(regular))  # type: ignore[attr-defined]
            pdf.add_font("DejaVu", "B", str(bold))  # type: ignore[attr-defined]
            return "DejaVu", True
    return "helvetica", False


def report_pdf(data: ReportData, lang: str = "sv") -> bytes:
    """The report as PDF bytes (fpdf2)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    family, unicode_ok = _font(pdf)

    def txt(text: str) -> str:
        if unicode_ok:
            return text
        return text.replace("–", "-").replace("≤", "<=").encode("latin-1", "replace").decode("latin-1")

    pdf.add_page()
    pdf.set_font(family, "B", 16)
    pdf.multi_cell(0, 8, txt(t("report_title", lang)), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 10)
    pdf.multi_cell(0, 6, txt(_period_text(data, lang)) + " ¹", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font(family, "B", 12)
    pdf.cell(0, 8, txt(t("report_section_key", lang)), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 10)
    with pdf.table(col_widths=(110, 60), width=170, text_align=("LEFT", "RIGHT")) as table:
        for label, value in key_rows(data, lang):
            row = table.row()
            row.cell(txt(label))
            row.cell(txt(value))
    for metric in ("visits", "people"):
        png = _chart_png(data.weekly, metric, lang)
        if png:
            pdf.ln(2)
            pdf.image(io.BytesIO(png), w=170)
    if len(data.districts):
        pdf.add_page()
        pdf.set_font(family, "B", 12)
        pdf.cell(0, 8, txt(t("report_districts_heading", lang, layer=data.layer or "")), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(family, "", 8)
        table_frame = district_rows(data, lang)
        with pdf.table(width=180, col_widths=(50, *([130 / 6] * 6)), text_align="LEFT") as table:
            header = table.row()
            for column in table_frame.columns:
                header.cell(txt(str(column)))
            for values in table_frame.itertuples(index=False):
                row = table.row()
                for value in values:
                    row.cell(txt(str(value)))
    pdf.ln(4)
    pdf.set_font(family, "", 8)
    pdf.multi_cell(0, 4, txt("¹ " + method_note(data, lang) + " " + t("report_privacy_note", lang)),
                   new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


# --- made and audited ---------------------------------------------------------------------

def make_report(cur: duckdb.DuckDBPyConnection, start: date, end: date, fmt: str, actor: str,
                layer: str | None = None, lang: str = "sv") -> bytes:
    """The report as file bytes; every report made is written to the audit log."""
    if fmt not in FORMATS:
        raise ReportError(f"Okänt format {fmt!r}; använd pdf eller csv. / Unknown format {fmt!r}; use pdf or csv.")
    data = report_data(cur, start, end, layer, lang)
    body = report_pdf(data, lang) if fmt == "pdf" else report_csv(data, lang).encode("utf-8")
    store.audit(cur, actor, "report", {"from": start, "to": end, "format": fmt, "layer": layer, "bytes": len(body)})
    return body
