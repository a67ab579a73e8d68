"""Metric files -> typed tables, with located diagnostics and a content-keyed cache.

A metric file is an export from an ad platform, web analytics, a CRM or an e-mail
tool, as downloaded. :class:`DataStore` resolves the ``metrics:`` sources of a plan
(paths and globs that must stay inside ``data/``), loads each file once per content
and options, and returns one long table: ``date`` + dimension columns + measures.

Output types (the contract the rest of the engine codes against):

* ``date`` is ``datetime64[ns]`` at midnight.
* Dimension columns are categoricals of text (a ``"str"`` column where a file's
  values could not be categorised) and hold the text exactly as written (``010``
  stays ``010``, 20-digit ids keep every digit); missing is ``""``.
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
import os
import re
import threading
import weakref
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

import pandas as pd

from .diagnostics import Diagnostic, Severity
from .frontmatter import Locations, PathKey, format_path
from .messages import msg
from .sources import files
from .sources.ahead import ReadAhead
from .sources.combine import Contents, Overlap, Source, combine, overlap_warnings, twin_of
from .sources.digest import file_key
from .sources.files import alias_table
from .sources.profiles import Registry, load_registry, normalize_header, slugify
from .sources.sniff import not_a_table
from .sources.table import ReadOptions, Table, empty_frame
from .sources.values import parse_numbers
from .sources.warehouse import Connection, Needs, Queries

__all__ = [
    "DataStore",
    "ReadOptions",
    "Source",
    "Table",
    "normalize_header",
    "parse_numbers",
    "slugify",
]

# Files this large (bytes) are read ahead while the pages are read (read_ahead). On two
# cores the parse already runs on both: it gains only where it outlasts the reading of
# the pages, and its buffers add to the peak of the pages being read. The bench's 340 MB
# file (5M rows): ~0.1 s of ~2.9 s; its 68 MB file (1M rows): no time, 10 MB more peak
# (alternated builds, issue 12). `mkdocs serve` reads an edited file again at any size.
READ_AHEAD_MIN = 128 << 20

_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".parquet")


def _parse(
    path: str, source: bytes | Path, digest: str, store: DataStore, opts: ReadOptions
) -> Table:
    """Parse one file, given its bytes or its path (module-level so tests can count calls)."""
    store.parse_count += 1
    return files.parse(path, source, digest, store, opts)


# --------------------------------------------------------------------------- store


def _hash(data: bytes) -> str:
    return files.content_hash(data)


def _hash_file(path: Path) -> str:
    return file_key(path)


# Reading a CSV takes up to 3x its size in memory (pandas, the parsed columns): 512 MB
# (about 7.5 million rows of an ad export) peaks near 1.5 GB, within a CI runner or a
# laptop beside the rest of a build. Larger files belong in Parquet or a warehouse,
# which DuckDB or the database aggregate without loading them.
MAX_FILE_MB = 512

_GLOB = re.compile(r"[*?\[]")
_MAX_PATH = 1024


class DataStore:
    """Resolves metric sources and loads metric files, each parsed once per content.

    ``root`` is the project root; sources must stay inside ``root / data_dir``.
    ``aliases`` (header -> canonical name) extends and overrides
    :data:`planbook.columns.ALIASES` and every profile; ``encoding`` forces one
    encoding for every file; ``profiles_dir`` adds a folder of export profiles;
    a CSV or xlsx file over ``max_file_mb`` (10^6 bytes) is refused with an error.
    """

    def __init__(
        self,
        root: Path,
        *,
        data_dir: str = "data",
        aliases: Mapping[str, str] | None = None,
        encoding: str | None = None,
        profiles_dir: Path | None = None,
        max_file_mb: float = MAX_FILE_MB,
        connections: Mapping[str, Connection] | None = None,
        offline: bool = False,
        clock: Callable[[], datetime] | None = None,
        cache_dir: Path | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.root = Path(root)
        self.data_dir = data_dir.strip("/") or "data"
        self.encoding = encoding
        self._aliases = alias_table(aliases)
        self._site_aliases = {normalize_header(str(k)): str(v) for k, v in (aliases or {}).items()}
        self._profiles_dir = profiles_dir
        self.max_file_mb = max_file_mb
        self.profiles: Registry = load_registry(profiles_dir)
        self.profile_dates = self.profiles.date_headers()
        self._root_real = self.root.resolve()
        self._data_real = (self.root / self.data_dir).resolve()
        self._stat: dict[tuple[str, ReadOptions], tuple[int, int, str]] = {}
        self._tables: dict[tuple[str, str, ReadOptions], Table] = {}
        self._used: dict[tuple[str, ReadOptions], Table] = {}
        # Per build: what each pattern resolved to (the diagnostics without their place)
        # and each path's real path. Plans that share sources, and the shortcodes that
        # gather them again, look at the file system once (begin_build forgets).
        self._found: dict[str, tuple[list[Path], list[Diagnostic]]] = {}
        self._real: dict[Path, Path] = {}
        # Whether two files of a plan hold the same rows, by their sources' keys (which
        # hold the files' digests: kept across `mkdocs serve` rebuilds, never stale).
        self._overlaps: dict[tuple[tuple, tuple], Overlap | None] = {}
        # Tables whose rows were let go (release_rows): id -> (the table, how to read it).
        self._released: dict[int, tuple[weakref.ref[Table], str, ReadOptions]] = {}
        self._lock = threading.Lock()
        self.ahead = ReadAhead()
        self.parse_count = 0
        # Database and Parquet sources (sources/warehouse.py); Ibis is imported on use.
        self.queries = Queries(
            self,
            connections,
            offline=offline,
            clock=clock,
            cache_dir=cache_dir,
            environ=environ,  # default: the process environment (credentials live there)
        )

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
        located at ``(file, line, field)`` explaining why not. The file system is
        looked at once per pattern and build (:meth:`begin_build` forgets)."""
        key = str(pattern)
        found = self._found.get(key)
        if found is None:
            found = self._resolve(key)
            with self._lock:
                self._found[key] = found
        paths, problems = found
        return list(paths), [
            dataclasses.replace(d, file=file, line=line, field=field) for d in problems
        ]

    def _real_path(self, path: Path) -> Path:
        """``path.resolve()``, once per path and build."""
        real = self._real.get(path)
        if real is None:
            real = path.resolve()
            with self._lock:
                self._real[path] = real
        return real

    def _resolve(self, pattern: str) -> tuple[list[Path], list[Diagnostic]]:
        """:meth:`resolve` with the diagnostics not yet placed (file "", no line)."""
        file, line, field = "", None, ""

        def error(rule: str, message: str) -> tuple[list[Path], list[Diagnostic]]:
            return [], [Diagnostic(file, line, field, rule, Severity.ERROR, message)]

        raw = str(pattern).strip()
        if not raw:
            return error("data/path", msg("data/path.empty", data=self.data_dir))
        if len(raw) > _MAX_PATH or "\x00" in raw:
            return error(
                "data/path",
                msg("data/path.too-long", n=len(raw), data=self.data_dir, most=_MAX_PATH),
            )
        posix = PurePosixPath(raw.replace("\\", "/"))
        if posix.is_absolute() or re.match(r"^[A-Za-z]:", raw) or raw.startswith("~"):
            return error(
                "data/path-outside",
                msg("data/path-outside.absolute", path=raw, data=self.data_dir),
            )
        if ".." in posix.parts:
            return error(
                "data/path-outside",
                msg("data/path-outside.dotdot", path=raw, data=self.data_dir),
            )
        parts = [p for p in posix.parts if p != "."]
        if not parts or parts[0] != self.data_dir or len(parts) < 2:
            return error(
                "data/path-outside",
                msg(
                    "data/path-outside",
                    path=raw,
                    data=self.data_dir,
                    name=parts[-1] if parts else "x.csv",
                ),
            )
        rel = "/".join(parts)
        try:
            if _GLOB.search(rel):
                found = [p for p in self.root.glob(rel) if p.is_file()]
            else:
                p = self.root / rel
                if not p.exists():
                    return error("data/missing-file", msg("data/missing-file", path=raw))
                if not p.is_file():
                    return error("data/path", msg("data/path.folder", path=raw))
                found = [p]
        except (OSError, ValueError) as e:
            return error("data/path", msg("data/path.lookup", path=raw, error=e))
        inside: list[Path] = []
        outside: list[str] = []
        for p in found:
            real = self._real_path(p)
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
                    msg(
                        "data/path-outside.link",
                        links=", ".join(repr(o) for o in outside),
                        verb="is a link" if len(outside) == 1 else "are links",
                        data=self.data_dir,
                    ),
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
                    not_a_table(raw, inside),
                )
            )
        elif not usable and not outside:
            said = msg("data/no-match.kind" if found else "data/no-match", path=raw)
            diags.append(Diagnostic(file, line, field, "data/no-match", Severity.ERROR, said))
        return sorted(usable, key=lambda p: p.as_posix()), diags

    # -- loading
    def load(self, path: Path, options: ReadOptions | None = None) -> Table:
        """Parse ``path`` (absolute, or relative to the root) with ``options``, or return
        the cached table when its bytes have not changed.

        ``(size, mtime_ns)`` unchanged -> the cached table, without reading the file.
        Otherwise the file is hashed (its size and CRC-32, :mod:`.sources.digest`): same
        content -> the cached table; new content -> parsed. A file seen for the first time is parsed straight from disk
        and hashed as it is read.

        A Parquet file is aggregated by day and every dimension column (a plan's
        sources go through :meth:`gather`, which groups by what the plan uses).
        """
        opts = options or ReadOptions()
        p = Path(path)
        if not p.is_absolute():
            p = self.root / p
        if p.suffix.lower() == ".parquet":
            return self.load_parquet(p, Needs(every=True))
        self.ahead.wait((self._rel(p), opts))  # a read-ahead of it ends first
        return self._load(p, opts)

    def read_ahead(self, sources: Sequence[Any]) -> int:
        """Start loading the CSV and xlsx files of a plan's ``metrics:`` ``sources`` of
        :data:`READ_AHEAD_MIN` bytes or more on a thread of their own
        (:mod:`.sources.ahead`); :meth:`load` of one waits for it. Smaller files, files
        already parsed and unchanged, Parquet files, queries and patterns that find
        nothing are left to :meth:`gather` (which says what is wrong). How many reads
        were started."""
        started = 0
        for source in sources:
            if getattr(source, "connection", None):
                continue
            pattern = source.path if hasattr(source, "path") else str(source)
            paths, _ = self.resolve(pattern, file="", line=None, field="")
            opts = read_options(source)
            for p in paths:
                st = _stat(p)
                if p.suffix.lower() == ".parquet" or st is None or st.st_size < READ_AHEAD_MIN:
                    continue
                key = (self._rel(p), opts)
                if self._cached(key, st) is None:
                    started += self.ahead.start(key, lambda p=p, opts=opts: self._load(p, opts))
        return started

    def read_again(self, path: Path) -> int:
        """Start reading ``path`` again on the read-ahead thread with each of the options
        it was parsed with (`mkdocs serve`: it was just written, :mod:`.sources.watch`).
        A file never parsed is left alone. How many reads were started."""
        rel = self._rel(path)
        with self._lock:
            keys = [key for key in self._stat if key[0] == rel]
        p = self.root / rel
        st = _stat(p)  # gone: the read says so
        return sum(
            self.ahead.start(key, lambda opts=key[1]: self._load(p, opts))
            for key in keys
            if st is None or self._cached(key, st) is None
        )

    def _cached(self, key: tuple[str, ReadOptions], st: os.stat_result) -> Table | None:
        """The table parsed for ``key`` when its file's size and mtime are still ``st``'s
        (:meth:`load` takes it without reading the file)."""
        with self._lock:
            known = self._stat.get(key)
            if known is None or known[:2] != (st.st_size, st.st_mtime_ns):
                return None
            return self._tables.get((key[0], known[2], key[1]))

    def _load(self, p: Path, opts: ReadOptions) -> Table:
        rel = self._rel(p)
        key = (rel, opts)
        try:
            st = p.stat()
            if st.st_size > self.max_file_mb * 1e6:
                return self._failed(key, "data/too-large", self._too_large(st.st_size))
            table = self._cached(key, st)
            with self._lock:
                if table is not None:
                    self._used[key] = table
                    return table
                known = self._stat.get(key)
            if known is not None:
                # Touched or edited (serve): a file whose bytes are unchanged keeps its
                # table. Hashed from disk in blocks: a read of the whole file kept for the
                # parse would stay alive in the new table's line map (issue 12).
                digest = _hash_file(p)
                with self._lock:
                    table = self._tables.get((rel, digest, opts))
            if table is None:
                # Parsed straight from disk; the parser hashes the bytes as it reads
                # them (a file it stopped reading early is hashed here).
                table = _parse(rel, p, "", self, opts)
                after = p.stat()
                if (after.st_size, after.st_mtime_ns) != (st.st_size, st.st_mtime_ns):
                    st, data = after, p.read_bytes()
                    digest = _hash(data)
                    table = _parse(rel, data, digest, self, opts)
                elif table.digest:
                    digest = table.digest
                else:
                    digest = _hash_file(p)
                    table = dataclasses.replace(table, digest=digest)
        except FileNotFoundError:
            return self._failed(key, "data/missing-file", msg("data/missing-file.read"))
        except OSError as e:
            return self._failed(
                key, "data/unreadable", msg("data/unreadable", error=e.strerror or e)
            )
        with self._lock:
            old = self._stat.get(key)
            if old and old[2] != digest:
                self._tables.pop((rel, old[2], opts), None)
            self._stat[key] = (st.st_size, st.st_mtime_ns, digest)
            self._tables[(rel, digest, opts)] = table
            self._used[key] = table
        return table

    def _too_large(self, size: int) -> str:
        shown = (
            msg("data/size.mb", mb=f"{size / 1e6:,.1f}")
            if size >= 100_000
            else msg("data/size.bytes", n=f"{size:,}")
        )
        return msg(
            "data/too-large", size=shown, limit=f"{self.max_file_mb:g}", data_dir=self.data_dir
        )

    def load_parquet(self, path: Path, needs: Needs) -> Table:
        """A Parquet file, aggregated for ``needs`` by the embedded DuckDB."""
        rel = self._rel(path)
        key = (rel, ReadOptions())
        try:
            table = self.queries.parquet(path, rel, needs)
        except OSError as e:
            return self._failed(
                key, "data/unreadable", msg("data/unreadable", error=e.strerror or e)
            )
        with self._lock:
            self._used[key] = table
        return table

    def _failed(self, key: tuple[str, ReadOptions], rule: str, message: str) -> Table:
        diag = Diagnostic(key[0], None, None, rule, Severity.ERROR, message)
        table = Table(key[0], empty_frame(), (), (), (diag,), "", "utf-8")
        with self._lock:
            self._stat.pop(key, None)
            self._used[key] = table
        return table

    def begin_build(self) -> None:
        """Forget which tables this build used (the parsed tables stay cached)."""
        self.ahead.finish()  # a read-ahead of a build that stopped early
        with self._lock:
            self._used = {}
            self._found = {}
            self._real = {}
            if len(self._overlaps) > 4096:  # files edited again and again
                self._overlaps = {}
        self.queries.begin_build()

    def used_tables(self) -> list[Table]:
        """Tables loaded (or served from the cache) since :meth:`begin_build`, by path."""
        with self._lock:
            return [self._used[k] for k in sorted(self._used, key=lambda k: (k[0], repr(k[1])))]

    def drop_unused(self) -> int:
        """Forget the parsed tables no source used since :meth:`begin_build` (a file
        removed, or no longer read by any page): `mkdocs serve` keeps the others. Call
        once the build is over (post lists are read while pages render). Returns how
        many tables were dropped."""
        with self._lock:
            used = {(key[0], table.digest, key[1]) for key, table in self._used.items()}
            unused = [key for key in self._tables if key not in used]
            for key in unused:
                del self._tables[key]
                known = self._stat.get((key[0], key[2]))
                if known is not None and known[2] == key[1]:
                    del self._stat[(key[0], key[2])]
        return len(unused)

    # -- rows
    def release_rows(self, min_rows: int) -> list[Table]:
        """Let go of the rows of the file tables used this build that have at least
        ``min_rows`` rows (issue 12: the cubes hold what the plans read, a million raw
        rows would stay resident for nothing). Each table keeps everything else (path,
        digest, columns, diagnostics, line map), so it still serves as the cache of its
        file; its ``frame`` becomes an empty frame with the same columns and types.
        :meth:`rows` reads the file again if the rows are needed after all."""
        out: list[Table] = []
        with self._lock:
            for key, entry in list(self._released.items()):
                if entry[0]() is None:
                    del self._released[key]
            used = {id(t) for t in self._used.values()}
            for (rel, _digest, opts), table in self._tables.items():
                if id(table) not in used or id(table) in self._released:
                    continue
                if len(table.frame) < max(min_rows, 1):
                    continue
                # In place: every holder of the table (gathered sources, the cubes' row
                # callbacks) lets go of the rows with it.
                object.__setattr__(table, "frame", table.frame.iloc[:0].copy())
                self._released[id(table)] = (weakref.ref(table), rel, opts)
                out.append(table)
        return out

    def rows(self, table: Table) -> pd.DataFrame:
        """The rows of ``table``: its frame, or, when :meth:`release_rows` let them go,
        the file read again. The rows read again stay with the table until the next
        release (a build that needs them once, say an A/B test on a plan's own rows,
        may need them again: one read, not one per use). A file edited since gives its
        new rows, not kept: the edit's own rebuild follows (``mkdocs serve``)."""
        with self._lock:
            entry = self._released.get(id(table))
        if entry is None or entry[0]() is not table:
            return table.frame
        _, rel, opts = entry
        fresh = _parse(rel, self.root / rel, "", self, opts)
        if fresh.digest == table.digest and fresh.ok:
            with self._lock:
                if self._released.pop(id(table), None) is not None:
                    object.__setattr__(table, "frame", fresh.frame)
        return fresh.frame

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
        where: list[tuple[int | None, str]] = []  # per file source: its entry's line, field
        # (content digest, constants) -> the files read with them (real path, path)
        contents: Contents = {}
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
                    out.append(Source(table, tuple(sorted(constants.items())), repr(needs)))
                    where.append((locations.line(key), format_path(key)))
                continue
            path = source.path if hasattr(source, "path") else str(source)
            key = (*prefix, i, "path") if locations.has((*prefix, i, "path")) else (*prefix, i)
            line = locations.line(key)
            fld = format_path(key)
            paths, problems = self.resolve(path, file=file, line=line, field=fld)
            diags.extend(problems)
            for p in paths:
                real = self._real_path(p)
                if p.suffix.lower() == ".parquet":
                    table, read = self.load_parquet(p, needs), repr(needs)
                else:
                    options = read_options(source)
                    table, read = self.load(p, options), repr(options)
                twin = twin_of(real, table.digest, constants, contents)
                if twin is not None:  # another name for the same bytes: "report (1).csv"
                    diags.append(
                        Diagnostic(
                            file,
                            line,
                            fld,
                            "data/duplicate-content",
                            Severity.WARNING,
                            msg("data/duplicate-content", path=table.path, first=twin),
                        )
                    )
                    continue
                if real in seen:
                    first_path, first_fld = seen[real]
                    same = (
                        ""
                        if first_path == table.path
                        else msg("data/duplicate-source.through", path=first_path)
                    )
                    diags.append(
                        Diagnostic(
                            file,
                            line,
                            fld,
                            "data/duplicate-source",
                            Severity.WARNING,
                            msg(
                                "data/duplicate-source",
                                path=table.path,
                                first=first_fld,
                                through=same,
                            ),
                        )
                    )
                    continue
                seen[real] = (table.path, fld)
                contents.setdefault((table.digest, tuple(sorted(constants.items()))), []).append(
                    (real, table.path)
                )
                for name, value in constants.items():
                    if name in table.frame.columns:
                        diags.append(
                            Diagnostic(
                                file,
                                locations.line((*prefix, i, "set", name)),
                                format_path((*prefix, i, "set", name)),
                                "data/set-overrides-column",
                                Severity.WARNING,
                                msg(
                                    "data/set-overrides-column",
                                    path=table.path,
                                    name=name,
                                    value=value,
                                ),
                            )
                        )
                out.append(Source(table, tuple(sorted(constants.items())), read))
                where.append((line, fld))
        diags.extend(overlap_warnings(out, where, file, self.rows, self._overlaps))
        return out, diags

    def combine(self, sources: Sequence[Source], *, origin: bool = False) -> pd.DataFrame:
        """One table from gathered sources (:func:`.sources.combine.combine`), the rows
        of a table whose rows were let go read again (:meth:`rows`)."""
        return combine(sources, self.rows, origin=origin)

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


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except OSError:
        return None


def read_options(source: Any) -> ReadOptions:
    """The reading options of a ``metrics:`` entry (a path alone has none)."""
    return ReadOptions(
        profile=getattr(source, "profile", None),
        encoding=getattr(source, "encoding", None),
        decimal=getattr(source, "decimal", None),
        sheet=getattr(source, "sheet", None),
        date_format=getattr(source, "date_format", None),
    )


__all__ += ["read_options"]
