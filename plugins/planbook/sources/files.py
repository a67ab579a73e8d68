"""One metric file -> :class:`~.table.Table`.

The flow: :mod:`.encoding` tells the encoding, :mod:`.layout` finds the header below
any preamble, :mod:`.profiles` names the export, :mod:`.headers` maps its columns,
:mod:`.reader` reads the body (pyarrow fast path, or the exact ``csv`` path; :mod:`.xlsx`
for workbooks), and :mod:`.convert` applies the row rules.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..diagnostics import Diagnostic, Severity
from ..messages import Lines, msg
from . import encoding as encodings
from . import exact, reader
from .currency import Stated, currency_columns, stated
from .digest import content_key
from .headers import NON_ADDITIVE as NON_ADDITIVE
from .headers import RATE_HEADER as RATE_HEADER
from .headers import RATE_KPI as RATE_KPI
from .headers import Column, alias_table, canonical, map_columns
from .layout import MAX_PREAMBLE, ends_table, find_layout
from .profiles import Profile, normalize_header
from .sniff import is_web_page
from .table import ReadOptions, Table, empty_frame, quote
from .xlsx import XlsxError, is_xlsx, sheet_records

if TYPE_CHECKING:
    from ..data import DataStore

__all__ = ["ENGINE", "Parser", "alias_table", "canonical", "content_hash", "parse"]

# "pyarrow" (fast path, exact path when a row is irregular) or "exact" (always the
# csv module); tests run both.
ENGINE = "pyarrow"
# Bytes read first, to tell the encoding and find the header (a file this small is read
# whole).
HEAD = 1 << 20
# Columns a metric file may have: a platform's widest report holds a few hundred; past
# this the file is refused at its header (reading costs time and memory per column).
MAX_COLUMNS = 6_000
# Byte-order marks of encodings whose characters may hold a CR byte.
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")

# A totals label is the whole cell (trimmed, any case, an optional trailing colon): a real
# campaign called "Total Brand" or "小计划" stays. 合计 / 总计 / 汇总 / 总和 may start a
# longer label (合计（3 个计划）), and 合计 / 总计 / 汇总 may end a short one (账户汇总,
# 全部汇总, 当日合计); 小计 / 共计 / 总体, Total(s), Grand total, Summary, "共 3 条记录".
TOTALS_PATTERN = (
    r"\s*(?:(?:合计|总计|汇总|总和)\S*.*|[^\s,]{1,8}?(?:合计|总计|汇总)|小计|共计|总体"
    r"|(?:grand\s+)?(?:totals?|summary)|(?:grand\s+)?totals?\s*[:：(（].*"
    r"|共\s*\d+\s*条(?:记录|数据)?)\s*[:：]?\s*"
)
# Cells that say nothing of a row (blank, a dash, N/A) or that may be a summary's label
# or a real value (All, 全部, Sum): a row whose every dimension is one of them is a
# total only when its measures restate the other rows' sums (convert).
SUMMARY_LIKE_PATTERN = r"\s*(?:-{1,2}|—{1,2}|n/?a|all|sum|全部)?\s*[:：]?\s*"


def content_hash(data: bytes) -> str:
    """The content key of a file (:mod:`.digest`): caches are keyed by it."""
    return content_key(data)


class Parser:
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
        # Where the file states its currency, and its money columns (:mod:`.currency`).
        self.currency: tuple[Stated, ...] = ()
        self.money: frozenset[str] = frozenset()

    @property
    def data(self) -> bytes:
        if self._bytes is None:
            assert self.file is not None
            self._whole(self.file.read_bytes())
        assert self._bytes is not None
        return self._bytes

    def _whole(self, data: bytes) -> None:
        """The file's bytes, read from disk: hashed here (no second read to hash)."""
        self._bytes = data
        if not self.digest:
            self.digest = content_hash(data)

    def _head(self, size: int | None = None) -> bytes:
        size = size or HEAD
        if self._bytes is not None:
            return self._bytes[:size]
        assert self.file is not None
        with self.file.open("rb") as fh:
            head = fh.read(size)
        if len(head) < size:
            self._whole(head)
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
            frame=empty_frame() if frame is None else frame,
            dimensions=tuple(dims),
            measures=tuple(measures),
            diagnostics=tuple(self.diags),
            digest=self.digest,
            encoding=encoding,
            profile=self.profile.id if self.profile else None,
            currency=self.currency,
            money=tuple(m for m in measures if m in self.money),
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
                    msg("data/encoding.unknown", name=forced),
                )
                return None
            if name == "utf-8-sig" and not head.startswith(b"\xef\xbb\xbf"):
                name = "utf-8"
            return name
        complete = self._bytes is not None and len(self._bytes) == len(head)
        guess = encodings.detect(head, complete=complete)
        if guess.encoding:
            return guess.encoding
        if len(guess.decodes) == 1:
            # The one encoding that decodes reads as unassigned or private-use text.
            [only] = guess.decodes
            self.diag(
                Severity.ERROR,
                "data/encoding",
                msg(
                    "data/encoding.doubtful",
                    name=encodings.display(only),
                    value=only,
                    path=self.path,
                ),
            )
        elif guess.decodes:
            names = " or ".join(encodings.display(e) for e in guess.decodes)
            values = ", ".join(guess.decodes)
            self.diag(
                Severity.ERROR,
                "data/encoding",
                msg(
                    "data/encoding.ambiguous",
                    names=names,
                    values=values,
                    path=self.path,
                    last=guess.decodes[-1],
                ),
            )
        else:
            tried = ", ".join(encodings.display(e) for e in encodings.CANDIDATES)
            self.diag(
                Severity.ERROR,
                "data/encoding",
                msg("data/encoding.undecodable", tried=tried, line=guess.bad_line),
                guess.bad_line,
            )
        return None

    # -- main
    def parse(self) -> Table:
        head = self._head()
        if not head.strip():
            what = msg("data/empty.bytes" if not head else "data/empty.whitespace")
            if self._bytes is head or not self.data.strip():
                self.diag(Severity.WARNING, "data/empty", what)
                return self.table()
        if is_xlsx(self.path, head):
            return self._parse_xlsx()
        if is_web_page(head):  # a report page saved under a spreadsheet's name
            self.diag(Severity.ERROR, "data/not-csv", msg("data/not-csv.html", path=self.path))
            return self.table()
        head = self._cr_lines(head)
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
                    msg("data/encoding.as", encoding=encodings.display(encoding), line=line),
                    line,
                )
                return self.table(encoding=encoding)
            if "\r" in text and "\n" not in text:  # CR line ends (see _cr_lines)
                text = text.replace("\r", "\n")
            self._bytes, self.file = text.lstrip("\ufeff").encode("utf-8"), None
            head = self._bytes[:HEAD]
            buf_enc = "utf-8"
        else:
            buf_enc = "utf-8" if encoding == "utf-8-sig" else encoding
        bom = 3 if head.startswith(b"\xef\xbb\xbf") else 0
        head_lines = head[bom:].split(b"\n", MAX_PREAMBLE + 1)[: MAX_PREAMBLE + 1]
        texts = [ln.decode(buf_enc, errors="replace") for ln in head_lines]
        layout = find_layout(texts, self._role)
        self.delimiter = layout.delimiter
        offset = bom + sum(len(x) + 1 for x in head_lines[: layout.header_index + 1])
        if self._too_wide(layout.headers, layout.header_index + 1):
            return self.table(encoding=encoding)
        self._preamble(layout.preamble, layout.skipped, layout.headers)
        columns = self._map_columns(layout.headers, layout.header_index + 1)
        if columns is None:
            return self.table(encoding=encoding)
        n = len(layout.headers)
        first_line = layout.header_index + 2
        if (offset >= len(head) and self._bytes is head) or not self._rest_has_data(offset):
            self.diag(Severity.WARNING, "data/no-rows", msg("data/no-rows"), 1)
            return self._finish(
                exact.Raw(exact.rows_frame([], n), False, lambda r: r + first_line),
                columns,
                encoding,
            )

        end, after = self._table_end(offset, n, layout.delimiter, buf_enc)

        def decode(b: bytes) -> str:
            return b.decode(buf_enc, errors="replace")

        raw = None
        if ENGINE == "pyarrow":
            # Read from disk (and hashed on the way) unless the bytes are already here.
            raw = reader.read_fast(
                self.file if self._bytes is None and self.file is not None else self.data,
                offset=offset,
                end=end,
                n=n,
                delimiter=layout.delimiter,
                types=self._types(columns, layout.delimiter),
                binary=buf_enc == "gb18030",
                first_line=first_line,
                decode=decode,
                numbers=self._numbers(columns, layout.delimiter),
            )
        if raw is not None and raw.digest and not self.digest:
            self.digest = raw.digest
        if raw is None:
            body = self.data[offset:end]
            try:
                text = body.decode(buf_enc)
            except UnicodeDecodeError as e:
                line = first_line + body.count(b"\n", 0, e.start)
                self.diag(
                    Severity.ERROR,
                    "data/encoding",
                    msg("data/encoding.as", encoding=encodings.display(buf_enc), line=line),
                    line,
                )
                return self.table(encoding=encoding)
            records = exact.text_records(text, layout.delimiter, first_line)
            raw = exact.read_exact(records, n, layout.delimiter)
        raw.after.extend(after)
        return self._finish(raw, columns, encoding)

    def _cr_lines(self, head: bytes) -> bytes:
        """The head again, with the whole file's line ends made LF when they are CR alone
        (classic Mac OS; Excel for Mac's "CSV (Macintosh)"): each CR ends a line, and
        lines are counted per CR. UTF-16 and UTF-32 are left to their decoding (a CR
        byte there may be half of a character)."""
        if b"\r" not in head or b"\n" in head or head.startswith(_WIDE_BOMS):
            return head
        data = self.data
        if b"\n" in data:
            return head
        self._bytes, self.file = data.replace(b"\r", b"\n"), None
        return self._bytes[:HEAD]

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
        name, known = canonical(header, self.store._aliases)
        return name if known else None

    def _too_wide(self, headers: list[str], line: int) -> bool:
        """Whether the header has more columns than :data:`MAX_COLUMNS` (said, once)."""
        if len(headers) <= MAX_COLUMNS:
            return False
        said = msg("data/too-many-columns", n=len(headers), limit=MAX_COLUMNS)
        self.diag(Severity.ERROR, "data/too-many-columns", said, line)
        return True

    def _preamble(self, preamble: list[tuple[int, str]], skipped: int, headers: list[str]) -> None:
        texts = [t for _, t in preamble]
        if self.opts.profile:
            self.profile = self.store.profiles.get(self.opts.profile)
            if self.profile is None:
                known = ", ".join(sorted(self.store.profiles.profiles))
                self.diag(
                    Severity.ERROR,
                    "data/unknown-profile",
                    msg("data/unknown-profile", name=self.opts.profile, known=known),
                )
        else:
            self.profile = self.store.profiles.detect(headers, texts, self.delimiter)
        if self.profile is not None:
            self.diag(
                Severity.INFO,
                "data/profile",
                msg("data/profile", name=self.profile.name, id=self.profile.id),
            )
        if skipped:
            # Every line above the header is skipped, blank ones too: the list names them
            # all (lines 1 .. skipped), so its count is the message's (outside report F10:
            # a blank line was counted but not listed).
            lines = Lines(tuple(range(1, min(skipped, 6) + 1)), skipped)
            first = quote(texts[0]) if texts else msg("data/preamble.blank-lines")
            self.diag(
                Severity.INFO,
                "data/preamble",
                msg(
                    "data/preamble",
                    n=skipped,
                    lines=msg("lines", lines=lines),
                    first=first,
                    ellipsis=" …" if len(texts) > 1 else "",
                    header=skipped + 1,
                ),
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
                after = [ln for ln, _ in exact.text_records(rest, delimiter, first)]
                return cut, after
        return None, []

    def _tail(self, size: int) -> bytes:
        if self._bytes is not None:  # parsed from bytes (or already read whole)
            return self._bytes[-size:]
        assert self.file is not None
        with self.file.open("rb") as fh:
            fh.seek(max(0, self.file.stat().st_size - size))
            return fh.read()

    def _parse_xlsx(self) -> Table:
        source: bytes | Path = self._bytes if self._bytes is not None else self.file  # type: ignore[assignment]
        try:
            sheet, records, unsaved = sheet_records(source, self.opts.sheet)
        except XlsxError as e:
            self.diag(Severity.ERROR, "data/xlsx", e.args[0])
            return self.table(encoding="xlsx")
        if unsaved:
            self.diag(
                Severity.WARNING,
                "data/xlsx-formula",
                msg("data/xlsx.unsaved-formulas", n=unsaved, sheet=sheet),
            )
        if not records:
            self.diag(Severity.WARNING, "data/empty", msg("data/empty.sheet", sheet=sheet))
            return self.table(encoding="xlsx")
        # The layout search works on lines: give it each row's cells joined by tabs.
        texts = ["\t".join(c.replace("\t", " ") for c in cells) for _, cells in records]
        layout = find_layout(texts[: MAX_PREAMBLE + 1], self._role, delimiter="\t")
        header_row = records[layout.header_index][0]
        if self._too_wide(layout.headers, header_row):
            return self.table(encoding="xlsx")
        preamble = [(records[i][0], texts[i]) for i in range(layout.header_index)]
        self._preamble(preamble, header_row - 1, layout.headers)
        columns = self._map_columns(layout.headers, header_row)
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
        # A sheet has no field count: a row's empty cells at its end are missing
        # values, not a shorter row (a footer line keeps its one cell).
        body = [
            (line, cells + [""] * (n - len(cells)) if 1 < len(cells) < n else cells)
            for line, cells in body
        ]
        raw = exact.read_exact(body, n)
        raw.after.extend(after)
        if not body:
            self.diag(Severity.WARNING, "data/no-rows", msg("data/no-rows.sheet"))
        return self._finish(raw, columns, "xlsx")

    def _map_columns(self, headers: list[str], line: int = 1) -> list[Column] | None:
        store = self.store
        return map_columns(
            headers, store._aliases, store._site_aliases, self.profile, self.diag, line
        )

    def _types(self, columns: list[Column], delimiter: str) -> dict[int, str]:
        """Columns the fast reader must keep as text (dimensions exactly as written;
        unknown columns, which may be either)."""
        # Dates are left to pyarrow: ISO dates come back typed (the fastest case); any
        # other text is read as text and parsed once per distinct value.
        kinds = {"dimension": "dict", "auto": "text"}
        if not self._point_sure(delimiter):
            # Measures as written: pyarrow would read `1.234` (a thousand, in a file of
            # decimal commas) as 1.234 before :mod:`.convert` saw the text.
            kinds["measure"] = "text"
        out = {c.index: kinds[c.kind] for c in columns if c.kind in kinds}
        for c in currency_columns(columns):  # quoted as written (:mod:`.currency`)
            out.setdefault(c.index, "text")
        return out

    def _point_sure(self, delimiter: str) -> bool:
        """Whether the decimal mark is surely ``.``: given, or a comma-separated file.
        In a file separated by ``;``, a tab or ``|`` the numbers tell (:mod:`.convert`),
        an export profile's too (Google Ads lets an account write ``1.234,56``)."""
        decimal = self.opts.decimal
        return decimal == "." or (decimal is None and delimiter not in (";", "\t", "|"))

    def _numbers(self, columns: list[Column], delimiter: str) -> list[int]:
        """Measure columns the fast reader may turn into floats as it reads (numbers with
        ``,`` thousands separators included): only when the decimal mark is surely ``.``
        (:meth:`_point_sure`; otherwise :mod:`.convert` reads the text to decide)."""
        if not self._point_sure(delimiter):
            return []
        return [c.index for c in columns if c.kind == "measure"]

    # -- conversion
    def _finish(self, raw: exact.Raw, columns: list[Column], encoding: str) -> Table:
        from .convert import finish

        # Read before the row rules, which free the raw measure columns as they go.
        self.currency, self.money = stated(columns, raw.frame, raw.binary, self.profile)
        return finish(self, raw, columns, encoding)


def parse(
    path: str, source: bytes | Path, digest: str, store: DataStore, opts: ReadOptions
) -> Table:
    """Parse one file, given its bytes or its path."""
    return Parser(path, source, digest, store, opts).parse()
