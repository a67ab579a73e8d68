"""Review a page: findings from the rule packs, suppressions, waivers, checklist (the
waivers and the checklist are :mod:`.signoffs`).

Plain Python: takes text, front matter and configuration, returns a
:class:`PageReview`. Never imports MkDocs, never reads the clock.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from ..diagnostics import Diagnostic, Severity
from ..frontmatter import FrontMatter, Locations, PathKey, format_path
from ..i18n import LABELS
from ..messages import msg
from ..validation import validate
from .directives import parse_directives
from .matching import hits, requires
from .rules import BUILTIN_PACKS, PACKS_DIR, Rule, RuleDoc, RuleSet, build_ruleset
from .signoffs import ChecklistRow, apply_waivers, checklist_rows, latest_approvals
from .spec import DEFAULT_CHECKLIST, Approval, ChecklistItemDef, ReviewSpec
from .text import LineMap, mask
from .utm import RULES as UTM_RULES
from .utm import Taxonomy, UtmOptions
from .utm import findings as utm_findings

FindingState = Literal["open", "waived", "suppressed"]
# `#话题#` opening a line (up to three spaces in): Python-Markdown makes it a heading
_TOPIC_LINE = re.compile(r"^ {0,3}#([^\s#][^#\n]{0,80})#", re.M)
BLOCKING_STATUSES = frozenset({"approved", "active"})


@dataclass(frozen=True)
class ReviewConfig:
    """Site-level review settings (from the plugin options)."""

    market: str = "cn"
    channel: str = "web"
    packs: tuple[str, ...] = BUILTIN_PACKS
    extra_packs: tuple[Path, ...] = ()
    checklist: tuple[ChecklistItemDef, ...] = DEFAULT_CHECKLIST
    own_domains: tuple[str, ...] = ()
    all_pages: bool = False
    alt_text: bool = True  # image alt text is copy (Markdown ![alt] and <img alt>)
    config_file: str = "mkdocs.yml"  # named by diagnostics about the configuration
    root: Path | None = None  # the site's folder: a site pack is named relative to it
    utm: UtmOptions | None = None  # the UTM link check (None: off)


# Front-matter fields that are published copy: the page title and its description.
COPY_FIELDS: tuple[PathKey, ...] = (
    ("title",),
    ("description",),
    ("plan", "title"),
    ("plan", "description"),
)


@dataclass
class RulesetCache:
    """The last rule set compiled, kept while its packs' contents and the options that
    shape it stay the same: a ``mkdocs serve`` rebuild reads each pack's bytes, and
    compiles again only when one changed (or appeared, or went away)."""

    key: tuple[Any, ...] | None = None
    value: tuple[RuleSet, list[Diagnostic]] | None = None
    compiled: int = 0  # times the packs were read and compiled


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:  # read_pack says why
        return None


def load_ruleset(
    config: ReviewConfig, cache: RulesetCache | None = None
) -> tuple[RuleSet, list[Diagnostic]]:
    """Read, validate and compile the configured packs (once per build; with ``cache``,
    once per content of the packs)."""
    diags: list[Diagnostic] = []
    sources: list[tuple[Path, str]] = []
    for name in config.packs:
        path = PACKS_DIR / f"{name}.yml"
        if not path.is_file():
            close = difflib.get_close_matches(name, BUILTIN_PACKS, n=1)
            hint = msg("hint.close", close=close[0]) if close else ""
            diags.append(
                Diagnostic(
                    config.config_file,
                    None,
                    "review.packs",
                    "review/pack",
                    Severity.ERROR,
                    msg("review/pack", name=name, hint=hint, packs=BUILTIN_PACKS),
                )
            )
            continue
        sources.append((path, f"planbook/review/packs/{name}.yml"))
    sources.extend((Path(p), _shown(Path(p), config.root)) for p in config.extra_packs)
    utm = config.utm is not None and config.utm.enabled
    key = None
    if cache is not None:
        key = (
            config.packs,
            tuple((str(path), shown, _digest(path)) for path, shown in sources),
            config.config_file,
            utm,
        )
        if cache.key == key and cache.value is not None:
            ruleset, pack_diags = cache.value
            return ruleset, diags + pack_diags
    ruleset, pack_diags = build_ruleset(sources, config.config_file)
    if utm:
        ruleset.rules.update(UTM_RULES)
    if cache is not None:
        cache.key, cache.value = key, (ruleset, list(pack_diags))
        cache.compiled += 1
    return ruleset, diags + pack_diags


# ----------------------------------------------------------------------------- results


@dataclass
class Finding:
    """One automatic finding and what became of it."""

    diagnostic: Diagnostic
    state: FindingState = "open"
    waived_by: str | None = None
    reason: str | None = None
    category: str = ""
    # the copy just before and after the offending text on its line (see _around)
    context: tuple[str, str] = ("", "")

    @property
    def rule(self) -> str:
        return self.diagnostic.rule

    @property
    def severity(self) -> Severity:
        return self.diagnostic.severity

    @property
    def text(self) -> str:
        return self.diagnostic.get("text") or ""

    @property
    def basis(self) -> str:
        return self.diagnostic.get("basis") or ""

    @property
    def suggestion(self) -> str | None:
        return self.diagnostic.get("suggestion")

    @property
    def line(self) -> int | None:
        return self.diagnostic.line


@dataclass
class PageReview:
    """Everything the review found on one page.

    ``diagnostics`` is what the plugin logs: open findings at their severity
    (at ``info`` on draft pages, see ``draft``), directive, waiver and spec
    errors, and ``review/blocked``.
    """

    file: str
    in_scope: bool
    status: str | None = None
    market: str = "cn"
    channel: str = "web"
    sponsored: bool = False
    findings: list[Finding] = field(default_factory=list)
    checklist: list[ChecklistRow] = field(default_factory=list)
    approvals: list[Approval] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    blocking: bool = False
    blocked_by: list[str] = field(default_factory=list)
    draft: bool = False  # findings are shown but logged at info: the copy is a draft
    # (the page's validated review spec is not kept: its approvals are, the rest is read
    # while the review is made; a 1,000-plan site held ~2 MB of specs to its end, issue 12)

    @property
    def open_findings(self) -> list[Finding]:
        return [f for f in self.findings if f.state == "open"]

    @property
    def waived(self) -> list[Finding]:
        return [f for f in self.findings if f.state != "open"]

    @property
    def missing_signoffs(self) -> list[ChecklistRow]:
        return [r for r in self.checklist if r.required and not r.signed]


# ------------------------------------------------------------------------- directives

# -------------------------------------------------------------------------------- page


def _get(data: dict[str, Any], path: PathKey) -> Any:
    value: Any = data
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _finding(
    rule: Rule,
    matched: str,
    file: str,
    line: int | None,
    field_path: str | None,
    span: tuple[int, int, int] | None,
    market: str = "cn",
) -> Finding:
    """A finding for ``matched`` (column, end line and end column from ``span``). Its name,
    reason and suggestion are said in English on an English site, and on an English page
    (market ``en``) in every language: the pack's ``message_en`` beside its ``message``."""
    doc = rule.doc or RuleDoc()
    name = _pair(rule.message, doc.message_en, market)
    reason = _pair(doc.reason, doc.reason_en, market)
    suggestion = rule.suggest(matched)
    if suggestion is not None and suggestion == rule.suggestion:  # not a term's replacement
        suggestion_of = _pair(suggestion, doc.suggestion_en, market)
    else:
        suggestion_of = (suggestion, suggestion)
    said = (
        msg("review/finding", message=name, matched=matched, basis=rule.basis)
        if matched
        else msg("review/finding.bare", message=name)
    )
    if reason[0] and rule.severity is not Severity.ERROR:
        said = msg("review/finding.reason", head=said, reason=reason)
    if suggestion:
        said = msg("review/finding.suggestion", head=said, suggestion=suggestion_of)
    extra = [("text", matched), ("basis", rule.basis), ("category", rule.category)]
    if suggestion:
        extra.append(("suggestion", suggestion_of[1]))  # the page's table: the copy's language
    col, end_line, end_col = span if span is not None else (None, None, None)
    d = Diagnostic(
        file,
        line,
        field_path,
        rule.id,
        rule.severity,
        said,
        column=col,
        end_line=end_line,
        end_column=end_col,
        extra=tuple(extra),
    )
    return Finding(d, category=rule.category)


def _around(text: str, start: int, end: int, width: int = 24) -> tuple[str, str]:
    """The text before and after ``text[start:end]`` (stripped as the finding's text is)
    on its line, up to ``width`` characters each side, "…" where it was cut."""
    seg = text[start:end]
    start += len(seg) - len(seg.lstrip())
    end -= len(seg) - len(seg.rstrip())
    lo = text.rfind("\n", 0, start) + 1
    hi = text.find("\n", end)
    hi = len(text) if hi < 0 else hi
    before = text[max(lo, start - width) : start].lstrip()
    after = text[end : min(hi, end + width)].rstrip()
    if start - width > lo:
        before = "…" + before
    if end + width < hi:
        after += "…"
    return before, after


def _pair(zh: str | None, en: str | None, market: str) -> tuple[str | None, str | None]:
    """(English, Chinese) text of a pack's field: a language the pack does not write
    falls back to the other, and an English page reads the English in both."""
    english = en or zh
    return (english, english if market == "en" else zh or en)


def _spec_of(front_matter: dict[str, Any]) -> tuple[Any, PathKey]:
    plan = front_matter.get("plan")
    if isinstance(plan, dict) and plan.get("review") is not None:
        return plan["review"], ("plan", "review")
    return front_matter.get("review"), ("review",)


def page_in_scope(front_matter: dict[str, Any], config: ReviewConfig) -> bool:
    """Whether a page with this front matter is reviewed (a plan, a ``review:`` mapping,
    or every page with ``review_all_pages``)."""
    return (
        config.all_pages or "review" in front_matter or isinstance(front_matter.get("plan"), dict)
    )


def review_page(
    *,
    file: str,
    front_matter: dict[str, Any],
    locations: Locations,
    body: str,
    body_line: int,
    ruleset: RuleSet,
    config: ReviewConfig,
    today: date,
    plan_status: str | None,
    spec: ReviewSpec | None = None,
    utm: Taxonomy | None = None,
) -> PageReview:
    """Check one page. ``spec`` may be passed when the caller validated it already."""
    if not page_in_scope(front_matter, config):
        return PageReview(file, in_scope=False)
    diags: list[Diagnostic] = []
    raw, prefix = _spec_of(front_matter)
    if spec is None and raw is not None:
        spec, diags = validate(ReviewSpec, raw, file=file, locations=locations, prefix=prefix)
    spec = spec or ReviewSpec()
    is_plan = isinstance(front_matter.get("plan"), dict)
    market = spec.market or config.market
    channel = spec.channel or ("plan" if is_plan and spec.channel is None else config.channel)
    sponsored = spec.sponsored if spec.sponsored is not None else channel == "kol"
    status = plan_status or spec.status
    review = PageReview(
        file,
        in_scope=True,
        status=status,
        market=market,
        channel=channel,
        sponsored=sponsored,
        approvals=list(spec.approvals),
        draft=status == "draft",
    )

    # 1. findings: the body, then the title and description in the front matter
    masked = mask(body, alt_text=config.alt_text)
    lines = LineMap(body, body_line)
    rules = [r for r in ruleset.rules.values() if r.applies(market, channel, sponsored)]
    spans = hits(masked, rules, ruleset, config) + requires(masked, rules)
    for start, end, rule in spans:
        line, col = lines.locate(start)
        end_line, end_col = lines.locate(max(start, end - 1))
        # a page-level rule without a trigger has no offending text, only a place
        matched = "" if rule.kind == "require" and rule.trigger is None else body[start:end].strip()
        finding = _finding(rule, matched, file, line, None, (col, end_line, end_col + 1), market)
        if matched:
            finding.context = _around(body, start, end)
        review.findings.append(finding)
    match_rules = [r for r in rules if r.kind == "match"]
    for path in COPY_FIELDS:
        value = _get(front_matter, path)
        if not isinstance(value, str) or not value.strip():
            continue
        line = locations.line(path)
        for start, end, rule in hits(mask(value), match_rules, ruleset, config):
            matched = value[start:end].strip()
            finding = _finding(rule, matched, file, line, format_path(path), None, market)
            finding.context = _around(value, start, end)
            review.findings.append(finding)
    review.findings.sort(key=lambda f: (f.diagnostic.line or 0, f.diagnostic.column or 0))

    if channel != "plan":  # a Weibo / Xiaohongshu topic at a line's start is a heading
        for hit in _TOPIC_LINE.finditer(masked.text):
            line, col = lines.locate(hit.start())
            topic = hit.group(1)[:40]
            diags.append(
                Diagnostic(
                    file,
                    line,
                    None,
                    "review/hashtag-heading",
                    Severity.WARNING,
                    msg("review/hashtag-heading", topic=topic),
                    column=col,
                )
            )

    if utm is not None and channel != "plan":  # links in copy carry the site's UTM tags
        for d in utm_findings(masked.text, lines, file, utm):
            review.findings.append(Finding(d, category="tracking"))

    # 2. inline suppressions
    directives, ddiags = parse_directives(masked, lines, file, ruleset.rules)
    diags.extend(ddiags)
    for f in review.findings:
        line = f.diagnostic.line or 0
        for d in directives:
            if f.rule in d.rules and d.first <= line <= d.last:
                f.state, f.reason = "suppressed", d.reason
                d.used = True
                break
    for d in directives:
        if not d.used:
            where = (
                msg("review/directive.line", first=d.first)
                if d.first == d.last
                else msg("review/directive.lines", first=d.first, last=d.last)
            )
            diags.append(
                Diagnostic(
                    file,
                    d.line,
                    None,
                    "review/directive",
                    Severity.WARNING,
                    msg(
                        "review/directive.unused",
                        verb=d.verb,
                        rules=", ".join(d.rules),
                        where=where,
                    ),
                    column=d.column,
                )
            )

    # 3. waivers
    diags.extend(apply_waivers(review, spec, ruleset, file, locations, prefix, today))

    # 4. checklist
    review.checklist, cdiags = checklist_rows(spec, config, file, locations, prefix)
    diags.extend(cdiags)

    # 5. what is logged
    for f in review.open_findings:
        d = f.diagnostic
        if review.draft and d.severity is not Severity.INFO:
            d = Diagnostic(
                d.file,
                d.line,
                d.field,
                d.rule,
                Severity.INFO,
                msg(
                    "review/finding.draft",
                    message=d.message,
                    severity=msg(f"severity.{d.severity.value}"),
                ),
                column=d.column,
                end_line=d.end_line,
                end_column=d.end_column,
                extra=d.extra,
            )
        diags.append(d)

    # 6. blocking
    if status in BLOCKING_STATUSES:
        reasons: list[str] = []
        errors = [f for f in review.open_findings if f.severity is Severity.ERROR]
        if errors:
            shown = [
                msg("review/blocked.error", rule=f.rule, text=f.text, line=f.line)
                for f in errors[:5]
            ]
            more = msg("review/blocked.more", n=len(errors) - 5) if len(errors) > 5 else ""
            reasons.append(msg("review/blocked.errors", n=len(errors), shown=shown, more=more))
        missing = review.missing_signoffs
        if missing:
            reasons.append(msg("review/blocked.unsigned", items=[r.id for r in missing]))
        for a in latest_approvals(spec.approvals).values():
            if a.decision != "approved":
                reasons.append(
                    msg(
                        "review/blocked.decision",
                        role=(a.role, LABELS["zh"].get(f"role.{a.role}", a.role)),
                        name=a.name,
                        decision=msg(f"review/decision.{a.decision}"),
                        date=a.date,
                    )
                )
        if reasons:
            review.blocking = True
            review.blocked_by = reasons
            where: PathKey = ("plan", "status") if plan_status else (*prefix, "status")
            diags.append(
                Diagnostic(
                    file,
                    locations.line(where),
                    format_path(where),
                    "review/blocked",
                    Severity.ERROR,
                    msg("review/blocked", status=status, reasons=reasons),
                )
            )
    review.diagnostics = diags
    return review


def review_front_matter(
    front: FrontMatter,
    *,
    file: str,
    ruleset: RuleSet,
    config: ReviewConfig,
    today: date,
    plan_status: str | None,
    utm: Taxonomy | None = None,
) -> PageReview:
    """:func:`review_page` on a page read with :func:`~planbook.frontmatter.read_front_matter`."""
    return review_page(
        file=file,
        front_matter=front.data,
        locations=front.locations,
        body=front.body,
        body_line=front.body_line,
        ruleset=ruleset,
        config=config,
        today=today,
        plan_status=plan_status,
        utm=utm,
    )


def _shown(path: Path, root: Path | None) -> str:
    """A site pack's path as diagnostics name it: relative to the site's folder, as
    pages are (``review/acme.yml``, not the absolute path)."""
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except (ValueError, OSError):
            pass
    return str(path)
