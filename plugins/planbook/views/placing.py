"""Where a page's rendered sections go into its HTML, and what search reads of them.

After Markdown has run, :func:`fill` puts each section where its token ended up
(``late``: the searchable sections as their words only, the others as placeholders), and
:func:`fill_late` puts the sections into the finished page, after the search plugin has
read it. A page whose sections a worker renders meanwhile gets :func:`fill_outline` at
first and :func:`place_words` once they are at hand (page_workers.py, issue 12).
"""

from __future__ import annotations

import re

from .pages import REVIEW, Outline
from .prepared import Prepared, packed_text

# Sections whose words readers search for; the rest (numbers, charts) stay out of the
# search index, which saves Material's search plugin from parsing them on every page.
# The goals table is here for its goals' statements: its figures, headings and captions
# are marked data-search-exclude, so its words are the statements and the line under each.
SEARCHABLE = frozenset({"personas", "phases", "team", "risks", "kpi_table", REVIEW})
HEAD_MARK = "<!--PBHEAD-->"
# What the search index is given for a searchable section: its words in one paragraph.
# Material's search parses every page's HTML in Python; the words of a table cost it as
# much as the table, so it parses these instead and the page gets the HTML afterwards.
_TAG = re.compile(r"<!--.*?-->|<(/?)([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*>", re.S)
_INLINE = frozenset(
    [
        "a",
        "abbr",
        "b",
        "bdi",
        "cite",
        "code",
        "data",
        "dfn",
        "em",
        "i",
        "kbd",
        "label",
        "mark",
        "q",
        "s",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "time",
        "u",
        "var",
    ]
)
_NOT_TEXT = re.compile(r"<(script|style|textarea)\b|<h[1-6]\b[^>]*\bid=", re.I)


def search_text(fragment: str) -> str:
    """A section's words as one paragraph of (still escaped) HTML text: a word split by
    inline markup stays one word, table cells and list items become separate words.
    A fragment with scripts or headings that start a search section is returned as is."""
    if _NOT_TEXT.search(fragment):
        return fragment
    # The text between tags, and each tag's name (None: a comment), from one split: an
    # inline tag joins its neighbours, any other tag or comment parts them (issue 12: a
    # Python callback per tag, re.sub's, cost ~3x this on the sections' many tags).
    parts = _TAG.split(_drop_excluded(fragment))
    inline = _INLINE
    parts[1::3] = [  # into the `/` group's slots
        "" if name in inline or (name is not None and name.lower() in inline) else " "
        for name in parts[2::3]
    ]
    del parts[2::3]
    text = " ".join("".join(parts).split())
    return f"<p>{text}</p>" if text else ""


_EXCLUDE = re.compile(r"\sdata-search-exclude\b")
_VOID = frozenset(["area", "br", "col", "embed", "hr", "img", "input", "source", "track", "wbr"])


def _drop_excluded(fragment: str) -> str:
    """``fragment`` without the elements marked ``data-search-exclude`` (a phase goal's
    figures and status): Material skips them in the page's HTML, and the words given to
    search in their place must skip them too."""
    if "data-search-exclude" not in fragment:
        return fragment
    out: list[str] = []
    pos = 0
    skipping: str | None = None
    depth = 0
    for m in _TAG.finditer(fragment):
        name = (m.group(2) or "").lower()
        if not name:
            continue  # a comment
        closing = bool(m.group(1))
        if skipping is None:
            if not closing and name not in _VOID and _EXCLUDE.search(m.group(0)):
                out.append(fragment[pos : m.start()])
                skipping, depth = name, 1
        elif name == skipping:
            depth += -1 if closing else 1
            if depth == 0:
                skipping = None
                pos = m.end()
    if skipping is None:
        out.append(fragment[pos:])
    return "".join(out)


def _searchable(prepared: Prepared, token: str) -> str:
    """``<!--token-->words<!--/token-->``, made once per prepared page."""
    if token not in prepared.search:
        fragment = prepared.slots.get(token)
        words = search_text(packed_text(prepared.packed[token]) if fragment is None else fragment)
        prepared.search[token] = f"<!--{token}-->{words}<!--/{token}-->"
    return prepared.search[token]


def fill(
    html: str, prepared: Prepared, *, late: bool = False, searchable: frozenset[str] = SEARCHABLE
) -> str:
    """Put the rendered sections where their tokens ended up in the page's HTML.

    With ``late``, searchable sections go in as their words only and the others as HTML
    comments; :func:`fill_late` puts the sections in the finished page (after search has
    indexed it).
    """
    # late: the sections may be packed already (pages.Prepared.pack)
    for token in [*prepared.slots, *prepared.packed] if late else prepared.slots:
        if late:
            searched = prepared.kinds.get(token) in searchable
            fragment = _searchable(prepared, token) if searched else f"<!--{token}-->"
        else:
            fragment = prepared.slots[token]
        html = _put(html, token, fragment)
    head = HEAD_MARK if late and prepared.head else prepared.head
    return _after_title(html, head) if head else html


def _put(html: str, token: str, fragment: str) -> str:
    """``fragment`` where ``token`` ended up: in place of the paragraph Markdown made of
    it (a shortcode alone on its line), else of the token itself."""
    wrapped = f"<p>{token}</p>"
    return html.replace(wrapped, fragment) if wrapped in html else html.replace(token, fragment)


def _after_title(html: str, head: str) -> str:
    """``head`` after the page's title (its first ``</h1>``), else at its start."""
    end = html.find("</h1>")
    if end >= 0:
        return html[: end + 5] + head + html[end + 5 :]
    return head + html


def fill_outline(html: str, shape: Outline) -> str:
    """``fill(late=True)`` for a page whose sections are not rendered yet (the page
    worker renders them; page_workers.py): every section's token becomes its placeholder, and
    the head's mark goes where the head would. Once the sections are at hand,
    :func:`place_words` makes the page what ``fill(late=True)`` would have made it."""
    for token in shape.kinds:
        html = _put(html, token, f"<!--{token}-->")
    return _after_title(html, HEAD_MARK)


def place_words(html: str, prepared: Prepared, *, searchable: frozenset[str] = SEARCHABLE) -> str:
    """A page :func:`fill_outline` filled, once its sections are rendered (before search
    reads it): the searchable sections' words follow their placeholders, and a page
    without a head loses the head's mark. What is left for :func:`fill_late` is then
    what ``fill(late=True)`` leaves."""
    for token in [*prepared.slots, *prepared.packed]:
        if prepared.kinds.get(token) in searchable:
            html = html.replace(f"<!--{token}-->", _searchable(prepared, token))
    if not prepared.head:
        html = html.replace(HEAD_MARK, "", 1)
    return html


def words_ahead(prepared: Prepared, *, searchable: frozenset[str] = SEARCHABLE) -> None:
    """`mkdocs build`'s page worker: what ``fill(late=True)`` puts in the page for the
    searchable sections (their words) is made now, so that the build parses none of
    its sections for search again (issue 12). The sections travel as they are: the
    build takes them just before it writes the page (it packed them too, for the few
    moments between, and unpacked them at once: ~0.1 s of zlib on the 200-plan bench
    site)."""
    for token in [*prepared.slots, *prepared.packed]:
        if prepared.kinds.get(token) in searchable:
            _searchable(prepared, token)


def fill_late(output: str, prepared: Prepared, *, searchable: frozenset[str] = SEARCHABLE) -> str:
    """The second half of ``fill(late=True)``: on the finished page, from its first
    placeholder on. The theme's navigation before it lists every page, and scanning it
    for every page made large sites quadratic (issue 12)."""
    start = output.find(_LATE_MARK)
    if start < 0:
        return output
    return output[:start] + _fill_slots(output[start:], prepared, searchable)


_LATE_MARK = "<!--PB"  # how every placeholder fill_late replaces starts (PBSLOT…, PBHEAD)


def _fill_slots(output: str, prepared: Prepared, searchable: frozenset[str]) -> str:
    """Each section where its placeholder first occurs in ``output`` (a searchable one in
    place of its words), and the head at its mark: one pass over the page, copied once
    (a finished page is ~170 KB; searching and copying it once per section cost ~0.4 ms
    per plan page, issue 12). A placeholder not found leaves its section out."""
    fragments = dict(prepared.late())
    if prepared.head:
        fragments[HEAD_MARK[4:-3]] = prepared.head
    parts: list[str] = []
    pos = 0
    for m in _PLACEHOLDER.finditer(output):
        token = m.group(1)
        if m.start() < pos or token not in fragments:
            continue  # inside what was replaced, not this page's, or done already
        end = m.end()
        if prepared.kinds.get(token) in searchable:
            # its words up to their closing mark (as fill wrote them, or as another plugin
            # changed them: Material drops data-search-* attributes)
            close = output.find(f"<!--/{token}-->", m.end())
            if close < 0:
                continue
            end = close + len(token) + 8
        parts.append(output[pos : m.start()])
        parts.append(fragments.pop(token))
        pos = end
    if not parts:
        return output
    parts.append(output[pos:])
    return "".join(parts)


# What fill leaves in a page for fill_late: <!--PBSLOT…--> per section, <!--PBHEAD-->.
_PLACEHOLDER = re.compile(r"<!--(PB[0-9A-Z]+)-->")
