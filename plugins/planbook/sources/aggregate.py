"""One aggregation, written once with Ibis, compiled for whichever engine holds the rows.

A plan needs daily sums of base measures per value of the dimensions it uses, so
that is all a database or a Parquet file is asked for::

    select <date truncated to the day>, <dimensions the plan uses>,
           <row-check flags>, sum(<measure>) ..., count(*)
    from <table or query> where <date in the plan's window> and <source's where>
    group by <date>, <dimensions>, <flags>

The row checks the file path runs on every row run here as group keys, so that a
row the file path would exclude lands in a group of its own and is counted:

* ``__n<i>``: the measure is NULL (or NaN) on the row. Rows without a value for a
  measure are summed apart from rows with one, so a ratio over "rows with all its
  inputs" stays exactly what it is for a file;
* ``__b<i>``: a text column where a number belongs holds text that is not one;
* ``__i<i>``: a floating-point measure is infinite.

:func:`convert` turns the (small) result into the typed frame the CSV path
produces, with the file path's diagnostics weighted by the rows each group stands
for. Column names go through the same alias table and site mapping as file headers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .. import columns as cols
from ..diagnostics import Severity
from ..messages import msg
from .values import DateFormatError, parse_dates

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from ..data import DataStore

__all__ = ["Needs", "Shape", "ShapeError", "build", "convert"]

# (severity, rule, message, field, rows): located by the caller (a plan page entry, a file).
Finding = tuple[Severity, str, str, str | None, int | None]


@dataclass(frozen=True)
class Needs:
    """What a plan reads from a source: the dimensions to group by and the days."""

    dimensions: tuple[str, ...] = ()
    start: date | None = None
    end: date | None = None
    every: bool = False  # group by every dimension column (a file read on its own)


class ShapeError(Exception):
    """A table or query the aggregation cannot be built over (no date column ...)."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message


@dataclass
class Measure:
    name: str  # canonical
    column: str  # as in the table
    kind: str  # "number" | "float" | "text"


@dataclass
class Shape:
    """How a table's columns enter the aggregate (and the findings about them)."""

    date_column: str
    date_kind: str  # "date" | "text"
    dimensions: list[tuple[str, str]]  # (canonical, column)
    measures: list[Measure]
    findings: list[Finding] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)  # text columns checked for totals labels


def _kind(dtype: Any) -> str:
    if dtype.is_timestamp():
        return "timestamp"
    if dtype.is_date():
        return "date"
    if dtype.is_string():
        return "text"
    if dtype.is_floating():
        return "float"
    if dtype.is_integer() or dtype.is_decimal():
        return "number"
    if dtype.is_boolean():
        return "bool"
    return "other"


def _shown(names: Sequence[str], limit: int = 8) -> str:
    out = ", ".join(repr(n) for n in names[:limit])
    return out + (f" and {len(names) - limit} more" if len(names) > limit else "")


def shape(
    schema: Any,
    store: DataStore,
    label: str,
    needs: Needs,
    extra_dimensions: Sequence[str] = (),
    where: Mapping[str, Sequence[str]] | None = None,
) -> Shape:
    """Map a table's columns (name -> Ibis type) the way file headers are mapped."""
    from .files import Parser
    from .table import ReadOptions

    pre = f"{label}: " if label else ""
    names = list(schema.names)
    types = {n: schema[n] for n in names}
    parser = Parser(label, b"", "", store, ReadOptions())
    mapped = parser._map_columns(names)
    if mapped is None:
        raise ShapeError(
            "data/no-date-column",
            msg("prefixed", pre=pre, problem=msg("aggregate.no-date-column", shown=_shown(names))),
        )
    findings: list[Finding] = [
        (d.severity, d.rule, msg("prefixed", pre=pre, problem=d.message), d.field, None)
        for d in parser.diags
    ]
    wanted = list(dict.fromkeys([*needs.dimensions, *extra_dimensions, *(where or {})]))
    date_column = ""
    date_kind = "text"
    dims: list[tuple[str, str]] = []
    measures: list[Measure] = []
    skipped: list[str] = []
    labels: list[str] = []
    rates: list[str] = []
    non_additive: list[str] = []
    for c in mapped:
        kind = _kind(types[c.header])
        if c.kind == "date":
            if kind in ("timestamp", "date"):
                date_kind = "date"
            elif kind in ("text", "number"):
                date_kind = "text"
            else:
                raise ShapeError(
                    "data/bad-date",
                    msg(
                        "prefixed",
                        pre=pre,
                        problem=msg("aggregate.date-type", column=c.header, type=types[c.header]),
                    ),
                )
            date_column = c.header
        elif c.kind == "skip":
            continue
        elif c.kind == "rate":
            rates.append(c.header)
        elif c.non_additive:
            non_additive.append(c.header)
        elif kind == "other" or kind == "timestamp":
            skipped.append(f"{c.header!r} ({types[c.header]})")
        elif c.kind == "dimension" or (c.kind == "auto" and kind in ("text", "bool")):
            if kind == "text":
                labels.append(c.header)
            if c.name in wanted or needs.every:
                dims.append((c.name, c.header))
        elif kind == "bool":
            skipped.append(f"{c.header!r} ({types[c.header]})")
        else:
            measures.append(Measure(c.name, c.header, kind))
    for name in wanted:
        if name not in {d for d, _ in dims} and name in (where or {}):
            raise ShapeError(
                "warehouse/unknown-column",
                msg(
                    "prefixed",
                    pre=pre,
                    problem=msg("aggregate.where-column", name=name, shown=_shown(names)),
                ),
            )
    if rates:
        findings.append(
            (
                Severity.INFO,
                "data/rate-column",
                msg("prefixed", pre=pre, problem=msg("aggregate.rates", shown=_shown(rates))),
                None,
                None,
            )
        )
    if non_additive:
        findings.append(
            (
                Severity.INFO,
                "data/non-additive",
                msg(
                    "prefixed",
                    pre=pre,
                    problem=msg("aggregate.non-additive", shown=_shown(non_additive)),
                ),
                None,
                None,
            )
        )
    if skipped:
        findings.append(
            (
                Severity.INFO,
                "data/column-type",
                msg(
                    "prefixed",
                    pre=pre,
                    problem=msg("aggregate.column-type", skipped=", ".join(skipped)),
                ),
                None,
                None,
            )
        )
    return Shape(date_column, date_kind, dims, measures, findings, labels)


def build(
    t: ir.Table, s: Shape, needs: Needs, where: Mapping[str, Sequence[str]] | None = None
) -> ir.Table:
    """The aggregation of ``t`` as an Ibis expression (compiled by the caller's backend)."""

    def day_of(t: ir.Table) -> Any:
        src = t[s.date_column]
        if s.date_kind == "date":
            return src.date() if src.type().is_timestamp() else src
        return src.cast("string")

    def text(col: Any) -> Any:
        return col if col.type().is_string() else col.cast("string")

    conds: list[Any] = []
    if s.date_kind == "date" and needs.start is not None and needs.end is not None:
        day = day_of(t)
        conds.append(day.isnull() | day.between(needs.start, needs.end))
    for name, values in (where or {}).items():
        conds.append(text(t[dict(s.dimensions)[name]]).isin(list(values)))
    if conds:
        t = t.filter(conds)
    keys: list[Any] = [day_of(t).name("__d")]
    for j, (_name, column) in enumerate(s.dimensions):
        keys.append(text(t[column]).name(f"__k{j}"))
    if s.labels:
        keys.append(totals_flag(t, s).name("__t"))
    aggs: list[Any] = [t.count().name("__rows")]
    for i, m in enumerate(s.measures):
        col = t[m.column]
        if m.kind == "text":
            blank = col.isnull() | (col.strip() == "")
            value = col.try_cast("float64")
            keys.append(blank.name(f"__n{i}"))
            keys.append((~blank & value.isnull()).name(f"__b{i}"))
            aggs.append(value.sum().name(f"__v{i}"))
        elif m.kind == "float":
            keys.append((col.isnull() | col.isnan()).name(f"__n{i}"))
            keys.append(col.isinf().name(f"__i{i}"))
            aggs.append(col.sum().name(f"__v{i}"))
        else:
            keys.append(col.isnull().name(f"__n{i}"))
            aggs.append(col.sum().cast("float64").name(f"__v{i}"))
    return t.group_by(keys).aggregate(aggs)


def totals_flag(t: ir.Table, s: Shape) -> Any:
    """Whether a row carries a totals label (合计, Grand total ...) in a text column."""
    from .files import TOTALS_PATTERN

    pattern = f"(?i)^(?:{TOTALS_PATTERN})$"
    flag = None
    for column in s.labels:
        hit = t[column].re_search(pattern).fill_null(False)
        flag = hit if flag is None else flag | hit
    return flag


def example(backend: Any, t: ir.Table, s: Shape, column: str, kind: str) -> str | None:
    """One offending value for a message: a totals label, or text where a number belongs
    (a second, small query; ``None`` when it fails)."""
    from .files import TOTALS_PATTERN

    try:
        if kind == "total":
            rows = backend.to_pyarrow(t.filter(totals_flag(t, s)).select(s.labels).limit(1))
            found = rows.to_pylist()
            totals = re.compile(TOTALS_PATTERN, re.IGNORECASE)
            for value in found[0].values() if found else ():
                if isinstance(value, str) and totals.fullmatch(value):
                    return value
            return None
        col = t[column]
        bad = col.notnull() & (col.strip() != "") & col.try_cast("float64").isnull()
        found = backend.to_pyarrow(t.filter(bad).select(col).limit(1)).to_pylist()
    except Exception:
        return None
    return str(found[0][column]) if found else None


def _flag(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name not in frame.columns:
        return np.zeros(len(frame), dtype=bool)
    return frame[name].fillna(False).to_numpy(dtype=bool)


def _rows(n: int) -> str:
    return f"{n:,} row" if n == 1 else f"{n:,} rows"


def convert(
    result: pd.DataFrame,
    s: Shape,
    label: str,
    needs: Needs,
    example: Callable[[str, str], str | None] | None = None,
) -> tuple[pd.DataFrame, list[str], list[str], list[Finding], int]:
    """The aggregate as the CSV path's frame: ``(frame, dimensions, measures, findings,
    source rows)``. ``example(column, kind)`` fetches one offending value for a message."""

    pre = f"{label}: " if label else ""
    findings: list[Finding] = list(s.findings)
    n = len(result)
    weight = result["__rows"].to_numpy(dtype=np.int64) if n else np.zeros(0, dtype=np.int64)
    total = int(weight.sum())
    keep = np.ones(n, dtype=bool)

    def excluded(mask: np.ndarray, sev: Severity, rule: str, fld: str | None, why: str) -> None:
        count = int(weight[mask].sum())
        word = "row" if count == 1 else "rows"
        said = msg("aggregate.excluded", pre=pre, n=count, word=word, why=why)
        findings.append((sev, rule, said, fld, count))

    # Dates.
    if s.date_kind == "date":
        dates = pd.to_datetime(result["__d"]).to_numpy(dtype="datetime64[ns]")
        missing = np.isnat(dates)
    else:
        texts = result["__d"].astype(object).where(result["__d"].notna(), None).tolist()
        uniques = sorted({t for t in texts if t is not None})
        try:
            parsed = parse_dates(uniques)
        except DateFormatError as e:
            said = msg(
                "prefixed",
                pre=pre,
                problem=msg(
                    "aggregate.date-format",
                    error=msg("data/date-format.ambiguous", example=e.example),
                ),
            )
            raise ShapeError("data/date-format", said) from None
        lookup = dict(zip(uniques, parsed, strict=True))
        nat = np.datetime64("NaT", "ns")
        dates = np.array([lookup.get(t, nat) if t is not None else nat for t in texts])
        dates = dates.astype("datetime64[ns]") if n else np.zeros(0, dtype="datetime64[ns]")
        missing = np.array([t is None or not str(t).strip() for t in texts], dtype=bool)
        bad = np.isnat(dates) & ~missing
        if bad.any():
            got = texts[int(np.flatnonzero(bad)[0])]
            excluded(
                bad,
                Severity.WARNING,
                "data/bad-date",
                cols.DATE,
                msg("aggregate.bad-date", column=s.date_column, got=got),
            )
            keep &= ~bad
    if missing.any():
        excluded(
            missing,
            Severity.WARNING,
            "data/missing-date",
            cols.DATE,
            msg("aggregate.missing-date", column=s.date_column),
        )
        keep &= ~missing
    if s.date_kind == "text" and needs.start is not None and needs.end is not None:
        days = dates.astype("datetime64[D]")
        outside = keep & ((days < np.datetime64(needs.start)) | (days > np.datetime64(needs.end)))
        if outside.any():
            count = int(weight[outside].sum())
            findings.append(
                (
                    Severity.INFO,
                    "data/outside-period",
                    msg(
                        "aggregate.outside",
                        pre=pre,
                        n=count,
                        word="row" if count == 1 else "rows",
                        start=needs.start,
                        end=needs.end,
                    ),
                    cols.DATE,
                    count,
                )
            )
            keep &= ~outside

    # Numbers.
    for i, m in enumerate(s.measures):
        bad = _flag(result, f"__b{i}") & keep
        if bad.any():
            got = example(m.column, "text") if example else None
            shown = msg("aggregate.got", got=got) if got is not None else ""
            excluded(
                bad,
                Severity.WARNING,
                "data/bad-number",
                m.name,
                msg("aggregate.bad-number", column=m.column, shown=shown),
            )
            keep &= ~bad
        inf = _flag(result, f"__i{i}") & keep
        if inf.any():
            excluded(
                inf,
                Severity.ERROR,
                "data/non-finite",
                m.name,
                msg("aggregate.non-finite", column=m.column),
            )
            keep &= ~inf

    # Totals rows (a totals label in any text column).
    totals = _flag(result, "__t") & keep
    if totals.any():
        got = example("", "total") if example else None
        what = msg("aggregate.total", got=got) if got else msg("aggregate.totals")
        excluded(totals, Severity.INFO, "data/totals-row", None, what)
        keep &= ~totals

    # Dimensions: text exactly as stored, NULL is "" as an empty cell is.
    dims: dict[str, pd.Series] = {}
    for j, (name, _column) in enumerate(s.dimensions):
        values = result[f"__k{j}"].astype(object).where(result[f"__k{j}"].notna(), "")
        dims[name] = pd.Series(values.tolist(), dtype="str")

    frame: dict[str, Any] = {cols.DATE: dates}
    frame.update(dims)
    for i, m in enumerate(s.measures):
        values = np.array(
            pd.to_numeric(result[f"__v{i}"], errors="coerce").to_numpy(
                dtype=np.float64, na_value=np.nan
            )
        )
        values[_flag(result, f"__n{i}")] = np.nan
        frame[m.name] = values
    out = pd.DataFrame(frame)
    out = out.loc[keep]
    # Databases return groups in any order: sort on every column, so a build is the
    # same whichever order the engine chose.
    out = out.sort_values(list(out.columns), kind="stable").reset_index(drop=True)
    for d in dims:
        out[d] = out[d].astype("str")
    return out, list(dims), [m.name for m in s.measures], findings, total
