"""`mkdocs serve` measured from outside: a real server subprocess, real file edits.

For a site, :func:`measure` starts ``python -m mkdocs serve`` on a free port, waits for
the first build, then

* edits a plan page ``page_edits`` times (a line appended) and times each edit until the
  server logs "Reloading browsers" (the rebuild is done and browsers are told), then
  checks that the served page has the new line;
* edits one CSV row ``csv_edits`` times (the cents of one revenue value, in place, the
  same length) and times each the same way;
* reads the server's resident memory (``VmRSS`` of ``/proc/<pid>/status``) after the
  first build and after the last CSV edit, and as each edit's rebuild is done (``rss_kb``
  of each edit: growth edit by edit shows there, not in the two ends alone).

Times are wall clock from the write to the log line, so they include the watcher's
polling delay (MkDocs polls every 0.5 s), as a user waits it (Planbook's CSV edits ask
for the rebuild as the file is written, planbook.serve_wake: their delay is MkDocs' 0.1 s
wait for more writes); each edit comes after a
settling pause and a part of that interval from one seeded sequence (the same for every
site measured); ``build_s`` of each edit
is the build alone, from MkDocs' own "Documentation built in" line.
"""

from __future__ import annotations

import os
import queue
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

BUILT = re.compile(r"Documentation built in ([0-9.]+) seconds")
DETECTED = "Detected file changes"
RELOADED = "Reloading browsers"
SERVING = "Serving on"
STUCK = "appear stuck"
EXCEPTION = re.compile(r"^[\w.]*(Error|Exception)\b.*:")
EDITED_PAGE = "plans/plan-007.md"
EDITED_URL = "plans/plan-007/"
CSV_LINE = 100  # the data row whose revenue cents the CSV edits change


class ServeError(RuntimeError):
    """The server exited, logged a failed rebuild or did not finish in time."""


def child_env() -> dict[str, str]:
    """The environment of a build or server subprocess: this tree's ``plugins`` first on
    the path (whatever Planbook the interpreter has installed), no MkDocs 2 banner.

    ``PYTHONDONTWRITEBYTECODE`` is not passed on: where it is set (CI images often set it),
    the bare side runs MkDocs and Material from bytecode pip compiled at install, while this
    tree's Planbook would be compiled from source in every build (about 0.2 s of CPU), a
    cost no installed Planbook has. ``compile_tree`` compiles it once before timing."""
    plugins = str(Path(__file__).resolve().parent.parent / "plugins")
    path = os.pathsep.join(p for p in (plugins, os.environ.get("PYTHONPATH")) if p)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPATH": path, "NO_MKDOCS_2_WARNING": "1", "PYTHONUNBUFFERED": "1"}


def compile_tree(package: Path | None = None) -> int:
    """Compile this tree's Planbook to bytecode (``__pycache__`` beside the sources, as pip
    does at install) in a subprocess with :func:`child_env`; the number of modules."""
    package = package or Path(__file__).resolve().parent.parent / "plugins" / "planbook"
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(package)],
        check=True,
        env=child_env(),
        capture_output=True,
    )
    return sum(1 for _ in package.rglob("*.py"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def vm_rss_kb(pid: int) -> int | None:
    """Resident memory of ``pid`` in kB (Linux), or None where /proc is not there."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def revenue_cents_offset(csv: Path, line_no: int = CSV_LINE) -> tuple[int, int]:
    """Byte offset of the two cents digits ending line ``line_no`` (0 = header) of a
    bench CSV, whose last field is revenue written ``123.45``; and their value."""
    offset = 0
    with csv.open("rb") as fh:
        for i, line in enumerate(fh):
            if i == line_no:
                body = line.rstrip(b"\r\n")
                if not re.search(rb"\d\.\d\d$", body):
                    raise ValueError(f"{csv}:{line_no + 1}: no revenue cents at the line end")
                return offset + len(body) - 2, int(body[-2:])
            offset += len(line)
    raise ValueError(f"{csv}: fewer than {line_no + 1} lines")


def edit_csv(csv: Path, offset: int, cents: int) -> None:
    """Overwrite the two cents digits at ``offset`` in place (the file keeps its size)."""
    fd = os.open(csv, os.O_WRONLY)
    try:
        os.pwrite(fd, f"{cents % 100:02d}".encode("ascii"), offset)
    finally:
        os.close(fd)


@dataclass
class Server:
    """A running `mkdocs serve` whose output lines are collected with arrival times."""

    site: Path
    timeout: float = 900.0
    port: int = field(default_factory=free_port)
    lines: list[tuple[float, str]] = field(default_factory=list)
    rebuilds: int = 0  # "Detected file changes" seen
    building: bool = False

    def __post_init__(self) -> None:
        env = child_env()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{self.port}"],
            cwd=self.site,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
            env=env,
        )
        self._queue: queue.Queue[tuple[float, str] | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._queue.put((time.monotonic(), line.rstrip("\n")))
        self._queue.put(None)

    def _take(self, item: tuple[float, str] | None, what: str) -> tuple[float, str]:
        if item is None:
            raise ServeError(f"{what}: mkdocs serve exited ({self.proc.wait()})\n{self.tail()}")
        self.lines.append(item)
        if STUCK in item[1]:
            raise ServeError(f"{what}: the rebuild failed{self._cause()}\n{self.tail()}")
        if DETECTED in item[1]:
            self.rebuilds += 1
            self.building = True
        elif RELOADED in item[1]:
            self.building = False
        return item

    def wait_for(self, needle: str, what: str) -> float:
        """Wait for the next line containing ``needle``; return the time it arrived."""
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                item = self._queue.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise ServeError(f"{what}: no {needle!r} within {self.timeout:.0f} s") from None
            stamp, line = self._take(item, what)
            if needle in line:
                return stamp

    def idle(self, what: str) -> None:
        """Take the lines logged so far; wait for a rebuild still running to end."""
        while True:
            try:
                self._take(self._queue.get_nowait(), what)
            except queue.Empty:
                break
        if self.building:
            self.wait_for(RELOADED, what)

    def _cause(self) -> str:
        """`` (SomeError: message)`` from the last exception line the server printed."""
        for _, line in reversed(self.lines):
            if EXCEPTION.match(line):
                return f" ({line.strip()})"
        return ""

    def tail(self, n: int = 30) -> str:
        return "\n".join(line for _, line in self.lines[-n:])

    def last_build_s(self) -> float | None:
        for _, line in reversed(self.lines):
            if m := BUILT.search(line):
                return float(m.group(1))
        return None

    def get(self, path: str) -> str:
        url = f"http://127.0.0.1:{self.port}/{path}"
        try:
            with urllib.request.urlopen(url, timeout=60) as r:
                return r.read().decode("utf-8")
        except (urllib.error.URLError, ConnectionError, TimeoutError) as e:
            raise ServeError(f"GET {url}: {e}") from e

    def rss_kb(self) -> int | None:
        return vm_rss_kb(self.proc.pid)

    def stop(self) -> None:
        """Stop the server as Ctrl-C does, so that MkDocs removes its temporary site
        folder (terminated, it left one in the temporary folder per measurement: ~40 MB
        for the 200-plan site); terminated, then killed, if it does not end."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            for end in (self.proc.terminate, self.proc.kill):
                try:
                    self.proc.wait(timeout=15)
                    return
                except subprocess.TimeoutExpired:
                    end()
            self.proc.wait()


#: MkDocs' file watcher polls every half second (watchdog's polling observer).
POLL_S = 0.5


def _timed_edit(
    server: Server, edit, what: str, settle: float, jitter: float = 0.0
) -> dict[str, float | None]:
    # Let the watcher's snapshot settle after the last rebuild, then a part of its
    # polling interval: after a fixed pause every edit fell at the same point of the
    # watcher's cycle, which depends on how long the last rebuild took (one run: the
    # Planbook site waited ~0.5 s for 4 of its 5 page edits to be seen, the bare site
    # 0.1-0.2 s). The same parts on both sites (:func:`measure`'s seeded sequence).
    time.sleep(settle + jitter)
    server.idle(what)
    before = server.rebuilds
    start = time.monotonic()
    edit()
    done = server.wait_for(RELOADED, what)
    if server.rebuilds != before + 1:
        raise ServeError(f"{what}: {server.rebuilds - before} rebuilds for one edit")
    # the server's resident memory once this rebuild is done (the growth edit by edit)
    return {"reload_s": done - start, "build_s": server.last_build_s(), "rss_kb": server.rss_kb()}


def measure(
    site: Path,
    *,
    page_edits: int = 3,
    csv_edits: int = 0,
    settle: float = 1.0,
    timeout: float = 900.0,
) -> dict[str, object]:
    """Serve ``site``, edit it, and return the timings and memory (see the module doc).

    A failed rebuild (or a server that exits or hangs) ends the measurement: the result
    then has ``error`` and the figures taken before it."""
    page = site / "docs" / EDITED_PAGE
    jitter = random.Random(12).uniform  # the same pauses for every site measured
    out: dict[str, object] = {}
    pages: list[dict[str, float | None]] = []
    csvs: list[dict[str, float | None]] = []
    server = Server(site, timeout=timeout)
    try:
        t0 = time.monotonic()
        ready = server.wait_for(SERVING, "first build")
        out.update(first_build_s=server.last_build_s(), ready_s=ready - t0)
        time.sleep(settle)
        out["rss_first_build_kb"] = server.rss_kb()
        for k in range(page_edits):
            marker = f"serve-edit-{os.getpid()}-{k}"

            def append(marker: str = marker) -> None:
                with page.open("a", encoding="utf-8") as fh:
                    fh.write(f"\n\nEdited for the serve benchmark: {marker}.\n")

            pages.append(
                _timed_edit(server, append, f"page edit {k + 1}", settle, jitter(0, POLL_S))
            )
            if marker not in server.get(EDITED_URL):
                raise ServeError(f"page edit {k + 1}: the served page lacks {marker!r}")
        if csv_edits:
            csv = site / "data" / "big.csv"
            offset, cents = revenue_cents_offset(csv)
            for k in range(1, csv_edits + 1):
                csvs.append(
                    _timed_edit(
                        server,
                        lambda k=k: edit_csv(csv, offset, cents + k),
                        f"CSV edit {k}",
                        settle,
                        jitter(0, POLL_S),
                    )
                )
            time.sleep(settle)
            out["rss_after_csv_edits_kb"] = server.rss_kb()
    except ServeError as e:
        out["error"] = str(e)
    finally:
        server.stop()
    out["unprompted_rebuilds"] = server.rebuilds - len(pages) - len(csvs) - ("error" in out)
    if pages:
        out["page_edit_s"] = statistics.median(p["reload_s"] for p in pages)  # type: ignore[misc]
        builds = [p["build_s"] for p in pages if p["build_s"] is not None]
        out["page_edit_build_s"] = statistics.median(builds) if builds else None
        out["page_edits"] = pages
    if csvs:
        out["csv_edits"] = csvs
    if csv_edits and len(csvs) == csv_edits:
        out["csv_edit_s"] = statistics.median(c["reload_s"] for c in csvs)  # type: ignore[misc]
        out["csv_edit_max_s"] = max(c["reload_s"] for c in csvs)  # type: ignore[type-var]
        builds = [c["build_s"] for c in csvs if c["build_s"] is not None]
        out["csv_edit_build_s"] = statistics.median(builds) if builds else None
        first, last = out.get("rss_first_build_kb"), out.get("rss_after_csv_edits_kb")
        if first and last:
            out["rss_growth"] = last / first  # type: ignore[operator]
    return out
