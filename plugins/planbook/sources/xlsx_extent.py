"""How far a sheet of an ``.xlsx`` workbook reaches, read from its XML before
python-calamine reads it.

python-calamine builds a sheet as one dense block from its first to its last cell that
holds something, and :func:`.xlsx.sheet_records` asks for it from A1: one cell at
XFD1048576 in a 1.6 KB file asks for 512 GB and aborts the whole process (outside report,
finding 7). The ``<dimension>`` element may say anything; the cells' references
(``r="XFD1048576"``) are where calamine puts them. They are streamed out of the sheet's
part a megabyte at a time (a zip bomb costs time, never memory) with regular expressions:
a pass over every cell in C. The exact reading, tag by tag in Python, is only for a sheet
that passes the limit that way, or whose cells are written otherwise than with their
reference first (some writers omit it).

What calamine does and this follows (checked against python-calamine 0.9): a cell
without a value (``<c r="Z9" s="1"/>``) is no cell; a cell without ``r`` is the one
after the cell before it, a row without ``r`` the one after the row before; lower-case
references count; comments and CDATA are skipped (here counted: more, never less).
What cannot be told for sure (a reference that is not plain letters and digits, a cell
tag this reading cannot delimit) raises :class:`Unmeasurable`: the sheet is refused,
never handed over.
"""

from __future__ import annotations

import re
import zipfile
from operator import itemgetter

__all__ = ["CHUNK", "Unmeasurable", "sheet_extent"]

CHUNK = 1 << 20  # bytes decompressed at a time
TAG_LIMIT = 1 << 20  # a tag longer than this is no spreadsheet's

_PREFIX = rb"(?:[^\s<>/:=\"']+:)?"
_ATTRS = rb"(?:[^>\"']|\"[^\"]*\"|'[^']*')*"
# Where a cell tag may start (also inside comments: counted, never missed): unprefixed
# (every workbook seen) and, when the piece has any, prefixed (``<x:c``).
_CELL_START = re.compile(rb"<" + _PREFIX + rb"c(?=[\s/>])")
_START = re.compile(rb"<c[\s/>]")
_PREFIXED_START = re.compile(rb"<[^\s<>/:=\"']+:c(?=[\s/>])")
# A cell with its reference first, as Excel and every library write it.
_FIRST = rb"c\s+r\s*=\s*\"([A-Za-z]+)([0-9]+)\""
_REF_FIRST = re.compile(rb"<" + _FIRST)
_PREFIXED_REF_FIRST = re.compile(rb"<[^\s<>/:=\"']+:" + _FIRST)
# Any cell or row start tag and its attributes.
_TAG = re.compile(rb"<" + _PREFIX + rb"(c|row)(?=[\s/>])(" + _ATTRS + rb")>")
_TAG_END = re.compile(rb"<" + _ATTRS + rb">")
_R = re.compile(rb"(?:^|\s)r\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_CELL_REF = re.compile(rb"([A-Za-z]+)([0-9]+)")
_ROW_REF = re.compile(rb"[0-9]+")


class Unmeasurable(ValueError):
    """The sheet's XML says where its cells are in a way this reading cannot follow."""


class _Unplain(Exception):
    """A cell this sheet writes otherwise than with its reference first: read again, tag
    by tag."""


def column_number(letters: bytes) -> int:
    """``A`` -> 1, ``Z`` -> 26, ``AA`` -> 27, ``XFD`` -> 16384 (any length, any case)."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


class _Extent:
    """The last row and column holding something (1-based), piece by piece."""

    def __init__(self, follow: bool) -> None:
        self.rows = 0
        self.columns = 0
        # Tag by tag, as calamine places cells (exact), or from the references alone: a
        # cell that closes itself (holding nothing) counted too, so never less.
        self.follow = follow
        self.row = 0  # (following) the current row, the last cell's column
        self.column = 0

    def piece(self, data: bytes) -> None:
        if self.follow:
            self._follow(data, len(_CELL_START.findall(data)))
            return
        starts = len(_START.findall(data))
        refs = _REF_FIRST.findall(data)
        if b":c" in data:  # prefixed tags (x:c)
            starts += len(_PREFIXED_START.findall(data))
            refs += _PREFIXED_REF_FIRST.findall(data)
        if len(refs) != starts:
            raise _Unplain
        if refs:
            self.rows = max(self.rows, max(map(int, map(itemgetter(1), refs))))
            letters = set(map(itemgetter(0), refs))
            self.columns = max(self.columns, max(map(column_number, letters)))

    def _follow(self, data: bytes, starts: int) -> None:
        """Tag by tag, as calamine places cells without a reference."""
        cells = 0
        for m in _TAG.finditer(data):
            name, attrs = m.group(1), m.group(2)
            ref = _ref(attrs)
            if name == b"row":
                self.row = self.row + 1 if ref is None else _row(ref)
                self.column = 0
                continue
            cells += 1
            if ref is None:
                self.column += 1
            else:
                found = _CELL_REF.fullmatch(ref)
                if found is None:
                    raise Unmeasurable(ref[:40].decode("utf-8", "replace"))
                self.column, self.row = column_number(found[1]), int(found[2])
            if not attrs.rstrip().endswith(b"/"):  # a cell that closes itself holds nothing
                self.rows = max(self.rows, self.row)
                self.columns = max(self.columns, self.column)
        if cells != starts:  # a cell tag that could not be delimited
            raise Unmeasurable("cell tag")


def _ref(attrs: bytes) -> bytes | None:
    """The last ``r`` attribute of a tag (calamine keeps the last)."""
    found = _R.findall(attrs)
    if not found:
        return None
    double, single = found[-1]
    return double or single


def _row(ref: bytes) -> int:
    if _ROW_REF.fullmatch(ref) is None:
        raise Unmeasurable(ref[:40].decode("utf-8", "replace"))
    return int(ref)


def sheet_extent(book: zipfile.ZipFile, part: str, limit: int) -> tuple[int, int]:
    """``(rows, columns)`` from A1 to the last cell of the sheet stored in ``part``: exact
    (cells holding something, as calamine places them) when more than ``limit`` cells, at
    least that otherwise (empty cells may count); ``(0, 0)`` for a sheet without cells."""
    try:
        rows, columns = _read(book, part, _Extent(follow=False))
        if rows * columns <= limit:
            return rows, columns
    except _Unplain:
        pass
    return _read(book, part, _Extent(follow=True))


def _read(book: zipfile.ZipFile, part: str, extent: _Extent) -> tuple[int, int]:
    carry = b""
    with book.open(part) as stream:
        while chunk := stream.read(CHUNK):
            data = carry + chunk
            cut = data.rfind(b"<")  # a tag may run on into the next chunk: kept for it
            if cut < 0:
                carry = b""  # text only
                continue
            extent.piece(data[:cut])
            carry = data[cut:]
            if len(carry) > TAG_LIMIT:
                end = _TAG_END.match(carry)
                if end is None:
                    raise Unmeasurable("tag too long")
                extent.piece(carry[: end.end()])  # a whole tag and text after it
                carry = b""
    extent.piece(carry)
    return extent.rows, extent.columns
