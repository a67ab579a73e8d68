"""A second process for `mkdocs build`: pages prepared ahead of MkDocs, on another core.

Planbook's per-page work (:func:`planbook.views.pages.prepare`) is pure Python under the GIL, so
threads do not help. Once every page has been read and every plan evaluated, the build
forks one child (``os.fork``: the child shares the evaluated project copy-on-write, nothing
is sent to it) that prepares the pages in the order MkDocs renders them, and streams each
result (pickled, compressed: :func:`squeeze`) into an unlinked temporary file, telling the
parent where through a pipe. The parent takes a page's result when it gets to that page, if the child prepared it
from exactly the same inputs; otherwise it prepares the page itself. (The plugin gives
MkDocs each page's outline meanwhile and takes the results just before the pages are
written, in MkDocs' order: page_workers.py.)

The child never waits for the parent: its results go to the file, not into the pipe (which
would hold a few pages and then stop it), so it finishes the pages early and exits, and
what it holds (see copy-on-write below) is given back while the parent is still rendering.
The file is read with ``pread`` and never held in the parent's memory: on the 200-plan
bench site it is ~5 MB (the page cache's, not a process's).

The protocol (one pipe, child to parent; 16 shared bytes; the file):

* each message is ``<qQI``: a page index, where its result starts in the file and its
  length; index ``-1`` is the child's last message: its private memory in kB (times 2,
  plus 1 if it stopped at its memory limit) and the parent's resident memory then;
* the shared bytes hold two numbers: the page the parent claimed last (it prepares it
  itself: the child skips every page up to it) and the page the child is preparing. The
  parent waits for a page only while the child is preparing it; a page the child has not
  reached is claimed and prepared by the parent, so that neither waits for the other when
  the child falls behind; a parent that waits for the child's page claims the next one
  too (the two leapfrog, rather than the parent waiting at every page). A race between
  the two numbers costs a page prepared twice (the child's copy is dropped), never a
  wrong page.
* the parent never blocks on a child that is gone: it reads without blocking, waits with
  ``poll`` and a time limit, and an end of file, a malformed message or the time limit
  stops the worker (killed, reaped): the remaining pages are prepared serially (after the
  time limit, those it had finished are still taken).

Fork safety (what the child inherits, found for pyarrow 26, CPython 3.11-3.13, glibc):

* At the fork the process runs one Python thread and a few native ones (pyarrow's CPU
  pool, ~4 threads on 2 cores). Python's own ``os.fork`` runs its at-fork hooks (the GIL,
  the import lock, ``threading``, ``logging``'s handler locks are made anew in the child).
  Arrow registers ``pthread_atfork`` handlers for its thread pools (ARROW-2963, and the
  at-fork facility of ARROW-17975): in the child a pool starts again without threads and
  makes new ones if it is used. glibc's ``fork`` takes and resets its malloc arena locks.
  pyarrow's memory pool here is mimalloc (``pyarrow.default_memory_pool().backend_name``),
  whose heaps are per thread and lock-free: a block of a vanished thread freed in the
  child goes onto that thread's free list and stays there (a leak in the child, not a
  hang); jemalloc, where it is the pool, has its own at-fork handlers.
* What the child runs (page preparation: Jinja, Planbook's own code, reads of tables the
  parent loaded; pyarrow's LZ4 codec, one call on the calling thread, for its results)
  takes no lock that another thread could hold at the fork: the data
  store's lock is a ``threading.Lock`` taken by the loader's parse threads, which have
  all finished before the build reaches its pages (on_files).
* Python 3.12 warns (``DeprecationWarning``) when a process with other threads forks; the
  warning is about the hazard above and is silenced around this one fork.
* The child logs nothing and writes to the site only what ``run`` writes (the plugin: the
  CSV downloads of the pages it prepares): its standard output and error go
  to ``/dev/null``, logging is off, it exits with ``os._exit`` (no ``atexit`` handler, no
  flush of the parent's buffers). Jinja may write a compiled template to its per-user
  cache, as the parent would (an atomic rename; an entry is checked before use).
* Copy-on-write: every object the child touches has its reference count written, which
  copies that memory page. The collector is frozen in the child (``gc.freeze``: what was
  alive at the fork is never walked again), so only what the child reads is copied. Its
  private memory at its end (``/proc/self/smaps_rollup``) is reported to the parent
  (:attr:`Worker.private_kb`), for the benchmark's honest peak. The parent freezes its
  collector at the fork as well: its full collections wrote to every object they walk,
  which copied ~30 MB on the 200-plan site for a child that read nothing (~2 MB now).
  With ``limit_kb`` the child stops before a page once the two may hold more than that
  together (:class:`_Memory`: the parent's resident memory and the child's private memory,
  read now and then and bounded by page faults in between).
* Whether to fork at all (option ``workers: auto``, :func:`worth_starting`): only when the
  room below that limit holds the child's start (~16-20 MB on the bench sites: what its
  first page and the build's next ones copy) and a quarter of the pages at ~256 KB each.
  The 200-plan bench site has ~46 MB of room at the fork (a first worker prepares 110-170
  pages, the plugin's next one the rest); the 1,000-plan site 32 MB, room for ~30 of
  1,000 pages: no fork there.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import mmap
import os
import pickle
import resource
import select
import struct
import sys
import tempfile
import time
import warnings
import zlib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from .views.pages import Prepared

if TYPE_CHECKING:
    from .project import Page, Project

_MESSAGE = struct.Struct("<qQI")  # page index, offset in the file, length
_SHARED = struct.Struct("<qq")  # (claimed by the parent, being prepared by the child)
_LAST = -1

#: Seconds the parent waits for the page the child is preparing before it gives up on it.
WAIT_SECONDS = 30.0


#: What the worker and the build may hold together beyond the build's memory at the fork
#: when the build's peak so far is not above that (little data to load).
FLOOR_KB = 32 * 1024


#: How far the build and its worker together may go past the build's own peak so far
#: (its data loading; kB). A worker at its limit is followed by another, which copies the
#: build's hot set again (:data:`START_KB`) and costs the build a fork and the pages it
#: prepares itself meanwhile. On the 200-plan bench sites one worker for all the pages
#: holds ~38 MB (~43 MB with charts), 5-14 MB past the loading's peak: without this
#: margin the build forked 2-5 workers, and took 3.33 s instead of 2.97 s with charts
#: (alternated builds, medians of 6). The bench's peak stays below 3x the CSV (issue 12).
MARGIN_KB = 16 * 1024


def memory_limit(now: dict[str, int]) -> int | None:
    """The most the build and its worker should hold together (kB), from the build's
    ``VmHWM`` and ``VmRSS`` at the fork (:func:`status_kb`): its peak so far (its data
    loading) and :data:`MARGIN_KB`, or what it holds now and :data:`FLOOR_KB` when that
    is more. ``None`` (no limit) without those figures. (It was the floor's double below
    a peak less than 32 MB above the build: 1,000 plans evaluated once the data's rows
    are let go of are ~20 MB below the loading's peak at the fork, and their worker went
    ~25 MB past the build's own peak; issue 12.)"""
    hwm, rss = now.get("VmHWM"), now.get("VmRSS")
    if hwm is None or rss is None:
        return None
    return max(hwm + MARGIN_KB, rss + FLOOR_KB)


#: What the child holds once it has prepared its first page (kB): the copies of what that
#: page and the build's next pages touch (the site's navigation, templates, the code they
#: run). Measured on the bench sites: ~16 MB with 200 plans, ~20 MB with 1,000.
START_KB = 24 * 1024

#: What the child's private memory grows by per page it prepares (kB), the build's
#: copies meanwhile included: ~170 KB with 200 plans, ~250 KB with 1,000 (bench sites).
PAGE_KB = 256


def worth_starting(now: dict[str, int], pages: int) -> bool:
    """Whether a worker forked now (the build's :func:`status_kb`) could prepare a useful
    share of ``pages``: at least a quarter of them (it prepares about half when memory
    allows) within :func:`memory_limit`, after its start (:data:`START_KB`) and at
    :data:`PAGE_KB` a page. On the 200-plan bench site the build is ~46 MB below its
    peak at the fork (room for ~90 pages of 200); with 1,000 plans, 32 MB (~30 pages of
    1,000: a fork, a page prepared twice and the build's copies for no gain). Without
    the figures (no ``/proc``) there is no limit either: yes."""
    limit = memory_limit(now)
    if limit is None:
        return True
    room = limit - now["VmRSS"] - START_KB
    return room >= 0 and room // PAGE_KB * 4 >= pages


def can_fork() -> bool:
    """Whether this platform has ``os.fork`` (POSIX; not Windows)."""
    return hasattr(os, "fork")


class Worker:
    """The parent's side of one child process preparing ``jobs`` (page ids, in order)."""

    def __init__(
        self,
        pid: int,
        fd: int,
        results: int,
        shared: mmap.mmap,
        jobs: Sequence[str],
        codec: Any = None,
    ) -> None:
        self.pid = pid
        self.fd = fd  # the pipe's reading end
        self.results = results  # the file the child writes its results to
        self.shared = shared
        self.index = {job: i for i, job in enumerate(jobs)}
        self.found: dict[int, tuple[int, int]] = {}  # results announced before their page
        self.pending = bytearray()
        self.done = False  # the child sent its last message
        self.gone = False  # stopped: every page from now on is the parent's
        self.private_kb: int | None = None  # the child's private memory at its end
        self.full = False  # the child stopped at its memory limit
        self.parent_kb: int | None = None  # the parent's resident memory then
        self.taken = 0  # pages whose result the parent took
        self.waited = 0.0  # seconds the parent waited for the child
        self.wait = WAIT_SECONDS
        self.codec = codec  # what the child compresses its results with (:func:`squeeze`)

    @classmethod
    def start(
        cls,
        jobs: Sequence[str],
        run: Callable[[str], bytes | None],
        *,
        limit_kb: int | None = None,
        setup: Callable[[], None] | None = None,
    ) -> Worker | None:
        """Fork a child that calls ``setup()`` (the child's own settings), then
        ``run(job)`` for each job (skipping those the parent claims) and keeps what it
        returns (``None``: nothing, the parent does that job).
        With ``limit_kb``, the child stops before a job once the two processes may hold
        more than that together (:class:`_Memory`). ``None`` when no child could be
        started."""
        if not can_fork() or not jobs:
            return None
        try:
            shared = mmap.mmap(-1, _SHARED.size)
            _SHARED.pack_into(shared, 0, -1, -1)
            results, path = tempfile.mkstemp(prefix="planbook-pages-")
            os.unlink(path)  # gone with the last descriptor, whatever happens
        except OSError:
            return None
        try:
            read_fd, write_fd = os.pipe()
        except OSError:
            os.close(results)
            return None
        memory = _Memory(limit_kb) if limit_kb is not None else None
        codec = _lz4()  # chosen here: the parent reads what the child writes
        try:
            with warnings.catch_warnings():
                # 3.12+: "This process is multi-threaded, use of fork() may lead to
                # deadlocks in the child" (pyarrow's pool threads; see the docstring)
                warnings.simplefilter("ignore", DeprecationWarning)
                pid = os.fork()
        except OSError:
            for fd in (read_fd, write_fd, results):
                os.close(fd)
            return None
        if pid == 0:  # the child: never returns
            os.close(read_fd)
            _child(jobs, run, write_fd, results, shared, memory, setup, codec)
        os.close(write_fd)
        os.set_blocking(read_fd, False)
        return cls(pid, read_fd, results, shared, jobs, codec)

    # ---------------------------------------------------------------- the parent

    def take(self, job: str) -> bytes | None:
        """The child's result for ``job``; ``None``: the parent prepares it (the child
        has not reached it, skipped it, or is gone). Waits only while the child is
        preparing this very job, and at most :attr:`wait` seconds."""
        i = self.index.get(job)
        if i is None:
            return None
        if i in self.found:
            return self._result(*self.found.pop(i))
        if self.gone:
            return None
        deadline = time.monotonic() + self.wait
        while True:
            at = _SHARED.unpack_from(self.shared, 0)[1]  # before reading: see below
            found = self._read_until(i)
            if found is not None:
                return self._result(*found)
            if self.gone or self.done:
                return None
            if at > i:
                # the child had passed i before the read above: its message, if any,
                # was in the pipe, and it was not
                return None
            if at != i:  # not reached yet: the parent's
                self._claim(i)
                return None
            if i + 1 < len(self.index):
                # The parent caught up with the child: it waits for this page, and the
                # next one is its own (the child skips it), so that the two leapfrog
                # instead of the parent waiting at every page behind a slower child.
                self._claim(i + 1)
            left = deadline - time.monotonic()
            if left <= 0 or not self._poll(left):
                self.stop(keep=True)  # too slow, or hung: the rest is serial
                return None

    def _result(self, offset: int, size: int) -> bytes | None:
        try:
            data = os.pread(self.results, size, offset)
            if len(data) == size:
                return unsqueeze(data, self.codec)
        except (OSError, ValueError, zlib.error):  # pyarrow's codecs raise OSError
            pass
        self.stop()  # not what the child wrote: the rest is serial
        return None

    def _claim(self, i: int) -> None:
        if i > _SHARED.unpack_from(self.shared, 0)[0]:
            self.shared[0:8] = struct.pack("<q", i)  # the parent's half only

    def _poll(self, seconds: float) -> bool:
        poller = select.poll()
        poller.register(self.fd, select.POLLIN | select.POLLHUP | select.POLLERR)
        start = time.monotonic()
        try:
            return bool(poller.poll(max(1, int(seconds * 1000))))
        finally:
            self.waited += time.monotonic() - start

    def _read_until(self, i: int) -> tuple[int, int] | None:
        """Read what the pipe holds now, up to and including job ``i``'s message;
        earlier jobs' results (the parent prepared them) are dropped."""
        while True:
            message = self._message()
            if message is None:
                return None
            index, offset, size = message
            if index == _LAST:
                self.done = True
                self.private_kb, self.full = offset >> 1, bool(offset & 1)
                self.parent_kb = size or None
            elif index == i:
                return offset, size
            elif index > i:
                self.found[index] = (offset, size)

    def _message(self) -> tuple[int, int, int] | None:
        """The next whole message, reading without blocking; ``None``: none yet."""
        while True:
            if len(self.pending) >= _MESSAGE.size:
                index, offset, size = _MESSAGE.unpack_from(self.pending, 0)
                del self.pending[: _MESSAGE.size]
                if not _LAST <= index < len(self.index):
                    self.stop()  # garbage: not a message this protocol sends
                    return None
                return index, offset, size
            if self.gone:
                return None
            try:
                chunk = os.read(self.fd, 1 << 16)
            except BlockingIOError:
                return None
            except OSError:
                chunk = b""
            if not chunk:  # the child exited (or died): what it sent is all there is
                self._reap()
                return None
            self.pending += chunk

    def _reap(self) -> None:
        """The pipe's end: the child has exited or is exiting; what it wrote stays
        readable (``found``, the file) after it."""
        if self.pid:
            with contextlib.suppress(OSError):
                os.waitpid(self.pid, 0)
        self.pid = 0
        self.gone = True
        with contextlib.suppress(OSError):
            os.close(self.fd)
        self.pending.clear()

    def stop(self, keep: bool = False) -> None:
        """Kill the child (if alive) and reap it: every page it has not finished is the
        parent's. With ``keep`` (it was too slow on one page), the results it finished
        stay usable: what the pipe still holds is read first."""
        if self.pid:
            with contextlib.suppress(OSError):
                os.kill(self.pid, 9)
            with contextlib.suppress(OSError):
                os.waitpid(self.pid, 0)  # dead: its end of the pipe is closed
            self.pid = 0
            while keep and not self.gone:
                message = self._message()  # to the end of the pipe (then _reap)
                if message is None:
                    break
                if message[0] >= 0:
                    self.found[message[0]] = (message[1], message[2])
            self._reap()
        if not keep:
            self.found.clear()
        self.gone = True

    def close(self, wait: float = 2.0) -> int | None:
        """End of the build: read the child's last message (its memory) if it comes
        within ``wait`` seconds, stop it, let go of its file; its private memory in kB."""
        deadline = time.monotonic() + wait
        while not self.gone and not self.done:
            self._read_until(len(self.index))  # drops every result
            left = deadline - time.monotonic()
            if self.gone or self.done or left <= 0 or not self._poll(left):
                break
        self.stop()
        with contextlib.suppress(OSError):
            os.close(self.results)
        return self.private_kb


# -------------------------------------------------------------------- the child


def _child(
    jobs: Sequence[str],
    run: Callable[[str], bytes | None],
    fd: int,
    results: int,
    shared: mmap.mmap,
    memory: _Memory | None,
    setup: Callable[[], None] | None = None,
    codec: Any = None,
) -> None:
    """Prepare ``jobs`` in order, write the results (:func:`squeeze`, with ``codec``);
    exits, never returns."""
    code = 1
    try:
        gc.freeze()  # what the fork shares is never walked (and so never copied) again
        logging.disable(logging.CRITICAL)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os.close(devnull)
        os.set_blocking(fd, True)
        if setup is not None:
            setup()
        offset = 0
        full = False
        if memory is not None:
            memory.forked()
        for i in range(len(jobs)):
            if i <= _SHARED.unpack_from(shared, 0)[0]:
                continue  # the parent prepares it
            if memory is not None and memory.full():
                full = True
                break  # the rest is the parent's
            job = jobs[i]
            shared[8:16] = struct.pack("<q", i)
            payload = run(job)
            if payload is None:
                continue
            data = squeeze(payload, codec)
            written = 0
            while written < len(data):
                written += os.pwrite(results, data[written:], offset + written)
            os.write(fd, _MESSAGE.pack(i, offset, len(data)))
            offset += len(data)
        shared[8:16] = struct.pack("<q", len(jobs))
        # its private memory and whether it stopped at its limit; the parent's resident
        # memory at the same time (0: unknown)
        own, parent = private_kb() or 0, _rss_kb(os.getppid()) or 0
        os.write(fd, _MESSAGE.pack(_LAST, own << 1 | full, min(parent, 2**32 - 1)))
        code = 0
    except BaseException:  # any failure ends the child; the parent carries on
        code = 1
    finally:
        os._exit(code)


class _Memory:
    """Whether the parent and the child may hold more than ``limit_kb`` together, told
    before each page. What they hold is the parent's resident memory and the child's
    private memory (``/proc/self/smaps_rollup``: its copy-on-write copies and its own
    allocations; the figure the benchmark adds to the build's), read now and then: in
    between, its growth is bounded cheaply. A page of memory becomes the child's own
    when either process writes to it after the fork (a reference count, most often: the
    writer gets a copy, the other keeps the old page) or when the child takes a new one,
    each a minor page fault of the writer: the faults of both since the last reading
    (``getrusage``, the parent's ``/proc/PID/stat``) times the page size bound what the
    child's private memory has grown by. Only when that bound, the parent's resident
    memory now and the next page's margin (:attr:`step_kb`) pass the limit is the
    child's memory read again, and only a reading that passes it stops the child.

    The margin is what the two grew by per page between the last two readings, or what
    the child faulted in over its last page if that is more. The first page is the
    child's start (it copies what every page touches): after it the memory is read, and
    the growth per page is counted from there, with :data:`PAGE_KB` as the margin until
    the next reading (the first page's copies as every page's margin stopped a worker
    in a test process with a heap in pieces).

    Faults alone overstate: the parent's are mostly its own new memory, already in its
    resident memory, and both processes fault again on memory they gave back and took
    anew (a page's large strings). As the whole estimate they said 222 MB on the
    200-plan bench site when the two held 206 MB, and the child stopped after 50 of 200
    pages (issue 12)."""

    def __init__(self, limit_kb: int) -> None:
        self.limit_kb = limit_kb
        self.parent = os.getpid()
        self.page_kb = max(1, os.sysconf("SC_PAGE_SIZE") // 1024)
        self.private_kb = 0  # the child's private memory at the last reading
        self.faults = (0, 0)  # the child's and the parent's minor faults then
        self.held: tuple[int, int] | None = None  # both's memory then, and at which check
        self.own = 0  # the child's faults at the last check
        self.checks = 0
        self.step_kb = 0  # the next page's margin
        self.per_page_kb = 0  # the pair's growth per page between the last two readings
        self.readings = 0  # of smaps_rollup (tests)

    def forked(self) -> None:
        """In the child, at its start: the first reading."""
        faults, rss = self._faults(), _rss_kb(self.parent)
        self.faults = faults or (0, 0)
        self.own = self.faults[0]
        self.private_kb = private_kb() or 0
        self.readings += 1
        if rss is not None:
            self.held = (rss + self.private_kb, 0)

    def _faults(self) -> tuple[int, int] | None:
        parent = _faults(self.parent)
        if parent is None:
            return None
        return _own_faults(), parent

    def full(self) -> bool:
        rss, faults = _rss_kb(self.parent), self._faults()
        if rss is None or faults is None:
            return True  # the parent is gone, or no /proc: no way to tell
        self.checks += 1
        own, self.own = (faults[0] - self.own) * self.page_kb, faults[0]
        # after the first page: what it copied is the child's start, not a page's growth
        # (~12 MB on the 200-plan site): read, and the next page's margin is PAGE_KB
        first = self.checks == 2
        self.step_kb = PAGE_KB if first else max(own, self.per_page_kb)
        grown = (sum(faults) - sum(self.faults)) * self.page_kb
        if not first and rss + self.private_kb + grown + self.step_kb <= self.limit_kb:
            return False
        private = private_kb()
        if private is None:
            return True
        # the faults from before the reading: those during it count twice (more, not less)
        self.private_kb, self.faults = private, faults
        self.readings += 1
        if not first and self.held is not None and self.checks > self.held[1]:
            grew = rss + private - self.held[0]
            self.per_page_kb = max(0, grew // (self.checks - self.held[1]))
            self.step_kb = max(own, self.per_page_kb)
        self.held = (rss + private, self.checks)
        return rss + private + self.step_kb > self.limit_kb


def _own_faults() -> int:
    """Minor page faults of this process so far."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def _faults(pid: int) -> int | None:
    """Minor page faults of process ``pid`` so far (``/proc/PID/stat``, field 10)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            text = f.read()
        return int(text[text.rindex(b")") + 2 :].split()[7])
    except (OSError, ValueError, IndexError):
        return None


def _rss_kb(pid: int) -> int | None:
    """Resident memory of process ``pid`` now, in kB (``/proc/PID/statm``)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            pages = int(f.read().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return pages * max(1, os.sysconf("SC_PAGE_SIZE") // 1024)


def private_kb() -> int | None:
    """This process's private memory (kB): what it does not share with any other process
    (its copy-on-write copies and its own allocations). ``None`` without ``/proc``."""
    try:
        with open("/proc/self/smaps_rollup", encoding="ascii") as f:
            text = f.read()
    except OSError:
        return None
    total = 0
    for line in text.splitlines():
        if line.startswith(("Private_Clean:", "Private_Dirty:")):
            total += int(line.split()[1])
    return total


def status_kb() -> dict[str, int]:
    """This process's resident memory now and at its peak (kB; empty without ``/proc``)."""
    out: dict[str, int] = {}
    with contextlib.suppress(OSError), open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith(("VmRSS:", "VmHWM:")):
                out[line.split(":")[0]] = int(line.split()[1])
    return out


# -------------------------------------------------------------------- what is sent


def _lz4() -> Any:
    """pyarrow's LZ4 codec when pyarrow is loaded already (a site with data): ~10 times
    zlib's speed both ways (a 170 KB plan page: 0.05 ms to compress, 0.013 ms back,
    against 0.49 and 0.12 ms at zlib's level 1); ``None`` otherwise (it is never
    imported for this)."""
    pa = sys.modules.get("pyarrow")
    try:
        return pa.Codec("lz4") if pa is not None and pa.Codec.is_available("lz4") else None
    except Exception:  # an unusual build of pyarrow: zlib
        return None


_SIZE = struct.Struct("<Q")


def squeeze(payload: bytes, codec: Any = None) -> bytes:
    """``payload`` compressed for the results file: LZ4 with ``codec`` (:func:`_lz4`:
    ``b"4"``, its length, the frame), else zlib at level 1 (``b"z"``, the stream)."""
    if codec is not None:
        return b"4" + _SIZE.pack(len(payload)) + codec.compress(payload, asbytes=True)
    return b"z" + zlib.compress(payload, 1)


def unsqueeze(data: bytes, codec: Any = None) -> bytes:
    """What :func:`squeeze` was given, with the same ``codec``; ``ValueError`` (or the
    codec's own ``OSError``, ``zlib.error``) for truncated or garbled data. The LZ4 length
    is the child's: pyarrow pads a frame shorter than it (pickle ignores what follows a
    page)."""
    kind, body = data[:1], data[1:]
    if kind == b"z":
        return zlib.decompress(body)
    if kind == b"4" and codec is not None and len(body) >= _SIZE.size:
        (size,) = _SIZE.unpack_from(body)
        return codec.decompress(body[_SIZE.size :], decompressed_size=size, asbytes=True)
    raise ValueError("not a result of squeeze")


def encode(prepared: Prepared, markdown: str, digest: str) -> bytes:
    """A prepared page for the pipe, with what it was prepared from (the Markdown MkDocs
    hands the plugin, the page's digest). Its plan's evaluation (``view``) stays behind:
    the parent attaches its own; ``inputs`` are for `mkdocs serve` only, which has no
    worker."""
    view, inputs = prepared.view, prepared.inputs
    prepared.view, prepared.inputs = None, {}
    try:
        return pickle.dumps((markdown, digest, prepared), protocol=pickle.HIGHEST_PROTOCOL)
    finally:
        prepared.view, prepared.inputs = view, inputs


def decode(payload: bytes) -> tuple[str, str, Prepared] | None:
    """(Markdown, digest, prepared page) from :func:`encode`; ``None`` for anything else."""
    try:
        markdown, digest, prepared = pickle.loads(payload)  # from our own child
    except Exception:  # garbage from a broken child is not a page
        return None
    if not (isinstance(markdown, str) and isinstance(digest, str)):
        return None
    if not isinstance(prepared, Prepared):
        return None
    return markdown, digest, prepared


def adopt(project: Project, src: Page, prepared: Prepared) -> None:
    """What preparing ``src`` leaves in the project for later pages, from the worker's
    result: the page's review (``pages._review``'s memo), which a portfolio rendered
    after the page reads (the page itself is let go of once rendered, and a review of
    it then would find nothing)."""
    if prepared.review is not None:
        project.memo.setdefault(("review", src.src_uri, src.digest), prepared.review)
