"""Metric CSV files -> typed tables, with located diagnostics and a content-keyed cache.

A metric file is an export from an ad platform, web analytics, a CRM or an
e-mail tool. :class:`DataStore` resolves the ``metrics:`` sources of a plan
(paths and globs that must stay inside ``data/``), loads each file once per
content, and returns one long table: ``date`` + dimension columns + measure
columns.

Output types (the contract the rest of the engine codes against):

* ``date`` is ``datetime64[ns]``, normalised to midnight (day resolution).
* Dimension columns use pandas' default string dtype, ``"str"`` (on pandas 3:
  ``StringDtype(na_value=nan)``, Arrow-backed when pyarrow is installed; on
  pandas 2 plain ``object``). Missing values are ``""``, never NaN, so group-bys
  do not silently drop rows.
* Measure columns are ``float64``; a missing value (``""``, ``--``, ``-``,
  ``N/A`` ...) is NaN and is not an error.

Reading (chosen by measurement, see ``bench/bench_data.py``):

* When pyarrow is importable, pandas' ``pyarrow`` engine parses the bytes
  (multi-threaded) with ``dtype_backend="pyarrow"``; every column is then
  converted with vectorised pandas/Arrow operations. Dates are factorised and
  only the distinct values are parsed. GBK/GB18030 files are parsed as bytes
  (every CSV delimiter, quote and digit is ASCII in GB18030, so the tokeniser is
  safe), and only the *distinct* values of the text columns are decoded: a GBK
  file costs about what its UTF-8 twin does. Text is never left as raw bytes:
  a column that does not decode is an error.
* Without pyarrow, or when the file has rows with the wrong number of fields,
  pandas' C engine reads it (``thousands=","``, bad rows reported with their
  line numbers through pandas' own ``on_bad_lines="warn"`` messages).

Line numbers in diagnostics are physical 1-based lines (header = line 1, a BOM
does not shift anything, blank lines are counted). Quoted fields containing
newlines are not accounted for: after such a field the reported line numbers
of later rows are too small by the number of embedded newlines.

Rows in which every field is empty (``,,,,`` lines that spreadsheets leave
behind) carry no data and are dropped without a diagnostic; every other row
that is not used is reported.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import hashlib
import importlib.util
import io
import re
import threading
import unicodedata
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np
import pandas as pd

from . import columns as cols
from .diagnostics import Diagnostic, Severity
from .frontmatter import Locations, PathKey, format_path

__all__ = ["DataStore", "Table", "normalize_header", "parse_numbers", "slugify"]

HAS_PYARROW = importlib.util.find_spec("pyarrow") is not None
# "pyarrow" or "c"; tests and benchmarks may switch it.
ENGINE = "pyarrow" if HAS_PYARROW else "c"

# Values the parser itself turns into "missing". "NA" is deliberately absent
# (a region), so is "None" (a campaign can be called that).
_PARSER_NULLS = ["", "--", "-", "—", "N/A", "n/a", "#N/A", "NULL", "null", "NaN", "nan"]
# Compared lower-case after trimming, for measure columns.
_MISSING = frozenset(["", "-", "--", "—", "——", "n/a", "na", "#n/a", "null", "nan", "none", "/"])

_TOTALS_PATTERN = r"\s*(?:合计|总计|汇总|grand\s+total|totals?)(?:\s*[:：\-–(（].*)?\s*"
_TOTALS = re.compile(_TOTALS_PATTERN, re.IGNORECASE)

_CSV_SUFFIXES = (".csv", ".tsv", ".txt")
_LIST_LINES = 5


# --------------------------------------------------------------------------- table


@dataclass(frozen=True)
class Table:
    """One parsed metric file.

    ``frame`` holds ``date`` (datetime64[ns]), the dimension columns (str) and
    the measure columns (float64); unreadable rows are excluded and reported in
    ``diagnostics``.
    """

    path: str
    frame: pd.DataFrame = field(repr=False)
    dimensions: tuple[str, ...]
    measures: tuple[str, ...]
    diagnostics: tuple[Diagnostic, ...]
    digest: str
    encoding: str

    @property
    def ok(self) -> bool:
        """True when the file could be read (there may still be warnings)."""
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)


def _empty_frame() -> pd.DataFrame:
    return pd.DataFrame({cols.DATE: pd.Series([], dtype="datetime64[ns]")})


# --------------------------------------------------------------------------- headers


_UNIT = re.compile(r"\s*[(\[][^()\[\]]*[)\]]\s*$")
_BRACKETS = str.maketrans({"【": "[", "】": "]", "〔": "(", "〕": ")"})
_NON_ALNUM = re.compile(r"[^\w]+|_+")


def normalize_header(header: str) -> str:
    """Header as compared with the alias table: NFKC (full-width spaces, brackets,
    letters and digits become ASCII), BOM removed, whitespace collapsed, lower-case."""
    h = unicodedata.normalize("NFKC", header.replace("\ufeff", "")).translate(_BRACKETS)
    return " ".join(h.split()).lower()


def slugify(header: str) -> str:
    """``"Video Plays (3s)"`` -> ``"video_plays_3s"``; Chinese letters are kept."""
    s = _NON_ALNUM.sub("_", normalize_header(header))
    return s.strip("_")


def _alias_table(site: Mapping[str, str] | None) -> dict[str, str]:
    table = {normalize_header(k): v for k, v in cols.ALIASES.items()}
    for canonical in (cols.DATE, *cols.DIMENSIONS, *cols.MEASURES):
        table.setdefault(canonical, canonical)
        table.setdefault(canonical.replace("_", " "), canonical)
    for k, v in (site or {}).items():
        table[normalize_header(str(k))] = str(v)
    return table


def _canonical(header: str, aliases: Mapping[str, str]) -> tuple[str, bool]:
    """(canonical name, known) for an exported header."""
    h = normalize_header(header)
    candidates = [h]
    stripped = _UNIT.sub("", h)
    if stripped and stripped != h:
        candidates.append(stripped)
    for c in candidates:
        for variant in (c, c.replace("_", " "), c.replace(" ", "_")):
            if variant in aliases:
                return aliases[variant], True
    return slugify(header), False


# --------------------------------------------------------------------------- numbers


_CURRENCY = r"(?i)(?:cn¥|us\$|hk\$|a\$|rmb|cny|usd|eur|hkd|[¥$€£元])"
_NUM_FAST = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"


def _nfkc(s: pd.Series) -> pd.Series:
    """NFKC only for the values that are not ASCII (full-width digits, ￥, ，, ％)."""
    non_ascii = ~s.str.isascii().fillna(True).astype(bool)
    if non_ascii.any():
        s = s.copy()
        s[non_ascii] = [unicodedata.normalize("NFKC", v) for v in s[non_ascii]]
    return s


def parse_numbers(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Parse exported number text, vectorised.

    Returns ``(float64 values, bad mask)``: missing markers give NaN and are not
    bad; anything else that is not a number is NaN and bad. Understands
    thousands separators (``1,234`` ``1，234``), currency signs and codes
    (``¥ ￥ $ € £ CN¥ US$ RMB 元``), percent (``5.2%`` -> 0.052), full-width digits,
    ``(1,234)`` as negative, and ``万`` / ``亿`` multipliers.
    """
    s = values.astype("str") if not _is_text(values.dtype) else values
    s = _nfkc(s.str.strip())
    lower = s.str.lower()
    missing = (s.isna() | lower.isin(_MISSING)).to_numpy(dtype=bool)
    t = s.str.replace(_CURRENCY, "", regex=True).str.replace(r"[,\s']", "", regex=True)
    neg = t.str.fullmatch(r"\(.*\)").fillna(False).astype(bool).to_numpy(dtype=bool)
    t = t.str.replace(r"^\((.*)\)$", r"\1", regex=True)
    pct = t.str.endswith("%").fillna(False).astype(bool).to_numpy(dtype=bool)
    t = t.str.replace(r"%$", "", regex=True)
    wan = t.str.endswith("万").fillna(False).astype(bool).to_numpy(dtype=bool)
    yi = t.str.endswith("亿").fillna(False).astype(bool).to_numpy(dtype=bool)
    t = t.str.replace(r"[万亿]$", "", regex=True)
    ok = t.str.fullmatch(_NUM_FAST).fillna(False).astype(bool).to_numpy(dtype=bool)
    out = np.full(len(t), np.nan)
    if ok.any():
        out[ok] = np.asarray(t[ok].astype("str").tolist(), dtype=np.float64)
    scale = np.where(pct, 0.01, 1.0) * np.where(neg, -1.0, 1.0)
    scale = scale * np.where(wan, 1e4, 1.0) * np.where(yi, 1e8, 1.0)
    out = out * scale
    bad = ~ok & ~missing
    out[missing] = np.nan
    return out, bad


def _is_text(dtype: Any) -> bool:
    if isinstance(dtype, pd.ArrowDtype):
        return str(dtype.pyarrow_dtype) in ("string", "large_string")
    return pd.api.types.is_string_dtype(dtype) or dtype is np.dtype(object)


def _is_numeric(dtype: Any) -> bool:
    if isinstance(dtype, pd.ArrowDtype):
        kind = dtype.kind
        return kind in "iuf"
    return pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)


def _is_null_type(s: pd.Series) -> bool:
    return isinstance(s.dtype, pd.ArrowDtype) and str(s.dtype.pyarrow_dtype) == "null"


def _to_float(s: pd.Series) -> np.ndarray:
    return s.to_numpy(dtype=np.float64, na_value=np.nan)


def _fast_numbers(s: pd.Series) -> np.ndarray | None:
    """The common export case (plain numbers, maybe with ``,`` separators) without
    any per-value Python work; ``None`` when the column needs full cleaning."""
    if not isinstance(s.dtype, pd.ArrowDtype):
        return None
    try:
        t = s.str.replace(",", "", regex=False)
        return _to_float(t.astype("float64[pyarrow]"))
    except (ValueError, TypeError):
        return None


# --------------------------------------------------------------------------- dates


_DATE_RE = (
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:(?:T|\s+)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?$"
)
_DATE_COMPACT = r"^(\d{4})(\d{2})(\d{2})$"


def _parse_date_values(u: pd.Series) -> pd.DatetimeIndex:
    """Dates (as text) -> day-resolution timestamps (NaT when unreadable), vectorised."""
    s = _nfkc(u.astype("str").str.strip())
    parts = s.str.extract(_DATE_RE)
    compact = s.str.extract(_DATE_COMPACT)
    parts = parts.fillna(compact)
    y, m, d = (pd.to_numeric(parts[i], errors="coerce") for i in range(3))
    frame = pd.DataFrame({"year": y, "month": m, "day": d}).astype("float64")
    result = pd.to_datetime(frame, errors="coerce")
    return pd.DatetimeIndex(result).as_unit("ns")


def _dates(raw: pd.Series, decode: str) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Factorise the date column and parse only its distinct values.

    Returns ``(datetime64[ns] per row with NaT, codes per row (-1 = empty),
    text of each distinct value)``."""
    codes, uniques = pd.factorize(raw)
    u = pd.Series(list(uniques), dtype=object)
    if len(u) and isinstance(u.iloc[0], bytes):
        u = u.map(lambda b: b.decode(decode))
    if pd.api.types.is_datetime64_any_dtype(raw.dtype) or (
        isinstance(raw.dtype, pd.ArrowDtype) and raw.dtype.kind == "M"
    ):
        parsed = pd.DatetimeIndex(pd.to_datetime(u)).as_unit("ns").normalize()
        text = [str(v) for v in u]
    elif len(u) and not isinstance(u.iloc[0], str) and not _is_numeric(raw.dtype):
        # date32 from pyarrow: datetime.date objects
        parsed = pd.DatetimeIndex(pd.to_datetime(u, errors="coerce")).as_unit("ns")
        text = [str(v) for v in u]
    else:
        if _is_numeric(raw.dtype):
            u = u.map(lambda v: str(int(v)) if float(v).is_integer() else str(v))
        text = [str(v) for v in u]
        parsed = _parse_date_values(u)
    values = np.append(parsed.to_numpy(dtype="datetime64[ns]"), np.datetime64("NaT", "ns"))
    return values[codes], codes, text  # code -1 (empty) picks the trailing NaT


# --------------------------------------------------------------------------- text


def _decode_text(s: pd.Series, encoding: str) -> pd.Series:
    """Any text-ish column (str, bytes from a GB18030 file, numbers) -> "str" dtype
    with "" for missing. Bytes are decoded strictly; only distinct values are
    decoded."""
    if _is_null_type(s):
        return pd.Series([""] * len(s), dtype="str")
    if isinstance(s.dtype, pd.ArrowDtype) and str(s.dtype.pyarrow_dtype) in (
        "binary",
        "large_binary",
    ):
        codes, uniques = pd.factorize(s)
        decoded = [b.decode(encoding) for b in uniques]
        arr = pd.array(decoded, dtype="str").take(codes, allow_fill=True)
        return pd.Series(arr, dtype="str").fillna("")
    if encoding not in ("utf-8", "utf-8-sig") and _is_text(s.dtype):
        # Valid UTF-8 by accident inside a GB18030 file: re-decode the non-ASCII values.
        non_ascii = ~s.str.isascii().fillna(True).astype(bool)
        if non_ascii.any():
            s = s.astype(object)
            s[non_ascii] = [v.encode("utf-8").decode(encoding) for v in s[non_ascii]]
    if _is_text(s.dtype) and s.dtype != object:
        return s.astype("str").fillna("")
    if _is_numeric(s.dtype):
        vals = s.to_numpy(dtype=object, na_value=None)
        text = [
            "" if v is None else (str(int(v)) if float(v).is_integer() else str(v)) for v in vals
        ]
        return pd.Series(text, dtype="str")
    return s.astype(object).where(s.notna(), "").astype("str")


# --------------------------------------------------------------------------- lines


class _Lines:
    """Physical line numbers of data rows, computed only when a diagnostic needs one."""

    def __init__(self, data: Callable[[], bytes], skipped: Sequence[int] = ()) -> None:
        self._data = data
        self._skipped = sorted(skipped)
        self._lines: np.ndarray | None = None

    def of(self, rows: np.ndarray) -> np.ndarray:
        if self._lines is None:
            buf = np.frombuffer(self._data(), dtype=np.uint8)
            nl = np.flatnonzero(buf == 10)
            starts = np.concatenate(([0], nl + 1))
            ends = np.concatenate((nl, [len(buf)]))
            length = ends - starts
            # "\r\n" line endings: a line holding only "\r" is blank too.
            cr = np.zeros(len(starts), dtype=bool)
            one = length == 1
            cr[one] = buf[starts[one]] == 13
            blank = (length == 0) | cr
            numbers = np.arange(1, len(starts) + 1)
            data_lines = numbers[1:][~blank[1:]]
            if self._skipped:
                data_lines = data_lines[~np.isin(data_lines, self._skipped)]
            self._lines = data_lines
        lines = self._lines
        rows = np.asarray(rows, dtype=np.int64)
        inside = rows < len(lines)
        out = np.where(inside, lines[np.minimum(rows, max(len(lines) - 1, 0))], rows + 2)
        return out


def _line_list(lines: Sequence[int]) -> str:
    shown = ", ".join(str(n) for n in lines[:_LIST_LINES])
    more = len(lines) - _LIST_LINES
    word = "line" if len(lines) == 1 else "lines"
    return f"{word} {shown}" + (f" and {more} more" if more > 0 else "")


def _rows_word(n: int, what: str = "row") -> str:
    return f"{n} {what}" if n == 1 else f"{n} {what}s"


def _first_bad_line(data: bytes, encodings: Sequence[str]) -> int:
    """Line of the first byte that none of ``encodings`` can decode (the furthest
    point any of them reached)."""
    furthest = 0
    for enc in encodings:
        try:
            data.decode(enc)
        except UnicodeDecodeError as e:
            furthest = max(furthest, e.start)
        else:  # pragma: no cover - the caller only asks when all fail
            return 1
    return data.count(b"\n", 0, furthest) + 1


# --------------------------------------------------------------------------- parsing


@dataclass
class _Column:
    index: int
    header: str
    name: str
    known: bool
    kind: str  # "date" | "dimension" | "measure" | "auto" | "skip"


class _Undecodable(Exception):
    pass


def _sniff_delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_pyarrow(source: bytes | Path, n: int, delimiter: str) -> pd.DataFrame:
    return pd.read_csv(
        io.BytesIO(source) if isinstance(source, bytes) else source,
        engine="pyarrow",
        dtype_backend="pyarrow",
        header=None,
        skiprows=1,
        names=[f"c{i}" for i in range(n)],
        sep=delimiter,
        keep_default_na=False,
        na_values=_PARSER_NULLS,
    )


_SKIPPING = re.compile(r"Skipping line (\d+): (.*)")


def _read_c(
    buf: bytes, n: int, delimiter: str, text_columns: Sequence[int]
) -> tuple[pd.DataFrame, dict[int, str]]:
    """pandas' C engine; rows with too many fields come back as ``{line: problem}``."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = pd.read_csv(
            io.BytesIO(buf),
            engine="c",
            header=None,
            skiprows=1,
            names=[f"c{i}" for i in range(n)],
            sep=delimiter,
            dtype={f"c{i}": object for i in text_columns},
            thousands=",",
            keep_default_na=False,
            na_values=_PARSER_NULLS,
            on_bad_lines="warn",
            encoding="utf-8",
            encoding_errors="strict",
            low_memory=False,
        )
    skipped: dict[int, str] = {}
    for w in caught:
        for m in _SKIPPING.finditer(str(w.message)):
            skipped[int(m.group(1))] = m.group(2).strip()
        if not _SKIPPING.search(str(w.message)):  # pragma: no cover - keep others visible
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return frame, skipped


class _Parser:
    """Turns the bytes of one file into a :class:`Table`."""

    def __init__(self, path: str, source: bytes | Path, digest: str, store: DataStore) -> None:
        self.path = path
        # The fast path hands pyarrow the file itself: the bytes are only read into
        # memory when a slow path needs them (C engine, transcoding, line numbers).
        self._bytes = source if isinstance(source, bytes) else None
        self.file = None if isinstance(source, bytes) else source
        self.digest = digest
        self.store = store
        self.diags: list[Diagnostic] = []

    # -- helpers
    @property
    def data(self) -> bytes:
        if self._bytes is None:
            assert self.file is not None
            self._bytes = self.file.read_bytes()
        return self._bytes

    def _head(self, size: int = 1 << 20) -> bytes:
        if self._bytes is not None:
            return self._bytes[:size]
        assert self.file is not None
        with self.file.open("rb") as fh:
            head = fh.read(size)
        if len(head) < size:
            self._bytes = head  # that was the whole file
        return head

    def _blank_from(self, head: bytes, pos: int) -> bool:
        """Whether everything from byte ``pos`` on is whitespace."""
        if not _BLANK.match(head, pos):
            return False
        return self._bytes is head or bool(_BLANK.match(self.data, pos))

    def diag(
        self, severity: Severity, rule: str, message: str, line: int | None, fld: str | None
    ) -> None:
        self.diags.append(Diagnostic(self.path, line, fld, rule, severity, message))

    def table(
        self,
        frame: pd.DataFrame | None = None,
        dims: Sequence[str] = (),
        measures: Sequence[str] = (),
        encoding: str = "utf-8",
    ) -> Table:
        return Table(
            path=self.path,
            frame=_empty_frame() if frame is None else frame,
            dimensions=tuple(dims),
            measures=tuple(measures),
            diagnostics=tuple(self.diags),
            digest=self.digest,
            encoding=encoding,
        )

    # -- main
    def parse(self) -> Table:
        head = self._head()
        if self._blank_from(head, 0):
            what = "0 bytes" if not head else "only whitespace"
            self.diag(
                Severity.WARNING, "data/empty", f"file is empty ({what}); no rows read", None, None
            )
            return self.table()
        forced = self.store.encoding
        encoding = "utf-8"
        bom = head.startswith(codecs.BOM_UTF8)
        if forced:
            try:
                name = codecs.lookup(forced).name
            except LookupError:
                self.diag(
                    Severity.ERROR,
                    "data/encoding",
                    f"unknown encoding {forced!r} in the `encoding` option",
                    None,
                    None,
                )
                return self.table()
            if name in ("utf-8", "utf-8-sig"):
                encoding = "utf-8-sig" if bom else "utf-8"
                data = self.data
                try:
                    data.decode(encoding)
                except UnicodeDecodeError as e:
                    line = data.count(b"\n", 0, e.start) + 1
                    self.diag(
                        Severity.ERROR,
                        "data/encoding",
                        f"cannot decode as UTF-8 (first bad byte at line {line}); "
                        "save the file as UTF-8 or set the `encoding` option",
                        line,
                        None,
                    )
                    return self.table(encoding=encoding)
            else:
                encoding = name
                data = self.data
                try:
                    self._bytes, self.file = data.decode(name).encode("utf-8"), None
                    head = self._bytes[: len(head)]
                except UnicodeDecodeError as e:
                    line = data.count(b"\n", 0, e.start) + 1
                    self.diag(
                        Severity.ERROR,
                        "data/encoding",
                        f"cannot decode as {forced} (first bad byte at line {line}); "
                        "save the file as UTF-8 or set the `encoding` option",
                        line,
                        None,
                    )
                    return self.table(encoding=encoding)
        elif bom:
            encoding = "utf-8-sig"

        # Header line (decoded here; the parsers skip it).
        end = head.find(b"\n")
        if end < 0 and self._bytes is not head:
            head = self.data
            end = head.find(b"\n")
        line1 = head if end < 0 else head[:end]
        line1 = line1[3:] if line1.startswith(codecs.BOM_UTF8) else line1
        try:
            header_text = line1.decode("utf-8")
        except UnicodeDecodeError:
            if forced or bom:  # forced encodings were transcoded; a BOM means UTF-8
                return self._undecodable(self.data, encoding)
            try:
                header_text = line1.decode("gb18030")
            except UnicodeDecodeError:
                return self._undecodable(self.data, encoding)
            encoding = "gb18030"
        header_text = header_text.rstrip("\r")
        delimiter = _sniff_delimiter(header_text)
        headers = next(csv.reader([header_text], delimiter=delimiter), [])
        columns = self._map_columns(headers)
        if columns is None:
            return self.table(encoding=encoding)
        if end < 0 or self._blank_from(head, end + 1):
            self.diag(
                Severity.WARNING,
                "data/no-rows",
                "file has a header but no data rows",
                1,
                None,
            )
            dims = [c.name for c in columns if c.kind == "dimension"]
            meas = [c.name for c in columns if c.kind == "measure"]
            frame = _empty_frame()
            for d in dims:
                frame[d] = pd.Series([], dtype="str")
            for m in meas:
                frame[m] = pd.Series([], dtype="float64")
            return self.table(frame, dims, meas, encoding)

        try:
            raw, skipped, encoding, decoded = self._read(len(headers), delimiter, columns, encoding)
        except _Undecodable:
            return self._undecodable(self.data, encoding)
        except (pd.errors.ParserError, ValueError) as e:
            self.diag(
                Severity.ERROR,
                "data/parse-error",
                f"cannot parse the file as CSV: {str(e).strip()}",
                None,
                None,
            )
            return self.table(encoding=encoding)
        return self._finish(raw, skipped, columns, encoding, decoded)

    def _undecodable(self, data: bytes, encoding: str) -> Table:
        encs = ["utf-8"] if encoding in ("utf-8-sig",) else ["utf-8", "gb18030"]
        if encoding not in ("utf-8", "utf-8-sig", "gb18030"):
            encs = [encoding]
        line = _first_bad_line(data, encs)
        names = " or ".join("UTF-8" if e == "utf-8" else e.upper() for e in encs)
        self.diag(
            Severity.ERROR,
            "data/encoding",
            f"cannot decode as {names} (first bad byte at line {line}); "
            "save the file as UTF-8 or set the `encoding` option",
            line,
            None,
        )
        return self.table(encoding=encoding)

    def _map_columns(self, headers: list[str]) -> list[_Column] | None:
        aliases = self.store._aliases
        columns: list[_Column] = []
        seen: dict[str, _Column] = {}
        for i, header in enumerate(headers):
            name, known = _canonical(header, aliases)
            if not name:
                name = f"column_{i + 1}"
            if name == cols.DATE:
                kind = "date"
            elif name in cols.DIMENSIONS:
                kind = "dimension"
            elif name in cols.MEASURES:
                kind = "measure"
            elif name == "id" or name.endswith("_id"):
                kind = "dimension"
            else:
                kind = "auto"
            col = _Column(i, header, name, known, kind)
            if name in seen:
                first = seen[name]
                self.diag(
                    Severity.ERROR,
                    "data/duplicate-column",
                    f"columns {first.header.strip()!r} (column {first.index + 1}) and "
                    f"{header.strip()!r} (column {i + 1}) both map to {name!r}; only the "
                    "first is used: rename one, or map it to another name with the "
                    "`columns` option",
                    1,
                    name,
                )
                col.kind = "skip"
            else:
                seen[name] = col
            columns.append(col)
        if cols.DATE not in seen:
            shown = ", ".join(repr(h.strip()) for h in headers[:8]) or "none"
            self.diag(
                Severity.ERROR,
                "data/no-date-column",
                f"no date column among the headers ({shown}); name it 'date' or '日期', "
                "or map its header to 'date' with the `columns` option",
                1,
                None,
            )
            return None
        return columns

    def _read(
        self, n: int, delimiter: str, columns: list[_Column], encoding: str
    ) -> tuple[pd.DataFrame, dict[int, str], str, bool]:
        """(raw frame, skipped lines, encoding, text already decoded)."""
        text_cols = [c.index for c in columns if c.kind in ("date", "dimension")]
        if ENGINE == "pyarrow":
            try:
                source = self.file if self._bytes is None else self._bytes
                return _read_pyarrow(source, n, delimiter), {}, encoding, False
            except pd.errors.ParserError:
                pass  # rows with the wrong number of fields: the C engine reports them
        data = self.data
        buf = data
        if encoding == "gb18030":
            try:
                buf = data.decode("gb18030").encode("utf-8")
            except UnicodeDecodeError as e:
                raise _Undecodable from e
        try:
            frame, skipped = _read_c(buf, n, delimiter, text_cols)
        except UnicodeDecodeError:
            if encoding != "utf-8":
                raise _Undecodable from None
            try:
                buf = data.decode("gb18030").encode("utf-8")
            except UnicodeDecodeError as e:
                raise _Undecodable from e
            encoding = "gb18030"
            frame, skipped = _read_c(buf, n, delimiter, text_cols)
        return frame, skipped, encoding, True

    def _finish(
        self,
        raw: pd.DataFrame,
        skipped: dict[int, str],
        columns: list[_Column],
        encoding: str,
        decoded: bool,
    ) -> Table:
        lines = _Lines(lambda: self.data, list(skipped))
        # Which encoding decodes the text columns: pyarrow leaves non-UTF-8 text as bytes.
        binary = [
            c
            for c in raw.columns
            if isinstance(raw[c].dtype, pd.ArrowDtype)
            and str(raw[c].dtype.pyarrow_dtype) in ("binary", "large_binary")
        ]
        if binary and encoding in ("utf-8-sig",):
            raise_undecodable = True
        else:
            raise_undecodable = False
        if binary and encoding == "utf-8":
            encoding = "gb18030"
        # The C engine (and a forced encoding, transcoded up front) hand over str.
        decoded = decoded or self.store.encoding is not None
        decode = "utf-8" if decoded or encoding in ("utf-8", "utf-8-sig") else encoding
        if raise_undecodable:
            return self._undecodable(self.data, encoding)

        n = len(raw)
        keep = np.ones(n, dtype=bool)

        # Rows with the wrong number of fields (C engine only).
        if skipped:
            groups: dict[str, list[int]] = {}
            for line, problem in sorted(skipped.items()):
                groups.setdefault(re.sub(r"saw \d+", "saw more", problem), []).append(line)
            for _, where in groups.items():
                problem = skipped[where[0]].replace("saw", "got")
                self.diag(
                    Severity.WARNING,
                    "data/bad-row",
                    f"{_rows_word(len(where))} excluded ({_line_list(where)}): {problem}",
                    where[0],
                    None,
                )

        try:
            text: dict[int, pd.Series] = {}

            def as_text(i: int) -> pd.Series:
                if i not in text:
                    text[i] = _decode_text(raw[f"c{i}"], decode)
                return text[i]

            date_col = next(c for c in columns if c.kind == "date")
            dates, date_codes, date_text = _dates(raw[f"c{date_col.index}"], decode)
        except UnicodeDecodeError:
            return self._undecodable(self.data, encoding)

        # Fully empty rows (",,,,") carry no data; they have no date, so only those
        # rows need looking at.
        no_date_rows = np.flatnonzero(date_codes < 0)
        if len(no_date_rows):
            empty = np.ones(len(no_date_rows), dtype=bool)
            for c in raw.columns:
                s = raw[c].iloc[no_date_rows]
                e = s.isna().to_numpy(dtype=bool)
                if _is_text(s.dtype):
                    e = e | s.eq("").fillna(True).to_numpy(dtype=bool)
                empty &= e
            keep[no_date_rows[empty]] = False

        def date_at(row: int) -> str:
            code = int(date_codes[row])
            return date_text[code] if code >= 0 else ""

        # Totals rows in the date column or the first column.
        total_u = np.array([bool(_TOTALS.fullmatch(t)) for t in date_text] + [False])
        date_totals = total_u[date_codes]  # code -1 picks the trailing False
        first = columns[0]
        first_totals = np.zeros(n, dtype=bool)
        if first.kind not in ("date", "skip"):
            try:
                t1 = as_text(first.index)
            except UnicodeDecodeError:
                return self._undecodable(self.data, encoding)
            first_totals = (
                t1.str.fullmatch(_TOTALS_PATTERN, case=False).fillna(False).to_numpy(dtype=bool)
            )
        totals = (date_totals | first_totals) & keep
        if totals.any():
            rows = np.flatnonzero(totals)
            where = lines.of(rows[: _LIST_LINES + 1]).tolist()
            row0 = int(rows[0])
            in_date = bool(date_totals[row0])
            label = date_at(row0) if in_date else as_text(first.index).iloc[row0]
            n_rows = len(rows)
            shown = _line_list(where[:_LIST_LINES])
            if n_rows > _LIST_LINES:
                shown += f" and {n_rows - _LIST_LINES} more"
            self.diag(
                Severity.INFO,
                "data/totals-row",
                f"{_rows_word(n_rows, 'totals row')} excluded ({shown}): "
                f"{label.strip()!r} is a total, not a day's data",
                where[0],
                cols.DATE if in_date else first.name,
            )
            keep &= ~totals

        # Dates.
        no_date = np.isnat(dates) & keep
        if no_date.any():
            missing = no_date & (date_codes < 0)
            unreadable = no_date & ~missing
            if missing.any():
                self._row_warning(lines, missing, "data/missing-date", cols.DATE, "no date")
            if unreadable.any():
                got = date_at(int(np.flatnonzero(unreadable)[0]))
                self._row_warning(
                    lines,
                    unreadable,
                    "data/bad-date",
                    cols.DATE,
                    f"expected a date such as 2026-09-01, got {got!r}",
                )
            keep &= ~no_date

        # Measures and dimensions.
        out: dict[str, Any] = {cols.DATE: dates}
        dims: list[str] = []
        meas: list[str] = []
        pending: list[tuple[str, np.ndarray, np.ndarray, pd.Series | None]] = []
        try:
            for c in columns:
                if c.kind in ("date", "skip"):
                    continue
                s = raw[f"c{c.index}"]
                if c.kind == "dimension":
                    out[c.name] = as_text(c.index)
                    dims.append(c.name)
                    continue
                values, bad, src = self._numbers(s, decode)
                if c.kind == "auto" and bad[keep].any():
                    out[c.name] = as_text(c.index)
                    dims.append(c.name)
                    continue
                meas.append(c.name)
                out[c.name] = values
                if bad.any():
                    pending.append((c.name, values, bad, src))
        except UnicodeDecodeError:
            return self._undecodable(self.data, encoding)
        for name, _values, bad, src in pending:
            rows_bad = bad & keep
            if rows_bad.any():
                first_bad = int(np.flatnonzero(rows_bad)[0])
                got = src.iloc[first_bad] if src is not None else ""
                self._row_warning(
                    lines,
                    rows_bad,
                    "data/bad-number",
                    name,
                    f"expected a number, got {got!r}",
                )
        for _name, _values, bad, _src in pending:
            keep &= ~bad

        frame = pd.DataFrame(out, copy=False)
        if not keep.all():
            frame = frame.loc[keep].reset_index(drop=True)
        for d in dims:
            if frame[d].dtype != "str":
                frame[d] = frame[d].astype("str")
        return self.table(frame, dims, meas, encoding)

    def _numbers(
        self, s: pd.Series, decode: str
    ) -> tuple[np.ndarray, np.ndarray, pd.Series | None]:
        n = len(s)
        if _is_null_type(s):
            return np.full(n, np.nan), np.zeros(n, dtype=bool), None
        if _is_numeric(s.dtype):
            return _to_float(s), np.zeros(n, dtype=bool), None
        fast = _fast_numbers(s)
        if fast is not None:
            return fast, np.zeros(n, dtype=bool), None
        if s.dtype == object:
            try:
                return (
                    s.astype("float64").to_numpy(dtype=np.float64),
                    np.zeros(n, dtype=bool),
                    None,
                )
            except (ValueError, TypeError):
                pass
        text = _decode_text(s, decode) if not _is_text(s.dtype) or s.dtype == object else s
        text = text.astype("str") if text.dtype == object else text
        values, bad = parse_numbers(text)
        return values, bad, text

    def _row_warning(
        self, lines: _Lines, mask: np.ndarray, rule: str, fld: str, problem: str
    ) -> None:
        rows = np.flatnonzero(mask)
        where = lines.of(rows[: _LIST_LINES + 1]).tolist()
        n = len(rows)
        shown = ", ".join(str(x) for x in where[:_LIST_LINES])
        word = "line" if n == 1 else "lines"
        more = f" and {n - _LIST_LINES} more" if n > _LIST_LINES else ""
        self.diag(
            Severity.WARNING,
            rule,
            f"{_rows_word(n)} excluded ({word} {shown}{more}): {problem}",
            where[0],
            fld,
        )


def _parse(path: str, source: bytes | Path, digest: str, store: DataStore) -> Table:
    """Parse one file, given its bytes or its path (module-level so tests can count calls)."""
    store.parse_count += 1
    return _Parser(path, source, digest, store).parse()


# --------------------------------------------------------------------------- store


def _hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _hash_file(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


_GLOB = re.compile(r"[*?\[]")
_BLANK = re.compile(rb"\s*\Z")


class DataStore:
    """Resolves metric sources and loads metric files, each parsed once per content.

    ``root`` is the project root; sources must stay inside ``root / data_dir``.
    ``aliases`` (header -> canonical name) extends and overrides
    :data:`planbook.columns.ALIASES`; ``encoding`` forces one encoding for every
    file instead of detecting UTF-8 / UTF-8 with BOM / GB18030.
    """

    def __init__(
        self,
        root: Path,
        *,
        data_dir: str = "data",
        aliases: Mapping[str, str] | None = None,
        encoding: str | None = None,
    ) -> None:
        self.root = Path(root)
        self.data_dir = data_dir.strip("/") or "data"
        self.encoding = encoding
        self._aliases = _alias_table(aliases)
        self._root_real = self.root.resolve()
        self._data_real = (self.root / self.data_dir).resolve()
        # path -> (size, mtime_ns, digest); (path, digest) -> Table
        self._stat: dict[str, tuple[int, int, str]] = {}
        self._tables: dict[tuple[str, str], Table] = {}
        self._used: dict[str, Table] = {}
        self._lock = threading.Lock()
        self.parse_count = 0  # files parsed by this store (the cache saves the rest)

    # -- paths
    def _rel(self, path: Path) -> str:
        p = Path(path)
        if not p.is_absolute():
            p = self.root / p
        try:
            return p.relative_to(self.root).as_posix()
        except ValueError:
            return p.as_posix()

    def resolve(
        self, pattern: str, *, file: str, line: int | None, field: str
    ) -> tuple[list[Path], list[Diagnostic]]:
        """Paths (sorted) that ``pattern`` names inside ``data_dir``, or diagnostics
        located at ``(file, line, field)`` explaining why not."""

        def error(rule: str, message: str) -> tuple[list[Path], list[Diagnostic]]:
            return [], [Diagnostic(file, line, field, rule, Severity.ERROR, message)]

        raw = str(pattern).strip()
        where = f"'{self.data_dir}/'"
        if not raw:
            return error("data/path", f"empty path; expected a file or glob inside {where}")
        posix = PurePosixPath(raw.replace("\\", "/"))
        if posix.is_absolute() or re.match(r"^[A-Za-z]:", raw) or raw.startswith("~"):
            return error(
                "data/path-outside",
                f"absolute path {raw!r} is not allowed; write it relative to the project "
                f"root, inside {where} (e.g. '{self.data_dir}/campaign/*.csv')",
            )
        if ".." in posix.parts:
            return error(
                "data/path-outside",
                f"path {raw!r} uses '..'; metric files must stay inside {where}",
            )
        parts = [p for p in posix.parts if p != "."]
        if not parts or parts[0] != self.data_dir or len(parts) < 2:
            return error(
                "data/path-outside",
                f"path {raw!r} is outside {where}; metric files must live in {where} "
                f"(e.g. '{self.data_dir}/{parts[-1] if parts else 'x.csv'}')",
            )
        rel = "/".join(parts)
        if _GLOB.search(rel):
            found = [p for p in self.root.glob(rel) if p.is_file()]
        else:
            p = self.root / rel
            if not p.exists():
                return error("data/missing-file", f"file {rel!r} not found")
            if not p.is_file():
                return error("data/path", f"{rel!r} is a folder, not a CSV file")
            found = [p]
        inside: list[Path] = []
        outside: list[str] = []
        for p in found:
            real = p.resolve()
            if real == self._data_real or self._data_real in real.parents:
                inside.append(p)
            else:
                outside.append(self._rel(p))
        diags: list[Diagnostic] = []
        if outside:
            diags.append(
                Diagnostic(
                    file,
                    line,
                    field,
                    "data/path-outside",
                    Severity.ERROR,
                    f"{', '.join(repr(o) for o in outside)} "
                    f"{'is a link' if len(outside) == 1 else 'are links'} to a file outside "
                    f"{where}; copy the file into {where} instead",
                )
            )
        csvs = [p for p in inside if p.suffix.lower() in _CSV_SUFFIXES]
        if not _GLOB.search(rel) and inside and not csvs:
            diags.append(
                Diagnostic(
                    file,
                    line,
                    field,
                    "data/not-csv",
                    Severity.ERROR,
                    f"{rel!r} is not a CSV file (expected .csv, .tsv or .txt)",
                )
            )
        elif not csvs and not outside:
            what = "no files" if not found else "no .csv files"
            diags.append(
                Diagnostic(
                    file,
                    line,
                    field,
                    "data/no-match",
                    Severity.ERROR,
                    f"{rel!r} matches {what}",
                )
            )
        return sorted(csvs, key=lambda p: p.as_posix()), diags

    # -- loading
    def load(self, path: Path) -> Table:
        """Parse ``path`` (absolute, or relative to the root), or return the cached
        table when its bytes have not changed.

        ``(size, mtime_ns)`` unchanged -> the cached table, without reading the file.
        Otherwise the file is hashed (SHA-256): same content -> the cached table;
        new content -> parsed. A file seen for the first time is parsed straight
        from disk while another thread hashes it (hashlib releases the GIL).
        """
        p = Path(path)
        if not p.is_absolute():
            p = self.root / p
        rel = self._rel(p)
        try:
            st = p.stat()
            with self._lock:
                known = self._stat.get(rel)
                if known and known[:2] == (st.st_size, st.st_mtime_ns):
                    table = self._tables.get((rel, known[2]))
                    if table is not None:
                        self._used[rel] = table
                        return table
            if known is not None:
                # Probably touched but unchanged (git checkout, editor save): hash first.
                data = p.read_bytes()
                digest = _hash(data)
                with self._lock:
                    table = self._tables.get((rel, digest))
                if table is None:
                    table = _parse(rel, data, digest, self)
            else:
                result: list[str] = []
                worker = threading.Thread(target=lambda: result.append(_hash_file(p)))
                worker.start()
                try:
                    table = _parse(rel, p, "", self)
                finally:
                    worker.join()
                after = p.stat()
                if (after.st_size, after.st_mtime_ns) != (st.st_size, st.st_mtime_ns):
                    # Written to while we read it: read once more, from one snapshot.
                    st, data = after, p.read_bytes()
                    digest = _hash(data)
                    table = _parse(rel, data, digest, self)
                else:
                    digest = result[0]
                    table = dataclasses.replace(table, digest=digest)
        except FileNotFoundError:
            return self._failed(rel, "data/missing-file", "file not found")
        except OSError as e:
            return self._failed(rel, "data/unreadable", f"cannot read the file: {e.strerror or e}")
        with self._lock:
            old = self._stat.get(rel)
            if old and old[2] != digest:
                self._tables.pop((rel, old[2]), None)
            self._stat[rel] = (st.st_size, st.st_mtime_ns, digest)
            self._tables[(rel, digest)] = table
            self._used[rel] = table
        return table

    def _failed(self, rel: str, rule: str, message: str) -> Table:
        diag = Diagnostic(rel, None, None, rule, Severity.ERROR, message)
        table = Table(rel, _empty_frame(), (), (), (diag,), "", "utf-8")
        with self._lock:
            self._stat.pop(rel, None)
            self._used[rel] = table
        return table

    def begin_build(self) -> None:
        """Forget which tables this build used (the parsed tables stay cached)."""
        with self._lock:
            self._used = {}

    def used_tables(self) -> list[Table]:
        """Tables loaded (or served from the cache) since :meth:`begin_build`, by path."""
        with self._lock:
            return [self._used[k] for k in sorted(self._used)]

    # -- combining
    def frame(
        self,
        sources: Sequence[Any],
        *,
        file: str,
        locations: Locations,
        prefix: PathKey = ("plan", "metrics"),
    ) -> tuple[pd.DataFrame, list[Diagnostic]]:
        """One table from a plan's metric sources.

        Each source (a :class:`~planbook.model.MetricSource`: ``path`` and ``set``)
        is resolved, each file loaded, the constant dimensions of ``set`` added as
        columns, and everything concatenated (missing measures NaN, missing
        dimensions ""). Returns the frame and the *resolution* diagnostics, located
        in the plan page; the tables' own diagnostics come from :meth:`used_tables`.
        """
        diags: list[Diagnostic] = []
        parts: list[pd.DataFrame] = []
        dims: list[str] = []
        measures: list[str] = []
        seen: dict[str, str] = {}
        for i, source in enumerate(sources):
            path = source.path if hasattr(source, "path") else str(source)
            constants: Mapping[str, str] = dict(getattr(source, "set", None) or {})
            key = (*prefix, i, "path") if (*prefix, i, "path") in locations.lines else (*prefix, i)
            line = locations.line(key)
            fld = format_path(key)
            paths, problems = self.resolve(path, file=file, line=line, field=fld)
            diags.extend(problems)
            for p in paths:
                table = self.load(p)
                if table.path in seen:
                    diags.append(
                        Diagnostic(
                            file,
                            line,
                            fld,
                            "data/duplicate-source",
                            Severity.WARNING,
                            f"{table.path!r} is already read by {seen[table.path]}; "
                            "it is counted once",
                        )
                    )
                    continue
                seen[table.path] = fld
                frame = table.frame
                if constants:
                    frame = frame.copy()
                    for name, value in constants.items():
                        if name in frame.columns:
                            diags.append(
                                Diagnostic(
                                    file,
                                    locations.line((*prefix, i, "set", name)),
                                    format_path((*prefix, i, "set", name)),
                                    "data/set-overrides-column",
                                    Severity.WARNING,
                                    f"{table.path!r} has its own {name!r} column; "
                                    f"the value {value!r} from `set` replaces it",
                                )
                            )
                        frame[name] = pd.Series([str(value)] * len(frame), dtype="str")
                for d in (*table.dimensions, *constants):
                    if d not in dims and d not in table.measures:
                        dims.append(d)
                for m in table.measures:
                    if m not in measures and m not in constants:
                        measures.append(m)
                parts.append(frame)
        measures = [m for m in measures if m not in dims]
        if not parts:
            out = _empty_frame()
        elif len(parts) == 1:
            out = parts[0]
        else:
            out = pd.concat(parts, ignore_index=True, sort=False)
        for d in dims:
            if d not in out.columns:
                out[d] = pd.Series([""] * len(out), dtype="str")
            else:
                out[d] = out[d].fillna("").astype("str")
        for m in measures:
            if m not in out.columns:
                out[m] = np.full(len(out), np.nan)
            elif out[m].dtype != np.float64:
                out[m] = pd.to_numeric(out[m], errors="coerce").astype("float64")
        order = [cols.DATE, *dims, *measures]
        out = out[order]
        if out is parts[0] if parts else False:
            out = out.copy()
        return out, diags
