"""Several loaded files as one table: what a plan's sources hold together, before the
cube (:mod:`planbook.cube`) aggregates it. ``rows`` gives a table's rows (the store's:
a table whose rows it let go is read again)."""

from __future__ import annotations

import filecmp
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import columns as cols
from ..diagnostics import Diagnostic, Severity
from ..messages import msg
from .table import Table, empty_frame

__all__ = [
    "Contents",
    "Overlap",
    "Source",
    "combine",
    "overlap",
    "overlap_warnings",
    "twin_of",
]

#: (content digest, ``set``) -> the files a plan reads with them (real path, path)
Contents = dict[tuple[str, tuple[tuple[str, str], ...]], list[tuple[Path, str]]]


@dataclass(frozen=True)
class Source:
    """One loaded file of a plan's sources, with the constant columns ``set`` adds."""

    table: Table
    constants: tuple[tuple[str, str], ...] = ()
    # How the file was read (reading options; the days and dimensions a Parquet file or a
    # query was aggregated for): one file read two ways is two sources, never one cube.
    read: str = ""
    # Money measures left out of the plan's figures (the file is in another currency
    # than the plan's, :func:`.currency.withhold`): missing on each of the file's rows.
    withheld: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, str, tuple[tuple[str, str], ...], str, tuple[str, ...]]:
        return (self.table.path, self.table.digest, self.constants, self.read, self.withheld)


def combine(
    sources: Sequence[Source],
    rows: Callable[[Table], pd.DataFrame],
    *,
    origin: bool = False,
) -> pd.DataFrame:
    """One table from gathered sources: the constant dimensions of ``set`` added as
    columns, everything concatenated (missing measures NaN, missing dimensions "").
    ``frame.attrs`` carries ``rates`` (column -> built-in KPI) and ``non_additive``.

    With ``origin``, when the files do not all have the same measures, the column
    :data:`columns.ORIGIN` says per row which measures its file has (the cube's
    ratios leave out gaps within a file, not measures that come from another)."""
    parts: list[pd.DataFrame] = []
    dims: list[str] = []
    measures: list[str] = []
    has: list[tuple[str, ...]] = []  # per part: the measures of its file
    rates: dict[str, str | None] = {}
    non_additive: set[str] = set()
    queries: list[Any] = []
    for src in sources:
        table, constants = src.table, dict(src.constants)
        if table.query is not None and table.query not in queries:
            queries.append(table.query)
        frame = rows(table)
        if src.withheld:  # the file keeps the measures (a ratio leaves its rows out)
            frame = frame.assign(**{m: np.nan for m in src.withheld if m in frame.columns})
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
        has.append(tuple(m for m in table.measures if m not in constants))
        parts.append(frame)
    measures = [m for m in measures if m not in dims]
    if not parts:
        out = empty_frame()
    elif len(parts) == 1:
        out = parts[0].copy(deep=False)
    else:
        out = pd.concat(parts, ignore_index=True, sort=False)
    for d in dims:
        out[d] = _dimension(parts, d) if len(parts) > 1 else _text_column(out, d)
    for m in measures:
        if m not in out.columns:
            out[m] = np.full(len(out), np.nan)
        elif out[m].dtype != np.float64:
            out[m] = pd.to_numeric(out[m], errors="coerce").astype("float64")
    out = out[[cols.DATE, *dims, *measures]]
    if origin and len(parts) > 1:
        labels = [cols.ORIGIN_SEP.join(sorted(set(h) & set(measures))) for h in has]
        if len(set(labels)) > 1:
            out[cols.ORIGIN] = _origin_column(labels, [len(p) for p in parts])
    out.attrs = {
        "rates": {k: v for k, v in rates.items() if k not in measures},
        "non_additive": sorted(non_additive & set(measures)),
        "queries": queries,
        "withheld": sorted({m for src in sources for m in src.withheld}),
    }
    return out


def _origin_column(labels: Sequence[str], lengths: Sequence[int]) -> pd.Series:
    """Per row, the label of its file (categorical: one code per distinct label)."""
    uniques = list(dict.fromkeys(labels))
    codes = np.repeat([uniques.index(label) for label in labels], lengths).astype(np.int32)
    return pd.Series(pd.Categorical.from_codes(codes, categories=pd.Index(uniques, dtype="str")))


def _text_column(frame: pd.DataFrame, name: str) -> pd.Series:
    """A dimension as categorical text ("" for missing), as the loader makes them."""
    if name not in frame.columns:
        empty = pd.Index([""], dtype="str")
        codes = np.zeros(len(frame), dtype=np.int8)
        return pd.Series(pd.Categorical.from_codes(codes, categories=empty), index=frame.index)
    col = frame[name]
    if not isinstance(col.dtype, pd.CategoricalDtype):
        return col.fillna("").astype("str").astype("category")
    if col.cat.categories.dtype != "str":
        col = col.cat.rename_categories(col.cat.categories.astype("str"))
    if col.isna().any():
        if "" not in col.cat.categories:
            col = col.cat.add_categories([""])
        col = col.fillna("")
    return col


def _dimension(parts: Sequence[pd.DataFrame], name: str) -> pd.Series:
    """One dimension over several files: their categories united (no string copies)."""
    from pandas.api.types import union_categoricals

    cats = [_text_column(part, name).array for part in parts]
    return pd.Series(union_categoricals(cats))


def twin_of(real: Path, digest: str, constants: dict[str, str], contents: Contents) -> str | None:
    """The path of a file the plan already reads under another name (``real``: this
    one's) with the very same bytes and ``set``: a browser's "report (1).csv", the same
    download twice, would count every row twice. ``None`` if there is none. The digest
    (size and CRC-32) finds a candidate, the bytes decide."""
    if not digest:
        return None
    for other, path in contents.get((digest, tuple(sorted(constants.items()))), ()):
        if other != real and _same_bytes(other, real):
            return path
    return None


def _same_bytes(a: Path, b: Path) -> bool:
    try:
        return filecmp.cmp(a, b, shallow=False)
    except OSError:  # gone since it was read: not known to be the same
        return False


@dataclass(frozen=True)
class Overlap:
    """Rows of two files with the same day and dimension values: ``rows`` keys (day and
    values) found in both, on days ``start`` to ``end``, by the dimensions ``dims``."""

    start: str
    end: str
    rows: int
    dims: tuple[str, ...]


def overlap(a: Source, b: Source, rows: Callable[[Table], pd.DataFrame]) -> Overlap | None:
    """Whether two files of a plan hold rows for the same day and the same value of
    every dimension (the same report downloaded for overlapping ranges: a re-pull of the
    last days counts those days twice). Files without a measure in common, with other
    dimensions, or whose ``set``
    gives one of them another value (two platforms, two accounts named by ``set``),
    cannot hold the same rows. Only the days both files cover are compared."""
    ca, cb = dict(a.constants), dict(b.constants)
    if not set(a.table.measures) & set(b.table.measures):
        return None  # spend from one, revenue from the other: nothing counted twice
    dims = set(a.table.dimensions) | set(ca)
    if dims != set(b.table.dimensions) | set(cb) or a.table.query or b.table.query:
        return None
    if any(ca[d] != cb[d] for d in ca.keys() & cb.keys()):
        return None
    fa, fb = rows(a.table), rows(b.table)
    if fa.empty or fb.empty or cols.DATE not in fa or cols.DATE not in fb:
        return None
    da, db = fa[cols.DATE].to_numpy(), fb[cols.DATE].to_numpy()
    lo, hi = max(da.min(), db.min()), min(da.max(), db.max())
    if lo > hi:
        return None
    order = sorted(dims)

    def keys(frame: pd.DataFrame, days: np.ndarray, constants: dict[str, str]) -> pd.DataFrame:
        inside = (days >= lo) & (days <= hi)
        out = {cols.DATE: days[inside]}
        for d in order:
            if d in constants:
                out[d] = np.full(int(inside.sum()), constants[d], dtype=object)
            else:
                out[d] = frame[d].to_numpy(dtype=object, na_value="")[inside].astype(str)
        return pd.DataFrame(out).drop_duplicates()

    both = keys(fa, da, ca).merge(keys(fb, db, cb), on=[cols.DATE, *order])
    if both.empty:
        return None
    days = both[cols.DATE].to_numpy().astype("M8[D]")
    return Overlap(str(days.min()), str(days.max()), len(both), tuple(order))


def overlap_warnings(
    sources: Sequence[Source],
    where: Sequence[tuple[int | None, str]],
    file: str,
    rows: Callable[[Table], pd.DataFrame],
    memo: dict[tuple[tuple, tuple], Overlap | None],
) -> list[Diagnostic]:
    """A warning for each two files of a plan (``sources``; ``where``: each one's entry
    in the plan page, its line and field) that hold rows of the same day and dimension
    values (:func:`overlap`), at the later one's entry. ``memo``: the build's answers by
    the two sources' keys (plans that share their files ask once)."""
    out = []
    files = [(s, w) for s, w in zip(sources, where, strict=True) if s.table.query is None]
    for j, (b, (line, fld)) in enumerate(files):
        for a, _ in files[:j]:
            pair = (a.key, b.key)
            if pair not in memo:
                memo[pair] = overlap(a, b, rows)
            found = memo[pair]
            if found is None:
                continue
            said = msg(
                "data/overlapping-files.dims" if found.dims else "data/overlapping-files",
                path=b.table.path,
                other=a.table.path,
                start=found.start,
                end=found.end,
                n=found.rows,
                dims=", ".join(found.dims),
            )
            out.append(
                Diagnostic(file, line, fld, "data/overlapping-files", Severity.WARNING, said)
            )
    return out
