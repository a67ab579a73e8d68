"""The UTM pack: every tracked link in copy carries utm_source, utm_medium and
utm_campaign, lower-case, from the site's taxonomy.

Not a YAML pack: the check needs the taxonomy (site options plus the values the
plans' data names), so it is code. Its rules are registered in the rule set like any
pack's, so inline suppressions and front-matter waivers work on them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..diagnostics import Diagnostic, Severity
from ..messages import msg
from ..metrics.analysis.utm import Taxonomy, check_url, find_links, plan_values, taxonomy_from
from .rules import Rule
from .text import LineMap

PACK = "utm"
BASIS = "UTM taxonomy (utm_source / utm_medium / utm_campaign)"
_KINDS = {
    "missing": ("utm/missing-parameters", "tracked link without UTM parameters"),
    "unknown": ("utm/unknown-value", "UTM value outside the site's taxonomy"),
    "case": ("utm/mixed-case", "UTM value not in lower case"),
    "malformed": ("utm/mixed-case", "UTM value not in lower case"),
}


@dataclass(frozen=True)
class UtmOptions:
    """Site options: extra allowed values, the mediums, and the tracked domains."""

    enabled: bool = True
    sources: tuple[str, ...] = ()
    mediums: tuple[str, ...] | None = None
    campaigns: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()


def _rule(rule_id: str, message: str, order: int) -> Rule:
    return Rule(
        id=rule_id,
        pack=PACK,
        category="tracking",
        severity=Severity.WARNING,
        basis=BASIS,
        message=message,
        kind="code",
        markets=frozenset({"global"}),
        channels=None,
        sponsored=None,
        scope="copy",
        terms=(),
        pattern=None,
        allow=(),
        allow_pattern=None,
        context_any=None,
        context_none=None,
        trigger=None,
        require=None,
        check=None,
        window=None,
        exempt_local_parts=frozenset(),
        suggestion=None,
        suggestions={},
        waiver_needs_approver=False,
        order=10_000 + order,
    )


RULES: dict[str, Rule] = {
    rid: _rule(rid, msg, i)
    for i, (rid, msg) in enumerate(dict(_KINDS[k] for k in ("missing", "unknown", "case")).items())
}

_CAMPAIGN_SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def taxonomy(
    options: UtmOptions,
    own_domains: Iterable[str],
    dimensions: Iterable[dict[str, list[str]]],
    plan_ids: Iterable[str],
    items: Iterable[str] = (),
) -> Taxonomy:
    """The site's taxonomy: the options plus every plan's channel / source values (and
    budget items) as sources, and plan ids and slug-like campaign values as campaigns."""
    sources: set[str] = set(options.sources) | set(items)
    campaigns: set[str] = set(options.campaigns) | set(plan_ids)
    for dims in dimensions:
        s, c = plan_values(dims)
        sources |= s
        campaigns |= c
    return taxonomy_from(
        sources=sources,
        mediums=options.mediums,
        campaigns=campaigns,
        domains=options.domains or tuple(own_domains),
    )


def findings(text: str, lines: LineMap, file: str, tax: Taxonomy) -> list[Diagnostic]:
    """UTM findings in ``text`` (the page body with code and comments blanked)."""
    out: list[Diagnostic] = []
    for start, end, url in find_links(text):
        for problem in check_url(url, tax):
            rule_id, _ = _KINDS[problem.kind]
            rule = RULES[rule_id]
            line, col = lines.locate(start)
            end_line, end_col = lines.locate(max(start, end - 1))
            shown = url if len(url) <= 120 else url[:117] + "..."
            said = msg("review/finding", message=problem.message, matched=shown, basis=rule.basis)
            extra = [("text", url), ("basis", rule.basis), ("category", rule.category)]
            if problem.suggestion:
                said = msg("review/finding.suggestion", head=said, suggestion=problem.suggestion)
                extra.append(("suggestion", problem.suggestion))
            out.append(
                Diagnostic(
                    file,
                    line,
                    None,
                    rule_id,
                    rule.severity,
                    said,
                    column=col,
                    end_line=end_line,
                    end_column=end_col + 1,
                    extra=tuple(extra),
                )
            )
    return out
