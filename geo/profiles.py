"""Column-mapping profiles: how a field app or an office names the columns of its exports.

A profile resolves, for one file's headers, to the `columns={canonical: header}` mapping
that `geo.ingest.import_file` takes. Two ship built in, for CSV exports of the visit form
in forms/ (and of other forms that use Uppsök's field names):

* `odk-central`: ODK Central's "CSV export" joins group names with "-" (`visit-people`),
  splits a geopoint into `NAME-Latitude`, `-Longitude`, `-Altitude`, `-Accuracy`, starts
  with `SubmissionDate` (UTC, `Z`) and ends with `meta-instanceID`, `KEY`, `SubmitterID`,
  `SubmitterName`, … The visit id is `KEY`: the submission's first instanceID, which
  Central keeps across edits (lib/data/briefcase.js writes `submission.instanceId` there);
  the version id is the form's `meta-instanceID`, new on every edit (`Edits` counts them).
* `kobotoolbox`: KoboToolbox's CSV export with "XML values and headers" joins groups with
  "/" (`visit/people`), adds `_NAME_latitude`, `_longitude`, `_altitude`, `_precision` next
  to a geopoint, and ends with `_id`, `_uuid`, `_submission_time`, `_validation_status`,
  `_notes`, `_status`, `_submitted_by`, `__version__`, `_tags`, `_index`. The visit id is
  `_id` (the submission's number, kept across edits), else `meta/rootUuid`; the version id
  is `_uuid`, else `meta/instanceID`, which an edit replaces. (KoboToolbox's own exports have
  no `_geolocation` column; a file from its API that has one is split by geo.readers and used
  only when no geopoint pair is there.)

A form definition (geo.forms; Uppsök's own visit form is built in and recognised from the
headers) lets a profile read label exports: a header is first looked up among the form's
names and labels in every language, group prefixes optional, and the form's choice labels
go to the import as `values=` so that they arrive as choice names. The app's metadata
columns that the mapping does not use go as `metadata=` and are never read (a form field
`deviceid` next to Central's `DeviceID` would otherwise clash, case ignored).

App metadata columns never feed a visit column through a header alias (Kobo's `_id`
would otherwise look like `id`, its reviewer `_notes` like `notes`), and submitter names
are never mapped. The visit time is the form's `visited_at` (an offset is always given),
else `start`, `end`, ODK's `SubmissionDate`; not Kobo's `_submission_time`, which is UTC
written without an offset and would be read as Stockholm time.

Saved profiles (table `profiles`) are a user's corrected mapping, `{canonical: header}`,
matched to a file's headers exactly or, failing that, ignoring case and accents. An empty
header means "never this column" (the user unmapped a wrongly detected header).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from geo import forms, readers, store
from geo.columns import ALIASES, normalise_header
from geo.forms import FormDef
from geo.privacy import contains_identifier

ODK_CENTRAL = "odk-central"
KOBOTOOLBOX = "kobotoolbox"


class UnknownProfileError(ValueError):
    """No built-in or saved profile has this name; the message is one sentence."""


@dataclass(frozen=True)
class BuiltinProfile:
    """How one field app writes the CSV export of a form."""

    name: str
    group_sep: str                                   # joins group names to field names
    is_metadata: Callable[[str], bool]               # app columns, never matched by alias
    visit_id: tuple[str, ...]                        # the stable submission id: exact headers, by preference
    version_id: tuple[str, ...]                      # the id an edit changes: exact headers, by preference
    visited_at_fallback: tuple[str, ...]             # when the form has no visited_at
    geopoint: re.Pattern[str]                        # a split latitude column; group 'stem'
    longitude: str                                   # the matching longitude header, by stem
    marker: Callable[[list[str]], bool]              # is this file such an export?


_ODK_META = frozenset({
    "SubmissionDate", "KEY", "SubmitterID", "SubmitterName", "AttachmentsPresent",
    "AttachmentsExpected", "Status", "ReviewState", "DeviceID", "Edits", "FormVersion", "isValidated",
})
_KOBO_META = frozenset({
    "_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status",
    "_submitted_by", "__version__", "_tags", "_index", "_attachments", "_xform_id_string",
})


def _odk_metadata(header: str) -> bool:
    return (header in _ODK_META or header.startswith(("meta-", "SET-OF-"))
            or header.endswith(("-Altitude", "-Accuracy", "-Latitude", "-Longitude")))


def _kobo_metadata(header: str) -> bool:
    last = header.rsplit("/", 1)[-1]
    return header in _KOBO_META or header.startswith("meta/") or last.startswith("_")


BUILTIN: dict[str, BuiltinProfile] = {
    ODK_CENTRAL: BuiltinProfile(
        name=ODK_CENTRAL,
        group_sep="-",
        is_metadata=_odk_metadata,
        visit_id=("KEY",),
        version_id=("meta-instanceID",),
        visited_at_fallback=("start", "end", "SubmissionDate"),
        geopoint=re.compile(r"^(?P<stem>.+)-Latitude$"),
        longitude="{stem}-Longitude",
        marker=lambda h: "SubmissionDate" in h and ("KEY" in h or "meta-instanceID" in h),
    ),
    KOBOTOOLBOX: BuiltinProfile(
        name=KOBOTOOLBOX,
        group_sep="/",
        is_metadata=_kobo_metadata,
        visit_id=("_id", "meta/rootUuid"),
        version_id=("_uuid", "meta/instanceID"),
        visited_at_fallback=("start", "end"),
        # `_location_latitude`, `visit/_location_latitude`, and the readers' split of
        # `_geolocation` (`_geolocation-Latitude`).
        geopoint=re.compile(r"^(?P<stem>(?:.*/)?_.+?)(?:_latitude|-Latitude)$"),
        longitude="",  # resolved by `_kobo_longitude`
        marker=lambda h: "_uuid" in h and ("_submission_time" in h or "_id" in h),
    ),
}

# A file with no app's markers, read through a saved form: nothing is app metadata.
_FORM_ONLY = BuiltinProfile(
    name="", group_sep="/", is_metadata=lambda h: False, visit_id=(), version_id=(), visited_at_fallback=("start", "end"),
    geopoint=re.compile(r"^$^"), longitude="", marker=lambda h: False,
)

# Geopoint field names preferred when a form has several: the visit form's own first.
_PREFERRED_GEOPOINTS = ("location", "plats", "position", "gps", "geopoint")


def detect_profile(headers: list[str]) -> str | None:
    """The built-in profile whose app wrote a file with these headers, if any."""
    for name, profile in BUILTIN.items():
        if profile.marker(headers):
            return name
    return None


def _field_name(header: str, sep: str) -> list[str]:
    """Candidate field names of a header, longest first: 'a-b-people' → a-b-people, b-people, people."""
    parts = header.split(sep)
    return [sep.join(parts[i:]) for i in range(len(parts))]


_LOOKUP = {alias: canon for canon, aliases in ALIASES.items() for alias in aliases}


def _geopoint_pair(profile: BuiltinProfile, headers: list[str]) -> tuple[str, str] | None:
    """(latitude header, longitude header) of the form's geopoint; `_geolocation` last."""
    pairs: list[tuple[int, str, str]] = []
    for header in headers:
        m = profile.geopoint.match(header)
        if not m:
            continue
        stem = m.group("stem")
        if profile.name == KOBOTOOLBOX:
            lon = header[: -len("_latitude")] + "_longitude" if header.endswith("_latitude") \
                else header[: -len("-Latitude")] + "-Longitude"
        else:
            lon = profile.longitude.format(stem=stem)
        if lon not in headers:
            continue
        field = normalise_header(stem.rsplit(profile.group_sep, 1)[-1])
        rank = (len(_PREFERRED_GEOPOINTS) + 1 if field == "geolocation"
                else next((i for i, n in enumerate(_PREFERRED_GEOPOINTS) if n == field), len(_PREFERRED_GEOPOINTS)))
        pairs.append((rank, header, lon))
    if not pairs:
        return None
    _, lat, lon = min(pairs, key=lambda p: p[0])
    return lat, lon


def form_score(form: FormDef, headers: list[str]) -> int:
    """How many of the form's labelled fields appear among these headers (under their name
    or a label in any language, groups optional); 0 unless at least half of them do."""
    spellings = form.header_names()
    found = {spellings.get(normalise_header(h), "").split("#")[0] for h in headers} - {""}
    labelled = {f.name for f in form.fields if f.labels}
    hits = len(found & labelled)
    return hits if labelled and hits * 2 >= len(labelled) else 0


def resolve_builtin(name: str, headers: list[str], form: FormDef | None = None) -> dict[str, str]:
    """`{canonical: header}` for a built-in profile and one file's headers; with a form,
    headers are first read as the form's field names (labels and group prefixes included)."""
    profile = BUILTIN.get(name, _FORM_ONLY)
    spellings = form.header_names() if form is not None else {}
    columns: dict[str, str] = {}
    taken: set[str] = set()
    form_point: dict[str, str] = {}
    for header in headers:
        field_name = spellings.get(normalise_header(header))
        if field_name and "#" in field_name:  # Kobo's `_NAME_latitude` split of the form's geopoint
            form_point.setdefault(field_name.split("#")[1], header)
            continue
        if profile.is_metadata(header) or header in taken:
            continue
        candidates = ([field_name] if field_name else []) + _field_name(header, profile.group_sep)
        for candidate in candidates:
            canon = _LOOKUP.get(normalise_header(candidate))
            if canon is not None:
                if canon not in columns:  # the first header for a column wins, as in geo.columns
                    columns[canon] = header
                    taken.add(header)
                break
    pair = ((form_point["latitude"], form_point["longitude"]) if {"latitude", "longitude"} <= form_point.keys()
            else _geopoint_pair(profile, headers))
    if pair is not None and not ({"lat", "lon"} & columns.keys()) and not ({"northing", "easting"} & columns.keys()):
        columns["lat"], columns["lon"] = pair
    if "visit_id" not in columns:
        found = next((h for h in profile.visit_id if h in headers), None)
        if found is not None:
            columns["visit_id"] = found
    if "version_id" not in columns:
        found = next((h for h in profile.version_id if h in headers), None)
        if found is not None and found != columns.get("visit_id"):
            columns["version_id"] = found
    if "visited_at" not in columns and "date" not in columns:
        found = next((h for h in profile.visited_at_fallback if h in headers), None)
        if found is not None:
            columns["visited_at"] = found
    return columns


def choice_values(form: FormDef, columns: dict[str, str]) -> dict[str, dict[str, str]]:
    """{canonical: {choice label (case folded): choice name}} for the mapped select_one
    columns, so "Ingen hänvisning" or "Sleeping place" arrive as the form's names."""
    spellings = form.header_names()
    out: dict[str, dict[str, str]] = {}
    for canon, header in columns.items():
        field_name = spellings.get(normalise_header(header)) if header else None
        values = form.choice_values(field_name) if field_name else {}
        if values:
            out[canon] = values
    return out


@dataclass
class ImportPlan:
    """Everything a profile (and the form it recognised) tells the import about one file."""

    profile: str | None = None
    form: str | None = None                                     # the form's id (version)
    columns: dict[str, str] | None = None                       # `columns=` for import_file
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # `values=`: choice labels → names
    metadata: list[str] = field(default_factory=list)           # app columns the reader drops


TIME_FALLBACKS = frozenset({"start", "end", "SubmissionDate"})  # every profile's visited_at_fallback


def plan_for_headers(cur: duckdb.DuckDBPyConnection, headers: list[str], name: str | None = None,
                     form: FormDef | None = None) -> ImportPlan:
    """The plan for a file with these headers: the named profile, else the saved profile
    whose form best matches the headers, else the built-in profile of the app that wrote
    the file; the form given, else the profile's saved form, else the built-in visit form
    when the headers are its export's. Raises UnknownProfileError for an unknown name."""
    app = detect_profile(headers)
    if name is None:
        scored = [(form_score(f, headers), n, f) for n, f in saved_forms(cur).items()]
        best = max(scored, key=lambda x: x[0], default=(0, None, None))
        if best[0] and best[0] > form_score(forms.builtin_form(), headers):
            name = best[1]
    name = name or app
    if name is None:
        return ImportPlan()
    if name not in BUILTIN and load_profile(cur, name) is None:
        columns_for(cur, name, headers)  # raises UnknownProfileError
    if form is None and name not in BUILTIN:
        form = saved_forms(cur).get(name)
    if form is None and form_score(forms.builtin_form(), headers):
        form = forms.builtin_form()
    base = app if name not in BUILTIN else name
    if name in BUILTIN:
        columns = resolve_builtin(name, headers, form)
    elif form is not None:  # the form reads the headers; the user's saved choices win
        columns = {**resolve_builtin(base or "", headers, form), **columns_for(cur, name, headers)}
    else:
        columns = columns_for(cur, name, headers)
    plan = ImportPlan(profile=name, form=form.label if form is not None else None, columns=columns)
    if form is not None:
        plan.values = choice_values(form, columns)
    if base in BUILTIN:
        used = set(columns.values())
        # the app's own columns (SubmitterName, DeviceID, _submitted_by, …) are never read, so a
        # form field spelt like one (`deviceid`) cannot clash with it
        plan.metadata = [h for h in headers if BUILTIN[base].is_metadata(h) and h not in used]
    if form is not None and {"lat", "lon"} <= columns.keys():
        # Kobo's geopoint column beside its `_NAME_latitude`/`_longitude` split, which is read:
        # not an "unknown column, not stored" (the position is stored)
        points = {f.name for f in form.fields if f.type == "geopoint"}
        spellings = form.header_names()
        used = set(columns.values())
        plan.metadata += [h for h in headers if h not in used and h not in plan.metadata
                          and spellings.get(normalise_header(h)) in points]
    return plan


def resolve_saved(columns: dict[str, str], headers: list[str]) -> dict[str, str]:
    """A saved `{canonical: header}` for one file: exact header, else the same header up to
    case and accents; columns the file lacks are left to the automatic matching."""
    by_fold = {}
    for header in headers:
        by_fold.setdefault(normalise_header(header), header)
    resolved: dict[str, str] = {}
    for canon, header in columns.items():
        if not header:  # unmapped on purpose: stays unmapped, whatever the aliases say
            resolved[canon] = ""
            continue
        found = header if header in headers else by_fold.get(normalise_header(header))
        if found is not None:
            resolved[canon] = found
    return resolved


# ----------------------------------------------------------------------------- storage

def _check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 60:
        raise ValueError("Ge profilen ett namn (högst 60 tecken). / Give the profile a name (60 characters at most).")
    if name.casefold() in BUILTIN:
        raise ValueError(f"Profilen {name!r} är inbyggd och kan inte ersättas. / "
                         f"The profile {name!r} is built in and cannot be replaced.")
    if contains_identifier(name):
        raise ValueError("Ett profilnamn får inte innehålla personnummer, telefonnummer eller e-post. / "
                         "A profile name must not hold a personal identity number, phone number or e-mail.")
    return name


def save_profile(cur: duckdb.DuckDBPyConnection, name: str, columns: dict[str, str], actor: str) -> None:
    """Store (or replace) a named mapping, and audit it; raises ValueError with a sentence.

    An empty header is kept (the column is unmapped on purpose); a header holding an
    identifier is left out, since profiles and the audit log must never store one.
    """
    name = _check_name(name)
    unknown = sorted(set(columns) - set(ALIASES))
    if unknown:
        raise ValueError(f"Okända kolumner i profilen: {', '.join(unknown)}. / "
                         f"Unknown columns in the profile: {', '.join(unknown)}.")
    clean = {str(k): str(v or "") for k, v in columns.items() if not contains_identifier(str(v or ""))}
    with store.transaction(cur):
        before = cur.execute("SELECT columns FROM profiles WHERE name = ?", [name]).fetchone()
        cur.execute("DELETE FROM profiles WHERE name = ?", [name])
        cur.execute("INSERT INTO profiles (name, columns, created_at, actor) VALUES (?, ?, ?, ?)",
                    [name, json.dumps(clean, ensure_ascii=False), store.utcnow(), actor])
        # an edit keeps what it replaced (issue 7: before/after for edits)
        store.audit(cur, actor, "profile_save", {"profile": name, "columns": clean,
                                                 "before": json.loads(before[0]) if before else None})


def load_profile(cur: duckdb.DuckDBPyConnection, name: str) -> dict[str, str] | None:
    """A saved profile's `{canonical: header}`, or None when there is none by that name."""
    row = cur.execute("SELECT columns FROM profiles WHERE name = ?", [name]).fetchone()
    return None if row is None else dict(json.loads(row[0]))


def list_profiles(cur: duckdb.DuckDBPyConnection) -> list[str]:
    """Every profile name a user can choose: the built-in ones first, then the saved ones."""
    saved = [r[0] for r in cur.execute("SELECT name FROM profiles ORDER BY name").fetchall()]
    return list(BUILTIN) + [n for n in saved if n not in BUILTIN]


def columns_for(cur: duckdb.DuckDBPyConnection, name: str, headers: list[str]) -> dict[str, str]:
    """The `columns=` mapping profile `name` gives for a file with these headers."""
    if name in BUILTIN:
        return resolve_builtin(name, headers)
    saved = load_profile(cur, name)
    if saved is None:
        choices = ", ".join(list_profiles(cur))
        raise UnknownProfileError(f"Profilen {name!r} finns inte (finns: {choices}). / "
                                  f"There is no profile {name!r} (there are: {choices}).")
    return resolve_saved(saved, headers)


def columns_for_file(
    cur: duckdb.DuckDBPyConnection, path: Path, name: str | None = None
) -> tuple[str | None, dict[str, str] | None]:
    """(profile used, `columns=` for import_file) for a file: the named profile, else the
    built-in one whose app wrote the file, else (None, None) for the automatic matching."""
    if name is not None and name not in BUILTIN and load_profile(cur, name) is None:
        columns_for(cur, name, [])  # raises UnknownProfileError
    plan = plan_for_file(cur, path, name)
    return plan.profile, plan.columns


def plan_for_file(cur: duckdb.DuckDBPyConnection, path: Path, name: str | None = None,
                  form: FormDef | None = None) -> ImportPlan:
    """`plan_for_headers` for a file (a `.csv.zip` is read as its main table)."""
    if name is not None and name not in BUILTIN and load_profile(cur, name) is None:
        columns_for(cur, name, [])  # raises UnknownProfileError
    return plan_for_headers(cur, readers.peek_headers(Path(path)), name, form)


def save_form(cur: duckdb.DuckDBPyConnection, name: str, form: FormDef, actor: str) -> str:
    """Save a form definition with profile `name` (created with an empty mapping when it does
    not exist yet), and audit it; returns the name as stored. Raises ValueError with a sentence."""
    name = _check_name(name)
    with store.transaction(cur):
        if load_profile(cur, name) is None:
            cur.execute("INSERT INTO profiles (name, columns, created_at, actor) VALUES (?, '{}', ?, ?)",
                        [name, store.utcnow(), actor])
        before = cur.execute("SELECT form_label FROM profile_forms WHERE profile = ?", [name]).fetchone()
        cur.execute("DELETE FROM profile_forms WHERE profile = ?", [name])
        cur.execute("INSERT INTO profile_forms (profile, form, form_label, created_at, actor) VALUES (?, ?, ?, ?, ?)",
                    [name, form.to_json(), form.label, store.utcnow(), actor])
        store.audit(cur, actor, "profile_form_save", {"profile": name, "form": form.label,
                                                      "before": before[0] if before else None})
    return name


def saved_forms(cur: duckdb.DuckDBPyConnection) -> dict[str, FormDef]:
    """{profile name: its saved form definition}."""
    rows = cur.execute("SELECT profile, form FROM profile_forms ORDER BY profile").fetchall()
    return {name: FormDef.from_json(text) for name, text in rows}
