"""Raw columns -> the typed table, applying the row rules.

Each text column is factorised once and every check runs on its distinct values
(a million rows of a daily export hold a few hundred campaign names), so the
rules cost little on large files:

* totals and summary rows (合计 / 总计 / 汇总 / ``Total:`` / ``Grand total`` in any
  text cell, a profile's own labels, a blank-dimension row restating the others'
  sums) are excluded at info level;
* rows without a readable date, with text where a number belongs, or with a
  number beyond the float range are excluded and reported (warning / error);
* a missing measure is NaN for that measure only.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .. import columns as cols
from ..diagnostics import Severity
from ..messages import Lines, msg
from . import exact
from .coded import Text as _Text
from .decimal_mark import decimal_mark
from .row_values import converted_batches, date_ranges_of, dates_of, masked_of, per_row
from .table import quote
from .values import DateFormatError, parse_dates

if TYPE_CHECKING:
    from .exact import Raw
    from .files import Parser
    from .headers import Column
    from .table import Table

__all__ = ["finish"]


def _totals_regex() -> re.Pattern[str]:
    from .files import TOTALS_PATTERN

    return re.compile(TOTALS_PATTERN, re.IGNORECASE)


def _summary_like_regex() -> re.Pattern[str]:
    from .files import SUMMARY_LIKE_PATTERN

    return re.compile(SUMMARY_LIKE_PATTERN, re.IGNORECASE)


# A row without a date whose name cell reads like a summary ("Account total", "Search
# totals", "All campaigns", 全部计划): the file's total, not a row missing its date. Only
# for rows without a date, where a real campaign could not be counted anyway.
_DATELESS_TOTAL = re.compile(
    r"\s*(?:[A-Za-z]+(?:\s+[A-Za-z]+)?\s+totals?|all\s+[A-Za-z]+(?:\s+[A-Za-z]+)?|全部\S{0,6})"
    r"\s*[:：]?\s*",
    re.IGNORECASE,
)
# Summary-like cells that are a label (said in the message), not a placeholder.
_LABELS = re.compile(r"\s*(?:all|sum|全部)\s*[:：]?\s*", re.IGNORECASE)


def _lines(raw: Raw, rows: np.ndarray, limit: int = 6) -> list[int]:
    return [int(x) for x in raw.line_of(np.asarray(rows[:limit], dtype=np.int64))]


def finish(p: Parser, raw: Raw, columns: list[Column], encoding: str) -> Table:

    n = len(raw.frame)
    frame = raw.columns([f"c{c.index}" for c in columns if c.kind in ("measure", "auto")])
    keep = np.ones(n, dtype=bool)
    decode = "gb18030" if raw.binary else "utf-8"
    profile = p.profile

    def report(
        mask: np.ndarray, severity: Severity, rule: str, fld: str | None, problem: str
    ) -> None:
        rows = np.flatnonzero(mask)
        lines = _lines(raw, rows)
        p.diag(
            severity,
            rule,
            msg(
                "data/excluded", n=len(rows), lines=Lines(tuple(lines), len(rows)), problem=problem
            ),
            lines[0],
            fld,
            rows=len(rows),
        )

    def set_aside() -> None:
        """Rows set aside by the reader."""
        by_count: dict[tuple[int, int], list[int]] = {}
        for line, k in raw.bad:
            # a row whose quote runs over lines is said alone, with the line it ends on
            by_count.setdefault((k, line if line in raw.runs else 0), []).append(line)
        width = len(columns)
        for (k, quoted), lines in sorted(by_count.items()):
            problem = _bad_row(k, quoted, raw.runs.get(quoted, 0), width)
            p.diag(
                Severity.WARNING,
                "data/bad-row",
                msg(
                    "data/excluded",
                    n=len(lines),
                    lines=Lines(tuple(lines), len(lines)),
                    problem=problem,
                ),
                lines[0],
                rows=len(lines),
            )
        if raw.empty:
            p.diag(
                Severity.INFO,
                "data/empty-row",
                msg(
                    "data/empty-row",
                    n=len(raw.empty),
                    lines=Lines(tuple(raw.empty), len(raw.empty)),
                ),
                raw.empty[0],
                rows=len(raw.empty),
            )

    texts: dict[int, _Text] = {}
    # a text measure's distinct values, made once for the decimal mark and the numbers
    measure_texts: dict[int, _Text] = {}

    def measure_text(c: Column) -> _Text:
        if c.index not in measure_texts:
            measure_texts[c.index] = _Text(frame[f"c{c.index}"], raw.binary, decode)
        return measure_texts[c.index]

    def text(c: Column) -> _Text:
        if c.index not in texts:
            texts[c.index] = _Text(frame[f"c{c.index}"], raw.binary, decode)
        return texts[c.index]

    date_col = next(c for c in columns if c.kind == "date")
    try:
        dtext = text(date_col)
        dims = [c for c in columns if c.kind == "dimension"]
        for c in dims:
            text(c)
    except UnicodeDecodeError:
        set_aside()
        p.diag(
            Severity.ERROR,
            "data/encoding",
            msg("data/encoding", encoding=decode.upper()),
        )
        return p.table(encoding=encoding)

    # A second table right under the first (its header line, no blank line between):
    # it ends the table as a blank line and a new table do (data/after-table).
    after = list(raw.after)
    cut, repeated = _header_again(p, raw, columns, dtext, text, decode)
    if cut is not None:
        start = int(raw.line_of(np.array([cut], dtype=np.int64))[0])
        rows_after = raw.line_of(np.arange(cut, n, dtype=np.int64))
        moved = [ln for ln, _k in raw.bad if ln >= start] + [ln for ln in raw.empty if ln >= start]
        after = sorted({*after, *moved, *(int(x) for x in rows_after)})
        raw.bad = [(ln, k) for ln, k in raw.bad if ln < start]
        raw.empty = [ln for ln in raw.empty if ln < start]
        keep[cut:] = False
    set_aside()
    if after:
        # The header itself again: more of this table (two downloads joined, a paged
        # export) or the same report twice; either way not summed, and said loudly.
        severity, rule = (
            (Severity.WARNING, "data/repeated-header")
            if repeated
            else (Severity.INFO, "data/after-table")
        )
        p.diag(
            severity,
            rule,
            msg(rule, n=len(after), lines=Lines(tuple(after[:6]), len(after))),
            after[0],
            rows=len(after),
        )

    # Rows of only empty cells carry no data (the fast reader hands them over); only
    # rows without a date can be such rows, so only those are looked at.
    if dtext.any_empty():
        candidates = np.flatnonzero(dtext.empty() & keep)
    else:  # every row has a date (the usual case): no pass over the rows
        candidates = np.zeros(0, dtype=np.int64)
    if len(candidates):
        blank = np.ones(len(candidates), dtype=bool)
        for c in columns:
            if c is date_col:
                continue
            values = frame[f"c{c.index}"].iloc[candidates].tolist()
            blank &= np.array([_blank(v) for v in values], dtype=bool)
        if blank.any():
            rows = candidates[blank]
            lines = _lines(raw, rows)
            p.diag(
                Severity.INFO,
                "data/empty-row",
                msg("data/empty-row", n=len(rows), lines=Lines(tuple(lines), len(rows))),
                lines[0],
                rows=len(rows),
            )
            keep[rows] = False

    # Totals rows: a totals label in any text cell.
    totals_re = _totals_regex()
    labels = profile.totals_labels if profile else ()

    def is_total(u: str) -> bool:
        return bool(totals_re.fullmatch(u)) or any(r.search(u) for r in labels)

    totals = np.zeros(n, dtype=bool)
    first_hit: tuple[int, str, str] | None = None
    for c in [date_col, *dims, *(c for c in columns if c.kind == "skip")]:
        found = text(c).mask(is_total)
        if found is None:
            continue
        hit = found & keep & ~totals
        if hit.any():
            row = int(np.flatnonzero(hit)[0])
            if first_hit is None or row < first_hit[0]:
                first_hit = (row, text(c).at(row), c.name)
            totals |= hit

    # Measures (numbers), before the blank-summary check that compares sums.
    decimal = p.opts.decimal
    measure_cols = [c for c in columns if c.kind in ("measure", "auto")]
    delimiter = getattr(p, "delimiter", ",")
    if decimal is None and measure_cols:
        decimal, problem = decimal_mark(frame, measure_cols, measure_text, delimiter, n)
        if problem is not None:
            p.diag(Severity.ERROR, "data/decimal", problem)
            return p.table(encoding=encoding)
    out: dict[str, Any] = {}
    dim_names: list[str] = []
    meas: list[str] = []
    non_additive: list[str] = []
    pending: list[tuple[Column, np.ndarray, _Text | None]] = []
    nonfinite: list[tuple[Column, np.ndarray, _Text | None]] = []
    masked: list[tuple[Column, np.ndarray, _Text | None]] = []  # "<5": missing for its measure
    zeroed: list[tuple[Column, np.ndarray, None]] = []  # empty cells read as 0 (blank_is_zero)
    rates = [(c.name, c.rate_kpi) for c in columns if c.kind == "rate"]
    mark = decimal or "."
    converted = converted_batches(measure_cols, frame, n, raw.binary, decode, mark, measure_texts)
    for c, (values, bad, src) in converted:
        if c.kind == "auto" and bad is not None and (bad & keep & ~totals).any():
            t = src or _Text(frame[f"c{c.index}"], raw.binary, decode)
            texts[c.index] = t
            dims.append(c)
            continue
        if bad is not None and src is not None:
            hidden = masked_of(src, bad)  # a count the platform hides when small: "<5"
            if hidden is not None:
                bad &= ~hidden
                masked.append((c, hidden, src))
        if profile is not None and c.name in profile.blank_is_zero:
            empty = np.isnan(values) if bad is None else np.isnan(values) & ~bad
            if empty.any():
                values = np.where(empty, 0.0, values)
                zeroed.append((c, empty, None))
        meas.append(c.name)
        if c.non_additive:
            non_additive.append(c.name)
        out[c.name] = values
        if raw.cell is not None:  # the text can be read again: free the raw column
            del frame[f"c{c.index}"]  # a dict's: the frame let go of its columns
        if bad is not None and bad.any():
            pending.append((c, bad, src))
        if n and not (np.isfinite(np.fmin.reduce(values)) and np.isfinite(np.fmax.reduce(values))):
            inf = np.isinf(values)  # an infinity, or every value missing (NaN)
            if inf.any():
                nonfinite.append((c, inf, src))

    # Summary rows without a label of their own (Meta Ads Manager's account row, UA's
    # unlabelled total, a "-" or "All" in the campaign column): every dimension cell
    # blank, a placeholder (-, --, —, N/A) or a label that may also be a real value
    # (All, 全部, Sum), while other rows have one, and the measures restate the sums of
    # the other rows (of the same date, or of the whole file). Only when every
    # dimension has such a cell somewhere can a row have none.
    vague = _summary_like_regex()

    def is_vague(u: str) -> bool:
        return bool(vague.fullmatch(u))

    if (
        dims
        and meas
        and n > 1
        and all(text(c).any_empty() or any(map(is_vague, text(c).uniques)) for c in dims)
    ):
        no_dim = np.ones(n, dtype=bool)
        for c in dims:
            hit = text(c).mask(is_vague)
            no_dim &= text(c).empty() if hit is None else (hit | text(c).empty())
        candidates = np.flatnonzero(no_dim & keep & ~totals)
        if len(candidates) and (~no_dim & keep).any():
            others = ~no_dim & keep & ~totals
            additive = [m for m in meas if m not in non_additive]
            summary = _restating(candidates, others, out, additive, dtext)
            if summary.any():
                row = int(np.flatnonzero(summary)[0])
                if first_hit is None or row < first_hit[0]:
                    said = [(text(c).at(row), c.name) for c in dims]
                    label, fld = next(((t, f) for t, f in said if _LABELS.fullmatch(t)), ("", ""))
                    first_hit = (row, label, fld)
                totals |= summary
    totals &= keep
    if totals.any():
        rows = np.flatnonzero(totals)
        lines = _lines(raw, rows)
        _row0, label, fld = first_hit or (int(rows[0]), "", "")
        what = (
            msg("data/totals-row.label", label=label) if label else msg("data/totals-row.summary")
        )
        p.diag(
            Severity.INFO,
            "data/totals-row",
            msg("data/totals-row", n=len(rows), lines=Lines(tuple(lines), len(rows)), what=what),
            lines[0],
            fld or None,
            rows=len(rows),
        )
        keep &= ~totals

    # Dates.
    fmt = p.opts.date_format or (profile.date_format if profile else None)
    order = profile.date_order if profile else None
    try:
        parsed = (
            dtext.parsed if dtext.parsed is not None else parse_dates(dtext.uniques, fmt, order)
        )
    except DateFormatError as e:
        # The first row holding the example named (the whole column is refused).
        same = [i for i, u in enumerate(dtext.uniques) if e.example in u]
        at = np.flatnonzero(np.isin(dtext.codes, same))[:1] if same else []
        p.diag(
            Severity.ERROR,
            "data/date-format",
            msg("data/date-format", error=msg("data/date-format.ambiguous", example=e.example)),
            _lines(raw, at)[0] if len(at) else None,
            cols.DATE,
        )
        return p.table(encoding=encoding)
    direct = dtext.dates()  # typed days: no codes, no gather
    dates = per_row(dtext, parsed, direct)
    # Typed days with none missing have no NaT: no pass over the rows.
    no_date = np.isnat(dates) & keep if direct is None or dtext.missing else None
    if no_date is not None and no_date.any():
        missing = no_date & (dtext.empty())
        unreadable = no_date & ~missing
        if missing.any():  # a summary labelled in a name cell ("Account total"): a total
            for c in (*dims, *(c for c in columns if c.kind == "skip")):
                found = text(c).mask(lambda u: _DATELESS_TOTAL.fullmatch(u) is not None)
                hit = found & missing & keep if found is not None else None
                if hit is not None and hit.any():
                    rows = np.flatnonzero(hit)
                    lines = _lines(raw, rows)
                    what = msg("data/totals-row.label", label=text(c).at(int(rows[0])))
                    counted = Lines(tuple(lines), len(rows))
                    said = msg("data/totals-row", n=len(rows), lines=counted, what=what)
                    p.diag(Severity.INFO, "data/totals-row", said, lines[0], c.name, rows=len(rows))
                    missing &= ~hit
                    keep &= ~hit
        if missing.any():
            report(
                missing, Severity.WARNING, "data/missing-date", cols.DATE, msg("data/missing-date")
            )
        spans = date_ranges_of(dtext, unreadable, fmt, order) if unreadable.any() else None
        if spans is not None:  # a report summed over days (Baidu 时间单位 合计): refused
            span, start, end = spans
            column = quote(date_col.header.strip(), 30)
            said = msg("data/multi-day-row.range", start=start, end=end, column=column)
            report(span, Severity.ERROR, "data/multi-day-row", cols.DATE, said)
            unreadable &= ~span
        if unreadable.any():
            got = dtext.at(int(np.flatnonzero(unreadable)[0]))
            report(
                unreadable,
                Severity.WARNING,
                "data/bad-date",
                cols.DATE,
                msg("data/bad-date.format", fmt=fmt, got=got)
                if fmt
                else msg("data/bad-date", got=got),
            )
        keep &= ~no_date

    # A row over several days (Meta without its Day breakdown: Reporting starts ...
    # Reporting ends) has no day of its own: refused, never put on its first day.
    until = next((c for c in columns if c.kind == "until"), None)
    if until is not None:
        ends = dates_of(text(until), fmt, order)
        if ends is not None:
            span = keep & ~np.isnat(ends) & ~np.isnat(dates)
            span &= ends.astype("M8[D]") != dates.astype("M8[D]")
            if span.any():
                row = int(np.flatnonzero(span)[0])
                report(
                    span,
                    Severity.ERROR,
                    "data/multi-day-row",
                    cols.DATE,
                    msg(
                        "data/multi-day-row",
                        start=str(dates[row].astype("M8[D]")),
                        end=str(ends[row].astype("M8[D]")),
                        column=quote(until.header.strip(), 30),
                    ),
                )
                keep &= ~span

    def cell_text(c: Column, row: int, src: _Text | None) -> str:
        # the typed column lost the text (1e309 became inf): the reader's, as written
        return src.at(row) if src is not None else _cell(raw, row, c.index, decode)

    checks = [
        (pending, Severity.WARNING, "data/bad-number", "data/bad-number"),
        (nonfinite, Severity.ERROR, "data/non-finite", "data/non-finite"),
    ]
    for found, severity, rule, problem in checks:
        for c, mask, src in found:
            hit = mask & keep
            if hit.any():
                got = cell_text(c, int(np.flatnonzero(hit)[0]), src)
                said = msg(problem, got=got, col=c.index + 1, header=c.header.strip())
                report(hit, severity, rule, c.name, said)
            keep &= ~mask

    for rule, found in (("data/masked-number", masked), ("data/blank-is-zero", zeroed)):
        for c, mask, src in found:  # the rows are kept: said, not excluded
            hit = mask & keep
            if hit.any():
                rows = np.flatnonzero(hit)
                lines = _lines(raw, rows)
                got = src.at(int(rows[0])) if src is not None else ""
                counted = Lines(tuple(lines), len(rows))
                said = msg(rule, n=len(rows), lines=counted, got=got, header=c.header.strip())
                p.diag(Severity.INFO, rule, said, lines[0], c.name, rows=len(rows))

    # The rows kept, column by column (each full column freed as its copy is made,
    # not the whole table copied at once).
    whole = bool(keep.all())

    def kept(col: Any) -> Any:
        if whole:
            return col
        return col.array[keep] if isinstance(col, pd.Series) else col[keep]

    dates = kept(dates)
    result: dict[str, Any] = {cols.DATE: dates}
    dims.sort(key=lambda c: c.index)
    for c in dims:
        result[c.name] = kept(text(c).series())
        dim_names.append(c.name)
    for m in meas:
        result[m] = kept(out.pop(m))
    table = pd.DataFrame(result, copy=False)
    # Reader rows of the table's rows (None: every row kept, the same).
    rows_index = None if whole else np.flatnonzero(keep)
    for d in dim_names:
        if table[d].dtype != "str" and not isinstance(table[d].dtype, pd.CategoricalDtype):
            table[d] = table[d].astype("str")
    return p.table(
        table,
        dim_names,
        meas,
        encoding,
        rates=tuple(rates),
        non_additive=tuple(non_additive),
        line_of=raw.line_of,
        rows=rows_index,
    )


_NUMBER = re.compile(r"\s*[-+(]?[¥￥$€£]?\s*\d")


def _cell(raw: Raw, row: int, index: int, decode: str) -> str:
    """One cell's text as written (a number column the reader typed: its value)."""
    if raw.cell is not None:
        return raw.cell(row, index)
    v = raw.frame[f"c{index}"].iloc[row]
    if isinstance(v, bytes):
        return v.decode(decode, "replace")
    return "" if _blank(v) else str(v)


def _bad_row(k: int, line: int, end: int, width: int) -> str:
    """Why a row the reader set aside is not read: ``k`` its fields (-1: a quote never
    closed, -2: a field over the limit), ``line`` and ``end`` where a record over
    several lines starts and ends (0: one line)."""
    if k == -2:
        return msg("data/bad-row.too-long", limit=exact.FIELD_LIMIT)
    if k < 0:
        if line and end > line:
            return msg("data/bad-row.unclosed-to", line=line, end=end)
        return msg("data/bad-row.unclosed")
    if line:
        return msg("data/bad-row.quoted", width=width, got=k, end=end)
    return msg("data/bad-row.fields", width=width, got=k)


def _header_again(
    p: Parser, raw: Raw, columns: list[Column], dtext: _Text, text: Any, decode: str
) -> tuple[int | None, bool]:
    """``(the first row that is a header line again, whether it is this table's header
    itself)``: its cells are the header's (normalised), or most of them are column names
    Planbook knows and none of its number columns holds a number (a second report section
    right under the first). Either ends the table. Only rows whose date cell is a column
    name are looked at (none, usually: no pass over the rows)."""
    from .profiles import normalize_header

    headers = [normalize_header(c.header) for c in columns]
    names = set(headers)

    def is_name(u: str) -> bool:
        if not u.strip() or u.lstrip()[:1].isdigit():  # a date, the usual case: no lookup
            return False
        return normalize_header(u) in names or p._role(u) is not None

    date_col = next(c for c in columns if c.kind == "date")
    found = dtext.mask(is_name)
    if found is None:
        return None, False
    numbers = [c for c in columns if c.kind in ("measure", "rate")]
    for row in np.flatnonzero(found)[:50]:
        row = int(row)
        cells = [
            text(c).at(row)
            if c is date_col or c.kind == "dimension"
            else _cell(raw, row, c.index, decode)
            for c in columns
        ]
        said = [normalize_header(x) for x in cells]
        if said == headers:
            return row, True
        known = sum(1 for x in cells if is_name(x))
        typed = [cells[c.index] for c in numbers if c.index < len(cells)]
        if 2 * known > len(columns) and not any(_NUMBER.match(x) for x in typed):
            return row, False
    return None, False


def _blank(v: object) -> bool:
    if isinstance(v, str | bytes):
        return not v.strip()
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _restating(
    candidates: np.ndarray,
    others: np.ndarray,
    values: dict[str, np.ndarray],
    measures: list[str],
    dtext: _Text,
) -> np.ndarray:
    """Which candidate rows hold, for every measure they have, the sum of the other rows
    (all of them, or those of the same date)."""
    n = len(others)
    out = np.zeros(n, dtype=bool)
    for row in candidates:
        same_day = others & (dtext.codes == dtext.codes[row])
        for scope in (others, same_day):
            if not scope.any():
                continue
            checked = 0
            ok = True
            for m in measures:
                v = values[m][row]
                if not np.isfinite(v):
                    continue
                col = values[m][scope]
                total = float(np.nansum(col))
                tol = max(0.01 * max(1, int(np.isfinite(col).sum())), abs(total) * 1e-6)
                checked += 1
                if abs(v - total) > tol:
                    ok = False
                    break
            if ok and checked:
                out[row] = True
                break
    return out
