"""Who gets in without a login (issue 17): local mode gives every visitor the admin role, so
the server listens on 127.0.0.1 only, and a dashboard reachable beyond localhost without a
login refuses to show anything unless the loud override is set."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from browser_app import free_port
from geo import access
from test_page_map import make_db

ROOT = Path(__file__).resolve().parents[1]


def _listening(port: int) -> set[str]:
    """Local addresses with a socket in LISTEN state on `port` (from /proc/net/tcp and tcp6)."""
    found: set[str] = set()
    for name, family in (("tcp", socket.AF_INET), ("tcp6", socket.AF_INET6)):
        table = Path("/proc/net") / name
        if not table.exists():
            continue
        for line in table.read_text().splitlines()[1:]:
            fields = line.split()
            address, state = fields[1], fields[3]
            host_hex, port_hex = address.split(":")
            if state != "0A" or int(port_hex, 16) != port:
                continue
            raw = bytes.fromhex(host_hex)
            # /proc prints each 32-bit word in host (little-endian) order
            packed = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
            found.add(socket.inet_ntop(family, packed))
    return found


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="needs Linux /proc/net to see listening sockets")
def test_make_run_without_a_login_listens_on_localhost_only(tmp_path: Path) -> None:
    """`streamlit run dashboard.py` as `make run` starts it: no --server.address given."""
    db = make_db(tmp_path / "bind.duckdb")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
    env["OUTREACH_DB"] = str(db)
    with open(tmp_path / "streamlit.log", "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
             "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--secrets.files", str(tmp_path / "no-secrets.toml")],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None, (tmp_path / "streamlit.log").read_text()[-2000:]
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "streamlit did not start"
            time.sleep(0.5)
        listening = _listening(port)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert listening == {"127.0.0.1"}, listening  # not 0.0.0.0, not ::


@pytest.mark.parametrize(("address", "client", "env", "verdict"), [
    ("127.0.0.1", None, {}, "ok"),
    ("localhost", None, {}, "ok"),
    ("::1", None, {}, "ok"),
    (None, None, {}, "refuse"),  # Streamlit's default: every interface
    ("0.0.0.0", None, {}, "refuse"),
    ("::", None, {}, "refuse"),
    ("192.168.1.20", None, {}, "refuse"),
    ("127.0.0.1", "10.0.0.7", {}, "refuse"),  # a visitor from elsewhere (e.g. through a tunnel)
    ("0.0.0.0", None, {access.OPEN_LOCAL_ENV: "1"}, "warn"),
    ("0.0.0.0", None, {access.OPEN_LOCAL_ENV: "yes"}, "refuse"),
])
def test_local_mode_exposure(address, client, env, verdict) -> None:
    assert access.local_mode_exposure(address, client, env) == verdict


@pytest.fixture
def server_address():
    before = st_config.get_option("server.address")

    def set_address(value: str | None) -> None:
        st_config.set_option("server.address", value)

    yield set_address
    st_config.set_option("server.address", before)


def _dashboard(monkeypatch, db: Path) -> AppTest:
    monkeypatch.setenv("OUTREACH_DB", str(db))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.session_state["lang"] = "en"
    return at.run()


def test_the_dashboard_refuses_local_mode_on_every_interface(monkeypatch, db_path, server_address) -> None:
    make_db(db_path)
    server_address("0.0.0.0")
    monkeypatch.delenv(access.OPEN_LOCAL_ENV, raising=False)
    at = _dashboard(monkeypatch, db_path)
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Uppsök runs without a login but is reachable from the network, so anyone could become an administrator; "
        "configure a login ([auth] in secrets.toml) or start with --server.address 127.0.0.1."]
    assert not at._registered_pages or all("app_pages" not in str(p.get("script_path")) for p in at._registered_pages.values())


def test_the_override_serves_with_a_loud_warning(monkeypatch, db_path, server_address) -> None:
    make_db(db_path)
    server_address("0.0.0.0")
    monkeypatch.setenv(access.OPEN_LOCAL_ENV, "1")
    at = _dashboard(monkeypatch, db_path)
    assert not at.exception and not at.error
    assert any("WARNING: local mode without a login is open to the network" in w.value for w in at.warning)


def test_localhost_serves_without_a_warning(monkeypatch, db_path, server_address) -> None:
    make_db(db_path)
    server_address("127.0.0.1")
    at = _dashboard(monkeypatch, db_path)
    assert not at.exception and not at.error
    assert not any("WARNING" in w.value for w in at.warning)
