"""The body of a delimited export -> raw columns, with exact line numbers.

Two readers, one contract (:class:`Raw`):

* the fast path hands the bytes (or the file itself) to ``pyarrow.csv`` and
  gives up at the first row with another number of fields than the header;
* the exact path reads the decoded text with Python's ``csv`` module: rows with
  a trailing delimiter (empty extra fields) are read, shorter and longer rows are
  excluded and reported with their line, footers after the table are set aside.

Line numbers are physical and 1-based, and stay right after a quoted field that
holds a newline: they come from the ``csv`` module's own line count.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .categories import Categories, chunk_codes
from .digest import ContentKey

__all__ = [
    "PARSER_NULLS",
    "Raw",
    "read_exact",
    "read_fast",
    "release_memory",
    "rows_frame",
    "without_commas",
]

# Values the fast reader turns into "missing" in number columns. "NA" is absent (a
# region), so is "None" (a campaign can be called that).
PARSER_NULLS = ["", "--", "-", "—", "N/A", "n/a", "#N/A", "NULL", "null", "NaN", "nan"]
_BLOCK = 1 << 20
# Bytes of whole lines parsed by one ``read_csv`` call (its parse buffers, about twice
# this, are freed soon after): two of pyarrow's 1 MB blocks. 16 MB: the same speed,
# 15 MB more peak memory on a 68 MB file; 4 MB: 10-12 MB more than 2 MB at the
# 200-plan build's peak (issue 12).
SEGMENT = 2 << 20
# Bytes pyarrow parses and converts at a time within a segment (its parse buffers are
# freed block by block): half a MB instead of its 1 MB default, 5-10 MB less at the
# 200-plan build's peak for no measurable CPU (issue 12).
PARSE_BLOCK = 512 << 10


def _workers() -> int:
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        cores = os.cpu_count() or 2
    return max(2, min(4, cores))


# Threads parsing segments, each running pyarrow single-threaded and converting its
# measures (pyarrow's own threads inside one segment left a core idle while the main
# thread converted the last one). Each one more holds a segment and its parse buffers
# (about 12 MB): at most four.
WORKERS = _workers()


@dataclass
class Raw:
    """Raw columns ``c0 … c{n-1}`` of the data rows, and what was set aside."""

    frame: pd.DataFrame
    binary: bool  # text columns hold bytes in the file's encoding (GB18030 fast path)
    line_of: Callable[[np.ndarray], np.ndarray]
    cell: Callable[[int, int], str] | None = None  # (row, column) -> the text as written
    bad: list[tuple[int, int]] = field(default_factory=list)  # (line, fields)
    empty: list[int] = field(default_factory=list)  # lines with only delimiters
    after: list[int] = field(default_factory=list)  # lines below the table
    digest: str = ""  # the content key of the whole file, when the reader read it from disk


def _names(n: int) -> list[str]:
    return [f"c{i}" for i in range(n)]


def _nonblank_lines(buf: bytes, first_line: int) -> np.ndarray:
    """Numbers of the lines of ``buf`` that are not blank (``\r`` alone is blank)."""
    arr = np.frombuffer(buf, dtype=np.uint8)
    nl = np.flatnonzero(arr == 10)
    starts = np.concatenate(([0], nl + 1))
    ends = np.concatenate((nl, [len(arr)]))
    length = ends - starts
    one = length == 1
    blank = length == 0
    blank[one] = arr[starts[one]] == 13
    numbers = np.arange(first_line, first_line + len(starts), dtype=np.int64)
    keep = ~blank
    if len(starts) and starts[-1] == len(arr):  # the empty "line" after a final newline
        keep[-1] = False
    return numbers[keep]


# A body this large (bytes) is worth giving the parse's memory back for at once; the
# trim of many small files would cost more time than the memory is worth.
TRIM_AFTER = 8 << 20
# ... and during such a read, a few times (TRIMS) and at least every TRIM_EVERY bytes
# apart. Every 16 MB (until issue 12's rows5m) held the holes the freed segments leave
# under the columns kept, but each trim handed back pages the next segments faulted in
# again, and a page first touched costs more than its copy here (a VM zeroes it for the
# host: about 2 ms a MB): the 5M-row read trimmed 21 times. Four times a read kept the
# 1M-row read's own peak 1-3 MB lower than once, but its trims split the huge pages the
# parse threads' arenas had (4 KB faults, ~6 us each here): once, after the last
# segment, the 1M-row read faults ~10K pages less (25K -> 16.5K in a fresh process,
# 21K -> 11K a read after the first), ~5% less time, its own peak ~2 MB higher (about
# 81 MB for the 68 MB file), the 1,000-plan build's peak unchanged (293.5-294.9 MB
# both ways: it comes later in the build) (issue 12, loader3).
TRIMS = 1
TRIM_EVERY = 16 << 20


def read_fast(
    source: bytes | Path,
    *,
    offset: int,
    end: int | None,
    n: int,
    delimiter: str,
    types: dict[int, str],
    binary: bool,
    first_line: int,
    decode: Callable[[bytes], str],
    numbers: Collection[int] = (),
) -> Raw | None:
    """pyarrow over ``source[offset:end]`` (``None``: a row had another field count,
    or the bytes are not what the types say; the exact path takes over).

    The body is read in segments of whole lines (:data:`SEGMENT` bytes), each parsed by
    ``pyarrow.csv`` on one of :data:`WORKERS` threads and joined: only a few segments'
    parse buffers are alive at a time (one ``read_csv`` over a whole file holds every
    parsed block until the end, about twice the file). The columns in ``numbers``
    (measures) become ``float64`` on the worker, which writes them at their rows into
    one array per column (:class:`_Measures`), and each segment's Arrow columns are
    freed as soon as they are converted. A file given by its path is hashed (:mod:`.digest`) as it is read, every
    byte once: :attr:`Raw.digest`."""
    import pyarrow as pa

    hasher = _Hasher() if isinstance(source, Path) else None
    text_type = pa.binary() if binary else pa.string()
    # Dimensions repeat a few hundred values over a million rows: read them
    # dictionary-encoded, so every later check runs on the distinct values only.
    # Their values are read as bytes and checked as UTF-8 once per distinct value
    # (:class:`.categories.Categories`): pyarrow checked every cell (10-15 of 235 ms of
    # CPU for 1M rows with two such columns) ...
    column_types = {
        f"c{i}": pa.dictionary(pa.int32(), pa.binary()) if kind == "dict" else text_type
        for i, kind in types.items()
    }
    # ... and numbered across segments as they come (:mod:`.categories`): no unified
    # copy of every index, no second one from ``to_pandas``.
    dims = {f"c{i}": Categories(not binary) for i, kind in types.items() if kind == "dict"}
    numbers = sorted(i for i in numbers if i not in types and 0 <= i < n)
    body_size = _body_size(source, offset, end)  # one stat of a file
    sink = _Measures(numbers, body_size) if numbers else None
    parts: list[pa.Table] = []  # the other columns of each segment
    spans: list[tuple[int, int, int]] = []  # (first byte, end byte, rows) of each segment

    def submit(pool: Any, k: int, piece: memoryview) -> Any:
        return pool.submit(_work, piece, k, n, delimiter, column_types, list(dims), sink)

    # A large body's parse frees each segment's buffers on the threads' arenas and its
    # bytes on this one: given back as the read goes (TRIMS, TRIM_EVERY), or the holes
    # they leave stack up under the columns kept (issue 12: about 20 MB of the 200-plan
    # build's peak, at 1M rows).
    trim = body_size >= TRIM_AFTER
    every = max(TRIM_EVERY, body_size // TRIMS)
    untrimmed = 0
    try:
        pos = offset
        abort = sink.abort if sink is not None else None
        for size, (table, codes) in _parsed(_segments(source, offset, end, hasher), submit, abort):
            parts.append(table)
            del table
            for name, chunks in codes.items():
                dims[name].add(chunks)
            del codes
            spans.append((pos, pos + size, parts[-1].num_rows))
            pos += size
            untrimmed += size
            if trim and untrimmed >= every:
                trim_arenas()
                untrimmed = 0
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, UnicodeDecodeError):
        return None
    finally:
        digest = hasher.hexdigest() if hasher is not None else ""
    if trim and untrimmed:  # the last segments' too, before the join and its copies
        trim_arenas()
    table = _join(parts, types)
    del parts
    if table is None:
        return None
    frame = table.to_pandas(
        types_mapper=lambda t: None if pa.types.is_dictionary(t) else pd.ArrowDtype(t)
    )
    del table
    columns: dict[str, Any] = {name: frame[name] for name in frame.columns}
    del frame
    for name, categories in dims.items():
        columns[name] = categories.series()
    for i in numbers:
        assert sink is not None
        column = sink.column(i)
        if column is None:
            return None
        columns[f"c{i}"] = column
    # Each column its own block (no copy into one 2-D block of every measure).
    frame = pd.DataFrame({name: columns.pop(name) for name in _names(n)}, copy=False)
    if trim:
        # The parse threads' arenas and Arrow's pool hold about twice the body, freed
        # but out of reach of the main thread: given back before the rows are converted
        # and aggregated, or those would stack on top of them (issue 12).
        release_memory()

    def raw_body() -> bytes:
        data = source.read_bytes() if isinstance(source, Path) else source
        return data[offset:end]

    def body() -> str:
        return decode(raw_body())

    def cell(row: int, col: int) -> str:
        # Only for messages: the typed column lost the text (1e309 became inf).
        records = [rec for _, rec in text_records(body(), delimiter, first_line) if rec]
        rec = records[row] if row < len(records) else None
        return rec[col] if rec is not None and col < len(rec) else ""

    def whole() -> np.ndarray:
        # Only when a segment holds fewer rows than non-blank lines (a quoted field
        # holds a newline) does the csv module count the records of the whole body.
        records = text_records(body(), delimiter, first_line)
        return np.asarray([line for line, _ in records], dtype=np.int64)

    line_of = _Lines(source, offset, spans, first_line, whole)
    return Raw(frame, binary, line_of, cell, digest=digest)


def release_memory() -> None:
    """Hand freed memory back to the system (glibc's ``malloc_trim``; Arrow's pool).

    pyarrow parses on its own threads, so the parse buffers are allocated, and freed,
    in those threads' malloc arenas: the main thread never reuses that memory, and the
    rest of a build (rendering every page) grew the resident size on top of it. The
    project calls this once a cube is built (not after each read: a second read in the
    same process reuses those arenas, and would pay for the pages again). Elsewhere
    (no glibc) only Arrow's pool is released."""
    import sys

    if "pyarrow" in sys.modules:  # never imported for this alone
        sys.modules["pyarrow"].default_memory_pool().release_unused()
    trim_arenas()


def trim_arenas() -> None:
    """glibc's ``malloc_trim(0)`` alone (nothing elsewhere): the free pages of every
    malloc arena back to the system. The segmented read of a large body calls it a few
    times as it goes (the parse buffers are the system pool's, :func:`_pool`)."""
    global _TRIM
    if _TRIM is None:
        _TRIM = _malloc_trim()
    if _TRIM:
        _TRIM(0)


def _libc(name: str) -> Any:
    """glibc's function ``name`` through ctypes, or False (not Linux, or a C library
    without it: musl has neither malloc_trim nor mallopt)."""
    import ctypes
    import ctypes.util
    import sys

    if not sys.platform.startswith("linux"):
        return False
    try:
        return getattr(ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6"), name)
    except (OSError, AttributeError):
        return False


def _malloc_trim() -> Any:
    import ctypes

    trim = _libc("malloc_trim")
    if trim:
        trim.argtypes = [ctypes.c_size_t]
        trim.restype = ctypes.c_int
    return trim


_TRIM: Any = None

M_ARENA_MAX = -8  # glibc's mallopt parameter


#: numpy's own switch of :func:`huge_pages`, read at its import: where a user set it,
#: Planbook leaves the setting alone.
HUGE_PAGES_ENV = "NUMPY_MADVISE_HUGEPAGE"


def huge_pages(enabled: bool) -> bool | None:
    """Whether numpy asks the kernel for transparent huge pages for its large arrays
    (``madvise(MADV_HUGEPAGE)`` on every array of 4 MB or more, numpy's default where
    the kernel offers them "on madvise", as Debian's and Ubuntu's do); the setting
    before, ``None`` where numpy has no such switch. It is the switch behind numpy's
    ``NUMPY_MADVISE_HUGEPAGE`` (documented in numpy's "global state"), which is read
    only at import.

    A build allocates large arrays that live briefly (a column's dates, codes and
    measures, the cube's groups), each touched once. With ``defrag`` at "madvise" (the
    same distributions' default), the first touch of such an array may stall while the
    kernel compacts memory to find a huge page: on the bench machine turning dates of
    5M rows into ``datetime64`` took 0.08 s instead of 0.006-0.02 s, and whole builds
    were faster without the hint (5M rows: 3.05 -> 2.83 s; 200 plans over 1M rows:
    2.36 -> 2.12 s; alternated runs, medians of 5; issue 12)."""
    try:
        from numpy._core import multiarray
    except ImportError:  # pragma: no cover - numpy 1.x names it numpy.core
        return None
    switch = getattr(multiarray, "_set_madvise_hugepage", None)
    if switch is None:  # pragma: no cover - a numpy without it
        return None
    return bool(switch(enabled))


def no_huge_pages() -> bool | None:
    """:func:`huge_pages` off for a build or a `planbook` command, unless the user set
    :data:`HUGE_PAGES_ENV` (their setting is left alone): the setting before, ``None``
    when it was left alone or numpy has no such switch."""
    if HUGE_PAGES_ENV in os.environ:
        return None
    return huge_pages(False)


def one_arena() -> bool:
    """Have every thread started from now on allocate from the main malloc arena
    (glibc's ``mallopt(M_ARENA_MAX, 1)``); False where that is not glibc.

    `mkdocs serve` answers requests on a thread of its own (MkDocs 1.6 rebuilds on the
    main thread), and the loader parses on worker threads: each got an arena of its own
    whose freed memory stayed with the process
    (`make bench`, 20 CSV edits: 258 -> 298 MB resident). In one arena ``malloc_trim``
    gives it back (282 / 251 MB). Arrow's buffers have their own pool."""
    import ctypes

    mallopt = _libc("mallopt")
    if not mallopt:
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(M_ARENA_MAX, 1))


def _parsed(
    pieces: Iterator[memoryview],
    submit: Callable[[Any, int, memoryview], Any],
    abort: Callable[[], None] | None = None,
) -> Iterator[tuple[int, Any]]:
    """``(bytes, result)`` of each piece, in order. Pieces are parsed on :data:`WORKERS`
    threads (pyarrow and the conversions release the GIL), one more piece queued than
    there are threads, so a thread that finishes takes the next one while the caller
    takes this one's columns. ``submit(pool, k, piece)`` queues piece ``k``; ``abort``
    releases the threads that wait for an earlier piece when the read stops early."""
    from collections import deque
    from concurrent.futures import Future, ThreadPoolExecutor

    with ThreadPoolExecutor(WORKERS, thread_name_prefix="planbook-parse") as pool:
        pending: deque[tuple[int, Future[Any]]] = deque()
        try:
            for k, piece in enumerate(pieces):
                pending.append((len(piece), submit(pool, k, piece)))
                del piece
                if len(pending) > WORKERS:
                    size, future = pending.popleft()
                    yield size, future.result()
            while pending:
                size, future = pending.popleft()
                yield size, future.result()
        finally:
            for _, future in pending:
                future.cancel()
            if abort is not None:
                abort()


def _work(
    piece: memoryview,
    k: int,
    n: int,
    delimiter: str,
    column_types: dict[str, Any],
    dims: list[str],
    sink: _Measures | None,
) -> tuple[Any, dict[str, list[tuple[list[bytes], np.ndarray]]]]:
    """Segment ``k``, on a worker thread: parsed, the dictionary columns in ``dims``
    taken out as their values and narrow codes (:func:`.categories.chunk_codes`), and
    its measure columns turned into ``float64`` and written into ``sink`` at their rows.
    Returns the other columns and the codes. Measures are left to pyarrow's inference:
    declaring them ``float64`` parsed no faster (233 vs 235 ms of CPU for 1M rows) and
    needs a second parse of a segment holding text."""
    try:
        table = _parse_segment(piece, n, delimiter, column_types)
        codes = {name: chunk_codes(table.column(name)) for name in dims}
    except BaseException:
        if sink is not None:
            sink.abort()  # the read is lost: the segments after this one stop waiting
        raise
    if dims:
        table = table.drop_columns(dims)
    size = len(piece)
    del piece
    if sink is None:
        return table, codes
    prepared = [_floats(table.column(name)) for name in sink.names]
    table = table.drop_columns(sink.names)
    sink.write(k, table.num_rows, size, prepared)
    return table, codes


def _floats(column: Any) -> Any:
    """A parsed measure column as ``float64``-convertible numpy arrays, one per chunk
    (missing: NaN; text with ``,`` separators read as numbers), or the column itself
    when it holds other text (the join then decides, as for any column)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = column.type
    if pa.types.is_null(kind):
        return [np.full(len(column), np.nan)]
    chunks = column.chunks
    if pa.types.is_integer(kind) or pa.types.is_floating(kind):
        pass
    elif kind == pa.string():
        try:
            chunks = [pc.cast(without_commas(c), pa.float64()) for c in chunks]
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            return column
    else:
        return column
    # Integers without nulls stay int64 (a view): the write into the column converts.
    return [c.to_numpy(zero_copy_only=False) for c in chunks]  # null: NaN


class _Measures:
    """The measure columns of a segmented read, each one ``float64`` array written by
    the parse threads themselves, segment ``k`` at the rows after segment ``k - 1``'s:
    a thread waits (briefly: the segments are taken in order) until the one before
    has counted its rows, then copies its values in. No copy on the main thread,
    nothing but the columns left behind. The arrays are sized from the first
    segment's bytes per row; a segment beyond a guess that fell short keeps its own
    array, and a segment that holds other text keeps its Arrow column (the join then
    decides, as for any column)."""

    def __init__(self, indices: list[int], body: int) -> None:
        import threading

        self.names = [f"c{i}" for i in indices]
        self._index = {i: j for j, i in enumerate(indices)}
        self._body = body
        self._cond = threading.Condition()
        self._next = 0  # the segment whose rows are placed next
        self._rows = 0  # rows of the segments placed
        self._stopped = False
        self._values: list[np.ndarray] = []
        # Segment -> (first row, rows, per measure: None (in the array), its own
        # array, or an Arrow text column).
        self._parts: dict[int, tuple[int, int, list[Any]]] = {}

    def abort(self) -> None:
        """Release the threads waiting for a segment that will not come."""
        with self._cond:
            self._stopped = True
            self._cond.notify_all()

    def _place(self, k: int, rows: int, size: int) -> int | None:
        with self._cond:
            self._cond.wait_for(lambda: self._next == k or self._stopped)
            if self._stopped:
                return None
            start = self._rows
            if not self._values and rows:  # the first segment with rows sizes the arrays
                guess = int(rows * self._body / max(size, 1) * 1.1) + 64
                self._values = [np.empty(guess, dtype=np.float64) for _ in self.names]
            self._rows += rows
            self._next += 1
            self._cond.notify_all()
            return start

    def write(self, k: int, rows: int, size: int, prepared: list[Any]) -> None:
        """Place segment ``k`` (``rows`` rows, ``size`` bytes) after the one before, and
        write its measures (from :func:`_floats`) there."""
        start = self._place(k, rows, size)
        if start is None:
            return
        capacity = len(self._values[0]) if self._values else 0
        kept: list[Any] = []
        for j, column in enumerate(prepared):
            if not isinstance(column, list):
                kept.append(column)  # Arrow text
            elif not rows:
                kept.append(None)
            elif start + rows <= capacity:
                values, at = self._values[j], start
                for c in column:
                    # Converted and written in one pass; -0 is 0 (an integer's already is).
                    np.add(c, 0.0, out=values[at : at + len(c)])
                    at += len(c)
                kept.append(None)
            else:  # beyond the guess
                kept.append(np.concatenate(column).astype(np.float64) + 0.0)
        self._parts[k] = (start, rows, kept)

    def column(self, index: int) -> Any:
        """Measure ``index`` whole: ``float64`` numpy, or Arrow text (``None``: the exact
        path). Call once every segment is written; the array is handed over."""
        import pyarrow as pa

        j = self._index[index]
        total = self._rows
        values = self._values[j] if self._values else np.zeros(0)
        if self._values:
            self._values[j] = np.zeros(0)
        parts = [(start, rows, kept[j]) for start, rows, kept in self._parts.values()]
        parts.sort(key=lambda part: part[0])
        if all(p is None for _, _, p in parts):
            if len(values) > 2 * total + 1024:  # a guess far too high: keep less
                return values[:total].copy()
            return values[:total]
        if all(p is None or isinstance(p, np.ndarray) for _, _, p in parts):
            out = np.empty(total, dtype=np.float64)
            for start, rows, p in parts:
                out[start : start + rows] = values[start : start + rows] if p is None else p
            return out
        chunks = [
            pa.chunked_array(
                [pa.array(values[start : start + rows] if p is None else p, from_pandas=True)],
                pa.float64(),
            )
            if p is None or isinstance(p, np.ndarray)
            else p
            for start, rows, p in parts
        ]
        joined = _join([pa.table({"c": c}) for c in chunks], {})
        if joined is None:
            return None
        return joined.column("c").to_pandas(types_mapper=pd.ArrowDtype)


def _body_size(source: bytes | Path, offset: int, end: int | None) -> int:
    if end is not None:
        return end - offset
    size = len(source) if isinstance(source, bytes) else source.stat().st_size
    return max(size - offset, 0)


class _Lines:
    """The physical line of each row of a segmented read, for messages: the non-blank
    lines of only the segments that hold the rows asked about are counted (numpy), and
    the newlines before them (``bytes.count``); no pass over the file until asked."""

    def __init__(
        self,
        source: bytes | Path,
        offset: int,
        spans: list[tuple[int, int, int]],
        first_line: int,
        whole: Callable[[], np.ndarray],
    ) -> None:
        self.source, self.offset, self.spans = source, offset, spans
        self.first_line, self.whole = first_line, whole
        self.ends = np.cumsum([rows for _, _, rows in spans], dtype=np.int64)
        self.segments: dict[int, np.ndarray] = {}
        self.all: np.ndarray | None = None

    def __call__(self, rows: np.ndarray) -> np.ndarray:
        rows = np.asarray(rows, dtype=np.int64)
        out = rows + self.first_line  # beyond the rows read: never asked in practice
        if self.all is None:
            seg = np.searchsorted(self.ends, rows, side="right")
            for k in np.unique(seg[seg < len(self.spans)]):
                lines = self._segment(int(k))
                if lines is None:
                    self.all = self.whole()
                    break
                at = seg == k
                out[at] = lines[rows[at] - (self.ends[k] - len(lines))]
        if self.all is not None:
            inside = rows < len(self.all)
            last = max(len(self.all) - 1, 0)
            out = np.where(inside, self.all[np.minimum(rows, last)], out)
        return out

    def _segment(self, k: int) -> np.ndarray | None:
        if k not in self.segments:
            start, stop, rows = self.spans[k]
            before = _count_newlines(self.source, self.offset, start)
            lines = _nonblank_lines(_read(self.source, start, stop), self.first_line + before)
            if len(lines) != rows:
                return None
            self.segments[k] = lines
        return self.segments[k]


def _read(source: bytes | Path, start: int, stop: int) -> bytes:
    if not isinstance(source, Path):
        return source[start:stop]
    with source.open("rb") as fh:
        fh.seek(start)
        return fh.read(stop - start)


def _count_newlines(source: bytes | Path, start: int, stop: int) -> int:
    if not isinstance(source, Path):
        return source.count(b"\n", start, stop)
    count = 0
    with source.open("rb") as fh:
        fh.seek(start)
        while start < stop:
            block = fh.read(min(8 * _BLOCK, stop - start))
            if not block:
                break
            count += block.count(b"\n")
            start += len(block)
    return count


class _Hasher:
    """The content key (:mod:`.digest`) of the pieces given to :meth:`update`, computed
    in order on a thread of its own while pyarrow parses (zlib releases the GIL): on a
    busy machine the load no longer waits for the hash after the parse."""

    def __init__(self) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self._hash = ContentKey()
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="planbook-hash")

    def update(self, data: bytes | memoryview) -> None:
        self._pool.submit(self._hash.update, data)

    def hexdigest(self) -> str:
        self.close()
        return self._hash.hexdigest()

    def close(self) -> None:
        self._pool.shutdown(wait=True)


def _segments(
    source: bytes | Path, offset: int, end: int | None, hasher: _Hasher | None
) -> Iterator[memoryview]:
    """``source[offset:end]`` in pieces that end after a newline (the last one may
    not); with ``hasher``, every byte of the file goes through it once, in order."""
    if not isinstance(source, Path):
        stop = len(source) if end is None else end
        pos = offset
        while pos < stop:
            cut = stop
            if stop - pos > SEGMENT:
                nl = source.rfind(b"\n", pos, pos + SEGMENT)
                if nl < 0:
                    nl = source.find(b"\n", pos + SEGMENT, stop)
                cut = stop if nl < 0 else nl + 1
            yield memoryview(source)[pos:cut]
            pos = cut
        return
    assert hasher is not None
    with source.open("rb") as fh:
        head = fh.read(offset)
        hasher.update(head)
        pos = len(head)
        size = SEGMENT
        while end is None or pos < end:
            want = size if end is None else min(size, end - pos)
            chunk = fh.read(want)
            if not chunk:
                break
            last = len(chunk) < want or (end is not None and pos + len(chunk) >= end)
            cut = len(chunk) if last else chunk.rfind(b"\n") + 1
            if cut == 0:  # one line longer than a segment: read a longer one
                fh.seek(pos)
                size *= 2
                continue
            piece = memoryview(chunk)[:cut]
            hasher.update(piece)
            yield piece
            pos += cut
            size = SEGMENT
            if cut < len(chunk):
                fh.seek(pos)
        while block := fh.read(_BLOCK * 8):  # below the table: hashed, not parsed
            hasher.update(block)


def _parse_segment(piece: memoryview, n: int, delimiter: str, column_types: dict[str, Any]) -> Any:
    import pyarrow as pa
    import pyarrow.csv as pc

    return pc.read_csv(
        pa.BufferReader(pa.py_buffer(piece)),
        read_options=pc.ReadOptions(
            column_names=_names(n), use_threads=False, block_size=PARSE_BLOCK
        ),
        parse_options=pc.ParseOptions(
            delimiter=delimiter,
            # A quoted newline across a block boundary makes pyarrow raise (an
            # unterminated quote), and the exact path takes over: no pre-scan.
            newlines_in_values=False,
        ),
        convert_options=pc.ConvertOptions(
            column_types=column_types,
            null_values=PARSER_NULLS,
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
        memory_pool=_pool(),
    )


def _pool() -> Any:
    """The allocator of the parsed columns: the system one, which hands memory freed
    by one segment's buffers back to numpy's arrays (pyarrow's own pool keeps it)."""
    import pyarrow as pa

    return pa.system_memory_pool()


def _join(parts: list[Any], types: dict[int, str]) -> Any:
    """One table from the segments' tables. Each segment inferred its own types; they
    are joined as one ``read_csv`` over the whole body types a column: all-missing
    segments take the others' type, integers become floats beside floats, and beside
    text, numbers and ISO dates become their text (a finite number's text reads back
    as the same number). Anything else (``None``): the exact path."""
    import pyarrow as pa

    if len(parts) == 1:
        return parts[0]
    if not parts:
        return None
    columns = []
    for name in parts[0].column_names:
        chunks = [part.column(name) for part in parts]
        target = _common_type({c.type for c in chunks if not pa.types.is_null(c.type)})
        if target is None:
            return None
        if target in (pa.string(), pa.binary()) and any(pa.types.is_date32(c.type) for c in chunks):
            # Dates beside text (a totals row): dictionary-encoded like a dimension, the
            # few hundred days turned into text instead of a million cells.
            columns.append(_dates_as_text(chunks, target))
            continue
        joined = []
        for c in chunks:
            if c.type != target and pa.types.is_floating(c.type) and not _finite(c):
                return None  # inf as text is not what the file said (1e309)
            if c.type != target and not pa.types.is_null(c.type) and target != pa.float64():
                c = c.cast(pa.string())
            joined.extend((c if c.type == target else c.cast(target)).chunks)
        columns.append(pa.chunked_array(joined, type=target))
    table = pa.table(columns, names=parts[0].column_names)
    dictionaries = any(pa.types.is_dictionary(c.type) for c in columns)
    return table.unify_dictionaries() if dictionaries else table


def _dates_as_text(chunks: list[Any], target: Any) -> Any:
    """A column of ISO dates and text as ``dictionary<target>``: each date's text once."""
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = pa.dictionary(pa.int32(), target)
    out = []
    for c in chunks:
        for a in c.chunks:
            if pa.types.is_null(a.type):
                a = pa.nulls(len(a), target)
            enc = pc.dictionary_encode(a)
            words = enc.dictionary
            if not words.type.equals(target):
                words = words.cast(pa.string()).cast(target)
            out.append(pa.DictionaryArray.from_arrays(enc.indices, words))
    return pa.chunked_array(out, type=kind)


def _common_type(kinds: set[Any]) -> Any:
    import pyarrow as pa

    if len(kinds) <= 1:
        return kinds.pop() if kinds else pa.null()
    if kinds == {pa.int64(), pa.float64()}:
        return pa.float64()
    text = {pa.string(), pa.binary()} & kinds
    if text and kinds <= {pa.string(), pa.binary(), pa.int64(), pa.float64(), pa.date32()}:
        return pa.binary() if pa.binary() in kinds else pa.string()
    return None


def _finite(column: Any) -> bool:
    import pyarrow.compute as pc

    return bool(pc.all(pc.is_finite(column), skip_nulls=True).as_py() is not False)


def without_commas(chunk: Any) -> Any:
    """A string array with every ``,`` removed, by numpy over its buffers (three times
    faster than ``replace_substring``, which copies every string)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if chunk.type != pa.string() or chunk.offset:
        return pc.replace_substring(chunk, ",", "")
    validity, offsets_buf, data_buf = chunk.buffers()
    offsets = np.frombuffer(offsets_buf, dtype=np.int32, count=len(chunk) + 1)
    start, stop = int(offsets[0]), int(offsets[-1])
    data = (
        np.frombuffer(data_buf, dtype=np.uint8)[start:stop] if data_buf else np.zeros(0, np.uint8)
    )
    comma = data == 44
    if not comma.any():
        return chunk
    before = np.concatenate(([0], np.cumsum(comma, dtype=np.int32)))
    relative = offsets - start
    new_offsets = (relative - before[relative]).astype(np.int32)
    return pa.StringArray.from_buffers(
        len(chunk),
        pa.py_buffer(new_offsets),
        pa.py_buffer(data[~comma]),
        validity,
        chunk.null_count,
    )


def rows_frame(rows: Sequence[Sequence[str]], n: int) -> pd.DataFrame:
    """Rows of text (already ``n`` fields each) -> columns ``c0 …`` of dtype ``str``."""
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in range(n)]
    return pd.DataFrame(
        {
            name: pd.Series(list(col), dtype="str")
            for name, col in zip(_names(n), columns, strict=True)
        }
    )


def _footer(rec: list[str] | None, n: int) -> bool:
    if rec is None or len(rec) >= n or n < 2:
        return False
    if rec and rec[0].lstrip().startswith("#"):
        return True
    return sum(1 for f in rec if f.strip()) <= 1


def read_exact(records: Sequence[tuple[int, list[str] | None]], n: int) -> Raw:
    """Classify ``(line, fields)`` records of the body: rows with ``n`` fields (or more,
    when the extra ones are empty) are read; rows of only delimiters are counted; other
    rows are excluded with their line; one-field lines and ``#`` lines after the last
    row are below the table."""
    kept: list[list[str]] = []
    lines: list[int] = []
    bad: list[tuple[int, int]] = []
    empty: list[int] = []
    after: list[int] = []
    last = len(records)
    while last > 0 and _footer(records[last - 1][1], n):
        after.append(records[last - 1][0])
        last -= 1
    for line, rec in records[:last]:
        if rec is None:
            bad.append((line, -1))
            continue
        if not any(f.strip() for f in rec):
            empty.append(line)
            continue
        k = len(rec)
        if k == n:
            kept.append(rec)
        elif k > n and not any(f.strip() for f in rec[n:]):
            kept.append(rec[:n])
        else:
            bad.append((line, k))
            continue
        lines.append(line)
    line_array = np.asarray(lines, dtype=np.int64)

    def line_of(rows: np.ndarray) -> np.ndarray:
        rows = np.asarray(rows, dtype=np.int64)
        return line_array[rows] if len(line_array) else rows + 2

    return Raw(rows_frame(kept, n), False, line_of, None, bad, empty, sorted(after))


def text_records(text: str, delimiter: str, first_line: int) -> list[tuple[int, list[str] | None]]:
    """``(starting line, fields)`` of every non-blank record of ``text``; ``None`` as the
    fields of a last record that cannot be read (a quote never closed, a field over
    the ``csv`` module's limit): that line and the rest of the file."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    out: list[tuple[int, list[str] | None]] = []
    prev = 0
    try:
        for rec in reader:
            if rec:
                out.append((first_line + prev, rec))
            prev = reader.line_num
    except csv.Error:
        out.append((first_line + prev, None))
    return out
