"""Build every export shape of a form's submissions the way ODK Central and KoboToolbox
write them, and commit them under tests/data/fieldapps/ (issue 11).

Run `.venv/bin/python tests/fixtures_fieldapps.py` to regenerate; the tests check that the
committed files are exactly what this module builds.

Followed code (read with the reference tools, not from memory):

* ODK Central, getodk/central-backend `lib/data/briefcase.js`, `streamBriefcaseCsvs`:
  the root header is `SubmissionDate`, then every atomic field in depth-first order of the
  form (`meta/instanceID` included, where pyxform puts it: last), its group path joined
  with "-" (`groupPaths`); a geopoint is four columns `-Latitude`, `-Longitude`,
  `-Altitude`, `-Accuracy` (`processRow` splits the value on whitespace); then `KEY`,
  `SubmitterID`, `SubmitterName`, `AttachmentsPresent`, `AttachmentsExpected`, `Status`,
  `ReviewState`, `DeviceID`, `Edits`, `FormVersion` (`writeMetadata`: SubmissionDate is
  `toISOString()`, `KEY` the submission's instanceId, counts 0 when absent). A repeat
  group is its own table with its fields, `PARENT_KEY` and `KEY`
  (`keyForStacks`: `uuid:…/repeat[1]`), zipped as `FORM-REPEAT.csv` after `FORM.csv`.
  Rows go through `csv-stringify` defaults: "," and quotes only where needed, "\\n" line
  ends. The expected bodies in `test/integration/api/submissions.js` have this shape.
* KoboToolbox, kobotoolbox/formpack `src/formpack/reporting/export.py`: `Export.to_csv`
  (`sep=';'`, `quote='"'`, every cell quoted, quotes doubled; KPI joins the lines with
  CRLF) and `Export.to_xlsx` (one sheet per section, header row = labels);
  `src/formpack/schema/fields.py`: `FormField._get_label` (the label in the export's
  language, else the name; with `hierarchy_in_labels` the group path joined by
  `group_sep`) and `FormGPSField.get_labels` (the geopoint column, then
  `_{label}_latitude`, `_longitude`, `_altitude`, `_precision`); a select_one value is the
  choice's label in a label export. The copy fields KPI adds are `_id`, `_uuid`,
  `_submission_time`, `_validation_status`, `_notes`, `_status`, `_submitted_by`,
  `__version__`, `_tags`, and formpack's `_index`. (KPI writes XLSX with xlsxwriter; it is
  not installed here, so openpyxl writes the same cells: every value as text, as
  `xls_types_as_text=True` does.)
"""

from __future__ import annotations

import csv
import io
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo.forms import FormDef, FormField, builtin_form, read_xlsform  # noqa: E402

OUT = ROOT / "tests" / "data" / "fieldapps"
SV, EN = "Svenska (sv)", "English (en)"


@dataclass
class Submission:
    """One submission as its XML instance holds it (field name → raw value)."""

    instance_id: str
    submitted: str                      # ISO UTC, when the server received it
    values: dict[str, str]
    kobo_id: int = 0
    submitter: str = "Anna Svensson"    # a staff name: must never be stored
    repeats: dict[str, list[dict[str, str]]] = field(default_factory=dict)


def _loc(lat: float, lon: float, alt: float = 25.0, acc: float = 4.5) -> str:
    return f"{lat} {lon} {alt} {acc}"


# Our own form's submissions: the visit time is the one given, hours before `start`
# (logged afterwards); row 3 has no GPS and names a place of row 1.
OWN: list[Submission] = [
    Submission("uuid:6f1c0a52-1b7e-4c1d-9a0e-1a2b3c4d5e01", "2026-11-21T08:14:09.877Z", {
        "start": "2026-11-21T08:50:03.117+01:00", "end": "2026-11-21T08:55:55.390+01:00",
        "visited_at": "2026-11-20T21:40:00.000+01:00", "location": _loc(59.3309112, 18.0592871),
        "place_name": "T-Centralen uppgång Vasagatan", "place_type": "sovplats", "people": "2",
        "children": "0", "acute": "no", "referred_to": "", "team": "A", "notes": "Två sov vid uppgången, lugnt"}, 48213771),
    Submission("uuid:6f1c0a52-1b7e-4c1d-9a0e-1a2b3c4d5e02", "2026-11-21T08:14:10.120Z", {
        "start": "2026-11-21T08:56:10.631+01:00", "end": "2026-11-21T08:58:02.245+01:00",
        "visited_at": "2026-11-20T22:10:00.000+01:00", "location": _loc(59.3127013, 18.0322718, 22.5, 3.9),
        "place_name": "Tantolunden norra slänten", "place_type": "boplats", "people": "6",
        "children": "2", "acute": "yes", "referred_to": "socialjouren", "team": "B", "notes": "Barn i tältet; \"akut\""}, 48213772),
    Submission("uuid:6f1c0a52-1b7e-4c1d-9a0e-1a2b3c4d5e03", "2026-11-21T08:14:11.230Z", {
        "start": "2026-11-21T09:01:13.554+01:00", "end": "2026-11-21T09:02:40.009+01:00",
        "visited_at": "2026-11-20T23:05:00.000+01:00", "location": "",
        "place_name": "T-Centralen uppgång Vasagatan", "place_type": "sovplats", "people": "1",
        "children": "0", "acute": "no", "referred_to": "", "team": "A", "notes": ""}, 48213773),
    Submission("uuid:6f1c0a52-1b7e-4c1d-9a0e-1a2b3c4d5e04", "2026-11-21T08:14:12.004Z", {
        "start": "2026-11-21T09:03:00.100+01:00", "end": "2026-11-21T09:04:10.200+01:00",
        "visited_at": "2026-11-20T23:40:00.000+01:00", "location": _loc(59.3403170, 18.0716544, 25.0, 12.0),
        "place_name": "Humlegården vid biblioteket", "place_type": "annan", "people": "3",
        "children": "1", "acute": "yes", "referred_to": "varden", "team": "B", "notes": ""}, 48213774),
    Submission("uuid:6f1c0a52-1b7e-4c1d-9a0e-1a2b3c4d5e05", "2026-11-21T08:14:13.500Z", {
        "start": "2026-11-21T09:05:00.000+01:00", "end": "2026-11-21T09:06:00.000+01:00",
        "visited_at": "2026-11-21T00:20:00.000+01:00", "location": _loc(59.3231544, 18.0676290, 18.2, 6.0),
        "place_name": "Gamla stan Mårten Trotzigs gränd", "place_type": "sovplats", "people": "1",
        "children": "0", "acute": "yes", "referred_to": "none", "team": "A", "notes": ""}, 48213775),
]

# What each of OWN must become (place name, local visit time, kind, people, children, acute, referral).
EXPECTED = [
    ("T-Centralen uppgång Vasagatan", "2026-11-20 21:40", "sleeping_place", 2, 0, False, None),
    ("Tantolunden norra slänten", "2026-11-20 22:10", "encampment", 6, 2, True, "socialjouren"),
    ("T-Centralen uppgång Vasagatan", "2026-11-20 23:05", "sleeping_place", 1, 0, False, None),
    ("Humlegården vid biblioteket", "2026-11-20 23:40", "other", 3, 1, True, "vården"),
    ("Gamla stan Mårten Trotzigs gränd", "2026-11-21 00:20", "sleeping_place", 1, 0, True, None),
]

STAFF_NAMES = ("Anna Svensson", "anna_svensson")

# Another team's ODK form: a `deviceid` field (clashes with Central's `DeviceID` when
# case is ignored), a group, and a repeat group.
OTHER_SURVEY = [
    ("start", "start", ""), ("end", "end", ""), ("deviceid", "deviceid", ""),
    ("begin group", "besok", "Besök"),
    ("dateTime", "tidpunkt", "När besöket gjordes"), ("geopoint", "gps", "Position"),
    ("text", "plats", "Var"), ("select_one typ", "typ", "Sorts ställe"),
    ("integer", "antal", "Hur många"), ("integer", "barn", "Hur många barn"),
    ("end group", "", ""),
    ("begin repeat", "personer", "Personer"), ("select_one alder", "alder", "Ålder"), ("end repeat", "", ""),
]
OTHER_CHOICES = [("typ", "sovplats", "Sover ute"), ("typ", "boplats", "Läger"), ("typ", "annan", "Något annat"),
                 ("alder", "vuxen", "Vuxen"), ("alder", "barn", "Barn")]
OTHER: list[Submission] = [
    Submission("uuid:0a1b2c3d-0000-4000-8000-00000000aa01", "2026-11-22T07:00:00.000Z", {
        "start": "2026-11-22T07:40:00.000+01:00", "end": "2026-11-22T07:45:00.000+01:00",
        "deviceid": "collect:Qw3Er5Ty7Ui9Op1A", "tidpunkt": "2026-11-21T22:00:00.000+01:00",
        "gps": _loc(59.3170, 18.0600), "plats": "Slussen under bron", "typ": "sovplats", "antal": "2", "barn": "1"},
        48213801, repeats={"personer": [{"alder": "vuxen"}, {"alder": "barn"}]}),
    Submission("uuid:0a1b2c3d-0000-4000-8000-00000000aa02", "2026-11-22T07:00:01.000Z", {
        "start": "2026-11-22T07:46:00.000+01:00", "end": "2026-11-22T07:48:00.000+01:00",
        "deviceid": "collect:Qw3Er5Ty7Ui9Op1A", "tidpunkt": "2026-11-21T22:30:00.000+01:00",
        "gps": _loc(59.3260, 18.0710), "plats": "Kungsträdgården", "typ": "annan", "antal": "1", "barn": "0"},
        48213802, repeats={"personer": [{"alder": "vuxen"}]}),
]


def other_form_book() -> Workbook:
    """The other team's XLSForm (one language, plain `label` column)."""
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(["type", "name", "label"])
    for row in OTHER_SURVEY:
        survey.append([v or None for v in row])
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", "label"])
    for row in OTHER_CHOICES:
        choices.append(list(row))
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "version"])
    settings.append(["Annat lag", "annat_lag", "3"])
    return book


# ----------------------------------------------------------------------------- ODK Central

def _odk_fields(form: FormDef) -> list[FormField]:
    """Atomic fields in depth-first order, `meta/instanceID` last (pyxform's instance)."""
    return [*form.fields, FormField("instanceID", "string", ("meta",))]


def _odk_tables(form: FormDef, subs: list[Submission]) -> list[tuple[str, list[list[str]]]]:
    """briefcase.js `streamBriefcaseCsvs`: the root table, then one table per repeat."""
    repeats = sorted({f.groups[-1] for f in form.fields if f.groups and f.groups[-1] in _repeat_names(form)})
    root_fields = [f for f in _odk_fields(form) if not (set(f.groups) & set(repeats))]
    header = ["SubmissionDate"]
    for f in root_fields:
        base = "-".join((*f.groups, f.name))
        header += ([f"{base}-{p}" for p in ("Latitude", "Longitude", "Altitude", "Accuracy")]
                   if f.type == "geopoint" else [base])
    header += ["KEY", "SubmitterID", "SubmitterName", "AttachmentsPresent", "AttachmentsExpected",
               "Status", "ReviewState", "DeviceID", "Edits", "FormVersion"]
    rows = [header]
    for s in subs:
        row = [s.submitted]
        for f in root_fields:
            value = s.instance_id if f.name == "instanceID" else s.values.get(f.name, "")
            if f.type == "geopoint":
                row += (value.split() + ["", "", "", ""])[:4] if value else ["", "", "", ""]
            else:
                row.append(value)
        row += [s.instance_id, "5", s.submitter, "0", "0", "", "", "collect:Vq3xW8kPzR2mT5yB", "0", form.version]
        rows.append(row)
    tables = [(f"{form.form_id}.csv", rows)]
    for rep in repeats:
        fields = [f for f in form.fields if rep in f.groups]
        sub_rows = [[f.name for f in fields] + ["PARENT_KEY", "KEY"]]
        for s in subs:
            for i, item in enumerate(s.repeats.get(rep, []), start=1):
                sub_rows.append([item.get(f.name, "") for f in fields] + [s.instance_id, f"{s.instance_id}/{rep}[{i}]"])
        tables.append((f"{form.form_id}-{rep}.csv", sub_rows))
    return tables


def _repeat_names(form: FormDef) -> set[str]:
    return {name for (kind, name, _) in OTHER_SURVEY if kind == "begin repeat"} if form.form_id == "annat_lag" else set()


def _csv_stringify(rows: list[list[str]]) -> str:
    """csv-stringify defaults: "," and quotes only where needed, "\\n" after every record."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL).writerows(rows)
    return buf.getvalue()


# ----------------------------------------------------------------------------- KoboToolbox

_KOBO_COPY = ["_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status",
              "_submitted_by", "__version__", "_tags", "_index"]


def _kobo_rows(form: FormDef, subs: list[Submission], lang: str | None, groups: bool = False) -> list[list[str]]:
    """formpack `Export` with `lang` (None: XML values and headers) and `hierarchy_in_labels`."""
    def label(f: FormField) -> str:
        text = dict(f.labels).get(lang, f.name) if lang is not None else f.name
        return text or f.name

    fields = [f for f in form.fields if not set(f.groups) & _repeat_names(form)]  # repeats: other sections
    header: list[str] = []
    for f in fields:
        prefix = "/".join(f.groups) + "/" if groups and f.groups else ""
        header.append(prefix + label(f))
        if f.type == "geopoint":
            header += [f"{prefix}_{label(f)}_{p}" for p in ("latitude", "longitude", "altitude", "precision")]
    header += _KOBO_COPY
    rows = [header]
    for index, s in enumerate(subs, start=1):
        row: list[str] = []
        for f in fields:
            value = s.values.get(f.name, "")
            if f.list_name and value and lang is not None:
                languages = [lg for lg, _ in f.labels]
                labels = form.choices[f.list_name][value]
                value = labels[languages.index(lang)] if lang in languages and languages.index(lang) < len(labels) else value
            row.append(value)
            if f.type == "geopoint":
                row += (value.split() + ["", "", "", ""])[:4] if value else ["", "", "", ""]
        uuid = s.instance_id.removeprefix("uuid:")
        row += [str(s.kobo_id), uuid, s.submitted[:19], "", "", "submitted_via_web", "anna_svensson",
                "vQpF7jXcX7mhJgaKdyBWcM", "", str(index)]
        rows.append(row)
    return rows


def _kobo_csv(rows: list[list[str]], sep: str = ";") -> str:
    """formpack `Export.to_csv.format_line`: every cell quoted, quotes doubled; CRLF."""
    return "".join('"' + f'"{sep}"'.join(str(v).replace('"', '""') for v in row) + '"\r\n' for row in rows)


def _kobo_xlsx(rows: list[list[str]], path: Path) -> None:
    """formpack `Export.to_xlsx`: one sheet, header row then rows; '' cells stay blank."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Uppsök – besök"[:31]
    for row in rows:
        sheet.append([v if v != "" else None for v in row])
    book.save(path)


# ----------------------------------------------------------------------------- all shapes

SHAPES = {  # file name → what it is
    "odk_central.csv": "ODK Central CSV (names, ',', LF)",
    "odk_central.csv.zip": "ODK Central 'all data' zip",
    "kobo_xml.csv": "KoboToolbox CSV, XML values and headers",
    "kobo_labels_sv.csv": "KoboToolbox CSV, Swedish labels",
    "kobo_labels_en_comma.csv": "KoboToolbox CSV, English labels, ',' separator",
    "kobo_labels_sv.xlsx": "KoboToolbox XLSX, Swedish labels",
    "kobo_xml.xlsx": "KoboToolbox XLSX, XML values and headers",
    "annat_lag.csv.zip": "another team's form (deviceid, group, repeat): ODK Central 'all data' zip",
    "annat_lag_kobo_groups.csv": "the same form, KoboToolbox CSV with groups in headers",
    "annat_lag_kobo_labels.csv": "the same form, KoboToolbox CSV with its (one language) labels",
}


def _zip(tables: list[tuple[str, list[list[str]]]], path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, rows in tables:
            z.writestr(zipfile.ZipInfo(name, date_time=(2026, 11, 22, 8, 0, 0)), _csv_stringify(rows))


def build(out: Path = OUT) -> list[Path]:
    """Write every shape; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    own = builtin_form()
    written: list[Path] = []

    def text(name: str, body: str) -> None:
        (out / name).write_bytes(body.encode("utf-8"))
        written.append(out / name)

    text("odk_central.csv", _csv_stringify(_odk_tables(own, OWN)[0][1]))
    _zip(_odk_tables(own, OWN), out / "odk_central.csv.zip")
    written.append(out / "odk_central.csv.zip")
    text("kobo_xml.csv", _kobo_csv(_kobo_rows(own, OWN, None)))
    text("kobo_labels_sv.csv", _kobo_csv(_kobo_rows(own, OWN, SV)))
    text("kobo_labels_en_comma.csv", _kobo_csv(_kobo_rows(own, OWN, EN), sep=","))
    for name, lang in (("kobo_labels_sv.xlsx", SV), ("kobo_xml.xlsx", None)):
        _kobo_xlsx(_kobo_rows(own, OWN, lang), out / name)
        written.append(out / name)

    form_path = out / "annat_lag.xlsx"
    other_form_book().save(form_path)
    written.append(form_path)
    other = read_xlsform(form_path)
    _zip(_odk_tables(other, OTHER), out / "annat_lag.csv.zip")
    written.append(out / "annat_lag.csv.zip")
    text("annat_lag_kobo_groups.csv", _kobo_csv(_kobo_rows(other, OTHER, None, groups=True)))
    text("annat_lag_kobo_labels.csv", _kobo_csv(_kobo_rows(other, OTHER, "")))
    return written


if __name__ == "__main__":
    for p in build():
        print(p.relative_to(ROOT))
