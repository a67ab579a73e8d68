"""The page worker's protocol (planbook/workers.py): results in order, pages the parent
claims, a child that crashes, hangs or sends garbage, and what is sent for a page."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from planbook.diagnostics import Diagnostic, Severity
from planbook.views.pages import Prepared
from planbook.workers import Worker, decode, encode

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX fork only")

JOBS = ["a", "b", "c", "d"]


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def _ran(log: Path) -> list[str]:
    return log.read_text().split() if log.exists() else []


def test_results_come_in_order_and_the_child_reports_its_memory() -> None:
    worker = Worker.start(JOBS, lambda job: f"result of {job}".encode() * 1000)
    assert worker is not None
    time.sleep(0.2)
    got = [worker.take(job) for job in JOBS]
    assert got == [f"result of {job}".encode() * 1000 for job in JOBS]
    assert worker.take("unknown") is None
    pid = worker.pid
    kb = worker.close()
    assert kb is not None and kb > 0 and worker.done and _gone(pid)


def test_a_job_without_a_result_is_the_parents() -> None:
    worker = Worker.start(JOBS, lambda job: None if job == "b" else job.encode())
    assert worker is not None
    time.sleep(0.3)
    assert [worker.take(job) for job in JOBS] == [b"a", None, b"c", b"d"]
    worker.close()


def test_the_parent_claims_a_page_the_child_has_not_reached(tmp_path: Path) -> None:
    """A page the child has not reached is the parent's (the child skips it). A page the
    child is preparing is waited for, and the next page is then the parent's too: a
    parent faster than the child leapfrogs it instead of waiting at every page (the
    charts bench site: ~0.7 s of waiting a build, ~0.07 s so). The child starts and
    finishes each page when the test says (files), not after a sleep: the test ran
    flaky on a loaded machine."""
    log = tmp_path / "ran"
    jobs = ["a", "b", "c", "d", "e", "f"]

    def run(job: str) -> bytes:  # in the child
        with log.open("a") as f:
            f.write(job + "\n")
        go = tmp_path / f"go-{job}"
        end = time.monotonic() + 60
        while not go.exists() and time.monotonic() < end:
            time.sleep(0.005)
        return job.encode()

    def preparing(job: str) -> None:
        end = time.monotonic() + 60
        while _ran(log)[-1:] != [job] and time.monotonic() < end:
            time.sleep(0.005)
        assert _ran(log)[-1:] == [job]

    def taken_while_waiting(job: str) -> bytes | None:
        """``take(job)`` while the child prepares it: the parent waits and claims the
        next page, and only then does the child finish ``job``."""
        got: list[bytes | None] = []
        taker = threading.Thread(target=lambda: got.append(worker.take(job)))
        taker.start()
        after = jobs.index(job) + 1
        end = time.monotonic() + 60
        while struct.unpack_from("<q", worker.shared, 0)[0] < after:
            assert time.monotonic() < end, "the parent never claimed the next page"
            time.sleep(0.005)
        (tmp_path / f"go-{job}").touch()
        taker.join(timeout=60)
        return got[0]

    worker = Worker.start(jobs, run)
    assert worker is not None
    worker.wait = 60
    preparing("a")
    assert taken_while_waiting("a") == b"a"  # waited for it ...
    assert worker.take("b") is None  # ... and "b" is the parent's: the child skips it
    preparing("c")
    assert worker.take("d") is None  # the child is on "c": "d", not reached, is the parent's
    (tmp_path / "go-c").touch()
    preparing("e")  # the child has done "c" and skipped "d"
    assert taken_while_waiting("e") == b"e"  # waited for it; "f" is the parent's
    assert worker.take("c") is None  # passed: its result was dropped
    assert worker.take("f") is None
    worker.close()
    assert _ran(log) == ["a", "c", "e"]


@pytest.mark.parametrize("how", ["raise", "exit"])
def test_a_child_that_dies_ends_the_worker(how: str) -> None:
    def run(job: str) -> bytes:
        if job == "b":
            if how == "raise":
                raise RuntimeError("broken")
            os._exit(7)
        return job.encode()

    worker = Worker.start(JOBS, run)
    assert worker is not None
    time.sleep(0.3)
    start = time.monotonic()
    got = [worker.take(job) for job in JOBS]
    assert got[1:] == [None, None, None] and time.monotonic() - start < 5
    assert worker.gone and worker.close() is None  # no last message


def test_a_hung_child_is_killed_after_the_wait() -> None:
    def run(job: str) -> bytes:
        if job == "b":
            time.sleep(60)
        return job.encode()

    worker = Worker.start(JOBS, run)
    assert worker is not None
    worker.wait = 0.5
    time.sleep(0.2)
    pid = worker.pid
    assert worker.take("a") == b"a"
    start = time.monotonic()
    assert worker.take("b") is None
    assert 0.4 < time.monotonic() - start < 5
    assert worker.gone and _gone(pid)
    assert worker.take("c") is None  # the rest is the parent's, at once
    worker.close()


def test_garbage_in_the_pipe_stops_the_child() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    read_fd, write_fd = os.pipe()
    os.set_blocking(read_fd, False)
    results = os.open(os.devnull, os.O_RDONLY)
    import mmap

    shared = mmap.mmap(-1, 16)
    shared[:] = (0).to_bytes(8, "little", signed=True) + (0).to_bytes(8, "little", signed=True)
    worker = Worker(child.pid, read_fd, results, shared, JOBS)
    os.write(write_fd, b"\x7f" * 20)  # an index no job has
    assert worker.take("a") is None
    assert worker.gone and _gone(child.pid)  # killed and reaped
    child.wait(timeout=5)  # (Popen learns that it is gone)
    os.close(write_fd)
    worker.close()


def test_a_result_the_file_does_not_hold_stops_the_worker() -> None:
    import struct

    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    read_fd, write_fd = os.pipe()
    os.set_blocking(read_fd, False)
    results = os.open(os.devnull, os.O_RDONLY)
    import mmap

    shared = mmap.mmap(-1, 16)
    worker = Worker(child.pid, read_fd, results, shared, JOBS)
    os.write(write_fd, struct.pack("<qQI", 0, 0, 100))  # 100 bytes the file does not have
    assert worker.take("a") is None
    assert worker.gone and _gone(child.pid)
    child.wait(timeout=5)
    os.close(write_fd)


def test_a_prepared_page_travels_without_its_evaluation() -> None:
    d = Diagnostic("docs/a.md", 3, "plan.x", "plan/x", Severity.WARNING, "<b>x</b>\n</script>")
    prepared = Prepared("text PBSLOT1Z", slots={"PBSLOT1Z": "<table>1</table>"}, diagnostics=[d])
    prepared.view = lambda: None  # type: ignore[assignment]  # not picklable: stays behind
    prepared.inputs = {"PBSLOT1Z": (object(),)}
    payload = encode(prepared, "text {{ x }}", "digest")
    assert prepared.view is not None and prepared.inputs  # the original keeps them
    got = decode(payload)
    assert got is not None
    markdown, digest, copy = got
    assert (markdown, digest) == ("text {{ x }}", "digest")
    assert copy.view is None and copy.inputs == {}
    assert copy.slots == prepared.slots and copy.diagnostics == [d]
    assert decode(b"garbage") is None
    import pickle

    assert decode(pickle.dumps(("md", "digest", "not a page"))) is None


def _start_kb() -> int:
    """What a child of this process holds (kB, private) when it starts a job: a process
    that ran many tests before forks with a heap in pieces, and its child copies more."""
    from planbook.workers import private_kb

    probe = Worker.start(["x"], lambda job: str(private_kb() or 0).encode())
    assert probe is not None
    time.sleep(0.3)
    got = probe.take("x")
    probe.close()
    assert got is not None
    return int(got)


def test_the_child_stops_at_its_memory_limit(tmp_path: Path) -> None:
    log = tmp_path / "ran"
    jobs = [str(i) for i in range(8)]
    held: list[bytes] = []

    def run(job: str) -> bytes:
        with log.open("a") as f:
            f.write(job + "\n")
        held.append(b"x" * (4 << 20))  # 4 MB of new memory the child keeps
        return job.encode()

    # the limit: the build's memory now, a child's start and 10 MB: two jobs pass (the
    # margin after the first is 256 kB, later the growth of the last one), not a third
    from planbook.workers import status_kb

    limit = status_kb()["VmRSS"] + _start_kb() + 10 * 1024
    worker = Worker.start(jobs, run, limit_kb=limit)
    assert worker is not None
    time.sleep(0.8)
    got = [worker.take(job) for job in jobs]
    worker.close()
    assert worker.done and worker.full
    ran = _ran(log)
    assert 1 <= len(ran) <= 3 and ran == jobs[: len(ran)]
    assert got == [job.encode() for job in ran] + [None] * (len(jobs) - len(ran))
    assert worker.private_kb is not None and worker.private_kb > 4096 * len(ran)  # kept


def test_memory_the_child_gave_back_does_not_stop_it(tmp_path: Path) -> None:
    """Each job faults in 4 MB and gives it back: the faults of all of them (what the
    estimate was) pass the limit after the third, the two processes never hold much
    more than at the fork."""
    import mmap

    from planbook.workers import status_kb

    jobs = [str(i) for i in range(8)]

    def run(job: str) -> bytes:
        block = mmap.mmap(-1, 4 << 20)
        for at in range(0, 4 << 20, 4096):
            block[at] = 1  # each page faults in
        block.close()  # and goes back to the system
        return job.encode()

    limit = status_kb()["VmRSS"] + _start_kb() + 12 * 1024
    worker = Worker.start(jobs, run, limit_kb=limit)
    assert worker is not None
    time.sleep(1.0)
    got = [worker.take(job) for job in jobs]
    worker.close()  # reads its last message
    assert worker.done and not worker.full
    assert got == [job.encode() for job in jobs]


def test_the_estimate_reads_the_childs_memory_before_it_stops(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Before each page: the parent's memory now and the child's at its last reading,
    with the faults of both since then and a margin for the next page (the pair's growth
    per page between the last two readings, or the child's faults over its last page if
    more); the child's memory is read again only when that passes the limit, and only a
    reading that passes it stops the child. Here the parent faults 100 pages a page
    (memory it gives back and takes again: its resident memory grows by 2), the child
    50, keeping 3 of them: faults alone pass the limit at the 4th page, the truth and
    the margin (50) at the 71st."""
    from planbook import workers

    now = {"rss": 500, "parent": 0, "own": 0, "private": 100}
    monkeypatch.setattr(workers, "_rss_kb", lambda pid: now["rss"])
    monkeypatch.setattr(workers, "_faults", lambda pid: now["parent"])
    monkeypatch.setattr(workers, "_own_faults", lambda: now["own"])
    monkeypatch.setattr(workers, "private_kb", lambda: now["private"])
    memory = workers._Memory(1000)
    memory.page_kb = 1
    memory.forked()
    assert memory.readings == 1 and memory.private_kb == 100
    pages = 0
    while not memory.full():
        pages += 1
        for key, by in (("rss", 2), ("parent", 100), ("own", 50), ("private", 3)):
            now[key] += by
        assert pages < 100
    # stopped at the first reading above the limit: 500 + 2k + 100 + 3k + 50 > 1000
    assert pages == 71
    assert memory.step_kb == 50 and memory.per_page_kb == 5
    assert 2 < memory.readings < pages  # read now and then, not before every page
    assert 2 < memory.readings < pages  # read now and then, not before every page


def test_the_fork_warning_of_python_312_does_not_reach_the_user(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import warnings

    real = os.fork

    def fork() -> int:  # as CPython 3.12+ does in a process with other threads
        warnings.warn(
            "This process is multi-threaded, use of fork() may lead to deadlocks in the child.",
            DeprecationWarning,
            stacklevel=2,
        )
        return real()

    monkeypatch.setattr(os, "fork", fork)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # as the test settings have it: a warning fails
        worker = Worker.start(JOBS, lambda job: job.encode())
    assert worker is not None
    time.sleep(0.2)
    assert worker.take("d") == b"d"
    worker.close()


def test_the_limit_is_the_builds_peak_and_a_margin_when_it_loaded_data_else_a_floor() -> None:
    from planbook.workers import FLOOR_KB, MARGIN_KB, memory_limit

    assert MARGIN_KB == 16 * 1024 and FLOOR_KB == 32 * 1024
    # 1,000 plans
    assert memory_limit({"VmHWM": 266_000, "VmRSS": 227_000}) == 266_000 + MARGIN_KB
    # 200 plans with charts: one worker (~43 MB) fits, 14 MB past the loading's peak
    assert memory_limit({"VmHWM": 217_804, "VmRSS": 177_764}) == 234_188
    assert 234_188 - 177_764 > 43_396 + (188_304 - 177_764)  # worker + the build's growth
    # little data: the floor above the build
    assert memory_limit({"VmHWM": 150_000, "VmRSS": 140_000}) == 140_000 + FLOOR_KB
    # no jump where the peak is about the floor above: it was 239,364 + 64 MB (worker
    # and build ~25 MB past the build's own peak on 1,000 plans evaluated after the rows)
    assert memory_limit({"VmHWM": 255_000, "VmRSS": 239_364}) == 239_364 + FLOOR_KB
    assert memory_limit({"VmHWM": 259_704, "VmRSS": 239_364}) == 259_704 + MARGIN_KB
    assert memory_limit({}) is None


def test_auto_forks_only_with_room_for_a_quarter_of_the_pages() -> None:
    """The rule of ``workers: auto`` (workers.worth_starting), with the bench sites'
    figures at the fork: room below the limit for the child's start and a quarter of
    the pages at PAGE_KB a page."""
    from planbook.workers import FLOOR_KB, MARGIN_KB, PAGE_KB, START_KB, worth_starting

    # 200 plans: the loading's peak is ~46 MB above the build at the fork
    assert worth_starting({"VmHWM": 224_472, "VmRSS": 176_900}, 200)
    # 1,000 plans: 22 MB and the margin above it, room for ~55 pages
    assert not worth_starting({"VmHWM": 260_768, "VmRSS": 238_328}, 1000)
    # exactly a quarter of the pages, and one page short of it
    rss = 100_000
    room = {"VmHWM": rss + START_KB + 50 * PAGE_KB - MARGIN_KB, "VmRSS": rss}
    assert worth_starting(room, 200)
    assert not worth_starting(room, 204)
    # a site with little data: the floor above the build (room for 32 pages)
    assert worth_starting({"VmHWM": rss, "VmRSS": rss}, 128)
    assert not worth_starting({"VmHWM": rss, "VmRSS": rss}, 129)
    assert (FLOOR_KB - START_KB) // PAGE_KB == 32
    # without /proc's figures there is no limit either
    assert worth_starting({}, 10_000)


def test_the_childs_settings_are_made_in_the_child_before_its_first_job() -> None:
    """``setup`` runs in the child only; the plugin's (page_workers._in_the_worker) keeps each
    chart store to page_workers.WORKER_CHARTS charts there, and the build's stores as they are."""
    from collections import OrderedDict

    from planbook import page_workers
    from planbook.views.charts import common

    def run(job: str) -> bytes:
        store: OrderedDict = OrderedDict()
        for i in range(40):
            assert common.kept(store, 256, (job, i), lambda i=i: i) == i
        return f"{len(store)} {common._AT_MOST}".encode()

    worker = Worker.start(JOBS, run, setup=page_workers._in_the_worker)
    assert worker is not None
    time.sleep(0.3)
    got = [worker.take(job) for job in JOBS]
    worker.close()
    assert page_workers.WORKER_CHARTS == 8
    assert got == [b"8 8"] * len(JOBS)
    assert common._AT_MOST is None  # the build's own: unchanged
    store: OrderedDict = OrderedDict()
    for i in range(40):
        common.kept(store, 256, i, lambda i=i: i)
    assert len(store) == 40


def test_the_first_pages_copies_are_not_every_pages_margin(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first page copies what every page touches (35 MB here, in a process whose
    heap is in pieces); the pages after it grow by 400 kB each. Taking the first page's
    growth as the next page's margin stopped the child after it; the margin is
    counted from the reading after the first page: it stops where 86 MB + 400 kB a
    page and the margin (the child's faults over its last page, 1 MB) pass 100 MB."""
    from planbook import workers

    now = {"rss": 50_000, "parent": 0, "own": 0, "private": 1_000}
    monkeypatch.setattr(workers, "_rss_kb", lambda pid: now["rss"])
    monkeypatch.setattr(workers, "_faults", lambda pid: now["parent"])
    monkeypatch.setattr(workers, "_own_faults", lambda: now["own"])
    monkeypatch.setattr(workers, "private_kb", lambda: now["private"])
    memory = workers._Memory(100_000)
    memory.page_kb = 1
    memory.forked()
    pages = 0
    while not memory.full():
        pages += 1
        if pages == 1:
            steps = (("own", 35_000), ("private", 35_000))
        else:
            steps = (("rss", 100), ("parent", 5_000), ("own", 1_000), ("private", 300))
        for key, by in steps:
            now[key] += by
        assert pages < 100
    assert pages == 34  # 86,000 + 400 * 33 + 1,000 > 100,000
    assert memory.per_page_kb == 400 and memory.step_kb == 1_000


@pytest.mark.parametrize("arrow", [True, False], ids=["lz4", "zlib"])
def test_results_are_squeezed_and_read_back_or_refused(
    monkeypatch: pytest.MonkeyPatch, arrow: bool
) -> None:
    """A result goes into the file compressed with LZ4 where pyarrow is loaded (a site
    with data) and with zlib otherwise, tagged; what is read back is what was written,
    and truncated or garbled data, another tag or a frame longer than its stated length
    is refused: the parent then prepares the page itself. (pyarrow's codec trusts a
    stated length longer than the frame: the child states it, and pickle ignores what
    follows a page.)"""
    import sys
    import zlib

    from planbook.workers import _lz4, squeeze, unsqueeze

    if arrow:
        import pyarrow  # noqa: F401 - loaded, as in a build that read a CSV
    else:
        monkeypatch.setitem(sys.modules, "pyarrow", None)
    payload = os.urandom(64) + "<td>预热期</td>".encode() * 20_000
    codec = _lz4()
    data = squeeze(payload, codec)
    assert data[:1] == (b"4" if arrow else b"z")
    assert unsqueeze(data, codec) == payload
    assert len(data) < len(payload) // 10
    shorter = data[:1] + (len(payload) - 1).to_bytes(8, "little") + data[9:]
    for bad in (b"", b"q" + data[1:], data[: len(data) // 2], shorter if arrow else data[:-3]):
        with pytest.raises((ValueError, OSError, zlib.error)):
            unsqueeze(bad, codec)
