"""The fast reader of a delimited body: ``pyarrow.csv`` over the bytes (or the file
itself), in segments parsed on worker threads, with exact line numbers.

It hands on what the exact reader does (:class:`.exact.Raw`) and gives up, for
:mod:`.exact` to take over, at the first row with another number of fields than
the header or bytes that are not what the column types say.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .categories import Categories, chunk_codes
from .digest import ContentKey
from .exact import Raw, hides_rows, names, text_records
from .lines import SegmentLines
from .memory import release_memory, trim_arenas

__all__ = [
    "PARSER_NULLS",
    "read_fast",
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
# Times of day pyarrow may read as timestamps: none with a UTC offset or ``Z``. Its own
# ISO parser moves ``2026-09-01T23:30:00-07:00`` to the UTC day (09-02); as text, the
# row keeps the day the export wrote, as on the exact path (values.parse_dates).
# ``YYYY-MM-DD`` alone is typed as a date whatever this says.
TIMESTAMPS = ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


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
    if _swallowed(columns, n, delimiter, binary):
        return None  # a stray quote hides rows in one field: the exact path says where
    # Each column its own block (no copy into one 2-D block of every measure).
    frame = pd.DataFrame({name: columns.pop(name) for name in names(n)}, copy=False)
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

    line_of = SegmentLines(source, offset, spans, first_line, whole)
    return Raw(frame, binary, line_of, cell, digest=digest)


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
            column_names=names(n), use_threads=False, block_size=PARSE_BLOCK
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
            timestamp_parsers=TIMESTAMPS,
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


# A number with ``,`` thousands separators, as the cast after their removal reads it.
_GROUPED = r"^[-+]?\d{1,3}(,\d{3})+(\.\d*)?([eE][-+]?\d+)?$"


def without_commas(chunk: Any) -> Any:
    """A string array with every ``,`` removed, by numpy over its buffers (three times
    faster than ``replace_substring``, which copies every string). ``ArrowInvalid``
    when a ``,`` is not a thousands separator (``12,50``, ``1,5``: a decimal comma, or
    no number): the text is read by :mod:`.convert`, which tells the decimal mark."""
    import pyarrow as pa
    import pyarrow.compute as pc

    commas = pc.match_substring(chunk, ",")
    if (
        pc.any(commas).as_py()
        and not pc.all(
            pc.or_kleene(pc.invert(commas), pc.match_substring_regex(chunk, _GROUPED))
        ).as_py()
    ):
        raise pa.ArrowInvalid("a ',' that is not a thousands separator")
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


def _swallowed(columns: dict[str, Any], n: int, delimiter: str, binary: bool) -> bool:
    """Whether a text value hides rows in one field (:func:`.exact.hides_rows`): a
    quote opened in one row and closed rows later. Dimensions are looked at by their
    distinct values, other text only where it holds a line break."""
    import pyarrow as pa
    import pyarrow.compute as pc

    sep = delimiter.encode() if binary else delimiter
    for column in columns.values():
        dtype = getattr(column, "dtype", None)
        if isinstance(dtype, pd.CategoricalDtype):
            values = list(column.cat.categories)
        elif isinstance(dtype, pd.ArrowDtype) and (
            pa.types.is_string(dtype.pyarrow_dtype) or pa.types.is_binary(dtype.pyarrow_dtype)
        ):
            text = column.array.__arrow_array__()
            breaks = pc.match_substring(text, "\n")
            if not pc.any(breaks).as_py():
                continue
            values = pc.filter(text, breaks).to_pylist()
        else:
            continue
        if any(isinstance(v, str | bytes) and hides_rows(v, n, sep) for v in values):
            return True
    return False
