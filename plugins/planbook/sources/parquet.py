"""Parquet files in ``data/``: aggregated by the embedded DuckDB through the same Ibis
expression as a database table (:mod:`.aggregate`), cached by the file's size and
modification time, and reported against the file like any other metric file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..diagnostics import Diagnostic, Severity
from ..messages import msg
from .aggregate import Needs, ShapeError, build, convert, example, shape
from .table import Table
from .warehouse import CACHE_VERSION, _digest, _Failure, _Result, _scrub

if TYPE_CHECKING:
    from .warehouse import Queries

__all__ = ["read_parquet"]


def read_parquet(queries: Queries, path: Path, rel: str, needs: Needs) -> Table:
    """The aggregate of one Parquet file for ``needs`` (``rel``: its path for messages)."""
    st = path.stat()
    key = _digest(CACHE_VERSION, "parquet", rel, st.st_size, st.st_mtime_ns, needs)
    with queries._lock:
        r = queries._memory.get(key)
    if r is None:
        r = _run(queries, path, needs)
        with queries._lock:
            queries._memory[key] = r
    diags = tuple(
        Diagnostic(
            rel, None, fld, rule, sev, msg, extra=(("rows", str(n)),) if n is not None else ()
        )
        for sev, rule, msg, fld, n in r.findings
    )
    return Table(
        path=rel,
        frame=r.frame,
        dimensions=tuple(r.dimensions),
        measures=tuple(r.measures),
        diagnostics=diags,
        digest=key,
        encoding="parquet",
    )


def _failed(rule: str, message: str) -> _Result:
    empty = pd.DataFrame({"date": pd.Series([], dtype="datetime64[ns]")})
    return _Result(empty, [], [], [(Severity.ERROR, rule, message, None, None)], 0, None, None, "")


def _run(queries: Queries, path: Path, needs: Needs) -> _Result:
    try:
        con = queries.duckdb()
    except _Failure as e:
        return _failed(e.rule, e.message)
    try:
        t = con.read_parquet(str(path))
        schema = t.schema()
    except Exception as e:
        return _failed("data/unreadable", msg("data/unreadable.parquet", error=_scrub(str(e), "")))
    try:
        s = shape(schema, queries.store, "", needs)
        frame = con.to_pyarrow(build(t, s, needs)).to_pandas()
        queries.query_count += 1
        out, dims, measures, findings, rows = convert(
            frame, s, "", needs, lambda column, kind: example(con, t, s, column, kind)
        )
    except ShapeError as e:
        return _failed(e.rule, e.message)
    except Exception as e:
        return _failed(
            "data/unreadable", msg("data/unreadable.parquet-aggregate", error=_scrub(str(e), ""))
        )
    return _Result(out, dims, measures, findings, rows, None, None, "")
