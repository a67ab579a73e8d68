"""The engine's entry point: pages and data of one site, loaded, validated and evaluated.

``Project`` is what the MkDocs adapter and the CLI drive. It takes explicit
settings (paths, language, as-of date, tolerances), never the clock or the working
directory, so the same inputs always give the same results.
"""

from __future__ import annotations

import gc
import hashlib
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .columns import DATE, UTM_DIMS
from .data import DataStore, Source
from .diagnostics import Diagnostic, Severity
from .fields import meta_problems
from .frontmatter import FrontMatter, format_path, read_front_matter
from .i18n import value_labels_in
from .messages import msg
from .metrics.evaluation import PlanView, evaluate_plan
from .metrics.kpis import KpiRegistry, MetricFrame, PacingConfig
from .metrics.plan_scope import outside_period, overflowing_sums, plan_needs, shortcode_dims
from .model import Persona, Plan, check_plan, validate
from .review import ReviewConfig, RuleSet, RulesetCache, load_ruleset
from .sharing import Shared
from .sources import memory as _memory
from .sources.currency import in_plan_currency
from .sources.warehouse import Connection

DEFAULT_SECTIONS: tuple[str, ...] = (
    "kpi_table",
    "plan_quality",
    "channel_table",
    "budget_table",
    "phases",
    "cadence_table",
    "content_calendar",
    "personas",
    "team",
    "risks",
    "review_checklist",
    "reports",
)


@dataclass(frozen=True)
class Settings:
    """Everything the engine needs to know about a site."""

    root: Path
    docs_dir: Path
    data_dir: str = "data"
    language: str = "en"
    columns: Mapping[str, str] = field(default_factory=dict)
    encoding: str | None = None
    profiles_dir: Path | None = None
    max_file_mb: float = 512  # larger metric files are refused (DataStore.max_file_mb)
    as_of: date | None = None
    pacing: PacingConfig = field(default_factory=PacingConfig)
    budget_tolerance: float = 0.10
    sections: tuple[str, ...] = DEFAULT_SECTIONS
    auto_append: bool = True
    channel_dimension: str = "channel"
    value_labels: Mapping[str, str | Mapping[str, str]] = field(default_factory=dict)
    value_colors: Mapping[str, int | str] = field(default_factory=dict)  # chart colour per value
    review: ReviewConfig = field(default_factory=ReviewConfig)
    review_enabled: bool = True
    today: date | None = None  # the date waivers expire against (the adapter passes it)
    # Database sources: named connections, `check --offline`, the query cache folder,
    # and the adapter's clock (when a result was fetched; the engine never reads one).
    connections: Mapping[str, Connection] = field(default_factory=dict)
    offline: bool = False
    cache_dir: Path | None = None
    clock: Callable[[], datetime] | None = field(default=None, compare=False)
    lint: bool = True  # plan quality (SMART lint)
    lint_rules: Mapping[str, str] = field(default_factory=dict)  # rule id -> off/info/...


@dataclass
class Page:
    """One Markdown page: its front matter and, when it has them, its plan or persona."""

    src_uri: str  # relative to docs_dir, posix
    file: str  # relative to the project root, posix (what diagnostics name)
    digest: str
    front: FrontMatter
    plan: Plan | None = None
    persona: Persona | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    dims: tuple[str, ...] = ()  # dimensions its shortcodes split by (`by="channel"`)

    @property
    def title(self) -> str | None:
        title = self.front.data.get("title")
        if isinstance(title, str):
            return title
        if self.plan and self.plan.title:
            return self.plan.title
        return None


class Project:
    """Pages and data of one site. Keeps caches across rebuilds (``mkdocs serve``)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store = _store(settings)
        self._pages: dict[str, Page] = {}
        # Daily cubes by (content keys of their sources, dimensions kept). Entries whose
        # files have changed are evicted as soon as the new content is read.
        self._frames: dict[tuple, MetricFrame] = {}
        self._dims: tuple[str, ...] | None = None  # this build's cube dimensions
        self._seen: set[str] = set()  # pages read this build
        # page -> (its text's length and hash(), its Page) as read this build: MkDocs
        # hands a page's text to on_files, to the source reader and to on_page_markdown;
        # it is hashed with SHA-256 and parsed once. Not the text itself: every page's
        # text held from on_files to its Markdown was ~5 MB under the cube's reading on
        # 1,000 plans (issue 12); str's hash is keyed per process, so no text is made
        # to collide with another.
        self._read: dict[str, tuple[int, int, Page]] = {}
        self._dirs: dict[Path, Path] = {}  # folders resolved this build (relpath)
        self._outside: dict[tuple, list[np.ndarray]] = {}  # outside_period's rows per file
        self._problems: dict[str, list[Diagnostic]] = {}  # page -> its files' problems
        # cube key -> the UTM dimensions' distinct values in its rows (utm_values)
        self._utm: dict[tuple, dict[str, list[str]]] = {}
        self.use_cube = True  # False: evaluate on the source rows (the tests' reference)
        self.evaluations = 0  # plans evaluated (not served from an earlier build)
        self._views: dict[str, PlanView] = {}
        # Views of earlier builds, reused while page, data and personas are unchanged (the
        # view holds its MetricFrame, so the id in the key cannot be reused meanwhile).
        self._kept: dict[str, tuple[str, int, tuple, PlanView]] = {}
        self.personas: dict[str, Page] = {}
        self.plans: dict[str, Page] = {}
        self.broken_plans: dict[str, Page] = {}  # plan pages whose front matter has errors
        self.published: dict[str, Page] = {}  # copy pages with `publish:`, by src_uri
        self.memo: dict[tuple, object] = {}  # per-build results other modules keep here
        self.evicted = 0  # cubes dropped this build (their files changed)
        self._ruleset: tuple[RuleSet, list[Diagnostic]] | None = None
        self.packs = RulesetCache()  # the compiled packs, kept while their files are unchanged
        # what the pages read in a build write alike, made one object (issue 12)
        self.shared = Shared()

    # ------------------------------------------------------------------ build cycle

    def begin_build(self, settings: Settings | None = None) -> None:
        """Start a new build: forget per-build results, keep parsed pages and data."""
        if settings is not None and settings != self.settings:
            same_data = (
                settings.root,
                settings.data_dir,
                dict(settings.columns),
                settings.encoding,
                settings.profiles_dir,
                dict(settings.connections),
                settings.offline,
                settings.cache_dir,
                settings.max_file_mb,
            ) == (
                self.settings.root,
                self.settings.data_dir,
                dict(self.settings.columns),
                self.settings.encoding,
                self.settings.profiles_dir,
                dict(self.settings.connections),
                self.settings.offline,
                self.settings.cache_dir,
                self.settings.max_file_mb,
            )
            self.settings = settings
            self._kept.clear()
            if not same_data:
                self.store = _store(settings)
                self._frames.clear()
                self._outside.clear()
        if self.settings.profiles_dir is not None and self.store.profiles_changed():
            self.store = _store(self.settings)
            self._frames.clear()
            self._outside.clear()
        self.store.begin_build()
        self.evicted = 0
        self._ruleset = None
        self._dims = None
        self._seen.clear()
        self._read.clear()
        self._dirs.clear()
        self._views.clear()
        self._problems.clear()
        self.memo.clear()
        self.shared.clear()
        self.personas.clear()
        self.plans.clear()
        self.broken_plans.clear()
        self.published.clear()

    # ------------------------------------------------------------------ pages

    def relpath(self, path: Path) -> str:
        try:
            real = self._resolved(path)
            return real.relative_to(self._resolved_dir(self.settings.root)).as_posix()
        except ValueError:
            return path.as_posix()

    def _resolved_dir(self, folder: Path) -> Path:
        """``folder.resolve()``, once per folder and build (begin_build forgets)."""
        real = self._dirs.get(folder)
        if real is None:
            real = self._dirs[folder] = folder.resolve()
        return real

    def _resolved(self, path: Path) -> Path:
        """``path.resolve()`` from its folder's, kept for the build: the page files of a
        folder need one look each (is it a link?), not one per folder up to the root
        (~50 us a page where the docs folder is a link; issue 12)."""
        if path.name in ("", ".", ".."):
            return path.resolve()
        real = self._resolved_dir(path.parent) / path.name
        return real.resolve() if real.is_symlink() else real

    def read_page(self, src_uri: str, text: str) -> Page:
        """Parse and validate a page (cached by content)."""
        read = self._read.get(src_uri)
        if read is not None and read[0] == len(text) and read[1] == hash(text):
            return read[2]  # read this build already, from the same text
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        cached = self._pages.get(src_uri)
        if cached is not None and cached.digest == digest and not cached.front.released:
            page = cached
        else:
            file = self.relpath(self.settings.docs_dir / src_uri)
            front = self.shared.front_matter(text, file)
            page = Page(src_uri, file, digest, front, diagnostics=list(front.diagnostics))
            page.diagnostics.extend(meta_problems(front, file))
            page.dims = shortcode_dims(text)
            data = front.data
            if "plan" in data:
                plan, diags = validate(
                    Plan, data["plan"], file=file, locations=front.locations, prefix=("plan",)
                )
                page.diagnostics.extend(diags)
                if plan is not None:
                    page.diagnostics.extend(check_plan(plan, file=file, locations=front.locations))
                    self.shared.model(plan)
                    page.plan = plan
                    # its files load while the other pages are read (sources/ahead.py)
                    self.store.read_ahead(plan.metrics)
            if "persona" in data:
                persona, diags = validate(
                    Persona,
                    data["persona"],
                    file=file,
                    locations=front.locations,
                    prefix=("persona",),
                )
                page.diagnostics.extend(diags)
                if persona is not None:
                    self.shared.model(persona)
                page.persona = persona
            self._pages[src_uri] = page
        self._seen.add(src_uri)
        if page.persona is not None:
            self.personas.setdefault(page.persona.id, page)
        if "publish" in page.front.data:
            self.published[page.src_uri] = page
        if page.plan is not None:
            self.plans.setdefault(page.plan.id, page)
        elif isinstance(page.front.data.get("plan"), dict):
            self.broken_plans.setdefault(str(page.front.data["plan"].get("id")), page)
        self._read[src_uri] = (len(text), hash(text), page)
        return page

    def release_page(self, src_uri: str) -> None:
        """`mkdocs build`, once a page's Markdown is rendered: let go of its text, body and
        front-matter line map (issue 12: ~40 KB per plan page, held until the end of the
        Markdown phase), its plan's mapping in the front matter and its
        :data:`PAGE_MEMOS`. The plan model, its evaluation and diagnostics stay: index
        pages, reports and on_post_build read them. A line a later page asks for is read
        from the file again (the same line while the file is unchanged)."""
        page = self._pages.get(src_uri)
        if page is None:
            return
        self._read.pop(src_uri, None)  # a later read parses the page again
        docs_dir, digest = self.settings.docs_dir, page.digest

        def reload() -> dict[tuple, int] | None:
            try:
                text = (docs_dir / src_uri).read_text(encoding="utf-8-sig")
            except (OSError, ValueError):
                return None
            if hashlib.sha256(text.encode("utf-8")).hexdigest() != digest:
                return None
            return read_front_matter(text, page.file).locations.lines

        page.front.release(reload)
        if page.plan is not None and "plan" in page.front.data:
            # The plan's mapping: only the page's own rendering reads it (its review, its
            # shortcodes' checks); later readers have the model. page.meta has its copy.
            page.front.data = {k: v for k, v in page.front.data.items() if k != "plan"}
        for kind in PAGE_MEMOS:
            self.memo.pop((kind, src_uri, digest), None)
        # The page's evaluation serves the rest of this build, not the next one: a plain
        # build lets go of what only the page read (its notes, ``Prepared.logged``)
        self._kept.pop(src_uri, None)

    def plans_by_uri(self) -> dict[str, Page]:
        """Plan pages by their ``src_uri``."""
        return {p.src_uri: p for p in self.plans.values()}

    def scan(self) -> list[Page]:
        """Read every Markdown page under ``docs_dir`` (for the CLI and for personas)."""
        pages = []
        for path in sorted(self.settings.docs_dir.rglob("*.md")):
            src_uri = path.relative_to(self.settings.docs_dir).as_posix()
            pages.append(self.read_page(src_uri, path.read_text(encoding="utf-8-sig")))
        return pages

    # ------------------------------------------------------------------ evaluation

    def site_dims(self) -> tuple[str, ...]:
        """The dimensions the site's cubes keep (fixed for a build): every dimension a
        plan reads (:func:`plan_needs`) and every ``by=`` of a shortcode on a page read
        this build. Anything else asked for gets a wider cube
        (:meth:`MetricFrame.covering`), so a missed name costs time, never a wrong figure."""
        if self._dims is None:
            dims: set[str] = set()
            channel = self.settings.channel_dimension
            for page in self.plans.values():
                assert page.plan is not None
                dims.update(plan_needs(page.plan, channel).dimensions)
            for uri in self._seen:
                page = self._pages.get(uri)
                if page is not None:
                    dims.update(page.dims)
            dims.add(channel)
            self._dims = tuple(sorted(dims))
        return self._dims

    def frame_for(self, page: Page) -> tuple[MetricFrame, list[Diagnostic]]:
        """The plan's daily cube (shared by plans with the same sources)."""
        plan = page.plan
        assert plan is not None
        sources, diags = self.store.gather(
            plan.metrics,
            file=page.file,
            locations=page.front.locations,
            needs=plan_needs(plan, self.settings.channel_dimension),
        )
        # A file in another currency than the plan's: its money is left out, an error says so.
        sources = in_plan_currency(
            self.store, sources, plan, page.file, page.front.locations, diags
        )
        self._problems[page.src_uri] = [
            d for src in sources for d in src.table.diagnostics if d.severity is not Severity.INFO
        ]
        srckey = tuple(src.key for src in sources)
        dims = self.site_dims() if self.use_cube else None
        key = (srckey, dims)
        if key not in self._frames:
            self._evict(sources, key)
            store = self.store

            def rows(sources: Sequence[Source] = tuple(sources)) -> pd.DataFrame:
                # The source rows again (the store keeps each file's table); the cube
                # does not hold on to the combined frame.
                return _categorical(store.combine(sources, origin=True))

            combined = rows()
            self._note_utm_values(key, combined)
            # What reading the files freed goes back before the aggregation allocates
            # (it would stack on top of it otherwise: the build's peak, issue 12) ...
            _memory.release_memory()
            self._frames[key] = MetricFrame(combined, dims, source=rows, cube=self.use_cube)
            del combined
            _memory.release_memory()  # ... and the aggregation's own freed memory
        scope: dict[str, Any] = {"file": page.file, "memo": self._outside, "rows": self.store.rows}
        diags.extend(outside_period(sources, plan, **scope))
        diags.extend(overflowing_sums(sources, locations=page.front.locations, **scope))
        return self._frames[key], diags

    def cubes_first(self) -> int:
        """`mkdocs build` and the first build of `mkdocs serve`, before the plans are
        evaluated: every plan's cube (and its rows outside the plan's period) is made,
        then the large tables let go of their rows (:meth:`release_rows`), so that the
        evaluations are not made on top of the raw rows (issue 12: 1,000 plans' views,
        ~30 MB, on top of a million rows' 51 MB were the build's peak). A plan whose
        cube cannot be made is left to :meth:`evaluate`, which says why on its page.
        How many tables let go of their rows."""
        self.shared.forget_text()  # as evaluate does: the pages are read
        for page in list(self.plans.values()):
            if page.src_uri in self._views:
                continue
            try:
                self.frame_for(page)
            except Exception:  # evaluate reports it on the plan's page
                continue
        return self.release_rows()

    def release_rows(self) -> int:
        """Once every plan's cube is built (:meth:`cubes_first`, before the plans are
        evaluated): the wider cubes the pages are known to ask for are built
        while the rows are at hand, then the store lets go of the rows of its large
        tables (:data:`RELEASE_ROWS`; issue 12: 51 MB for a million rows, held to the
        end of the build for nothing). A cube asked for later reads its file again
        (:meth:`DataStore.rows`): slower, never a different figure. How many tables
        let go of their rows."""
        if not self.use_cube:
            return 0  # the rows are the frames themselves
        released = self.store.release_rows(RELEASE_ROWS)
        if released:
            _memory.release_memory()
        return len(released)

    def _note_utm_values(self, key: tuple, rows: pd.DataFrame) -> None:
        """The UTM review's taxonomy (analysis.views.utm_taxonomy) reads every cube's
        channel, source and campaign values: taken from the rows while they are read (the
        dimension columns are categoricals), where a cube of the rows by those dimensions
        was built for it (a second aggregation of every row; issue 12)."""
        from .views.analysis.views import distinct_text

        utm = self.settings.review.utm
        for old in [k for k in self._utm if k not in self._frames]:
            del self._utm[old]  # cubes evicted since
        if utm is None or not utm.enabled or not rows.columns.is_unique:
            return
        present = [d for d in UTM_DIMS if d in rows.columns]
        if any(pd.api.types.is_numeric_dtype(rows[d]) for d in present):
            return  # a measure by that name: the cube's sums answer (utm_values: None)
        self._utm[key] = {d: distinct_text(rows[d]) for d in present}

    def utm_values(self, frame: MetricFrame) -> dict[str, list[str]] | None:
        """The UTM dimensions' distinct values in the rows of ``frame`` (one of this
        project's cubes), as text; ``None`` when they were not noted (the caller reads
        them from a cube)."""
        for key, known in self._frames.items():
            if known is frame:
                return self._utm.get(key)
        return None

    def _evict(self, sources: Sequence[Source], key: tuple) -> None:
        """Forget cubes made from an earlier content of any of ``sources`` or with other
        dimensions of the same sources, and the kept views that read them (a CSV edit in
        ``mkdocs serve`` must not leave the old frames resident)."""
        current = {src.table.path: src.table.digest for src in sources}
        before = len(self._frames)
        for old in list(self._outside):
            if old[0] in current and old[1] != current[old[0]]:
                del self._outside[old]
        for old in list(self._frames):
            stale = any(path in current and digest != current[path] for path, digest, *_ in old[0])
            if stale or (old[0] == key[0] and old[1] != key[1]):
                del self._frames[old]
        live = {id(f) for f in self._frames.values()}
        for uri, kept in list(self._kept.items()):
            if kept[1] not in live:
                del self._kept[uri]
        # The adapter collects once the pages it keeps let go of the old cubes too
        # (release_memory): a collection here would find them still referenced.
        self.evicted += before - len(self._frames)

    def evaluate(self, page: Page) -> PlanView | None:
        """Evaluate a plan page once per build. An unexpected error in one plan becomes a
        diagnostic on that plan's page; the other plans build."""
        if page.plan is None:
            return None
        if page.src_uri in self._views:
            return self._views[page.src_uri]
        # The pages are read (the plans' cubes need them all): the strings' index goes,
        # the strings stay shared
        self.shared.forget_text()
        try:
            return self._evaluate(page)
        except Exception as e:  # one plan must never take the site down
            frame = traceback.extract_tb(e.__traceback__)[-1]
            where = f"{Path(frame.filename).name}:{frame.lineno}"
            diag = Diagnostic(
                page.file,
                page.front.locations.line(("plan",)),
                "plan",
                "plan/internal-error",
                Severity.ERROR,
                msg("plan/internal-error", kind=type(e).__name__, error=str(e)[:200], where=where),
            )
            plan = page.plan
            view = PlanView(
                page,
                plan,
                MetricFrame(pd.DataFrame()),
                KpiRegistry(plan.kpis, ()),
                None,
                [],
                None,
                None,
                [],
                [diag],
                value_labels_in(
                    self.settings.value_labels, plan.language or self.settings.language
                ),
                value_colors=self.settings.value_colors,
            )
            self._views[page.src_uri] = view
            return view

    def sweep(self) -> int:
        """`mkdocs serve`, once a build is over: forget what it did not use, which no
        edit-time eviction sees: the pages removed, the views of plans removed (or whose
        page changed), the cubes only they read, and the tables of data files removed or
        no longer read. Returns how many cubes and tables were dropped."""
        for uri in [uri for uri in self._pages if uri not in self._seen]:
            del self._pages[uri]
        for uri, kept in list(self._kept.items()):
            if self._views.get(uri) is not kept[3]:
                del self._kept[uri]
        live = {id(view.data) for view in self._views.values()}
        unused = [key for key, frame in self._frames.items() if id(frame) not in live]
        for key in unused:
            del self._frames[key]
        dropped = len(unused) + self.store.drop_unused()
        files = {(t.path, t.digest) for t in self.store.used_tables()}
        for key in [key for key in self._outside if key[:2] not in files]:
            del self._outside[key]
        return dropped

    def current_view(self, src_uri: str) -> PlanView | None:
        """The evaluation of a plan page made (or reused) this build, if any."""
        return self._views.get(src_uri)

    def _evaluate(self, page: Page) -> PlanView:
        assert page.plan is not None
        data, diags = self.frame_for(page)
        persona_key = tuple(sorted((pid, p.digest) for pid, p in self.personas.items()))
        kept = self._kept.get(page.src_uri)
        if kept is not None and kept[:3] == (page.digest, id(data), persona_key):
            # `mkdocs serve` rebuild: page, data and persona pages unchanged since last build.
            self._views[page.src_uri] = kept[3]
            return kept[3]
        self.evaluations += 1
        view = evaluate_plan(page, data, diags, self.settings, self.personas)
        view.data_problems = self._problems.pop(page.src_uri, [])
        self._views[page.src_uri] = view
        self._kept[page.src_uri] = (page.digest, id(data), persona_key, view)
        return view

    def ruleset(self) -> tuple[RuleSet, list[Diagnostic]]:
        """The review rule packs and their diagnostics: read once per build, compiled again
        only when a pack's content changed."""
        if self._ruleset is None:
            self._ruleset = load_ruleset(self.settings.review, self.packs)
        return self._ruleset

    def data_diagnostics(self) -> list[Diagnostic]:
        """Diagnostics of the data files used in this build, each reported once."""
        out: list[Diagnostic] = self.store.profile_diagnostics()
        for table in self.store.used_tables():
            out.extend(table.diagnostics)
        return out


# Per-page results in ``Project.memo`` (keyed ``(kind, src_uri, digest)``) that only the
# page itself reads in a build: its plan's content items (planning.views.plan_items, ~21 KB
# per plan on the bench site). `mkdocs build` lets go of them with the page's text
# (``release_page``); a later page asking for them (a portfolio after the plans) makes them
# again, the same.
PAGE_MEMOS = ("content-items",)

# A metric file with this many rows lets go of them once the build's cubes are built
# (Project.release_rows); smaller ones stay (a re-read would cost more than they weigh).
RELEASE_ROWS = 100_000


def release_memory(*, collect: bool = True) -> None:
    """Free what an edit left behind: collect reference cycles (pandas objects hold
    them, so old tables would wait for the collector), then hand the freed heap back to
    the system (``sources.memory.release_memory``: glibc's ``malloc_trim`` and Arrow's
    pool). glibc keeps freed memory in its arenas otherwise, and a long `mkdocs serve`
    grows by the size of the old tables at every data edit. Elsewhere (musl, macOS,
    Windows) only the collection and Arrow's pool run. ``collect=False`` when the old
    tables were collected already this build (a full collection walks the whole heap
    of a serving process: about 0.25 s on the 200-plan bench site)."""
    if collect:
        gc.collect()
    _memory.release_memory()


def _store(settings: Settings) -> DataStore:
    return DataStore(
        settings.root,
        data_dir=settings.data_dir,
        aliases=dict(settings.columns),
        encoding=settings.encoding,
        profiles_dir=settings.profiles_dir,
        max_file_mb=settings.max_file_mb,
        connections=settings.connections,
        offline=settings.offline,
        clock=settings.clock,
        cache_dir=settings.cache_dir,
    )


def duplicate_ids(pages: list[Page]) -> list[Diagnostic]:
    """Plan and persona ids used by more than one page: an error on every page after the
    first (a portfolio or a persona reference would silently take the first)."""
    diags: list[Diagnostic] = []
    for kind in ("plan", "persona"):
        first: dict[str, Page] = {}
        for page in sorted(pages, key=lambda p: p.src_uri):
            item = page.plan if kind == "plan" else page.persona
            if item is None:
                continue
            if item.id not in first:
                first[item.id] = page
                continue
            path = (kind, "id")
            diags.append(
                Diagnostic(
                    page.file,
                    page.front.locations.line(path),
                    format_path(path),
                    f"{kind}/duplicate-id",
                    Severity.ERROR,
                    msg(
                        "duplicate-id",
                        kind=msg(f"kind.{kind}"),
                        id=item.id,
                        first=first[item.id].file,
                    ),
                )
            )
    return diags


def _categorical(frame: pd.DataFrame) -> pd.DataFrame:
    """Dimension columns as categoricals: filters and group-bys get much faster."""
    if frame.empty:
        return frame
    out = frame.copy(deep=False)
    for col in out.columns:
        if col != DATE and not pd.api.types.is_numeric_dtype(out[col]):
            out[col] = out[col].astype("category")
    return out
