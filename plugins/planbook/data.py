"""Metric files -> typed tables, with located diagnostics and a content-keyed cache.

A metric file is an export from an ad platform, web analytics, a CRM or an e-mail
tool, as downloaded. :class:`DataStore` resolves the ``metrics:`` sources of a plan
(paths and globs that must stay inside ``data/``), loads each file once per content
and options, and returns one long table: ``date`` + dimension columns + measures.

Output types (the contract the rest of the engine codes against):

* ``date`` is ``datetime64[ns]`` at midnight.
* Dimension columns have dtype ``"str"`` and hold the text exactly as written
  (``010`` stays ``010``, 20-digit ids keep every digit); missing is ``""``.
* Measure columns are ``float64``; a missing value (``""``, ``--``, ``N/A`` ...) is
  NaN for that measure only.

Row semantics (README, "Rows and numbers"): a row is data, a total, or unreadable.
Totals rows and unreadable rows are excluded and reported with their line numbers;
nothing is dropped without a diagnostic. Every diagnostic that excludes rows carries
their count as ``extra["rows"]``.

How the bytes are read lives in :mod:`planbook.sources` (encodings, layout, the
pyarrow fast path and the exact ``csv`` path, xlsx, export profiles); this module
turns raw columns into typed ones and applies the row rules.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np
import pandas as pd

from . import columns as cols
from .diagnostics import Diagnostic, Severity
from .frontmatter import Locations, PathKey, format_path
from .sources import encoding as encodings
from .sources import reader
from .sources.layout import MAX_PREAMBLE, ends_table, find_layout
from .sources.profiles import Profile, Registry, load_registry, normalize_header, slugify
from .sources.values import (
    DateFormatError,
    decimal_style,
    is_numeric,
    is_text,
    parse_dates,
    parse_numbers,
    to_text,
)
from .sources.warehouse import Connection, Needs, Queries
from .sources.xlsx import XlsxError, is_xlsx, sheet_records

__all__ = [
    "DataStore",
    "ReadOptions",
    "Source",
    "Table",
    "normalize_header",
    "parse_numbers",
    "slugify",
]

# "pyarrow" (fast path, exact path when a row is irregular) or "exact" (always the
# csv module); tests run both.
ENGINE = "pyarrow"

_TOTALS_PATTERN = (
    r"\s*(?:(?:合计|总计|汇总|总和)\S*.*|(?:grand\s+)?totals?|(?:grand\s+)?totals?\s*[:：(（].*)\s*"
)
_LIST_LINES = 5
_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".parquet")
# Header words that mark an export's own rates and averages (never summed).
_RATE_HEADER = re.compile(
    r"(?:^|[^a-z])(?:ctr|cpc|cpm|cpa|cpv|cpl|cpe|cpi|roas|roi|arpu|aov|frequency|avg|average)"
    r"(?:$|[^a-z])|\brate\b|率|平均|均价|单价|成本|频次|占比|\bper\b|%|/\s*(?:conv|click|impr)",
)
_RATE_KPI = {
    "ctr": "ctr",
    "cpc": "cpc",
    "cpm": "cpm",
    "cpa": "cpa",
    "roas": "roas",
    "roi": "roi",
    "aov": "aov",
    "点击率": "ctr",
    "平均点击价格": "cpc",
    "点击均价": "cpc",
    "千次展现成本": "cpm",
    "千次曝光成本": "cpm",
    "转化率": "cvr",
    "转化成本": "cpa",
    "conv. rate": "cvr",
    "conversion rate": "cvr",
    "avg. cpc": "cpc",
    "avg. cpm": "cpm",
    "cost / conv.": "cpa",
    "open rate": "open_rate",
    "打开率": "open_rate",
}
_NON_ADDITIVE = {"reach": "reach", "users": "users", "followers": "followers"}


# --------------------------------------------------------------------------- table


@dataclass(frozen=True)
class ReadOptions:
    """How one source is read, beyond detection (``metrics: [{path, profile, ...}]``)."""

    profile: str | None = None
    encoding: str | None = None
    decimal: str | None = None
    sheet: str | None = None
    date_format: str | None = None


@dataclass(frozen=True)
class Table:
    """One parsed metric file.

    ``frame`` holds ``date``, the dimension columns (str) and the measures (float64);
    ``rates`` are the export's own rate columns (name -> built-in KPI id or ``None``),
    left out of the frame; ``non_additive`` names measures that must not be summed
    across days (reach, users, cumulative followers).
    """

    path: str
    frame: pd.DataFrame = field(repr=False)
    dimensions: tuple[str, ...]
    measures: tuple[str, ...]
    diagnostics: tuple[Diagnostic, ...]
    digest: str
    encoding: str
    profile: str | None = None
    rates: tuple[tuple[str, str | None], ...] = ()
    non_additive: tuple[str, ...] = ()
    line_of: Callable[[np.ndarray], np.ndarray] | None = field(
        default=None, repr=False, compare=False
    )
    rows: np.ndarray | None = field(default=None, repr=False, compare=False)
    # The query result this table holds (a warehouse source), for the build's record.
    query: Any = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        """True when the file could be read (there may still be warnings)."""
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)

    def lines(self, frame_rows: np.ndarray) -> list[int]:
        """Physical lines of rows of :attr:`frame` (for messages)."""
        if self.line_of is None or self.rows is None:
            return [int(r) + 2 for r in frame_rows]
        return [int(x) for x in self.line_of(self.rows[np.asarray(frame_rows, dtype=np.int64)])]


def _empty_frame() -> pd.DataFrame:
    return pd.DataFrame({cols.DATE: pd.Series([], dtype="datetime64[ns]")})


# --------------------------------------------------------------------------- headers


def _alias_table(site: Mapping[str, str] | None) -> dict[str, str]:
    table = {normalize_header(k): v for k, v in cols.ALIASES.items()}
    for canonical in (cols.DATE, *cols.DIMENSIONS, *cols.MEASURES, *_NON_ADDITIVE):
        table.setdefault(canonical, canonical)
        table.setdefault(canonical.replace("_", " "), canonical)
    for k, v in (site or {}).items():
        table[normalize_header(str(k))] = str(v)
    return table


_UNIT = re.compile(r"\s*[(\[][^()\[\]]*[)\]]\s*$")


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


def _rows_word(n: int, what: str = "row") -> str:
    return f"{n} {what}" if n == 1 else f"{n} {what}s"


def _line_list(lines: Sequence[int], total: int | None = None) -> str:
    total = len(lines) if total is None else total
    shown = ", ".join(str(n) for n in lines[:_LIST_LINES])
    more = total - min(len(lines), _LIST_LINES)
    word = "line" if total == 1 else "lines"
    return f"{word} {shown}" + (f" and {more} more" if more > 0 else "")


def _quote(text: str, limit: int = 60) -> str:
    text = " ".join(str(text).split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


# --------------------------------------------------------------------------- parsing


@dataclass
class _Column:
    index: int
    header: str
    name: str
    known: bool
    kind: str  # "date" | "dimension" | "measure" | "auto" | "rate" | "skip"
    rate_kpi: str | None = None
    non_additive: bool = False


class _Parser:
    """Turns the bytes of one file into a :class:`Table`."""

    def __init__(
        self, path: str, source: bytes | Path, digest: str, store: DataStore, opts: ReadOptions
    ) -> None:
        self.path = path
        self._bytes = source if isinstance(source, bytes) else None
        self.file = None if isinstance(source, bytes) else source
        self.digest = digest
        self.store = store
        self.opts = opts
        self.diags: list[Diagnostic] = []
        self.profile: Profile | None = None
        self.delimiter = ","

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
            self._bytes = head
        return head

    def diag(
        self,
        severity: Severity,
        rule: str,
        message: str,
        line: int | None = None,
        fld: str | None = None,
        rows: int | None = None,
    ) -> None:
        extra = (("rows", str(rows)),) if rows is not None else ()
        self.diags.append(Diagnostic(self.path, line, fld, rule, severity, message, extra=extra))

    def table(
        self,
        frame: pd.DataFrame | None = None,
        dims: Sequence[str] = (),
        measures: Sequence[str] = (),
        encoding: str = "utf-8",
        **kw: Any,
    ) -> Table:
        return Table(
            path=self.path,
            frame=_empty_frame() if frame is None else frame,
            dimensions=tuple(dims),
            measures=tuple(measures),
            diagnostics=tuple(self.diags),
            digest=self.digest,
            encoding=encoding,
            profile=self.profile.id if self.profile else None,
            **kw,
        )

    # -- encoding
    def _encoding(self, head: bytes) -> str | None:
        forced = self.opts.encoding or self.store.encoding
        if forced:
            name = encodings.normalize(forced)
            if name is None:
                self.diag(
                    Severity.ERROR,
                    "data/encoding",
                    f"unknown encoding {forced!r}; use one of utf-8, gb18030, utf-16, big5, "
                    "shift_jis, cp1252",
                )
                return None
            if name == "utf-8-sig" and not head.startswith(b"\xef\xbb\xbf"):
                name = "utf-8"
            return name
        complete = self._bytes is not None and len(self._bytes) == len(head)
        guess = encodings.detect(head, complete=complete)
        if guess.encoding:
            return guess.encoding
        if guess.decodes:
            names = " or ".join(encodings.display(e) for e in guess.decodes)
            values = ", ".join(guess.decodes)
            self.diag(
                Severity.ERROR,
                "data/encoding",
                f"cannot tell the file's encoding: it is not UTF-8 and reads as {names} "
                f"alike; set the one it is ({values}) on the source, e.g. `metrics: [{{path: "
                f"{self.path}, encoding: {guess.decodes[-1]}}}]`, or save the file as UTF-8",
            )
        else:
            tried = ", ".join(encodings.display(e) for e in encodings.CANDIDATES)
            self.diag(
                Severity.ERROR,
                "data/encoding",
                f"cannot decode the file (tried {tried}; first bad byte at line "
                f"{guess.bad_line}); save it as UTF-8 or set `encoding` on the source",
                guess.bad_line,
            )
        return None

    # -- main
    def parse(self) -> Table:
        head = self._head()
        if not head.strip():
            what = "0 bytes" if not head else "only whitespace"
            if self._bytes is head or not self.data.strip():
                self.diag(Severity.WARNING, "data/empty", f"file is empty ({what}); no rows read")
                return self.table()
        if is_xlsx(self.path, head):
            return self._parse_xlsx()
        encoding = self._encoding(head)
        if encoding is None:
            return self.table()
        if encoding not in ("utf-8", "utf-8-sig", "gb18030"):
            try:
                text = self.data.decode(encoding)
            except UnicodeDecodeError as e:
                line = self.data.count(b"\n", 0, e.start) + 1
                self.diag(
                    Severity.ERROR,
                    "data/encoding",
                    f"cannot decode the file as {encodings.display(encoding)} (first bad byte "
                    f"at line {line}); save it as UTF-8 or set `encoding` on the source",
                    line,
                )
                return self.table(encoding=encoding)
            self._bytes, self.file = text.lstrip("\ufeff").encode("utf-8"), None
            head = self._bytes[: 1 << 20]
            buf_enc = "utf-8"
        else:
            buf_enc = "utf-8" if encoding == "utf-8-sig" else encoding
        bom = 3 if head.startswith(b"\xef\xbb\xbf") else 0
        head_lines = head[bom:].split(b"\n", MAX_PREAMBLE + 1)[: MAX_PREAMBLE + 1]
        texts = [ln.decode(buf_enc, errors="replace") for ln in head_lines]
        layout = find_layout(texts, self._role)
        self.delimiter = layout.delimiter
        offset = bom + sum(len(x) + 1 for x in head_lines[: layout.header_index + 1])
        self._preamble(layout.preamble, layout.skipped, layout.headers)
        columns = self._map_columns(layout.headers)
        if columns is None:
            return self.table(encoding=encoding)
        n = len(layout.headers)
        first_line = layout.header_index + 2
        if (offset >= len(head) and self._bytes is head) or not self._rest_has_data(offset):
            self.diag(Severity.WARNING, "data/no-rows", "file has a header but no data rows", 1)
            return self._finish(
                reader.Raw(reader.rows_frame([], n), False, lambda r: r + first_line),
                columns,
                encoding,
            )

        end, after = self._table_end(offset, n, layout.delimiter, buf_enc)

        def decode(b: bytes) -> str:
            return b.decode(buf_enc, errors="replace")

        raw = None
        if ENGINE == "pyarrow":
            plain = (
                self._bytes is None
                and layout.header_index == 0
                and bom == 0
                and end is None
                and encoding == "utf-8"
            )
            raw = reader.read_fast(
                self.file if plain and self.file is not None else self.data,
                offset=offset,
                end=end,
                n=n,
                delimiter=layout.delimiter,
                types=self._types(columns),
                binary=buf_enc == "gb18030",
                first_line=first_line,
                decode=decode,
            )
        if raw is None:
            body = self.data[offset:end]
            try:
                text = body.decode(buf_enc)
            except UnicodeDecodeError as e:
                line = first_line + body.count(b"\n", 0, e.start)
                self.diag(
                    Severity.ERROR,
                    "data/encoding",
                    f"cannot decode the file as {encodings.display(buf_enc)} (first bad byte "
                    f"at line {line}); save it as UTF-8 or set `encoding` on the source",
                    line,
                )
                return self.table(encoding=encoding)
            raw = reader.read_exact(reader.text_records(text, layout.delimiter, first_line), n)
        raw.after.extend(after)
        return self._finish(raw, columns, encoding)

    def _rest_has_data(self, offset: int) -> bool:
        head = self._head()
        if offset < len(head) and head[offset:].strip():
            return True
        if self._bytes is not None and len(self._bytes) <= len(head):
            return False
        return bool(self.data[offset:].strip())

    def _role(self, header: str) -> str | None:
        h = normalize_header(header)
        if h in self.store.profile_dates:
            return "date"
        name, known = _canonical(header, self.store._aliases)
        return name if known else None

    def _preamble(self, preamble: list[tuple[int, str]], skipped: int, headers: list[str]) -> None:
        texts = [t for _, t in preamble]
        if self.opts.profile:
            self.profile = self.store.profiles.get(self.opts.profile)
            if self.profile is None:
                known = ", ".join(sorted(self.store.profiles.profiles))
                self.diag(
                    Severity.ERROR,
                    "data/unknown-profile",
                    f"unknown export profile {self.opts.profile!r}; known profiles: {known}",
                )
        else:
            self.profile = self.store.profiles.detect(headers, texts, self.delimiter)
        if self.profile is not None:
            self.diag(
                Severity.INFO,
                "data/profile",
                f"read as {self.profile.name} export (profile {self.profile.id})",
            )
        if skipped:
            lines = [ln for ln, _ in preamble]
            first = _quote(texts[0]) if texts else "blank lines"
            self.diag(
                Severity.INFO,
                "data/preamble",
                f"{_rows_word(skipped, 'line')} above the header skipped "
                f"({_line_list(lines) if lines else 'blank'}: {first}"
                f"{' …' if len(texts) > 1 else ''}); the header is line {skipped + 1}",
                skipped + 1,
                rows=skipped,
            )

    def _table_end(
        self, offset: int, n: int, delimiter: str, buf_enc: str
    ) -> tuple[int | None, list[int]]:
        """Byte offset where the table ends (``None``: at the end of the file) and the
        non-blank lines after it."""
        head = self._head()
        complete = self._bytes is not None and len(self._bytes) <= len(head)
        if not complete:
            # Only a blank line followed by more text needs the whole file read.
            tail = self.file.stat().st_size if self.file is not None else len(self.data)
            probe = head if tail <= len(head) else head + self._tail(64 << 10)
            if not re.search(rb"\n\r?\n\s*\S", probe):
                return None, []
        data = self.data
        for m in re.finditer(rb"\n(?:[ \t]*\r?\n)+", data[offset:] if offset else data):
            start = offset + m.end()
            if start >= len(data):
                break
            line = data[start : start + (64 << 10)].decode(buf_enc, "replace")
            if not line.strip():
                continue
            if ends_table(line, n, delimiter):
                cut = offset + m.start() + 1
                first = data.count(b"\n", 0, cut) + 1
                rest = data[cut:].decode(buf_enc, "replace")
                after = [ln for ln, _ in reader.text_records(rest, delimiter, first)]
                return cut, after
        return None, []

    def _tail(self, size: int) -> bytes:
        assert self.file is not None
        with self.file.open("rb") as fh:
            fh.seek(max(0, self.file.stat().st_size - size))
            return fh.read()

    def _parse_xlsx(self) -> Table:
        source: bytes | Path = self._bytes if self._bytes is not None else self.file  # type: ignore[assignment]
        try:
            sheet, records = sheet_records(source, self.opts.sheet)
        except XlsxError as e:
            self.diag(Severity.ERROR, "data/xlsx", str(e))
            return self.table(encoding="xlsx")
        if not records:
            self.diag(Severity.WARNING, "data/empty", f"sheet {sheet!r} is empty; no rows read")
            return self.table(encoding="xlsx")
        # The layout search works on lines: give it each row's cells joined by tabs.
        texts = ["\t".join(c.replace("\t", " ") for c in cells) for _, cells in records]
        layout = find_layout(texts[: MAX_PREAMBLE + 1], self._role, delimiter="\t")
        header_row = records[layout.header_index][0]
        preamble = [(records[i][0], texts[i]) for i in range(layout.header_index)]
        self._preamble(preamble, header_row - 1, layout.headers)
        columns = self._map_columns(layout.headers)
        if columns is None:
            return self.table(encoding="xlsx")
        n = len(layout.headers)
        body = [(line, cells) for line, cells in records[layout.header_index + 1 :]]
        # A blank row followed by something that is not a row ends the table.
        after: list[int] = []
        for i in range(1, len(body)):
            if body[i][0] > body[i - 1][0] + 1 and (
                body[i][1][0].startswith("#") or len(body[i][1]) != n
            ):
                after = [line for line, _ in body[i:]]
                body = body[:i]
                break
        raw = reader.read_exact(body, n)
        raw.after.extend(after)
        if not body:
            self.diag(Severity.WARNING, "data/no-rows", "sheet has a header but no data rows")
        return self._finish(raw, columns, "xlsx")

    def _map_columns(self, headers: list[str]) -> list[_Column] | None:
        aliases = self.store._aliases
        profile = self.profile
        site = self.store._site_aliases
        columns: list[_Column] = []
        seen: dict[str, _Column] = {}
        for i, header in enumerate(headers):
            rate_kpi: str | None = None
            non_additive = False
            target = None if profile is None else profile.columns.get(header)
            if normalize_header(header) in site:
                target = site[normalize_header(header)]
            if target == "ignore":
                columns.append(
                    _Column(i, header, slugify(header) or f"column_{i + 1}", True, "skip")
                )
                continue
            if target is None and profile is not None:
                if header in profile.rates:
                    rate_kpi = profile.rates.get(header) or None
                    name = slugify(header) or f"column_{i + 1}"
                    columns.append(_Column(i, header, name, True, "rate", rate_kpi))
                    continue
                if header in profile.non_additive:
                    target = profile.non_additive.get(header)
                    non_additive = True
            if target:
                name, known = target, True
            else:
                name, known = _canonical(header, aliases)
            if not name:
                name = f"column_{i + 1}"
            if name in _NON_ADDITIVE:
                non_additive = True
            if name == cols.DATE:
                kind = "date"
            elif name in cols.DIMENSIONS:
                kind = "dimension"
            elif name in cols.MEASURES or name in _NON_ADDITIVE:
                kind = "measure"
            elif name == "id" or name.endswith("_id"):
                kind = "dimension"
            elif _RATE_HEADER.search(normalize_header(header)):
                kind = "rate"
                h = _UNIT.sub("", normalize_header(header))
                rate_kpi = _RATE_KPI.get(h)
            else:
                kind = "auto"
            col = _Column(i, header, name, known, kind, rate_kpi, non_additive)
            if name in seen and kind != "rate":
                first = seen[name]
                self.diag(
                    Severity.ERROR,
                    "data/duplicate-column",
                    f"columns {_quote(first.header.strip())} (column {first.index + 1}) and "
                    f"{_quote(header.strip())} (column {i + 1}) both map to {name!r}; only the "
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
            # A profile may ignore a date column that another layout of the same export
            # needs (Meta: `Reporting starts` when there is no `Day` breakdown).
            for col in columns:
                if col.kind == "skip" and _canonical(col.header, aliases) == (cols.DATE, True):
                    col.name, col.kind = cols.DATE, "date"
                    seen[cols.DATE] = col
                    break
        if cols.DATE not in seen:
            shown = ", ".join(_quote(h.strip(), 30) for h in headers[:8]) or "none"
            more = f" and {len(headers) - 8} more" if len(headers) > 8 else ""
            self.diag(
                Severity.ERROR,
                "data/no-date-column",
                f"no date column among the headers ({shown}{more}); name it 'date' or '日期', "
                "or map its header to 'date' with the `columns` option",
                1,
            )
            return None
        return columns

    def _types(self, columns: list[_Column]) -> dict[int, str]:
        """Columns the fast reader must keep as text (dimensions exactly as written;
        unknown columns, which may be either)."""
        kinds = {"date": "dict", "dimension": "dict", "auto": "text"}
        return {c.index: kinds[c.kind] for c in columns if c.kind in kinds}

    # -- conversion
    def _finish(self, raw: reader.Raw, columns: list[_Column], encoding: str) -> Table:
        from .sources.convert import finish

        return finish(self, raw, columns, encoding)


def _parse(
    path: str, source: bytes | Path, digest: str, store: DataStore, opts: ReadOptions
) -> Table:
    """Parse one file, given its bytes or its path (module-level so tests can count calls)."""
    store.parse_count += 1
    return _Parser(path, source, digest, store, opts).parse()


# --------------------------------------------------------------------------- store


def _hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _hash_file(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


_GLOB = re.compile(r"[*?\[]")
_MAX_PATH = 1024


class DataStore:
    """Resolves metric sources and loads metric files, each parsed once per content.

    ``root`` is the project root; sources must stay inside ``root / data_dir``.
    ``aliases`` (header -> canonical name) extends and overrides
    :data:`planbook.columns.ALIASES` and every profile; ``encoding`` forces one
    encoding for every file; ``profiles_dir`` adds a folder of export profiles.
    """

    def __init__(
        self,
        root: Path,
        *,
        data_dir: str = "data",
        aliases: Mapping[str, str] | None = None,
        encoding: str | None = None,
        profiles_dir: Path | None = None,
        connections: Mapping[str, Connection] | None = None,
        offline: bool = False,
        clock: Callable[[], datetime] | None = None,
        cache_dir: Path | None = None,
    ) -> None:
        self.root = Path(root)
        self.data_dir = data_dir.strip("/") or "data"
        self.encoding = encoding
        self._aliases = _alias_table(aliases)
        self._site_aliases = {normalize_header(str(k)): str(v) for k, v in (aliases or {}).items()}
        self._profiles_dir = profiles_dir
        self.profiles: Registry = load_registry(profiles_dir)
        self.profile_dates = self.profiles.date_headers()
        self._root_real = self.root.resolve()
        self._data_real = (self.root / self.data_dir).resolve()
        self._stat: dict[tuple[str, ReadOptions], tuple[int, int, str]] = {}
        self._tables: dict[tuple[str, str, ReadOptions], Table] = {}
        self._used: dict[tuple[str, ReadOptions], Table] = {}
        self._lock = threading.Lock()
        self.parse_count = 0
        # Database and Parquet sources (sources/warehouse.py); Ibis is imported on use.
        self.queries = Queries(self, connections, offline=offline, clock=clock, cache_dir=cache_dir)

    def profiles_changed(self) -> bool:
        """Whether the profile files changed since this store was made (``mkdocs serve``
        watches the site's profiles folder: tables parsed with old rules must go)."""
        return load_registry(self._profiles_dir) != self.profiles

    def profile_diagnostics(self) -> list[Diagnostic]:
        """Problems with the profile files themselves (a site's profiles folder)."""
        return [
            Diagnostic(e.split(":", 1)[0], None, None, "data/profile-file", Severity.ERROR, e)
            for e in self.profiles.errors
        ]

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
        if len(raw) > _MAX_PATH or "\x00" in raw:
            return error(
                "data/path",
                f"path of {len(raw):,} characters is not a file name; expected a path inside "
                f"{where} of at most {_MAX_PATH} characters",
            )
        shown = _quote(raw, 80)
        posix = PurePosixPath(raw.replace("\\", "/"))
        if posix.is_absolute() or re.match(r"^[A-Za-z]:", raw) or raw.startswith("~"):
            return error(
                "data/path-outside",
                f"absolute path {shown} is not allowed; write it relative to the project "
                f"root, inside {where} (e.g. '{self.data_dir}/campaign/*.csv')",
            )
        if ".." in posix.parts:
            return error(
                "data/path-outside",
                f"path {shown} uses '..'; metric files must stay inside {where}",
            )
        parts = [p for p in posix.parts if p != "."]
        if not parts or parts[0] != self.data_dir or len(parts) < 2:
            return error(
                "data/path-outside",
                f"path {shown} is outside {where}; metric files must live in {where} "
                f"(e.g. '{self.data_dir}/{parts[-1] if parts else 'x.csv'}')",
            )
        rel = "/".join(parts)
        try:
            if _GLOB.search(rel):
                found = [p for p in self.root.glob(rel) if p.is_file()]
            else:
                p = self.root / rel
                if not p.exists():
                    return error("data/missing-file", f"file {shown} not found")
                if not p.is_file():
                    return error("data/path", f"{shown} is a folder, not a metric file")
                found = [p]
        except (OSError, ValueError) as e:
            return error("data/path", f"cannot look up {shown}: {e}")
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
        usable = [p for p in inside if p.suffix.lower() in _SUFFIXES]
        if not _GLOB.search(rel) and inside and not usable:
            diags.append(
                Diagnostic(
                    file,
                    line,
                    field,
                    "data/not-csv",
                    Severity.ERROR,
                    f"{shown} is not a metric file (expected .csv, .tsv, .txt, .xlsx or .parquet)",
                )
            )
        elif not usable and not outside:
            what = "no files" if not found else "no .csv, .xlsx or .parquet files"
            diags.append(
                Diagnostic(
                    file, line, field, "data/no-match", Severity.ERROR, f"{shown} matches {what}"
                )
            )
        return sorted(usable, key=lambda p: p.as_posix()), diags

    # -- loading
    def load(self, path: Path, options: ReadOptions | None = None) -> Table:
        """Parse ``path`` (absolute, or relative to the root) with ``options``, or return
        the cached table when its bytes have not changed.

        ``(size, mtime_ns)`` unchanged -> the cached table, without reading the file.
        Otherwise the file is hashed (SHA-256): same content -> the cached table; new
        content -> parsed. A file seen for the first time is parsed straight from disk
        while another thread hashes it (hashlib releases the GIL).
        """
        opts = options or ReadOptions()
        p = Path(path)
        if not p.is_absolute():
            p = self.root / p
        rel = self._rel(p)
        key = (rel, opts)
        try:
            st = p.stat()
            with self._lock:
                known = self._stat.get(key)
                if known and known[:2] == (st.st_size, st.st_mtime_ns):
                    table = self._tables.get((rel, known[2], opts))
                    if table is not None:
                        self._used[key] = table
                        return table
            if known is not None:
                data = p.read_bytes()
                digest = _hash(data)
                with self._lock:
                    table = self._tables.get((rel, digest, opts))
                if table is None:
                    table = _parse(rel, data, digest, self, opts)
            else:
                result: list[str] = []
                worker = threading.Thread(target=lambda: result.append(_hash_file(p)))
                worker.start()
                try:
                    table = _parse(rel, p, "", self, opts)
                finally:
                    worker.join()
                after = p.stat()
                if (after.st_size, after.st_mtime_ns) != (st.st_size, st.st_mtime_ns):
                    st, data = after, p.read_bytes()
                    digest = _hash(data)
                    table = _parse(rel, data, digest, self, opts)
                else:
                    digest = result[0]
                    table = dataclasses.replace(table, digest=digest)
        except FileNotFoundError:
            return self._failed(key, "data/missing-file", "file not found")
        except OSError as e:
            return self._failed(key, "data/unreadable", f"cannot read the file: {e.strerror or e}")
        with self._lock:
            old = self._stat.get(key)
            if old and old[2] != digest:
                self._tables.pop((rel, old[2], opts), None)
            self._stat[key] = (st.st_size, st.st_mtime_ns, digest)
            self._tables[(rel, digest, opts)] = table
            self._used[key] = table
        return table

    def load_parquet(self, path: Path, needs: Needs) -> Table:
        """A Parquet file, aggregated for ``needs`` by the embedded DuckDB."""
        rel = self._rel(path)
        key = (rel, ReadOptions())
        try:
            table = self.queries.parquet(path, rel, needs)
        except OSError as e:
            return self._failed(key, "data/unreadable", f"cannot read the file: {e.strerror or e}")
        with self._lock:
            self._used[key] = table
        return table

    def _failed(self, key: tuple[str, ReadOptions], rule: str, message: str) -> Table:
        diag = Diagnostic(key[0], None, None, rule, Severity.ERROR, message)
        table = Table(key[0], _empty_frame(), (), (), (diag,), "", "utf-8")
        with self._lock:
            self._stat.pop(key, None)
            self._used[key] = table
        return table

    def begin_build(self) -> None:
        """Forget which tables this build used (the parsed tables stay cached)."""
        with self._lock:
            self._used = {}
        self.queries.begin_build()

    def used_tables(self) -> list[Table]:
        """Tables loaded (or served from the cache) since :meth:`begin_build`, by path."""
        with self._lock:
            return [self._used[k] for k in sorted(self._used, key=lambda k: (k[0], repr(k[1])))]

    # -- combining
    def gather(
        self,
        sources: Sequence[Any],
        *,
        file: str,
        locations: Locations,
        prefix: PathKey = ("plan", "metrics"),
        needs: Needs | None = None,
    ) -> tuple[list[Source], list[Diagnostic]]:
        """Resolve and load a plan's metric sources: one :class:`Source` per file or
        query, and the diagnostics located in the plan page. The same file reached twice
        (overlapping globs, a link inside ``data/``) is kept once, with a warning.

        ``needs`` (the dimensions and days the plan reads) shapes the aggregation of
        database and Parquet sources; without it they are grouped by date only."""
        diags: list[Diagnostic] = []
        out: list[Source] = []
        seen: dict[Path, tuple[str, str]] = {}
        needs = needs or Needs()
        for i, source in enumerate(sources):
            constants = {str(k): str(v) for k, v in (getattr(source, "set", None) or {}).items()}
            if getattr(source, "connection", None):
                key = (*prefix, i)
                table, problems = self.queries.source(
                    source, needs, file=file, line=locations.line(key), fld=format_path(key)
                )
                diags.extend(problems)
                if table is not None:
                    out.append(Source(table, tuple(sorted(constants.items()))))
                continue
            path = source.path if hasattr(source, "path") else str(source)
            key = (*prefix, i, "path") if (*prefix, i, "path") in locations.lines else (*prefix, i)
            line = locations.line(key)
            fld = format_path(key)
            paths, problems = self.resolve(path, file=file, line=line, field=fld)
            diags.extend(problems)
            for p in paths:
                real = p.resolve()
                if p.suffix.lower() == ".parquet":
                    table = self.load_parquet(p, needs)
                else:
                    table = self.load(p, read_options(source))
                if real in seen:
                    first_path, first_fld = seen[real]
                    same = "" if first_path == table.path else f" (through {first_path!r})"
                    diags.append(
                        Diagnostic(
                            file,
                            line,
                            fld,
                            "data/duplicate-source",
                            Severity.WARNING,
                            f"{table.path!r} is the same file as read by {first_fld}{same}; "
                            "its rows are counted once",
                        )
                    )
                    continue
                seen[real] = (table.path, fld)
                for name, value in constants.items():
                    if name in table.frame.columns:
                        diags.append(
                            Diagnostic(
                                file,
                                locations.line((*prefix, i, "set", name)),
                                format_path((*prefix, i, "set", name)),
                                "data/set-overrides-column",
                                Severity.WARNING,
                                f"{table.path!r} has its own {name!r} column; "
                                f"the value {_quote(value)} from `set` replaces it",
                            )
                        )
                out.append(Source(table, tuple(sorted(constants.items()))))
        return out, diags

    def combine(self, sources: Sequence[Source]) -> pd.DataFrame:
        """One table from gathered sources: the constant dimensions of ``set`` added as
        columns, everything concatenated (missing measures NaN, missing dimensions "").
        ``frame.attrs`` carries ``rates`` (column -> built-in KPI) and ``non_additive``."""
        parts: list[pd.DataFrame] = []
        dims: list[str] = []
        measures: list[str] = []
        rates: dict[str, str | None] = {}
        non_additive: set[str] = set()
        queries: list[Any] = []
        for src in sources:
            table, constants = src.table, dict(src.constants)
            if table.query is not None and table.query not in queries:
                queries.append(table.query)
            frame = table.frame
            rates.update(table.rates)
            non_additive.update(table.non_additive)
            if constants:
                frame = frame.copy()
                for name, value in constants.items():
                    frame[name] = pd.Series([value] * len(frame), dtype="str")
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
            out = parts[0].copy(deep=False)
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
        out = out[[cols.DATE, *dims, *measures]]
        out.attrs = {
            "rates": {k: v for k, v in rates.items() if k not in measures},
            "non_additive": sorted(non_additive & set(measures)),
            "queries": queries,
        }
        return out

    def frame(
        self,
        sources: Sequence[Any],
        *,
        file: str,
        locations: Locations,
        prefix: PathKey = ("plan", "metrics"),
    ) -> tuple[pd.DataFrame, list[Diagnostic]]:
        """:meth:`gather` then :meth:`combine`: one frame and the plan-page diagnostics
        (the tables' own diagnostics come from :meth:`used_tables`)."""
        gathered, diags = self.gather(sources, file=file, locations=locations, prefix=prefix)
        return self.combine(gathered), diags


@dataclass(frozen=True)
class Source:
    """One loaded file of a plan's sources, with the constant columns ``set`` adds."""

    table: Table
    constants: tuple[tuple[str, str], ...] = ()

    @property
    def key(self) -> tuple[str, str, tuple[tuple[str, str], ...]]:
        return (self.table.path, self.table.digest, self.constants)


def read_options(source: Any) -> ReadOptions:
    """The reading options of a ``metrics:`` entry (a path alone has none)."""
    return ReadOptions(
        profile=getattr(source, "profile", None),
        encoding=getattr(source, "encoding", None),
        decimal=getattr(source, "decimal", None),
        sheet=getattr(source, "sheet", None),
        date_format=getattr(source, "date_format", None),
    )


__all__ += ["decimal_style", "is_numeric", "is_text", "parse_dates", "read_options", "to_text"]
_ = (DateFormatError, to_text)
