"""Metric sources in a database: queries over the named connections (:mod:`.connections`),
and their cache.

A ``metrics:`` entry ``{connection: warehouse, table: marts.ads_daily}`` or
``{connection: warehouse, sql: "select ..."}`` is aggregated where it lives (see
:mod:`planbook.sources.aggregate`) and enters the engine as the same
:class:`~planbook.data.Table` a CSV file gives.

* Connections are named in the plugin options; each names the environment variable
  holding its URL. Credentials are never read from files.
* Results are cached in memory (``mkdocs serve``) and on disk (``cache_dir``), keyed
  by the connection, the query (table or SQL, the dimensions, the days, ``where``)
  and either the data's freshness where it can be told (a DuckDB database file: its
  size and modification time) or the connection's ``refresh`` interval.
* Offline (``planbook check --offline``) nothing is queried: a cached result is used
  whatever its age, and a source without one is reported at info level.

The clock is the caller's (``clock``): the engine never reads it itself.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pandas as pd

from ..diagnostics import Diagnostic, Severity
from ..messages import from_json, msg, to_json
from .aggregate import Finding, Needs, ShapeError, build, convert, example, shape
from .connections import Connection, parse_connections, parse_refresh
from .connections import valid_table_name as valid_table_name  # it lived here

if TYPE_CHECKING:
    from ..data import DataStore
    from .table import Table

__all__ = ["Connection", "Needs", "Queries", "QueryRecord", "parse_connections", "parse_refresh"]

CACHE_VERSION = 1
# The embedded DuckDB (database files, Parquet) keeps its buffers within this, so a build's
# memory does not grow with the rows scanned (measured: 50M events, 128MB -> 325 MB peak
# for the query's process, unlimited -> 512 MB; 500k events: 204 MB either way).
DUCKDB_CONFIG = {"memory_limit": "128MB"}


@dataclass(frozen=True)
class QueryRecord:
    """A query result a build used: shown under the goals table."""

    connection: str
    label: str
    fetched_at: datetime | None
    rows: int  # rows of the table or query that were aggregated
    cached: bool
    offline: bool = False

    @property
    def fetched(self) -> str:
        """When the result was fetched, in UTC (empty when unknown)."""
        if self.fetched_at is None:
            return ""
        return self.fetched_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


@dataclass
class _Result:
    frame: pd.DataFrame
    dimensions: list[str]
    measures: list[str]
    findings: list[Finding]
    rows: int
    fetched_at: datetime | None
    token: str | None
    url_hash: str
    sql: str = ""


def _digest(*parts: Any) -> str:
    text = json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _url_identity(url: str) -> str:
    """A hash of the URL without its password (what the cache may remember)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
        user = parts.username or ""
        return _digest(parts.scheme, user, host + port, parts.path, parts.query)[:16]
    except ValueError:
        return _digest(url)[:16]


def _scrub(text: str, url: str) -> str:
    """An error message without the password (drivers may echo the URL)."""
    with contextlib.suppress(ValueError):
        password = urlsplit(url).password
        if password:
            text = text.replace(password, "***")
    first = " ".join(str(text).strip().splitlines()[:2])
    return first if len(first) <= 300 else first[:299] + "…"


def _ibis() -> Any:
    """Ibis, or a failure that says how to install it.

    Ibis 12's DuckDB backend calls DuckDB's ``fetch_arrow_table()``, which DuckDB 1.5+
    deprecates: every build with a DuckDB or Parquet source printed that
    DeprecationWarning and its traceback into the site's log, about code that is neither
    the user's nor ours. Only that warning, raised from Ibis' modules, is ignored; the
    filter is put back in front on each call (a ``warnings.catch_warnings`` block, as
    test runners use, drops it on exit)."""
    try:
        import ibis
    except ImportError:
        raise _Failure(
            "warehouse/not-installed",
            msg("warehouse/not-installed"),
        ) from None
    warnings.filterwarnings(
        "ignore",
        message=r"fetch_arrow_table\(\) is deprecated",
        category=DeprecationWarning,
        module=r"ibis\.",
    )
    return ibis


class Queries:
    """Runs and caches the aggregation of database and Parquet sources for a
    :class:`~planbook.data.DataStore`."""

    def __init__(
        self,
        store: DataStore,
        connections: Mapping[str, Connection] | None = None,
        *,
        offline: bool = False,
        clock: Callable[[], datetime] | None = None,
        cache_dir: Path | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.store = store
        self.connections = dict(connections or {})
        self.offline = offline
        self.clock = clock
        self.cache_dir = cache_dir
        self.environ = environ
        self._memory: dict[str, _Result] = {}
        self._built: dict[str, tuple[Table | None, list[Finding]]] = {}
        self._used: dict[str, QueryRecord] = {}
        self._backends: dict[str, Any] = {}
        self._duck: Any = None
        self._lock = threading.RLock()
        self.query_count = 0

    # ------------------------------------------------------------------ build cycle

    def begin_build(self) -> None:
        """Forget this build's results (the cache stays) and close its connections."""
        with self._lock:
            self._built.clear()
            self._used.clear()
            self.close()

    def close(self) -> None:
        for backend in self._backends.values():
            with contextlib.suppress(Exception):
                backend.disconnect()
        self._backends.clear()

    def used(self) -> list[QueryRecord]:
        """Query results this build used, by connection and label."""
        with self._lock:
            return sorted(self._used.values(), key=lambda r: (r.connection, r.label))

    # ------------------------------------------------------------------ databases

    def source(
        self, source: Any, needs: Needs, *, file: str, line: int | None, fld: str
    ) -> tuple[Table | None, list[Diagnostic]]:
        """The aggregate of one ``{connection, table | sql}`` entry, and diagnostics
        located at the entry in the plan page."""
        name = str(source.connection)

        def located(findings: Sequence[Finding]) -> list[Diagnostic]:
            out = []
            for sev, rule, message, _field, rows in findings:
                extra = (("rows", str(rows)),) if rows is not None else ()
                out.append(Diagnostic(file, line, fld, rule, sev, message, extra=extra))
            return out

        def error(rule: str, message: str) -> tuple[Table | None, list[Diagnostic]]:
            return None, located([(Severity.ERROR, rule, message, None, None)])

        conn = self.connections.get(name)
        if conn is None:
            known = ", ".join(sorted(self.connections))
            hint = (
                msg("warehouse/unknown-connection.known", known=known)
                if known
                else msg("warehouse/unknown-connection.none", name=name)
            )
            return error(
                "warehouse/unknown-connection",
                msg("warehouse/unknown-connection", name=name, hint=hint),
            )
        table_name = getattr(source, "table", None)
        sql = getattr(source, "sql", None)
        label = (
            f"{name}: {table_name}"
            if table_name
            else f"{name}: sql {hashlib.sha256(str(sql).encode()).hexdigest()[:8]}"
        )
        extra_dims = tuple(getattr(source, "dimensions", None) or ())
        where = {str(k): list(v) for k, v in (getattr(source, "where", None) or {}).items()}
        refresh = getattr(source, "refresh", None)
        refresh_s = conn.refresh if refresh is None else parse_refresh(refresh)
        key = _digest(CACHE_VERSION, name, table_name, sql, extra_dims, where, needs)
        with self._lock:
            if key in self._built:
                table, findings = self._built[key]
                return table, located(findings)
        env = self.environ if self.environ is not None else os.environ
        url = env.get(conn.url_env, "").strip()
        if not url and not self.offline:
            return error(
                "warehouse/missing-credentials",
                msg("warehouse/missing-credentials", name=name, env=conn.url_env),
            )
        url_hash = _url_identity(url) if url else ""
        token = self._freshness(url) if url else None
        cached = self._cached(key, url_hash, token, refresh_s)
        result: _Result | None = None
        if cached is not None:
            result = cached
        elif self.offline:
            findings: list[Finding] = [
                (
                    Severity.INFO,
                    "warehouse/offline",
                    msg("warehouse/offline", label=label),
                    None,
                    None,
                )
            ]
            # No rows, but the dimensions the plan names, so that its filters check.
            frame = pd.DataFrame({"date": pd.Series([], dtype="datetime64[ns]")})
            for dim in (*needs.dimensions, *extra_dims):
                frame[dim] = pd.Series([], dtype="str")
            empty = _Result(frame, list(frame.columns[1:]), [], findings, 0, None, None, "")
            table = self._table(label, key, empty, name, cached=False)
            with self._lock:
                self._built[key] = (table, findings)
            return table, located(findings)
        else:
            try:
                result = self._run(conn, url, label, source, needs, extra_dims, where)
            except ShapeError as e:
                return error(e.rule, e.message)
            except _Failure as e:
                return error(e.rule, msg("warehouse/labelled", label=label, problem=e.message))
            finally:
                self.close()  # no connection (or DuckDB file lock) outlives its query
            result.token, result.url_hash = token, url_hash
            self._store(key, result, name, label)
        table = self._table(label, key, result, name, cached=cached is not None)
        with self._lock:
            self._built[key] = (table, result.findings)
        return table, located(result.findings)

    def _table(self, label: str, key: str, r: _Result, connection: str, cached: bool) -> Table:
        from .table import Table

        record = QueryRecord(
            connection, label, r.fetched_at, r.rows, cached, offline=self.offline and cached
        )
        with self._lock:
            self._used[key] = record
        stamp = r.fetched_at.isoformat() if r.fetched_at else ""
        return Table(
            path=label,
            frame=r.frame,
            dimensions=tuple(r.dimensions),
            measures=tuple(r.measures),
            diagnostics=(),
            digest=_digest(key, stamp),
            encoding="sql",
            query=record,
        )

    def _run(
        self,
        conn: Connection,
        url: str,
        label: str,
        source: Any,
        needs: Needs,
        extra_dims: Sequence[str],
        where: Mapping[str, list[str]],
    ) -> _Result:
        backend = self._backend(conn, url)
        table_name = getattr(source, "table", None)
        try:
            if table_name:
                parts = str(table_name).split(".")
                if len(parts) == 1:
                    t = backend.table(parts[0])
                else:
                    db = parts[0] if len(parts) == 2 else (parts[0], parts[1])
                    t = backend.table(parts[-1], database=db)
            else:
                t = backend.sql(str(source.sql))
            schema = t.schema()
        except Exception as e:
            what = (
                msg("warehouse/query-failed.table", name=table_name)
                if table_name
                else msg("warehouse/query-failed.sql")
            )
            raise _Failure(
                "warehouse/query-failed",
                msg(
                    "warehouse/query-failed.read",
                    what=what,
                    kind=type(e).__name__,
                    error=_scrub(str(e), url),
                ),
            ) from None
        s = shape(schema, self.store, label, needs, extra_dims, where)
        expr = build(t, s, needs, where)
        try:
            sql = str(backend.compile(expr))
            frame = backend.to_pyarrow(expr).to_pandas()
            self.query_count += 1
        except Exception as e:
            raise _Failure(
                "warehouse/query-failed",
                msg(
                    "warehouse/query-failed.aggregate",
                    kind=type(e).__name__,
                    error=_scrub(str(e), url),
                ),
            ) from None

        def one(column: str, kind: str) -> str | None:
            return example(backend, t, s, column, kind)

        out, dims, measures, findings, rows = convert(frame, s, label, needs, one)
        now = self.clock() if self.clock else None
        return _Result(out, dims, measures, findings, rows, now, None, "", sql)

    def _backend(self, conn: Connection, url: str) -> Any:
        with self._lock:
            if conn.name in self._backends:
                return self._backends[conn.name]
        ibis = _ibis()
        try:
            path = self._duckdb_path(url)
            if url.lower().startswith("duckdb:"):
                if path is None:
                    backend = ibis.duckdb.connect(**DUCKDB_CONFIG)
                else:
                    if not path.exists():
                        raise FileNotFoundError(f"no DuckDB database at {path}")
                    backend = ibis.duckdb.connect(
                        database=str(path), read_only=True, **DUCKDB_CONFIG
                    )
            else:
                backend = ibis.connect(url)
        except Exception as e:
            raise _Failure(
                "warehouse/connect-failed",
                msg(
                    "warehouse/connect-failed",
                    name=conn.name,
                    env=conn.url_env,
                    kind=type(e).__name__,
                    error=_scrub(str(e), url),
                ),
            ) from None
        with self._lock:
            self._backends[conn.name] = backend
        return backend

    def _duckdb_path(self, url: str) -> Path | None:
        """The database file of a ``duckdb://`` URL (relative to the project root)."""
        if not url.lower().startswith("duckdb:"):
            return None
        rest = url.split(":", 1)[1]
        rest = rest[2:] if rest.startswith("//") else rest
        rest = rest.split("?", 1)[0]
        if not rest or rest == ":memory:":
            return None
        p = Path(rest)
        return p if p.is_absolute() else self.store.root / p

    def _freshness(self, url: str) -> str | None:
        """What tells whether the data changed, where the engine can tell it."""
        path = self._duckdb_path(url)
        if path is None:
            return None
        parts = []
        for p in (path, path.with_name(path.name + ".wal")):
            with contextlib.suppress(OSError):
                st = p.stat()
                parts.append(f"{st.st_size}:{st.st_mtime_ns}")
        return "|".join(parts) or None

    # ------------------------------------------------------------------ cache

    def _fresh(self, r: _Result, url_hash: str, token: str | None, refresh: float) -> bool:
        if self.offline:
            return True
        if r.url_hash != url_hash:
            return False
        if token is not None or r.token is not None:
            return token == r.token
        if refresh <= 0:
            return False
        if self.clock is None or r.fetched_at is None:
            return self.clock is None  # no clock: one process, one result
        return (self.clock() - r.fetched_at).total_seconds() < refresh

    def _cached(self, key: str, url_hash: str, token: str | None, refresh: float) -> _Result | None:
        with self._lock:
            r = self._memory.get(key)
        if r is not None and self._fresh(r, url_hash, token, refresh):
            return r
        r = self._read_disk(key)
        if r is not None and self._fresh(r, url_hash, token, refresh):
            with self._lock:
                self._memory[key] = r
            return r
        return None

    def _paths(self, key: str) -> tuple[Path, Path] | None:
        if self.cache_dir is None:
            return None
        folder = self.cache_dir / "queries"
        return folder / f"{key}.parquet", folder / f"{key}.json"

    def _read_disk(self, key: str) -> _Result | None:
        paths = self._paths(key)
        if paths is None or not paths[1].is_file() or not paths[0].is_file():
            return None
        try:
            meta = json.loads(paths[1].read_text(encoding="utf-8"))
            if meta.get("version") != CACHE_VERSION:
                return None
            frame = pd.read_parquet(paths[0])
        except (OSError, ValueError):
            return None
        for d in meta["dimensions"]:
            frame[d] = frame[d].astype("str")
        frame["date"] = frame["date"].astype("datetime64[ns]")
        fetched = datetime.fromisoformat(meta["fetched_at"]) if meta.get("fetched_at") else None
        findings = [
            (Severity(f[0]), f[1], from_json(f[2]), f[3], f[4]) for f in meta.get("findings", [])
        ]
        return _Result(
            frame,
            list(meta["dimensions"]),
            list(meta["measures"]),
            findings,
            int(meta.get("rows", 0)),
            fetched,
            meta.get("token"),
            meta.get("url", ""),
            meta.get("sql", ""),
        )

    def _store(self, key: str, r: _Result, connection: str, label: str) -> None:
        with self._lock:
            self._memory[key] = r
        paths = self._paths(key)
        if paths is None:
            return
        meta = {
            "version": CACHE_VERSION,
            "connection": connection,
            "label": label,
            "fetched_at": r.fetched_at.isoformat() if r.fetched_at else None,
            "token": r.token,
            "url": r.url_hash,
            "rows": r.rows,
            "dimensions": r.dimensions,
            "measures": r.measures,
            "findings": [[f[0].value, f[1], to_json(f[2]), f[3], f[4]] for f in r.findings],
            "sql": r.sql,
        }
        try:
            paths[0].parent.mkdir(parents=True, exist_ok=True)
            tmp = paths[0].with_suffix(".tmp")
            r.frame.to_parquet(tmp, index=False)
            tmp.replace(paths[0])
            tmp = paths[1].with_suffix(".tmp")
            tmp.write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
            tmp.replace(paths[1])
        except OSError:
            pass  # a read-only checkout still builds; it just queries again next time

    # ------------------------------------------------------------------ Parquet

    def parquet(self, path: Path, rel: str, needs: Needs) -> Table:
        """A Parquet file aggregated by the embedded DuckDB (:mod:`.parquet`)."""
        from .parquet import read_parquet

        return read_parquet(self, path, rel, needs)

    def duckdb(self) -> Any:
        """The embedded DuckDB (in memory) that reads Parquet files, opened on first use."""
        ibis = _ibis()
        with self._lock:
            if self._duck is None:
                self._duck = ibis.duckdb.connect(**DUCKDB_CONFIG)
            return self._duck


class _Failure(Exception):
    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message
