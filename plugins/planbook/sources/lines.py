"""Physical line numbers of the rows of a segmented read (:mod:`.reader`), for messages.

Only the segments that hold the rows asked about are counted; nothing passes over the
file until a message needs a line.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

__all__ = ["SegmentLines", "count_newlines", "nonblank_lines", "read_span"]

_BLOCK = 8 << 20  # bytes counted at a time


def nonblank_lines(buf: bytes, first_line: int) -> np.ndarray:
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


class SegmentLines:
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
            before = count_newlines(self.source, self.offset, start)
            lines = nonblank_lines(read_span(self.source, start, stop), self.first_line + before)
            if len(lines) != rows:
                return None
            self.segments[k] = lines
        return self.segments[k]


def read_span(source: bytes | Path, start: int, stop: int) -> bytes:
    if not isinstance(source, Path):
        return source[start:stop]
    with source.open("rb") as fh:
        fh.seek(start)
        return fh.read(stop - start)


def count_newlines(source: bytes | Path, start: int, stop: int) -> int:
    if not isinstance(source, Path):
        return source.count(b"\n", start, stop)
    count = 0
    with source.open("rb") as fh:
        fh.seek(start)
        while start < stop:
            block = fh.read(min(_BLOCK, stop - start))
            if not block:
                break
            count += block.count(b"\n")
            start += len(block)
    return count
