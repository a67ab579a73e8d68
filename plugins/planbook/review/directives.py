"""Inline review directives in a page: ``<!-- planbook: disable-next-line rule -- why -->``,
``disable`` … ``enable`` blocks; each read with the file lines it covers, or reported
(own line, known verb and rules, a reason for every ``disable``)."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from ..diagnostics import Diagnostic, Severity
from ..messages import msg
from .rules import Rule
from .text import LineMap, Masked

__all__ = ["Directive", "parse_directives"]

# The body stops at the next `<!--` too: each opener without its `-->` is then read up to
# the next one, not to the end of the page (many unclosed ones were quadratic).
_DIRECTIVE = re.compile(r"<!--\s*planbook\s*:((?:(?!<!--|-->).)*)-->", re.S)
_VERBS = ("disable-next-line", "disable", "enable")


@dataclass
class Directive:
    verb: str
    rules: tuple[str, ...]
    reason: str | None
    line: int  # file line of the comment
    column: int
    first: int = 0  # file lines it covers
    last: int = 0
    used: bool = False


def parse_directives(
    m: Masked, lines: LineMap, file: str, known: dict[str, Rule]
) -> tuple[list[Directive], list[Diagnostic]]:
    out: list[Directive] = []
    diags: list[Diagnostic] = []
    if "planbook" not in m.code_free:
        return out, diags
    src = m.code_free
    open_blocks: dict[str, Directive] = {}
    last_line = lines.body_line + len(lines.starts) - 1

    def err(line: int, col: int, msg: str, sev: Severity = Severity.ERROR) -> None:
        diags.append(Diagnostic(file, line, None, "review/directive", sev, msg, column=col))

    for hit in _DIRECTIVE.finditer(src):
        line, col = lines.locate(hit.start())
        end_line, _ = lines.locate(hit.end() - 1)
        i0 = lines.index(hit.start())
        i1 = lines.index(hit.end() - 1)
        before = src[lines.starts[i0] : hit.start()]
        after_end = lines.starts[i1 + 1] if i1 + 1 < len(lines.starts) else len(src)
        after = src[hit.end() : after_end]
        if before.strip() or after.strip():
            err(line, col, msg("review/directive.own-line"))
            continue
        body = hit.group(1).strip()
        head, sep, reason = body.partition("--")
        words = head.split(None, 1)
        verb = words[0] if words else ""
        if verb not in _VERBS:
            err(
                line,
                col,
                msg("review/directive.unknown", verb=verb, verbs=_VERBS),
            )
            continue
        ids = tuple(x for x in re.split(r"[\s,]+", words[1] if len(words) > 1 else "") if x)
        if not ids:
            err(line, col, msg("review/directive.no-rule", verb=verb))
            continue
        bad = False
        for rid in ids:
            if rid not in known:
                close = difflib.get_close_matches(rid, list(known), n=1)
                hint = msg("hint.close", close=close[0]) if close else ""
                err(line, col, msg("review/directive.unknown-rule", rule=rid, hint=hint))
                bad = True
        if bad:
            continue
        reason = reason.strip() if sep else ""
        if verb != "enable" and not reason:
            err(
                line,
                col,
                msg("review/directive.no-reason", verb=verb, rules=" ".join(ids)),
            )
            continue
        if verb == "enable":
            for rid in ids:
                block = open_blocks.pop(rid, None)
                if block is None:
                    err(line, col, msg("review/directive.enable", rule=rid), Severity.WARNING)
                else:
                    block.last = line - 1
            continue
        for rid in ids:
            d = Directive(verb, (rid,), reason, line, col)
            if verb == "disable-next-line":
                d.first = d.last = end_line + 1
            else:
                d.first, d.last = end_line + 1, last_line
                if rid in open_blocks:
                    err(
                        line,
                        col,
                        msg("review/directive.twice", rule=rid, line=open_blocks[rid].line),
                        Severity.WARNING,
                    )
                open_blocks[rid] = d
            out.append(d)
    return out, diags
