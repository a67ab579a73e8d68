"""Chart markup that knows its pieces, for a page's sections kept until it is written.

`mkdocs build` keeps every page's sections compressed from its Markdown to its finished
page (``pages.Prepared.pack``). A chart's JSON and markup are written once per chart and
kept on it (:class:`.common.Chart` ``payloads``); a chart several pages show (plans
written alike, a goal every plan tracks) was compressed again for each of them (~80 kB
of charts per plan page on a site with every chart). :class:`Pieces` is the page's chart
markup as text, plus its pieces: those of a chart shown on another page already are
kept by reference, the rest (the page's ids and wrappers, a chart only it shows) is
compressed as before. No figure code is imported here.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable

SMALL = 512  # shorter runs of a page's own text stay text (compressing them saves nothing)

Packed = tuple[str | bytes, ...]


class Pieces(str):
    """Markup (the text itself) and its pieces, each with whether it is shared."""

    pieces: tuple[tuple[str, bool], ...]

    def __new__(cls, pieces: Iterable[tuple[str, bool]]) -> Pieces:
        kept = tuple(pieces)
        self = super().__new__(cls, "".join(text for text, _ in kept))
        self.pieces = kept
        return self

    def __reduce__(self) -> tuple[type[Pieces], tuple[tuple[tuple[str, bool], ...]]]:
        # pickle (the page worker's results) would rebuild a str subclass from its text
        return (Pieces, (self.pieces,))

    def packed(self) -> Packed:
        """Shared pieces as they are, the runs of other text between them compressed
        (level 1, as the page's other sections) when longer than :data:`SMALL`."""
        out: list[str | bytes] = []
        run: list[str] = []
        for text, shared in self.pieces:
            if not shared:
                run.append(text)
                continue
            if run:
                out.append(_squeezed("".join(run)))
                run = []
            out.append(text)
        if run:
            out.append(_squeezed("".join(run)))
        return tuple(out)


def _squeezed(text: str) -> str | bytes:
    return zlib.compress(text.encode("utf-8"), 1) if len(text) > SMALL else text


def unpacked(packed: bytes | Packed) -> str:
    """The text of a packed section: zlib'd bytes, or the pieces of :meth:`Pieces.packed`."""
    if isinstance(packed, bytes):
        return zlib.decompress(packed).decode("utf-8")
    return "".join(p if isinstance(p, str) else zlib.decompress(p).decode("utf-8") for p in packed)
