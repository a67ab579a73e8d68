"""Regular expressions a site writes (rule packs, export profiles), refused when they can
backtrack for an exponential or a high polynomial time.

Python's ``re`` backtracks: ``(a|a)*!`` on forty ``a`` tries 2**40 ways before it says no,
and nothing can stop a match once it runs. So a user's pattern is read with ``re``'s own
parser before it is used, and refused when:

* it is longer than :data:`MAX_LENGTH` characters;
* a part that can repeat more than once (``*``, ``+``, ``{m,n}`` with n > 1) can match
  its text in more than one way: inside it, at every point, the next character must
  decide whether a repeat goes on or stops and which alternative is taken; nothing in it
  may match empty text; no backreference, and no lookaround that repeats. Then each
  try of the part is one path: ``(\\d[ -]?){14,18}`` and ``([A-Z][\\w.]*\\s+){1,4}`` are
  fine, ``(a+)+``, ``(a|a)*``, ``(a|a?)+``, ``(\\w+\\s?)+`` and ``(.*a){15}`` are not;
* repeats one after another that can each give back a character the next could take
  split a text in more than :data:`MAX_WAYS` ways (``.*a.*b.*c``: each star adds a factor
  of the text's length; ``a?`` eighteen times, 2**17). A backreference is no choice: it
  matches the text its group took.

Possessive repeats and atomic groups count as ordinary ones (inside them a pattern still
backtracks until the group has matched). The check is structural and fast: it never
runs the pattern.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from re import _compiler as sre_compile  # type: ignore[attr-defined]  # Python >= 3.11
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

from .messages import Message, msg

__all__ = ["LINE", "MAX_LENGTH", "MAX_WAYS", "regex_problem"]

MAX_LENGTH = 1000  # the longest shipped pattern has 806 characters
# Repeats that can give back a character the next one could take (``.*a.*b``, ``a?a?``)
# multiply the ways a text can be split among them: a star or a plus counts as
# :data:`LINE` ways (a line of text), ``{m,n}`` as n - m + 1; the product is bounded.
LINE = 100
MAX_WAYS = 100_000  # `"?.*a.*b` is fine; `.*a.*b.*c` or eighteen `a?` are not

_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)
_ATOMS = (sre.LITERAL, sre.NOT_LITERAL, sre.ANY, sre.IN)
_LOOK = (sre.ASSERT, sre.ASSERT_NOT)
# Characters tried when two character sets are compared, besides those the pattern names
# (its literals and the ends of its ranges, which decide every overlap of two ranges).
_SAMPLES = (
    "aAzZ09_ \t\n\r\x0b\x0c.,;:!?-+*/\\'\"#@%&()[]{}<>|~$^=`中文。，：％０ａé٠\u00a0\u2000\u3000"
)

Item = tuple[Any, Any]
Atom = tuple[Item, int]  # a single-character item and the flags it is read with


class _Refused(Exception):
    def __init__(self, kind: str, part: str) -> None:
        super().__init__(kind)
        self.kind = kind
        self.part = part


def regex_problem(pattern: str, flags: int = 0) -> Message | None:
    """Why ``pattern`` (already known to compile) may take exponential time, or ``None``.

    The message names the pattern, the part at fault and what to write instead; the
    caller puts the file and the field in front."""
    if len(pattern) > MAX_LENGTH:
        return msg("regex/too-long", pattern=pattern, length=len(pattern), max=MAX_LENGTH)
    try:
        parsed = sre_parse.parse(pattern, flags)
        _Checker(pattern, parsed.state.flags).run(list(parsed))
    except _Refused as r:
        part = _as_written(pattern, parsed.state.flags, r.part) if r.part else pattern
        if r.kind == "chained":
            return msg("regex/chained", pattern=pattern, ways=MAX_WAYS, line=LINE)
        return msg(f"regex/slow.{r.kind}", pattern=pattern, part=part)
    except (RecursionError, re.error):
        return msg("regex/too-deep", pattern=pattern)
    return None


class _Checker:
    def __init__(self, pattern: str, flags: int) -> None:
        self.pattern = pattern
        self.flags = flags
        self.samples: set[str] = set(_SAMPLES)
        self.tests: dict[tuple[str, int], Callable[[str], bool]] = {}

    # -- character sets: a set is a list of single-character items ---------------------
    def accepts(self, atom: Atom, c: str) -> bool:
        """Whether ``atom`` can match ``c`` (when unsure, it can: a pattern is refused
        rather than let through). Literals and ``.`` are compared here; a class is
        compiled alone, once."""
        (op, av), flags = atom
        if op is sre.LITERAL:
            x = chr(av)
            if c == x:
                return True
            return bool(flags & re.IGNORECASE) and not _folded(c).isdisjoint(_folded(x))
        if op is sre.NOT_LITERAL:
            return c != chr(av)
        if op is sre.ANY:
            return c != "\n" or bool(flags & re.DOTALL)
        key = (repr(atom[0]), flags)
        test = self.tests.get(key)
        if test is None:
            item = atom[0]
            state = sre_parse.State()
            state.flags = flags
            code = sre_compile.compile(sre_parse.SubPattern(state, [item]), flags)
            test = self.tests[key] = lambda s, m=code.fullmatch: m(s) is not None
        return test(c)

    def overlap(self, a: Sequence[Atom], b: Sequence[Atom]) -> bool:
        if not a or not b:
            return False
        return any(
            any(self.accepts(x, c) for x in a) and any(self.accepts(y, c) for y in b)
            for c in self.samples
        )

    def _sample(self, item: Item) -> None:
        op, av = item
        if op in (sre.LITERAL, sre.NOT_LITERAL):
            self.samples.update(_folded(chr(av)))
        elif op is sre.IN:
            for sub_op, sub_av in av:
                if sub_op is sre.LITERAL:
                    self.samples.add(chr(sub_av))
                elif sub_op is sre.RANGE:
                    lo, hi = sub_av
                    self.samples.update((chr(lo), chr(hi), chr(min(lo + 1, hi))))

    # -- what an item can start with, and whether it can match empty text --------------
    def first(self, items: Sequence[Item], flags: int) -> tuple[list[Atom], bool]:
        """The atoms a sequence can start with, and whether it can match empty text."""
        out: list[Atom] = []
        for item in items:
            f, empty = self.first_item(item, flags)
            out.extend(f)
            if not empty:
                return out, False
        return out, True

    def first_item(self, item: Item, flags: int) -> tuple[list[Atom], bool]:
        op, av = item
        if op in _ATOMS:
            self._sample(item)
            return [(item, flags)], False
        if op in _REPEATS:
            lo, hi, body = av
            f, empty = self.first(body, flags) if hi > 0 else ([], True)
            return f, empty or lo == 0
        if op is sre.SUBPATTERN:
            return self.first(av[3], _scoped(flags, av))
        if op is sre.ATOMIC_GROUP:
            return self.first(av, flags)
        if op is sre.BRANCH:
            out: list[Atom] = []
            empty = False
            for alt in av[1]:
                f, e = self.first(alt, flags)
                out.extend(f)
                empty = empty or e
            return out, empty
        if op is sre.GROUPREF:
            return [((sre.ANY, None), flags | re.DOTALL)], True  # any text, maybe empty
        if op is sre.GROUPREF_EXISTS:
            f, e = self.first(av[1], flags)
            g, e2 = self.first(av[2], flags) if av[2] is not None else ([], True)
            return f + g, e or e2
        return [], True  # AT (anchors), lookarounds: they take no character

    # -- the check ----------------------------------------------------------------------
    def run(self, items: list[Item]) -> None:
        for item in _walk_items(items):
            if item[0] in _ATOMS:
                self._sample(item)
        self.walk(items, [], None, self.flags)
        if self.chained(items, self.flags) > MAX_WAYS:
            raise _Refused("chained", "")  # the whole pattern

    def walk(
        self, items: Sequence[Item], follow: list[Atom], part: Item | None, flags: int
    ) -> None:
        """Check ``items``; ``follow``: what can come after them; ``part``: the part that
        repeats they are in, where every choice must be decided by the next character."""
        inside = part is not None
        for i, (op, av) in enumerate(items):
            after, rest_empty = self.first(items[i + 1 :], flags)
            if rest_empty:
                after = after + follow
            if op in _REPEATS:
                lo, hi, body = av
                body_first, body_empty = self.first(body, flags)
                if inside and lo != hi and self.overlap(body_first, after):
                    raise _Refused("ambiguous", _show(part))
                if hi > 1:
                    if body_empty:
                        raise _Refused("empty", _show((op, av)))
                    # the body's end is followed by its own start (and, inside another
                    # repeated part, by what comes after: leaving is a choice there too)
                    self.walk(body, body_first + (after if inside else []), (op, av), flags)
                else:
                    self.walk(body, after, part, flags)
            elif op is sre.SUBPATTERN:
                self.walk(av[3], after, part, _scoped(flags, av))
            elif op is sre.ATOMIC_GROUP:
                self.walk(av, after, part, flags)
            elif op is sre.BRANCH:
                if inside:
                    firsts = [self.first(alt, flags) for alt in av[1]]
                    for j, (f, empty) in enumerate(firsts):
                        if empty or any(self.overlap(f, g) for g, _ in firsts[:j]):
                            raise _Refused("alternatives", _show(part))
                for alt in av[1]:
                    self.walk(alt, after, part, flags)
            elif op in _LOOK:
                if inside and _varies(av[1]):
                    raise _Refused("lookaround", _show(part))
                self.walk(av[1], [], None, flags)
            elif op in (sre.GROUPREF, sre.GROUPREF_EXISTS) and inside:
                raise _Refused("backreference", _show(part))
            elif op is sre.GROUPREF_EXISTS:
                self.walk(av[1], after, part, flags)
                if av[2] is not None:
                    self.walk(av[2], after, part, flags)

    def chained(self, items: Sequence[Item], flags: int) -> int:
        """The most ways that repeats giving back the same character one after another
        can split a text (a repeat gives back when its start overlaps what can follow
        it); alternatives count apart."""
        giving: dict[int, tuple[list[Atom], int]] = {}  # id of such a repeat -> its start
        self._giving(items, [], flags, giving)
        everything = 1
        for _, ways in giving.values():
            everything *= ways
        if everything <= MAX_WAYS:
            return everything
        starts = [a for f, _ in giving.values() for a in f]
        chars = [c for c in sorted(self.samples) if any(self.accepts(a, c) for a in starts)]
        return max((self._count(items, c, giving) for c in chars), default=1)

    def _giving(
        self,
        items: Sequence[Item],
        follow: list[Atom],
        flags: int,
        out: dict[int, tuple[list[Atom], int]],
    ) -> None:
        for i, (op, av) in enumerate(items):
            after, rest_empty = self.first(items[i + 1 :], flags)
            if rest_empty:
                after = after + follow
            if op in _REPEATS:
                lo, hi, body = av
                body_first, _ = self.first(body, flags)
                if lo != hi and self.overlap(body_first, after):
                    out[id(av)] = (body_first, LINE if hi == sre.MAXREPEAT else hi - lo + 1)
                self._giving(body, after, flags, out)
            elif op is sre.SUBPATTERN:
                self._giving(av[3], after, _scoped(flags, av), out)
            elif op is sre.ATOMIC_GROUP:
                self._giving(av, after, flags, out)
            elif op is sre.BRANCH:
                for alt in av[1]:
                    self._giving(alt, after, flags, out)
            elif op in _LOOK:
                self._giving(av[1], [], flags, out)
            elif op is sre.GROUPREF_EXISTS:
                self._giving(av[1], after, flags, out)
                self._giving(av[2] or [], after, flags, out)

    def _count(
        self, items: Sequence[Item], c: str, giving: dict[int, tuple[list[Atom], int]]
    ) -> int:
        """The ways repeats that give back ``c`` can split a text one after another in
        ``items`` (alternatives: the most of any one)."""
        total = 1
        for op, av in items:
            if op in _REPEATS:
                f = giving.get(id(av))
                if f is not None and any(self.accepts(a, c) for a in f[0]):
                    total *= f[1]
                total *= self._count(av[2], c, giving)
            elif op is sre.SUBPATTERN:
                total *= self._count(av[3], c, giving)
            elif op is sre.ATOMIC_GROUP:
                total *= self._count(av, c, giving)
            elif op is sre.BRANCH:
                total *= max(self._count(alt, c, giving) for alt in av[1])
            elif op in _LOOK:
                total *= self._count(av[1], c, giving)
            elif op is sre.GROUPREF_EXISTS:
                total *= max(self._count(av[1], c, giving), self._count(av[2] or [], c, giving))
        return total


def _folded(c: str) -> set[str]:
    """The forms ``c`` may take when case is ignored (``ſ`` is ``s``, ``K`` is ``k``)."""
    return {c, c.lower(), c.upper(), c.casefold()}


def _scoped(flags: int, av: Any) -> int:
    """The flags inside a group ``(?i:...)`` / ``(?-i:...)``."""
    return (flags | av[1]) & ~av[2]


def _varies(items: Sequence[Item]) -> bool:
    """Whether ``items`` hold a repeat of varying count or a backreference."""
    for op, av in _walk_items(items):
        if op in _REPEATS and av[0] != av[1]:
            return True
        if op in (sre.GROUPREF, sre.GROUPREF_EXISTS):
            return True
    return False


def _walk_items(items: Sequence[Item]) -> list[Item]:
    """Every item of a parsed pattern, nested ones too."""
    out: list[Item] = []
    stack = list(items)
    while stack:
        op, av = item = stack.pop()
        out.append(item)
        if op in _REPEATS:
            stack.extend(av[2])
        elif op is sre.SUBPATTERN:
            stack.extend(av[3])
        elif op is sre.ATOMIC_GROUP:
            stack.extend(av)
        elif op is sre.BRANCH:
            for alt in av[1]:
                stack.extend(alt)
        elif op in _LOOK:
            stack.extend(av[1])
        elif op is sre.GROUPREF_EXISTS:
            stack.extend(av[1])
            if av[2] is not None:
                stack.extend(av[2])
    return out


def _show(item: Item | None) -> str:
    """The repeated part at fault, written back from the parsed pattern (the parser keeps
    no positions, and writes ``a|ab`` as ``a(?:|b)``): :func:`_as_written` finds it."""
    return "" if item is None else _unparse(item)


_QUANTIFIER_END = re.compile(r"(?:[*+?]|\{[0-9]*,?[0-9]*\})[?+]?")


def _as_written(pattern: str, flags: int, part: str) -> str:
    """The text of ``pattern`` that parses to ``part`` (the shortest one, from a group's
    opening or a few characters before a quantifier), or ``part`` when none does."""
    ends = [m.end() for m in _QUANTIFIER_END.finditer(pattern)]
    found: str | None = None
    tries = 0
    for end in ends:
        starts = {i for i in range(max(0, end - 12), end)}
        starts.update(i for i in range(end) if pattern[i] == "(")
        for start in sorted(starts, reverse=True):
            tries += 1
            if tries > 2000:
                return found or part
            text = pattern[start:end]
            try:
                parsed = list(sre_parse.parse(text, flags & ~re.VERBOSE))
            except (re.error, RecursionError):
                continue
            if len(parsed) == 1 and _unparse(parsed[0]) == part:
                if found is None or len(text) < len(found):
                    found = text
                break
    return found or part


def _unparse(item: Item) -> str:
    """``item`` written back as a pattern (enough to name a part in a message)."""
    op, av = item
    if op is sre.LITERAL:
        return re.escape(chr(av))
    if op is sre.NOT_LITERAL:
        return "[^" + re.escape(chr(av)) + "]"
    if op is sre.ANY:
        return "."
    if op is sre.IN:
        return _unparse_class(av)
    if op in _REPEATS:
        lo, hi, body = av
        inner = _seq(body)
        alone = len(body) == 1 and (body[0][0] in _ATOMS or body[0][0] is sre.SUBPATTERN)
        if not alone:
            inner = f"(?:{inner})"
        if (lo, hi) == (0, sre.MAXREPEAT):
            q = "*"
        elif (lo, hi) == (1, sre.MAXREPEAT):
            q = "+"
        elif (lo, hi) == (0, 1):
            q = "?"
        elif lo == hi:
            q = f"{{{lo}}}"
        else:
            q = f"{{{lo},{'' if hi == sre.MAXREPEAT else hi}}}"
        suffix = "?" if op is sre.MIN_REPEAT else "+" if op is sre.POSSESSIVE_REPEAT else ""
        return inner + q + suffix
    if op is sre.SUBPATTERN:
        return f"({_seq(av[3])})" if av[0] else f"(?:{_seq(av[3])})"
    if op is sre.ATOMIC_GROUP:
        return f"(?>{_seq(av)})"
    if op is sre.BRANCH:
        return "|".join(_seq(alt) for alt in av[1])
    if op in _LOOK:
        ahead = av[0] == 1
        sign = "=" if op is sre.ASSERT else "!"
        return f"(?{'' if ahead else '<'}{sign}{_seq(av[1])})"
    if op is sre.GROUPREF:
        return f"\\{av}"
    if op is sre.GROUPREF_EXISTS:
        no = f"|{_seq(av[2])}" if av[2] is not None else ""
        return f"(?({av[0]}){_seq(av[1])}{no})"
    if op is sre.AT:
        return {sre.AT_BEGINNING: "^", sre.AT_END: "$"}.get(av, "\\b")
    return ""


def _seq(items: Sequence[Item]) -> str:
    return "".join(
        f"(?:{_unparse(i)})" if i[0] is sre.BRANCH and len(items) > 1 else _unparse(i)
        for i in items
    )


_CATEGORIES = {
    sre.CATEGORY_DIGIT: "\\d",
    sre.CATEGORY_NOT_DIGIT: "\\D",
    sre.CATEGORY_SPACE: "\\s",
    sre.CATEGORY_NOT_SPACE: "\\S",
    sre.CATEGORY_WORD: "\\w",
    sre.CATEGORY_NOT_WORD: "\\W",
}


def _unparse_class(items: Sequence[Item]) -> str:
    parts: list[str] = []
    negate = False
    for op, av in items:
        if op is sre.NEGATE:
            negate = True
        elif op is sre.LITERAL:
            parts.append(re.escape(chr(av)))
        elif op is sre.RANGE:
            parts.append(f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}")
        elif op is sre.CATEGORY:
            parts.append(_CATEGORIES.get(av, ""))
    if not negate and len(parts) == 1 and parts[0].startswith("\\") and len(parts[0]) == 2:
        return parts[0]
    return f"[{'^' if negate else ''}{''.join(parts)}]"
