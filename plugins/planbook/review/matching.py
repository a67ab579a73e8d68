"""Where a page's copy breaks a rule: the rule packs' terms (one automaton per pack)
and patterns over the masked copy, with their checks (ID card, bank card, mobile,
e-mail), allow-lists and context; overlapping hits of one category merged; rules that
require a text the copy lacks."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..diagnostics import Severity
from .rules import ASCII_LOWER, Rule, RuleSet
from .text import Masked, paragraph, valid_bank_card, valid_id_card, valid_mobile

if TYPE_CHECKING:
    from .engine import ReviewConfig

__all__ = ["hits", "requires"]

_SEVERITY_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
_EXAMPLE_DOMAINS = re.compile(r"(?:^|\.)example\.(?:com|org|net)$|\.(?:example|test|invalid)$")


def boundary_ok(text: str, start: int, end: int) -> bool:
    first, last = text[start], text[end - 1]
    if start > 0 and first.isascii() and first.isalnum():
        prev = text[start - 1]
        if first.isdigit() and prev.isdigit():
            return False
        if first.isalpha() and prev.isascii() and (prev.isalnum() or prev == "_"):
            return False
    if end < len(text) and last.isascii() and last.isalnum():
        nxt = text[end]
        if last.isdigit() and nxt.isdigit():
            return False
        if last.isalpha() and nxt.isascii() and (nxt.isalnum() or nxt == "_"):
            return False
    return True


def email_exempt(address: str, rule: Rule, own: tuple[str, ...]) -> bool:
    local, _, domain = address.lower().rpartition("@")
    if _EXAMPLE_DOMAINS.search(domain):
        return True
    if local in rule.exempt_local_parts:
        return any(domain == d or domain.endswith("." + d) for d in own)
    return False


def valid(rule: Rule, matched: str, config: ReviewConfig) -> bool:
    if rule.check == "id-card":
        return valid_id_card(matched)
    if rule.check == "luhn":
        return valid_bank_card(matched)
    if rule.check == "mobile":
        return valid_mobile(matched)
    if rule.check == "email":
        return not email_exempt(matched, rule, tuple(d.lower() for d in config.own_domains))
    return True


def hits(
    m: Masked, rules: list[Rule], ruleset: RuleSet, config: ReviewConfig
) -> list[tuple[int, int, Rule]]:
    copy = m.copy
    lowered = copy.translate(ASCII_LOWER)
    raw: list[tuple[int, int, Rule]] = []
    windows: dict[str, list[tuple[int, int]]] = {}
    by_pack: dict[str, dict[str, Rule]] = {}
    for r in rules:
        by_pack.setdefault(r.pack, {})[r.id] = r
    for pack, applicable in by_pack.items():
        auto = ruleset.automata.get(pack)
        if auto is not None and any(r.terms for r in applicable.values()):
            for end_idx, (term, ids) in auto.iter(lowered):
                start, end = end_idx - len(term) + 1, end_idx + 1
                if not boundary_ok(lowered, start, end):
                    continue
                for rid in ids:
                    r = applicable.get(rid)
                    if r is not None:
                        raw.append((start, end, r))
        for r in applicable.values():
            if r.kind != "match" or r.pattern is None:
                continue
            if r.window is None:
                spans: list[tuple[int, int]] = [(0, len(copy))]
            else:
                key = r.window.pattern
                if key not in windows:
                    windows[key] = [w.span() for w in r.window.finditer(copy)]
                spans = windows[key]
            for lo, hi in spans:
                for mt in r.pattern.finditer(copy, lo, min(hi + 1, len(copy))):
                    start, end = mt.span()
                    if start == end:
                        continue
                    if r.check and not valid(r, mt.group(), config):
                        continue
                    raw.append((start, end, r))
    hits: list[tuple[int, int, Rule]] = []
    for start, end, r in raw:
        if (r.allow or r.allow_pattern) and r.allowed_at(lowered, start, end):
            continue
        if r.context_any or r.context_none:
            lo, hi = paragraph(copy, start, end)
            if r.context_any and not r.context_any.search(copy, lo, hi):
                continue
            if r.context_none and r.context_none.search(copy, lo, hi):
                continue
        hits.append((start, end, r))
    return merge(hits)


def merge(hits: list[tuple[int, int, Rule]]) -> list[tuple[int, int, Rule]]:
    """Overlapping hits of one category give one finding: the most severe, then longest."""
    hits.sort(key=lambda h: (h[2].category, h[0], -h[1]))
    out: list[tuple[int, int, Rule]] = []
    group: list[tuple[int, int, Rule]] = []
    group_end = -1

    def flush() -> None:
        if group:
            out.append(
                min(group, key=lambda h: (_SEVERITY_RANK[h[2].severity], h[0] - h[1], h[2].order))
            )

    for h in hits:
        if group and h[2].category == group[0][2].category and h[0] < group_end:
            group.append(h)
            group_end = max(group_end, h[1])
        else:
            flush()
            group = [h]
            group_end = h[1]
    flush()
    out.sort(key=lambda h: (h[0], h[2].order))
    return out


def requires(m: Masked, rules: list[Rule]) -> list[tuple[int, int, Rule]]:
    out: list[tuple[int, int, Rule]] = []
    first = len(m.copy) - len(m.copy.lstrip())
    if first >= len(m.copy):
        return out
    for r in rules:
        if r.kind != "require" or r.require is None:
            continue
        src = m.text if r.scope == "text" else m.copy
        if r.trigger is not None:
            t = r.trigger.search(src)
            if t is None:
                continue
            span = t.span()
        else:
            end = m.copy.find("\n", first)
            span = (first, end if end >= 0 else len(m.copy))
        if r.require.search(src) is None:
            out.append((span[0], span[1], r))
    return out
