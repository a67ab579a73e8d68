"""Several loaded files as one table: what a plan's sources hold together, before the
cube (:mod:`planbook.cube`) aggregates it. ``rows`` gives a table's rows (the store's:
a table whose rows it let go is read again)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .. import columns as cols
from .table import Table, empty_frame

__all__ = ["Source", "combine"]


@dataclass(frozen=True)
class Source:
    """One loaded file of a plan's sources, with the constant columns ``set`` adds."""

    table: Table
    constants: tuple[tuple[str, str], ...] = ()
    # How the file was read (reading options; the days and dimensions a Parquet file or a
    # query was aggregated for): one file read two ways is two sources, never one cube.
    read: str = ""

    @property
    def key(self) -> tuple[str, str, tuple[tuple[str, str], ...], str]:
        return (self.table.path, self.table.digest, self.constants, self.read)


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
