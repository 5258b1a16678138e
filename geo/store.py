"""The DuckDB store: schema, forward migrations, one connection per process, a cursor per thread.

DuckDB lets one process write a database file at a time. We open one connection per
process and per file (kept in a small registry) and hand each caller its own cursor, which
is what DuckDB's Python API asks for when several threads (Streamlit sessions) share a
database. A file locked by another process raises `DatabaseInUseError` with a sentence a
user can act on, never DuckDB's raw lock message.

Timestamps are stored as naive UTC (`TIMESTAMP`); conversion to Stockholm time happens at
the edges (ingest and display), so that queries never depend on a session time zone.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from geo import privacy, rescrub

SCHEMA_VERSION_KEY = "schema_version"

# Forward-only migrations: (version, statements). Never edit a released step; add a new one.
MIGRATIONS: list[tuple[int, list[str]]] = [
    (
        1,
        [
            """CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)""",
            """CREATE TABLE places (
                place_id   VARCHAR PRIMARY KEY,
                name       VARCHAR NOT NULL,
                name_key   VARCHAR NOT NULL,      -- lower case, accents folded: for matching
                kind       VARCHAR NOT NULL CHECK (kind IN ('sleeping_place', 'encampment', 'other')),
                lat        DOUBLE NOT NULL,
                lon        DOUBLE NOT NULL,
                created_at TIMESTAMP NOT NULL,   -- UTC
                cleared_at TIMESTAMP,            -- UTC; a cleared place is no longer expected to be visited
                import_id  VARCHAR
            )""",
            """CREATE TABLE visits (
                visit_id    VARCHAR PRIMARY KEY, -- source id, or 'h:' + content hash
                place_id    VARCHAR NOT NULL,
                visited_at  TIMESTAMP NOT NULL,  -- UTC
                shift       VARCHAR NOT NULL CHECK (shift IN ('day', 'evening', 'weekend')),
                lat         DOUBLE,
                lon         DOUBLE,
                people      INTEGER CHECK (people >= 0),
                children    INTEGER CHECK (children >= 0),
                acute       BOOLEAN,
                referred_to VARCHAR,
                team        VARCHAR,
                notes       VARCHAR,
                import_id   VARCHAR
            )""",
            """CREATE INDEX visits_place ON visits (place_id)""",
            """CREATE TABLE imports (
                import_id   VARCHAR PRIMARY KEY,
                file_name   VARCHAR NOT NULL,
                file_sha256 VARCHAR,
                started_at  TIMESTAMP NOT NULL,  -- UTC
                actor       VARCHAR NOT NULL,
                rows        INTEGER NOT NULL,
                imported    INTEGER NOT NULL,
                duplicates  INTEGER NOT NULL,
                rejected    INTEGER NOT NULL,
                summary     JSON
            )""",
            """CREATE TABLE rejects (
                import_id   VARCHAR NOT NULL,
                row_number  INTEGER NOT NULL,    -- 1 = first data row after the header
                column_name VARCHAR,
                reason_code VARCHAR NOT NULL,
                reason_sv   VARCHAR NOT NULL,
                reason_en   VARCHAR NOT NULL,
                raw         JSON                 -- the row as read, identifiers removed
            )""",
            """CREATE SEQUENCE audit_seq""",
            """CREATE TABLE audit (
                audit_id BIGINT PRIMARY KEY DEFAULT nextval('audit_seq'),
                "at"     TIMESTAMP NOT NULL,     -- UTC
                actor    VARCHAR NOT NULL,
                action   VARCHAR NOT NULL,
                details  JSON
            )""",
        ],
    ),
]

MIGRATIONS.append(
    (
        2,
        [
            # Undo of a whole import (issue 3): the import row stays, marked undone.
            "ALTER TABLE imports ADD COLUMN undone_at TIMESTAMP",
            "ALTER TABLE imports ADD COLUMN undone_by VARCHAR",
            # Column-mapping profiles: canonical column → source header, saved by users.
            """CREATE TABLE profiles (
                name       VARCHAR PRIMARY KEY,
                columns    JSON NOT NULL,
                created_at TIMESTAMP NOT NULL,
                actor      VARCHAR NOT NULL
            )""",
            # Settings editable on a page (targets per kind, thresholds, radius, service area).
            "CREATE TABLE settings (key VARCHAR PRIMARY KEY, value JSON NOT NULL, updated_at TIMESTAMP, actor VARCHAR)",
            # Imported boundary layers and their areas (WGS84 GeoJSON geometry text).
            """CREATE TABLE area_layers (
                layer       VARCHAR PRIMARY KEY,
                name_field  VARCHAR,
                source_file VARCHAR,
                source_crs  VARCHAR,
                imported_at TIMESTAMP NOT NULL,
                actor       VARCHAR NOT NULL
            )""",
            """CREATE TABLE areas (
                layer     VARCHAR NOT NULL,
                area_id   VARCHAR NOT NULL,
                name      VARCHAR NOT NULL,
                geometry  VARCHAR NOT NULL,      -- GeoJSON, WGS84, full detail
                simplified VARCHAR NOT NULL,     -- GeoJSON, WGS84, simplified for display
                PRIMARY KEY (layer, area_id)
            )""",
        ],
    )
)

MIGRATIONS.append(
    (
        3,
        [
            # Visits without ART indexes: the import deduplicates set-based inside its own
            # transaction (one writer at a time), and an index on every row made a million-row
            # import spend more time maintaining indexes than reading the file.
            """CREATE TABLE visits_v3 (
                visit_id    VARCHAR NOT NULL,    -- source id, or 'h:' + content hash; unique by import
                place_id    VARCHAR NOT NULL,
                visited_at  TIMESTAMP NOT NULL,  -- UTC
                shift       VARCHAR NOT NULL CHECK (shift IN ('day', 'evening', 'weekend')),
                lat         DOUBLE,
                lon         DOUBLE,
                people      INTEGER CHECK (people >= 0),
                children    INTEGER CHECK (children >= 0),
                acute       BOOLEAN,
                referred_to VARCHAR,
                team        VARCHAR,
                notes       VARCHAR,
                import_id   VARCHAR
            )""",
            "INSERT INTO visits_v3 SELECT * FROM visits",
            "DROP INDEX visits_place",
            "DROP TABLE visits",
            "ALTER TABLE visits_v3 RENAME TO visits",
        ],
    )
)

MIGRATIONS.append(
    (
        4,
        [
            # Who has which role (issue 7): by e-mail or by identity-provider group, both
            # stored trimmed and lower case. Edited on the Användare page; audited in geo.access.
            """CREATE TABLE user_roles (
                kind       VARCHAR NOT NULL CHECK (kind IN ('email', 'group')),
                principal  VARCHAR NOT NULL,
                role       VARCHAR NOT NULL CHECK (role IN ('field_worker', 'team_lead', 'manager', 'partner', 'admin')),
                updated_at TIMESTAMP NOT NULL,   -- UTC
                actor      VARCHAR NOT NULL,
                PRIMARY KEY (kind, principal)
            )""",
        ],
    )
)



MIGRATIONS.append(
    (
        5,
        [
            # Partner reports (issue 7 item 3): a sighting or an acute need reported by an NGO
            # partner (or by staff taking a phone call). Free text is scrubbed before storage.
            "CREATE SEQUENCE partner_report_seq",
            """CREATE TABLE partner_reports (
                report_id   BIGINT PRIMARY KEY DEFAULT nextval('partner_report_seq'),
                reported_at TIMESTAMP NOT NULL,  -- UTC
                reported_by VARCHAR NOT NULL,    -- ui.actor() of the sender: partners see only their own
                lat         DOUBLE,              -- WGS84; NULL when the place is only described in words
                lon         DOUBLE,
                description VARCHAR,             -- where, in words; identifiers removed
                kind        VARCHAR NOT NULL CHECK (kind IN ('sleeping_place', 'encampment')),
                people      INTEGER CHECK (people >= 0),
                acute       BOOLEAN NOT NULL,
                acute_kinds VARCHAR[] NOT NULL,  -- geo.partner_reports.ACUTE_KINDS
                message     VARCHAR,             -- identifiers removed
                status      VARCHAR NOT NULL CHECK (status IN ('new', 'seen', 'visited', 'closed')),
                status_at   TIMESTAMP NOT NULL,  -- UTC, last status change
                status_by   VARCHAR NOT NULL,
                open_since  TIMESTAMP NOT NULL   -- UTC; a visit nearby after this marks the report visited
            )""",
            # Feedback and complaints (issue 7 item 6), followed to a reply.
            "CREATE SEQUENCE feedback_seq",
            """CREATE TABLE feedback (
                feedback_id BIGINT PRIMARY KEY DEFAULT nextval('feedback_seq'),
                received_on DATE NOT NULL,
                channel     VARCHAR NOT NULL,    -- geo.feedback.CHANNELS
                from_whom   VARCHAR,             -- free text, identifiers removed
                category    VARCHAR NOT NULL CHECK (category IN ('opinion', 'complaint', 'praise')),
                body        VARCHAR NOT NULL,    -- identifiers removed
                status      VARCHAR NOT NULL CHECK (status IN ('received', 'in_progress', 'answered')),
                reply       VARCHAR,             -- identifiers removed
                answered_on DATE,
                responsible VARCHAR,
                created_at  TIMESTAMP NOT NULL,  -- UTC
                created_by  VARCHAR NOT NULL,
                updated_at  TIMESTAMP NOT NULL,  -- UTC
                updated_by  VARCHAR NOT NULL
            )""",
        ],
    )
)


MIGRATIONS.append(
    (
        6,
        [
            # Saved patrol plans (issue 5) and their stops, to compare with the visits logged later.
            """CREATE TABLE route_plans (
                plan_id     VARCHAR PRIMARY KEY,
                created_at  TIMESTAMP NOT NULL,  -- UTC
                actor       VARCHAR NOT NULL,
                shift       VARCHAR NOT NULL CHECK (shift IN ('day', 'evening', 'weekend')),
                starts_at   TIMESTAMP NOT NULL,  -- UTC
                ends_at     TIMESTAMP NOT NULL,  -- UTC: start + shift length
                pairs       INTEGER NOT NULL,
                mode        VARCHAR NOT NULL,
                start_lat   DOUBLE NOT NULL,
                start_lon   DOUBLE NOT NULL,
                end_lat     DOUBLE NOT NULL,
                end_lon     DOUBLE NOT NULL,
                urgency     DOUBLE NOT NULL,     -- urgency the plan collects
                params      JSON                 -- stop minutes, must-visit, skip, left out
            )""",
            """CREATE TABLE route_plan_stops (
                plan_id     VARCHAR NOT NULL,
                pair        INTEGER NOT NULL,    -- 1, 2, ...
                seq         INTEGER NOT NULL,    -- 1 = first stop of the pair
                place_id    VARCHAR NOT NULL,
                name        VARCHAR NOT NULL,
                kind        VARCHAR NOT NULL,
                lat         DOUBLE NOT NULL,
                lon         DOUBLE NOT NULL,
                arrives_at  TIMESTAMP NOT NULL,  -- UTC
                minutes     INTEGER NOT NULL,
                urgency     DOUBLE NOT NULL,
                PRIMARY KEY (plan_id, pair, seq)
            )""",
        ],
    )
)


MIGRATIONS.append(
    (
        7,
        [
            # Trends and retention (issue 6): visits older than the retention age are kept only
            # at the place-week grain (geo/weekly.py), so weekly aggregates survive deletion.
            """CREATE TABLE visit_weeks_archive (
                week_start   DATE NOT NULL,       -- Monday of the ISO week, Stockholm local time
                place_id     VARCHAR NOT NULL,
                shift        VARCHAR NOT NULL,
                visits       INTEGER NOT NULL,
                sweeps       INTEGER NOT NULL,    -- visits with people = 0
                people_max   INTEGER,
                children_max INTEGER,
                acute        INTEGER NOT NULL,
                referred     INTEGER NOT NULL
            )""",
            # The population estimates managers communicate (geo/estimate.py), against the computed ones.
            """CREATE SEQUENCE estimate_seq""",
            """CREATE TABLE recorded_estimates (
                estimate_id BIGINT PRIMARY KEY DEFAULT nextval('estimate_seq'),
                as_of       DATE NOT NULL,       -- the date the figure is for
                estimate    INTEGER NOT NULL CHECK (estimate >= 0),
                low         INTEGER NOT NULL CHECK (low >= 0),
                high        INTEGER NOT NULL,
                comment     VARCHAR,
                recorded_at TIMESTAMP NOT NULL,  -- UTC
                actor       VARCHAR NOT NULL,
                CHECK (low <= estimate AND estimate <= high)
            )""",
        ],
    )
)


MIGRATIONS.append(
    (
        8,
        [
            # Visits without CHECK constraints: evaluating them cost a tenth of a million-row
            # import. geo.ingest enforces the same rules before it writes (a count is a whole
            # number >= 0 or the row is rejected; the shift comes from geo.shifts, which yields
            # only these three), and the demo generator writes only such values. NOT NULL stays.
            """CREATE TABLE visits_v8 (
                visit_id    VARCHAR NOT NULL,    -- source id, or 'h:' + content hash; unique by import
                place_id    VARCHAR NOT NULL,
                visited_at  TIMESTAMP NOT NULL,  -- UTC
                shift       VARCHAR NOT NULL,    -- 'day', 'evening' or 'weekend' (geo.shifts)
                lat         DOUBLE,
                lon         DOUBLE,
                people      INTEGER,             -- >= 0 (geo.ingest)
                children    INTEGER,             -- >= 0, at most people (geo.ingest)
                acute       BOOLEAN,
                referred_to VARCHAR,
                team        VARCHAR,
                notes       VARCHAR,
                import_id   VARCHAR
            )""",
            "INSERT INTO visits_v8 SELECT * FROM visits",
            "DROP TABLE visits",
            "ALTER TABLE visits_v8 RENAME TO visits",
        ],
    )
)


MIGRATIONS.append(
    (
        9,
        [
            # Edited submissions (issue 11): a row whose stable id is stored with another version
            # replaces the stored visit, counted as `updated`; the replaced version is kept in
            # `visit_versions` so that undoing that import puts it back.
            "ALTER TABLE imports ADD COLUMN updated INTEGER DEFAULT 0",
            "UPDATE imports SET updated = 0 WHERE updated IS NULL",
            "ALTER TABLE visits ADD COLUMN version_id VARCHAR",  # the source's version id, if any
            """CREATE TABLE visit_versions (
                visit_id    VARCHAR NOT NULL,
                place_id    VARCHAR NOT NULL,
                visited_at  TIMESTAMP NOT NULL,  -- UTC
                shift       VARCHAR NOT NULL,
                lat         DOUBLE,
                lon         DOUBLE,
                people      INTEGER,
                children    INTEGER,
                acute       BOOLEAN,
                referred_to VARCHAR,
                team        VARCHAR,
                notes       VARCHAR,             -- identifiers removed, as in visits
                import_id   VARCHAR,             -- the import that had stored this version
                version_id  VARCHAR,
                replaced_by VARCHAR NOT NULL,    -- the import whose newer version replaced it
                replaced_at TIMESTAMP NOT NULL   -- UTC
            )""",
        ],
    )
)


MIGRATIONS.append(
    (
        10,
        [
            # Merges of two places on the Platser page (issue 11): the merged place stays (marked
            # cleared at the merge, so that no map, plan or estimate counts it) and the visits that
            # were moved are listed, so that an undo moves exactly those back.
            """CREATE TABLE place_merges (
                merge_id        VARCHAR PRIMARY KEY,
                kept_place_id   VARCHAR NOT NULL,
                merged_place_id VARCHAR NOT NULL,
                merged_at       TIMESTAMP NOT NULL,  -- UTC
                actor           VARCHAR NOT NULL,
                visit_ids       VARCHAR[] NOT NULL,  -- the visits moved to the kept place
                cleared_before  TIMESTAMP,           -- the merged place's cleared_at before the merge
                undone_at       TIMESTAMP,           -- UTC
                undone_by       VARCHAR
            )""",
        ],
    )
)


MIGRATIONS.append(
    (
        14,
        [
            # Form definitions saved with a profile (issue 11): geo.forms.FormDef as JSON, so a
            # label export of another team's form imports once its XLSForm/XForm was uploaded.
            """CREATE TABLE profile_forms (
                profile    VARCHAR PRIMARY KEY,  -- a saved profile's name (profiles.name)
                form       JSON NOT NULL,        -- geo.forms.FormDef.to_json()
                form_label VARCHAR NOT NULL,     -- 'form_id (version)', for the summary
                created_at TIMESTAMP NOT NULL,
                actor      VARCHAR NOT NULL
            )""",
        ],
    )
)

LATEST_VERSION = MIGRATIONS[-1][0]


class StoreError(Exception):
    """A problem with the database that a user can act on; the message is one sentence."""


class DatabaseInUseError(StoreError):
    """Another process (the dashboard, another import) holds the database file."""


class DatabaseNotFoundError(StoreError):
    """A read-only caller asked for a database file that does not exist."""


_lock = threading.Lock()
_connections: dict[Path, duckdb.DuckDBPyConnection] = {}


def utcnow() -> datetime:
    """Now as naive UTC, the form every stored timestamp has."""
    return datetime.now(UTC).replace(tzinfo=None)


def connect(path: str | Path) -> duckdb.DuckDBPyConnection:
    """The process's one connection to `path`, opened and migrated on first use."""
    key = Path(path).resolve()
    with _lock:
        conn = _connections.get(key)
        if conn is None:
            key.parent.mkdir(parents=True, exist_ok=True)
            try:
                conn = duckdb.connect(str(key))
            except duckdb.IOException as exc:
                if "lock" in str(exc).lower():
                    raise DatabaseInUseError(
                        f"Databasen {key} används av en annan process (dashboarden eller en import); "
                        f"försök igen när den är klar. / The database {key} is in use by another "
                        "process (the dashboard or an import); try again when it is done."
                    ) from None
                raise StoreError(f"Kan inte öppna databasen {key}: {exc} / Cannot open the database.") from None
            # Session time zone UTC, so that TIMESTAMPTZ values never shift with the host's zone.
            conn.execute("LOAD icu; SET GLOBAL TimeZone = 'UTC'")
            _migrate(conn)
            _rescrub(conn)
            _connections[key] = conn
        return conn


def cursor(path: str | Path) -> duckdb.DuckDBPyConnection:
    """A cursor for the calling thread on the process's connection to `path`."""
    return connect(path).cursor()


def close(path: str | Path | None = None) -> None:
    """Close one (or every) open connection; tests and the CLI use it to release the file lock."""
    with _lock:
        keys = list(_connections) if path is None else [Path(path).resolve()]
        for key in keys:
            conn = _connections.pop(key, None)
            if conn is not None:
                conn.close()


@contextmanager
def transaction(cur: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All or nothing: commit when the block ends, roll back on any exception."""
    cur.execute("BEGIN TRANSACTION")
    try:
        yield cur
    except BaseException:
        cur.execute("ROLLBACK")
        raise
    cur.execute("COMMIT")


_write_locks: dict[Path, threading.RLock] = {}


def database_file(cur: duckdb.DuckDBPyConnection) -> Path:
    """The file behind a cursor, so that every cursor on one database finds the same lock."""
    rows = cur.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchall()
    return Path(str(rows[0][0]) if rows and rows[0][0] else ":memory:").resolve()


@contextmanager
def write_lock(cur: duckdb.DuckDBPyConnection, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """One import at a time per database in this process.

    Two sessions importing at once would each deduplicate against the visits stored before
    either wrote, and both write every row (DuckDB's snapshot isolation; visits have no
    unique index, see migration 3). Another process cannot open the file at all (DuckDB's
    file lock: `DatabaseInUseError`). `on_wait` is called once, before blocking, when another
    import holds the lock, so that a page can say why it waits. Re-entrant: a page may hold it
    around `ingest.import_file`, which takes it again.
    """
    key = database_file(cur)
    with _lock:
        lock = _write_locks.setdefault(key, threading.RLock())
    if not lock.acquire(blocking=False):
        if on_wait is not None:
            on_wait()
        lock.acquire()
    try:
        yield
    finally:
        lock.release()


def schema_version(cur: duckdb.DuckDBPyConnection) -> int:
    """The schema version recorded in the file (0 for an empty file)."""
    has_meta = cur.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'"
    ).fetchone()
    if not has_meta or not has_meta[0]:
        return 0
    row = cur.execute("SELECT value FROM meta WHERE key = ?", [SCHEMA_VERSION_KEY]).fetchone()
    return int(row[0]) if row else 0


RESCRUBBED_KEY = "identifier_matcher"  # the matcher version the stored text was last scrubbed with


def _rescrub(conn: duckdb.DuckDBPyConnection) -> None:
    """Once per identifier-matcher version: scrub the text an older matcher let through."""
    cur = conn.cursor()
    if get_meta(cur, RESCRUBBED_KEY) == privacy.MATCHER_VERSION:
        return
    with transaction(cur):
        removed = rescrub.rescrub_stored(cur)
        if removed.total():
            audit(cur, "system", "stored_text_rescrubbed", {
                "matcher": privacy.MATCHER_VERSION, "personal_ids": removed.personal_ids,
                "phones": removed.phones, "emails": removed.emails})
        set_meta(cur, RESCRUBBED_KEY, privacy.MATCHER_VERSION)


def _migrate(conn: duckdb.DuckDBPyConnection) -> None:
    """Apply every migration newer than the file's version, each in its own transaction."""
    cur = conn.cursor()
    current = schema_version(cur)
    if current > LATEST_VERSION:
        raise StoreError(
            f"Databasen har schemaversion {current}, nyare än programmets {LATEST_VERSION}; "
            f"uppdatera Uppsök. / The database schema {current} is newer than this program's "
            f"{LATEST_VERSION}; update Uppsök."
        )
    for version, statements in MIGRATIONS:
        if version <= current:
            continue
        with transaction(cur):
            for statement in statements:
                cur.execute(statement)
            cur.execute(
                "INSERT OR REPLACE INTO meta VALUES (?, ?)", [SCHEMA_VERSION_KEY, str(version)]
            )


def get_meta(cur: duckdb.DuckDBPyConnection, key: str) -> str | None:
    rows = cur.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchall()
    return str(rows[0][0]) if rows else None


def set_meta(cur: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    cur.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value]).fetchall()  # finish: DuckDB 2 wants results consumed


def is_demo(cur: duckdb.DuckDBPyConnection) -> bool:
    """True when the database was built by `python -m geo demo`."""
    return get_meta(cur, "is_demo") == "true"


def mark_real_data(cur: duckdb.DuckDBPyConnection) -> None:
    """A real import or logged visit ends the demo: `demo` then refuses without --force and the
    banner goes away. Called inside the import's transaction, so a rolled-back import keeps it a demo."""
    if is_demo(cur):
        set_meta(cur, "is_demo", "false")


def has_data(cur: duckdb.DuckDBPyConnection) -> bool:
    """True when the database holds any place or visit."""
    row = cur.execute(
        "SELECT (SELECT count(*) FROM places) + (SELECT count(*) FROM visits)"
    ).fetchone()
    return bool(row and row[0])


def audit(cur: duckdb.DuckDBPyConnection, actor: str, action: str, details: dict[str, Any]) -> None:
    """Append one line to the audit log (PRODUCT.md §6: who, when, what)."""
    cur.execute(
        "INSERT INTO audit (\"at\", actor, action, details) VALUES (?, ?, ?, ?)",
        [utcnow(), actor, action, json.dumps(details, ensure_ascii=False, default=str)],
    )
