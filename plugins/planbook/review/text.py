"""What in a page body is copy: masks that keep every offset, and line maps.

Masking replaces characters by spaces (newlines are kept), so an offset in the
masked text is the offset in the original body and line/column stay exact.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# Where a paragraph ends for inline Markdown (code spans, inline comments, template tags):
# a blank line, or a line that starts another block (heading, quote, list item, table row).
# Ending there masks less than Python-Markdown may: text is reviewed rather than hidden.
_BLOCK_END = re.compile(r"\n[ \t]*\n|\n(?=[ \t]*(?:[#>|]|[-*+][ \t]|\d{1,9}[.)][ \t]))")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_TICKS = re.compile(r"`+")
_COMMENT_OPEN = re.compile(r"<!--")
# A URL ends at whitespace, quotes, brackets and the first character that is not ASCII:
# Chinese copy glued to a URL (官网www.qinglan.com最佳净化器) is copy.
_URL = re.compile(r"(?i:https?://|ftp://|www\.)[!#-&*-;=?-Z\\^-z|~]+")
# Each repeated class excludes the opener, so each try stops at the next opener: linear.
_LINK_TARGET = re.compile(r"\]\([^)\]\n]*\)|\]\[[^\]\n]*\]|^ {0,3}\[[^\]\n]+\]:[^\n]*", re.M)
_AUTOLINK = re.compile(r"<(?:https?|mailto|ftp):[^<>\s]*>", re.I)
_TAG = re.compile(r"</?[A-Za-z](?:[^<>\n]|\n(?![ \t]*\n))*>")
_ATTR_LIST = re.compile(r"\{:?[ \t]*[#.][^{}\n]*\}")
# The end of an inline element an attribute list right after it belongs to: emphasis,
# code, a link or image (raw HTML is not one; other closers, `_` or pymdownx's `~~`,
# are left as copy: a word wrongly reviewed is better than one wrongly hidden).
_INLINE_END = {"*": "*", "`": "`", ")": "]("}
_HEADING = re.compile(r" {0,3}#{1,6}(?:[ \t]|$)", re.M)
# What follows an attribute list on its line: a table cell's end, or nothing.
_REST = re.compile(r"[ \t]*(\||$)", re.M)
_SPACES = re.compile(r"[ \t]*")
_MD_ALT = re.compile(r"!\[([^\[\]\n]*)\]")
_HTML_ALT = re.compile(r"<img\b[^<>]*?\balt\s*=\s*(?:\"([^\"<>]*)\"|'([^'<>]*)')", re.I)


def blank(text: str) -> str:
    """Spaces for every character but newlines (what ``re.sub(r"[^\\n]", " ", text)``
    gives, written as string multiplication: no regex substitution per character)."""
    if "\n" not in text:
        return " " * len(text)
    return "\n".join([" " * len(part) for part in text.split("\n")])


def _sub(rx: re.Pattern[str], text: str) -> str:
    return rx.sub(lambda m: blank(m.group()), text)


def _blank_spans(text: str, spans: list[tuple[int, int]]) -> str:
    if not spans:
        return text
    out: list[str] = []
    last = 0
    for start, end in spans:
        out.append(text[last:start])
        out.append(blank(text[start:end]))
        last = end
    out.append(text[last:])
    return "".join(out)


class _Next:
    """The next match of a pattern at or after a position, for positions that only grow:
    each search starts where the last one found nothing earlier, so all the lookups of
    one pass scan the text once."""

    def __init__(self, rx: re.Pattern[str] | str, text: str) -> None:
        self.rx, self.text = rx, text
        self.at = -1  # the last search's answer (len(text) for none) ...
        self.since = 0  # ... for positions up to it, searched from here

    def start(self, pos: int) -> int:
        """Where the next match at or after ``pos`` starts (``len(text)`` if none)."""
        if pos < self.since or pos > self.at:
            if isinstance(self.rx, str):
                i = self.text.find(self.rx, pos)
            else:
                m = self.rx.search(self.text, pos)
                i = m.start() if m else -1
            self.at = i if i >= 0 else len(self.text)
            self.since = pos
        return self.at


def _code_spans(text: str) -> list[tuple[int, int]]:
    """Inline code as Markdown reads it: a run of n backticks (not escaped by a
    backslash) opens, the next run of exactly n backticks in the same paragraph closes;
    a run without one is text."""
    runs: dict[int, list[int]] = {}  # length -> starts of the runs of that length
    order: list[tuple[int, int]] = []
    for m in _TICKS.finditer(text):
        start, n = m.start(), m.end() - m.start()
        runs.setdefault(n, []).append(start)
        order.append((start, n))
    seen = dict.fromkeys(runs, 0)  # per length: runs before this index are behind us
    block = _Next(_BLOCK_END, text)
    spans: list[tuple[int, int]] = []
    done = 0  # end of the last span
    for start, n in order:
        if start < done:
            continue
        slashes = 0
        while start - slashes > 0 and text[start - slashes - 1] == "\\":
            slashes += 1
        if slashes % 2:  # the first backtick is escaped: the rest of the run may open
            start, n = start + 1, n - 1
            if n == 0 or n not in runs:
                continue
        same = runs[n]
        i = seen[n]
        while i < len(same) and same[i] <= start:
            i += 1
        seen[n] = i
        if i < len(same) and same[i] < block.start(start):
            spans.append((start, same[i] + n))
            done = same[i] + n
    return spans


def mask_code(body: str) -> str:
    """Blank fenced code blocks and inline code. A fence that never closes is text, as
    Python-Markdown shows it (``fenced_code`` and ``pymdownx.superfences``)."""
    if "```" in body or "~~~" in body:
        lines = body.splitlines(keepends=True)
        fences = [_FENCE.match(line) for line in lines]
        # the longest closing fence of each kind from each line on: whether one closes
        longest = {"`": [0] * (len(lines) + 1), "~": [0] * (len(lines) + 1)}
        for k in range(len(lines) - 1, -1, -1):
            longest["`"][k], longest["~"][k] = longest["`"][k + 1], longest["~"][k + 1]
            m = fences[k]
            if m and not lines[k][m.end() :].strip():
                kind = longest[m.group(1)[0]]
                kind[k] = max(kind[k], len(m.group(1)))
        out: list[str] = []
        fence: str | None = None
        for k, line in enumerate(lines):
            m = fences[k]
            if fence is None:
                if m and longest[m.group(1)[0]][k + 1] >= len(m.group(1)):
                    fence = m.group(1)
                    out.append(blank(line))
                    continue
                out.append(line)
            else:
                if (
                    m
                    and m.group(1)[0] == fence[0]
                    and len(m.group(1)) >= len(fence)
                    and not line[m.end() :].strip()
                ):
                    fence = None
                out.append(blank(line))
        body = "".join(out)
    if "`" in body:
        body = _blank_spans(body, _code_spans(body))
    return body


def _comment_spans(text: str) -> list[tuple[int, int]]:
    """HTML comments Python-Markdown hides. One that starts a line (after up to three
    spaces) is a block: hidden up to its ``-->``, blank lines included. One inside a
    line is hidden if it closes in its paragraph and holds no other ``<!--``. A comment
    that never closes is text (``-->`` counts from the ``<!--``'s second character, as in
    a browser: ``<!-->`` is a whole comment)."""
    close = _Next("-->", text)
    block = _Next(_BLOCK_END, text)
    spans: list[tuple[int, int]] = []
    done = line = seen = 0
    for m in _COMMENT_OPEN.finditer(text):
        start = m.start()
        if start < done:
            continue
        end = close.start(start + 2)
        if end == len(text):
            break  # no comment closes after here: the rest is text
        nl = text.rfind("\n", seen, start)  # the line's start, found going forward
        line, seen = (nl + 1 if nl >= 0 else line), start
        if start - line <= 3 and not text[line:start].strip(" "):
            pass  # a block comment
        elif end >= block.start(start) or text.find("<!--", start + 4, end) >= 0:
            continue
        spans.append((start, end + 3))
        done = end + 3
    return spans


def _template_spans(text: str, opener: str, closer: str) -> list[tuple[int, int]]:
    """``{{ … }}`` / ``{% … %}`` closed in their paragraph (a blank line ends them)."""
    close = _Next(closer, text)
    blank_line = _Next(_BLANK_LINE, text)
    spans: list[tuple[int, int]] = []
    i = text.find(opener)
    while i >= 0:
        end = close.start(i + 2)
        if end == len(text):
            break  # nothing closes after here
        stop = blank_line.start(i)
        if end < stop:
            spans.append((i, end + 2))
            i = text.find(opener, end + 2)
        else:  # every opener before the blank line closes after it too
            i = text.find(opener, stop)
    return spans


class _Line:
    """The line around a position, with where each opener first stands on it (looked
    up once per line, however many attribute lists it holds)."""

    def __init__(self, text: str, pos: int) -> None:
        self.text = text
        self.start = text.rfind("\n", 0, pos) + 1
        end = text.find("\n", pos)
        self.end = len(text) if end < 0 else end
        self._first: dict[str, int] = {}

    def opens_before(self, opener: str, pos: int) -> bool:
        if opener not in self._first:
            at = self.text.find(opener, self.start, self.end)
            self._first[opener] = self.end if at < 0 else at
        return self._first[opener] < pos


def _attr_lists(text: str, copy: str) -> list[tuple[int, int]]:
    """Where attr_list takes ``{.class}`` / ``{: #id}`` out of the page (Python-Markdown
    3.x; Material's sites turn it on): right after an inline element, at the end of a
    heading or a table cell, or alone on the last line of a paragraph. Anywhere else the
    braces are shown as they are (``这款{.最佳}产品``) and their words are copy. Where it
    stands is looked at in ``text`` (``copy`` has link targets and tags blanked): one
    pass, each line looked at once."""
    spans: list[tuple[int, int]] = []
    line: _Line | None = None
    for m in _ATTR_LIST.finditer(copy):
        start, end = m.span()
        if line is None or start > line.end:
            line = _Line(text, start)
        opener = _INLINE_END.get(text[start - 1]) if start else None
        spaced = start > line.start and text[start - 1] in " \t"
        rest = _REST.match(text, end)
        alone = rest is not None and rest.end() == line.end  # nothing after it
        if (
            (opener is not None and line.opens_before(opener, start - 1))
            or (alone and spaced and _HEADING.match(text, line.start) is not None)
            or (
                rest is not None
                and rest.group(1) == "|"
                and spaced
                and line.opens_before("|", start)
            )
            or (
                alone
                and _SPACES.match(text, line.start).end() == start  # type: ignore[union-attr]
                and _closes_paragraph(text, line.start, line.end)
            )
        ):
            spans.append((start, end))
    return spans


def _closes_paragraph(text: str, line_start: int, line_end: int) -> bool:
    """Whether the line ``text[line_start:line_end]`` is the last of a paragraph that
    has a line above it (attr_list reads a block's list from its last line only)."""
    if line_start == 0:
        return False
    above = text[text.rfind("\n", 0, line_start - 1) + 1 : line_start - 1]
    if not above.strip():
        return False
    below_end = text.find("\n", line_end + 1)
    below = text[line_end + 1 : len(text) if below_end < 0 else below_end]
    return line_end >= len(text) or not below.strip()


@dataclass
class Masked:
    """The body three ways: with code blanked (``code_free``), also without
    comments (``text``: what page-level rules search), and only the copy
    (``copy``: no URLs, link targets, HTML tags or template tags)."""

    code_free: str
    text: str
    copy: str


def mask(body: str, alt_text: bool = True) -> Masked:
    """Mask ``body``; ``alt_text`` keeps image alt text (Markdown and ``<img alt>``) as copy."""
    code_free = mask_code(body)
    text = _blank_spans(code_free, _comment_spans(code_free)) if "<!--" in code_free else code_free
    copy = text
    if not alt_text and "![" in copy:
        copy = _MD_ALT.sub(lambda m: "![" + blank(m.group(1)) + "]", copy)
    if "](" in copy or "][" in copy or "]:" in copy:
        copy = _sub(_LINK_TARGET, copy)
    if "<" in copy:
        copy = _sub(_AUTOLINK, copy)
        tagged = copy
        copy = _sub(_TAG, copy)
        if alt_text and "alt" in tagged:
            parts = list(copy)
            for m in _HTML_ALT.finditer(tagged):
                g = 1 if m.group(1) is not None else 2
                parts[m.start(g) : m.end(g)] = tagged[m.start(g) : m.end(g)]
            copy = "".join(parts)
    if "{" in copy:
        if "{{" in copy:
            copy = _blank_spans(copy, _template_spans(copy, "{{", "}}"))
        if "{%" in copy:
            copy = _blank_spans(copy, _template_spans(copy, "{%", "%}"))
        copy = _blank_spans(copy, _attr_lists(text, copy))
    if "://" in copy or "www." in copy.lower():
        copy = _sub(_URL, copy)
    return Masked(code_free, text, copy)


class LineMap:
    """Offset in the body -> (line in the file, 1-based column)."""

    def __init__(self, body: str, body_line: int) -> None:
        self.starts = [0]
        i = body.find("\n")
        while i >= 0:
            self.starts.append(i + 1)
            i = body.find("\n", i + 1)
        self.body_line = body_line

    def index(self, offset: int) -> int:
        """0-based line index in the body."""
        return bisect_right(self.starts, offset) - 1

    def locate(self, offset: int) -> tuple[int, int]:
        i = self.index(offset)
        return self.body_line + i, offset - self.starts[i] + 1


# A blank line, or a line break before a list item or a table row: each list item
# and each table row (one SEM creative, one selling point) is a unit of its own.
_PARA = re.compile(r"\n[ \t]*\n|\n(?=[ \t]*(?:[-*+][ \t]|\d{1,3}[.)][ \t]|\|))")


def paragraph(text: str, start: int, end: int) -> tuple[int, int]:
    """Bounds of the paragraph (text between blank lines), list item or table row around a span."""
    lo = 0
    for m in _PARA.finditer(text, 0, start):
        lo = m.end()
    m = _PARA.search(text, end)
    hi = m.start() if m else len(text)
    return lo, hi


# ----------------------------------------------------------------- structural checks

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def valid_id_card(number: str) -> bool:
    """Mainland resident ID: region, a real birth date, ISO 7064 MOD 11-2 check digit."""
    from datetime import date

    n = number.upper()
    if len(n) != 18 or not n[:17].isdigit() or not (n[17].isdigit() or n[17] == "X"):
        return False
    if n[0] not in "123456789":
        return False
    try:
        born = date(int(n[6:10]), int(n[10:12]), int(n[12:14]))
    except ValueError:
        return False
    if not 1900 <= born.year <= 2100:
        return False
    total = sum(int(c) * w for c, w in zip(n[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == n[17]


def luhn(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


_CARD_PREFIX = re.compile(r"^(?:62|4|5[1-5]|2[2-7]|3[47]|35|9558|60|65)")


def valid_bank_card(candidate: str) -> bool:
    digits = "".join(c for c in candidate if c.isdigit())
    if not 15 <= len(digits) <= 19:
        return False
    if len(digits) == 18 and valid_id_card(digits):
        return False  # an ID-card number: reported by its own rule
    return bool(_CARD_PREFIX.match(digits)) and luhn(digits)


def valid_mobile(candidate: str) -> bool:
    digits = "".join(c for c in candidate if c.isdigit())
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return len(digits) == 11 and digits[0] == "1" and digits[1] in "3456789"
