"""A page's rendered parts as the build holds them between Markdown and the finished page
(:class:`Prepared`: the sections waiting in slots, the head, diagnostics, what the page
uses), and how the sections are kept packed until the page is written: zlib, against a
preset dictionary per kind of section (:class:`Deflated`), or by reference for charts.
:mod:`.pages` makes a :class:`Prepared`; :mod:`.placing` puts its sections in the page."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic, Severity
from .charts.pieces import Packed, Pieces, unpacked

if TYPE_CHECKING:
    from ..metrics.evaluation import PlanView
    from ..review import PageReview

WINDOW = 32768  # zlib's window: what a preset dictionary can be referred back to
MIN_DICTIONARY = 256  # a shorter first section is no dictionary for its kind


@dataclass(frozen=True, slots=True)
class Deflated:
    """A section compressed with zlib against a preset dictionary (the first section of
    its kind in the build, shared: see :meth:`Prepared.pack`)."""

    data: bytes
    zdict: bytes

    @classmethod
    def of(cls, data: bytes, zdict: bytes) -> Deflated:
        deflate = zlib.compressobj(1, zdict=zdict)
        return cls(deflate.compress(data) + deflate.flush(), zdict)

    def __len__(self) -> int:
        return len(self.data)

    def text(self) -> str:
        inflate = zlib.decompressobj(zdict=self.zdict)
        return (inflate.decompress(self.data) + inflate.flush()).decode("utf-8")


@dataclass
class Prepared:
    """A page ready for Markdown: tokens in the text, HTML waiting in ``slots``."""

    markdown: str
    slots: dict[str, str] = field(default_factory=dict)
    head: str = ""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    view: PlanView | None = None
    review: PageReview | None = None
    charts: int = 0  # how many charts the page has (it then needs plotly.js)
    exports: dict[str, str] = field(default_factory=dict)  # file name -> CSV, beside the page
    kinds: dict[str, str] = field(default_factory=dict)  # token -> shortcode name
    # `mkdocs serve`: the other plans (ids) this page shows, and whether it lists the
    # whole site (portfolio, calendars): what decides that an unchanged page renders again
    uses: set[str] = field(default_factory=set)
    lists_site: bool = False
    lists_copy: bool = False  # calendars, cadences: the copy pages' `publish:` entries
    search: dict[str, str] = field(default_factory=dict)  # token -> what search parses
    # token -> what a planning section was rendered from (`mkdocs serve`: a data edit
    # reuses the section's HTML while these are the same, see ``previous`` of prepare)
    inputs: dict[str, tuple] = field(default_factory=dict)
    packed: dict[str, bytes | Packed | Deflated] = field(default_factory=dict)  # packed HTML
    # From a page worker: the page's diagnostics in their order, its notes (``INFO``)
    # worded there, as the lines the build logs (page_workers.py); ``None``: log
    # ``diagnostics``
    said: list[Diagnostic | str] | None = None

    @property
    def shown(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is not Severity.INFO]

    def pack(self, dictionaries: dict[str, bytes] | None = None, *, placed: bool = True) -> None:
        """`mkdocs build`: keep the sections that wait for the finished page
        (:func:`.placing.fill_late`) compressed. MkDocs renders every page's Markdown before it
        writes the first page, so a 1,000-plan site held every page's tables at once
        (~165 MB of text; ~25 MB packed, for ~1 s of zlib). What the planning sections
        were drawn from (``inputs``, for the next build of `mkdocs serve`) goes now: a
        calendar's held every post of the plan, ~9 MB on 1,000 plans.

        ``dictionaries`` (the build's, by shortcode name): a section is compressed
        against the first section of its kind the build packed (:class:`Deflated`),
        which that one becomes; plans' tables differ in their figures, not their markup
        (1,000 plans: ~15 MB packed alone, ~5 MB so).

        ``placed``: the searchable sections' words are in the page's HTML already (the
        build's on_page_content packs after ``fill(late=True)``), so they go too; the
        build packs a page's sections before it has placed them when it takes them long
        before the page is written (the review index, page_workers.py)."""
        for token, fragment in self.slots.items():
            if isinstance(fragment, Pieces):
                # charts other pages show: by reference (charts/pieces.py)
                self.packed[token] = fragment.packed()
                continue
            data = fragment.encode("utf-8")
            kind = self.kinds.get(token, "")
            zdict = dictionaries.get(kind) if dictionaries is not None else None
            if zdict is not None:
                self.packed[token] = Deflated.of(data, zdict)
                continue
            if dictionaries is not None and len(data) >= MIN_DICTIONARY:
                dictionaries[kind] = data[-WINDOW:]
            self.packed[token] = zlib.compress(data, 1)
        self.slots = {}
        self.inputs = {}
        if placed:  # fill_late finds their closing marks in the page
            self.search = {}

    def logged(self) -> None:
        """`mkdocs build`, once the page's diagnostics are logged: its notes (``INFO``;
        ~20 plan-quality findings per plan page, each with its worded message) go, from
        the page and from its plan's evaluation (only the plan's own page shows its
        findings, and it is rendered). Errors and warnings stay: on_post_build and the
        review index read them, and MkDocs' strict mode counted them already."""
        self.diagnostics = [d for d in self.diagnostics if d.severity is not Severity.INFO]
        if self.view is not None and self.view.quality:
            self.view.quality = [d for d in self.view.quality if d.severity is not Severity.INFO]

    def late(self) -> Iterator[tuple[str, str]]:
        """(token, HTML) of every section, packed or not."""
        yield from self.slots.items()
        for token, packed in self.packed.items():
            yield token, packed_text(packed)

    def release(self) -> None:
        """Let go of the page's HTML once it is in the finished page (``fill_late``):
        sections, what search parsed, the Markdown and the head, and which shortcode
        each section was (its token and name: ~2 KB a plan page). Diagnostics, review,
        chart count and what the page uses stay."""
        self.kinds = {}
        self.slots = {}
        self.packed = {}
        self.search = {}
        self.inputs = {}
        self.markdown = ""
        self.head = ""


def packed_text(packed: bytes | Packed | Deflated) -> str:
    """The text of a packed section, however it was packed."""
    return packed.text() if isinstance(packed, Deflated) else unpacked(packed)
