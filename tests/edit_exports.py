"""Weekly exports of edited submissions, written the way ODK Central and KoboToolbox write them.

Used by tests/test_edits.py, and run as a script to (re)write the fixtures in tests/data/edits/:

    .venv/bin/python tests/edit_exports.py

Both shapes follow the exporters' source, for our own form forms/uppsok_besok.xlsx (fields
start, end, visited_at, location (geopoint), place_name, place_type, people, children, acute,
referred_to, team, notes, plus the meta/instanceID every XForm carries):

* ODK Central, getodk/central-backend lib/data/briefcase.js `streamBriefcaseCsvs`: the header
  is `SubmissionDate`, the form's fields with group paths joined by "-" (a geopoint becomes
  `NAME-Latitude`, `-Longitude`, `-Altitude`, `-Accuracy`; the form's `meta/instanceID` is
  `meta-instanceID`), then `KEY`, `SubmitterID`, `SubmitterName`, `AttachmentsPresent`,
  `AttachmentsExpected`, `Status`, `ReviewState`, `DeviceID`, `Edits`, `FormVersion`.
  `writeMetadata` fills `SubmissionDate` with the submission's `createdAt` (ISO, `Z`), `KEY`
  with `submission.instanceId` (the first instanceID: an edit is a PUT to
  `/submissions/<that id>` with a new instanceID and deprecatedID = the old one, see
  test/integration/api/submissions.js `withSimpleIds`), and `Edits` with
  `aux.edit.count`; the row's `meta-instanceID` is the current version's. An edit sets
  Central's review state to "edited". csv-stringify quotes a cell only when it must and
  ends lines with "\\n".
* KoboToolbox, kobotoolbox/formpack src/formpack/reporting/export.py `Export.to_csv` with
  XML values and headers: every cell quoted, `;` between cells; a geopoint is its own column
  ("lat lon alt precision") followed by `_NAME_latitude`, `_longitude`, `_altitude`,
  `_precision`; KoboToolbox adds the copy fields `_id`, `_uuid`, `_submission_time`,
  `_validation_status`, `_notes`, `_status`, `_submitted_by`, `__version__`, `_tags` and
  `_index`; lines end with "\\r\\n". An edit replaces `_uuid` (the new instanceID) while
  `_id` (the submission's number) and `meta/rootUuid` stay (kpi keeps `root_uuid` per
  Instance row; its front end finds a submission by `meta/rootUuid`), and
  `_submission_time` is the first submission's time.

Staff names (`SubmitterName`, `_submitted_by`) are in the files on purpose: Uppsök must never
store them.
"""

from __future__ import annotations

import csv
import io
import random
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

FORM_VERSION = "2026112401"  # forms/uppsok_besok.xlsx, settings.version
STOCKHOLM_WINTER = timezone(timedelta(hours=1))  # the weeks below are in November (CET)
VALUE_FIELDS = ("visited_at", "lat", "lon", "place_name", "place_type", "people", "children", "acute",
                "referred_to", "team", "notes")

ODK_HEADER = ["SubmissionDate", "start", "end", "visited_at", "location-Latitude", "location-Longitude",
              "location-Altitude", "location-Accuracy", "place_name", "place_type", "people", "children",
              "acute", "referred_to", "team", "notes", "meta-instanceID", "KEY", "SubmitterID",
              "SubmitterName", "AttachmentsPresent", "AttachmentsExpected", "Status", "ReviewState",
              "DeviceID", "Edits", "FormVersion"]
KOBO_HEADER = ["start", "end", "visited_at", "location", "_location_latitude", "_location_longitude",
               "_location_altitude", "_location_precision", "place_name", "place_type", "people", "children",
               "acute", "referred_to", "team", "notes", "_id", "_uuid", "_submission_time",
               "_validation_status", "_notes", "_status", "_submitted_by", "__version__", "_tags", "_index"]


@dataclass(frozen=True)
class Submission:
    """One submission as the server holds it: a stable id, the current version and its values."""

    root_uuid: str                 # the first instanceID: ODK's KEY, Kobo's meta/rootUuid
    kobo_id: int                   # Kobo's `_id`
    instance_id: str               # the current version's instanceID (ODK meta-instanceID, Kobo _uuid)
    created_at: datetime           # UTC, first submission
    visited_at: datetime           # Stockholm time, with offset
    lat: float
    lon: float
    place_name: str
    place_type: str                # choice name: sovplats / boplats / annan
    people: int
    children: int
    acute: str                     # yes / no
    referred_to: str               # choice name, "" = not answered
    team: str
    notes: str
    edits: int = 0
    submitter: str = "EU-team telefon 1"  # a staff name: never stored
    extra: dict[str, str] = field(default_factory=dict)

    def values(self) -> dict[str, object]:
        """What Uppsök should hold for this submission's current version."""
        return {f: getattr(self, f) for f in VALUE_FIELDS}


def new_uuid(rng: random.Random) -> str:
    return "uuid:" + str(uuid.UUID(int=rng.getrandbits(128), version=4))


def edited(sub: Submission, rng: random.Random, **changes: object) -> Submission:
    """The submission after one edit: new instanceID, one more edit, the changed values."""
    return replace(sub, instance_id=new_uuid(rng), edits=sub.edits + 1, **changes)


def _iso_ms(ts: datetime) -> str:
    """JavaScript's toISOString / an XForm dateTime: milliseconds, offset or Z."""
    text = ts.isoformat(timespec="milliseconds")
    return text.replace("+00:00", "Z")


def odk_central_csv(subs: list[Submission]) -> str:
    """The root table of ODK Central's CSV export (briefcase.js) for these submissions."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ODK_HEADER)
    for s in subs:
        start = s.visited_at - timedelta(seconds=3)
        writer.writerow([
            _iso_ms(s.created_at.replace(tzinfo=timezone.utc)), _iso_ms(start), _iso_ms(s.visited_at + timedelta(minutes=7)),
            _iso_ms(s.visited_at), f"{s.lat:.7f}", f"{s.lon:.7f}", "24.5", "4.8", s.place_name, s.place_type,
            s.people, s.children, s.acute, s.referred_to, s.team, s.notes, s.instance_id, s.root_uuid,
            "12", s.submitter, 0, 0, "", "edited" if s.edits else "", "collect:Vq3xW8kPzR2mT5yB", s.edits,
            FORM_VERSION,
        ])
    return out.getvalue()


def kobo_csv(subs: list[Submission]) -> str:
    """KoboToolbox's CSV export, XML values and headers (formpack Export.to_csv)."""
    def line(cells: list[object]) -> str:
        return '"' + '";"'.join(str(c).replace('"', '""') for c in cells) + '"'

    lines = [line(KOBO_HEADER)]
    for index, s in enumerate(subs, start=1):
        lat, lon = f"{s.lat:.7f}", f"{s.lon:.7f}"
        lines.append(line([
            _iso_ms(s.visited_at - timedelta(seconds=3)), _iso_ms(s.visited_at + timedelta(minutes=7)),
            _iso_ms(s.visited_at), f"{lat} {lon} 24.5 4.8", lat, lon, "24.5", "4.8", s.place_name, s.place_type,
            s.people, s.children, s.acute, s.referred_to, s.team, s.notes, s.kobo_id,
            s.instance_id.removeprefix("uuid:"), s.created_at.strftime("%Y-%m-%dT%H:%M:%S"), "", "",
            "submitted_via_web", "eu_team_stockholm", "vQpF7jXcX7mhJgaKdyBWcM", "", index,
        ]))
    return "\r\n".join(lines) + "\r\n"


def write(path: Path, shape: str, subs: list[Submission]) -> Path:
    """One export of `subs` in `shape` ('odk' or 'kobo') at `path`."""
    text = odk_central_csv(subs) if shape == "odk" else kobo_csv(subs)
    path.write_bytes(text.encode("utf-8"))
    return path


# ---------------------------------------------------------------- the fixture weeks

_PLACES = [  # (name, kind, lat, lon): real places in central Stockholm
    ("T-Centralen uppgång Vasagatan", "sovplats", 59.3309112, 18.0592871),
    ("Gamla stan Mårten Trotzigs gränd", "sovplats", 59.3231544, 18.0676290),
    ("Tantolunden norra slänten", "boplats", 59.3126877, 18.0322960),
    ("Hornstull strand", "annan", 59.3156410, 18.0340020),
    ("Medborgarplatsen tunnelbana", "sovplats", 59.3143350, 18.0735210),
    ("Fridhemsplan busshållplats", "annan", 59.3322520, 18.0291630),
    ("Slussen Katarinahissen", "sovplats", 59.3199820, 18.0739610),
    ("Kungsträdgården paviljong", "annan", 59.3307450, 18.0716940),
]


def weeks() -> tuple[list[Submission], list[Submission]]:
    """Week 1 (six submissions) and week 2 (the same six, two of them edited, and two new)."""
    rng = random.Random(11)
    subs: list[Submission] = []
    for i, (name, kind, lat, lon) in enumerate(_PLACES):
        day = 16 + i // 6 * 7 + i % 3
        local = datetime(2026, 11, day, 21, 10 + 7 * i, 2, 413000, tzinfo=STOCKHOLM_WINTER)
        first = new_uuid(rng)
        subs.append(Submission(
            root_uuid=first, kobo_id=48213771 + i, instance_id=first,
            created_at=(local + timedelta(minutes=40)).astimezone(timezone.utc).replace(tzinfo=None),
            visited_at=local, lat=lat, lon=lon, place_name=name, place_type=kind, people=1 + i % 4,
            children=1 if kind == "boplats" else 0, acute="no", referred_to="", team="AB"[i % 2],
            notes="" if i % 2 else "Sov vid uppgången",
        ))
    week1 = subs[:6]
    week2 = list(week1)
    # Two edits between the exports: a count corrected, and a referral added with a note that
    # holds a phone number (removed before storage, also from the audit of what changed).
    week2[1] = edited(week1[1], rng, people=3)
    week2[2] = edited(week1[2], rng, acute="yes", referred_to="socialjouren", notes="Hänvisad, ring 070-123 45 67")
    week2 += subs[6:]
    return week1, week2


def main() -> None:
    target = Path(__file__).parent / "data" / "edits"
    target.mkdir(parents=True, exist_ok=True)
    week1, week2 = weeks()
    for shape, stem in (("odk", "odk_central"), ("kobo", "kobo")):
        write(target / f"{stem}_week1.csv", shape, week1)
        write(target / f"{stem}_week2.csv", shape, week2)


if __name__ == "__main__":
    main()
