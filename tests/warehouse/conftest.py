"""A real PostgreSQL server for the warehouse tests, started on 127.0.0.1 in a
temporary folder from Debian's package (``apt-get install -y postgresql``).

Where it cannot start the tests that need it are skipped with the reason; under
``CI=true`` they fail instead, so CI cannot pass without having run them.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest


def _unavailable(reason: str) -> None:
    message = f"PostgreSQL tests not run: {reason}"
    if os.environ.get("CI") == "true":
        pytest.fail(message + " (CI=true: the suite must run them)")
    pytest.skip(message)


def _bin_dir() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return versions[-1].parent if versions else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """``postgresql://planbook@127.0.0.1:PORT/warehouse`` of a server this session owns."""
    bindir = _bin_dir()
    if bindir is None:
        _unavailable("pg_ctl not found (apt-get install -y postgresql)")
    assert bindir is not None
    folder = Path(tempfile.mkdtemp(prefix="planbook-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root: use the package's user
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            _unavailable("running as root and there is no 'postgres' user to run initdb as")
        os.chown(folder, user.pw_uid, user.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    data = folder / "data"
    port = _free_port()

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*run_as, *args], capture_output=True, text=True, timeout=120, check=False
        )

    done = run(
        str(bindir / "initdb"),
        "-D",
        str(data),
        "-U",
        "planbook",
        "-A",
        "trust",
        "-E",
        "UTF8",
        "--locale=C",
        "--no-sync",
    )
    if done.returncode:
        shutil.rmtree(folder, ignore_errors=True)
        _unavailable(f"initdb failed: {done.stderr.strip()[:300]}")
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    done = run(
        str(bindir / "pg_ctl"),
        "-D",
        str(data),
        "-o",
        options,
        "-l",
        str(folder / "log"),
        "-w",
        "start",
    )
    if done.returncode:
        log = (
            (folder / "log").read_text(errors="replace")[-300:] if (folder / "log").exists() else ""
        )
        shutil.rmtree(folder, ignore_errors=True)
        _unavailable(f"pg_ctl start failed: {done.stderr.strip()[:200]} {log}")
    try:
        import psycopg

        with psycopg.connect(
            f"postgresql://planbook@127.0.0.1:{port}/postgres", autocommit=True
        ) as con:
            con.execute("create database warehouse")
        yield f"postgresql://planbook@127.0.0.1:{port}/warehouse"
    finally:
        run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)
