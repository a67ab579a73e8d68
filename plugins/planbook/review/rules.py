"""Rule packs: YAML data -> validated rule definitions -> one compiled rule set.

A pack is a YAML file::

    pack: cn-ad-law
    title: 《中华人民共和国广告法》
    rules:
      - id: cn-ad-law/absolute-terms
        category: absolute
        severity: error
        basis: 《广告法》第九条第三项
        message: 绝对化用语
        terms: [最佳, 第一]
        allow: [第一季度, 最佳饮用温度]
        suggestions: {最佳: 优选/更好的}

Terms go into one Aho-Corasick automaton per pack (matched on text whose ASCII
letters are lower-cased); ``patterns`` are regular expressions, joined into one
compiled expression per rule. A rule's optional ``window`` is a cheap regular
expression for the stretches of text its patterns can match in (digit runs for
phone and card numbers): the patterns only run inside those windows, and rules
with the same window share one scan per page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import ahocorasick
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from ..diagnostics import Diagnostic, Severity
from ..frontmatter import parse_yaml
from ..messages import msg
from ..regex_guard import regex_problem
from ..validation import validate
from .spec import Channel

PACKS_DIR = Path(__file__).resolve().parent / "packs"
BUILTIN_PACKS: tuple[str, ...] = ("cn-ad-law", "pii", "en-marketing")

RuleId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*/[a-z0-9][a-z0-9-]*$")]
PackName = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]
Check = Literal["id-card", "luhn", "mobile", "email"]
ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True
    )


class RuleDef(_Model):
    """One rule as written in a pack."""

    id: RuleId
    category: PackName
    severity: Literal["error", "warning", "info"]
    basis: str = Field(min_length=1)
    message: str = Field(min_length=1)
    kind: Literal["match", "require"] = "match"
    markets: list[Literal["cn", "en", "global"]] = Field(default_factory=lambda: ["global"])
    channels: list[Channel] | None = None
    sponsored: bool | None = None
    scope: Literal["copy", "text"] = "copy"
    terms: list[Annotated[str, StringConstraints(min_length=1)]] = Field(default_factory=list)
    patterns: list[str] = Field(default_factory=list)
    allow: list[Annotated[str, StringConstraints(min_length=1)]] = Field(default_factory=list)
    allow_patterns: list[str] = Field(default_factory=list)
    context_any: list[str] = Field(default_factory=list)
    context_none: list[str] = Field(default_factory=list)
    trigger: list[str] = Field(default_factory=list)
    require: list[str] = Field(default_factory=list)
    check: Check | None = None
    window: str | None = None
    exempt_local_parts: list[str] = Field(default_factory=list)
    suggestion: str | None = None
    suggestions: dict[str, str] = Field(default_factory=dict)
    waiver_needs_approver: bool = False
    # What ``planbook check --explain RULE`` prints (and warnings carry their reason).
    title: str | None = None
    title_en: str | None = None
    message_en: str | None = None
    suggestion_en: str | None = None
    reason: str | None = None
    reason_en: str | None = None
    contexts: list[str] = Field(default_factory=list)
    contexts_en: list[str] = Field(default_factory=list)
    examples: list[str] = Field(default_factory=list)
    clean: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _shape(self) -> RuleDef:
        if self.kind == "match" and not (self.terms or self.patterns):
            raise ValueError(msg("review/pack.match"))
        if self.kind == "require" and not self.require:
            raise ValueError(msg("review/pack.require"))
        if self.check and not self.patterns:
            raise ValueError(msg("review/pack.check", check=self.check))
        return self


class PackDef(_Model):
    """A rule pack file."""

    pack: PackName
    title: str | None = None
    rules: list[RuleDef] = Field(min_length=1)


_FLAGS = re.IGNORECASE | re.MULTILINE


def _join(patterns: list[str]) -> re.Pattern[str] | None:
    """One pattern for a rule field's patterns: a single one as it is (compiled already
    by ``_compile_rule``'s check, with these flags: ``re``'s cache answers), several as
    alternatives."""
    if not patterns:
        return None
    if len(patterns) == 1:
        return re.compile(patterns[0], _FLAGS)
    return re.compile("|".join(_alternative(p) for p in patterns), _FLAGS)


# inline flags at a pattern's start, e.g. ``(?s)``: legal only at the start of the whole
# expression, so an alternative keeps them as a scoped group, ``(?s:...)``
_LEADING_FLAGS = re.compile(r"(?:\(\?[aiLmsux]+\))+")


def _alternative(pattern: str) -> str:
    """One pattern as an alternative of a joined expression, with its own flags."""
    lead = _LEADING_FLAGS.match(pattern)
    if lead is None:
        return f"(?:{pattern})"
    flags = "".join(dict.fromkeys(re.findall(r"[aiLmsux]", lead.group())))
    end = "\n" if "x" in flags else ""  # a verbose pattern's last comment ends there
    return f"(?{flags}:{pattern[lead.end() :]}{end})"


@dataclass(frozen=True)
class RuleDoc:
    """What a rule explains about itself, in Chinese and English."""

    title: str | None = None
    title_en: str | None = None
    message_en: str | None = None
    suggestion_en: str | None = None
    reason: str | None = None
    reason_en: str | None = None
    contexts: tuple[str, ...] = ()
    contexts_en: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    clean: tuple[str, ...] = ()
    allow: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    """A compiled rule."""

    id: str
    pack: str
    category: str
    severity: Severity
    basis: str
    message: str
    kind: str
    markets: frozenset[str]
    channels: frozenset[str] | None
    sponsored: bool | None
    scope: str
    terms: tuple[str, ...]
    pattern: re.Pattern[str] | None
    allow: tuple[str, ...]
    allow_pattern: re.Pattern[str] | None
    context_any: re.Pattern[str] | None
    context_none: re.Pattern[str] | None
    trigger: re.Pattern[str] | None
    require: re.Pattern[str] | None
    check: str | None
    window: re.Pattern[str] | None
    exempt_local_parts: frozenset[str]
    suggestion: str | None
    suggestions: dict[str, str]
    waiver_needs_approver: bool
    order: int = 0
    doc: RuleDoc | None = field(default=None, compare=False, repr=False)
    _allow_offsets: dict[str, tuple[tuple[str, int], ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def applies(self, market: str, channel: str, sponsored: bool) -> bool:
        if "global" not in self.markets and market not in self.markets:
            return False
        if self.channels is not None and channel not in self.channels:
            return False
        return self.sponsored is None or self.sponsored == sponsored

    def allowed_at(self, lowered: str, start: int, end: int) -> bool:
        """Whether an allowed phrase around ``lowered[start:end]`` contains the hit."""
        hit = lowered[start:end]
        offsets = self._allow_offsets.get(hit)
        if offsets is None:
            found: list[tuple[str, int]] = []
            for phrase in self.allow:
                i = phrase.find(hit)
                while i >= 0:
                    found.append((phrase, i))
                    i = phrase.find(hit, i + 1)
            offsets = self._allow_offsets[hit] = tuple(found)
        for phrase, off in offsets:
            s = start - off
            if s >= 0 and lowered.startswith(phrase, s):
                return True
        if self.allow_pattern is not None:
            lo = max(0, start - 40)
            for m in self.allow_pattern.finditer(lowered, lo, min(len(lowered), end + 40)):
                if m.start() <= start and end <= m.end():
                    return True
        return False

    def suggest(self, matched: str) -> str | None:
        key = matched.translate(ASCII_LOWER)
        for term, text in self.suggestions.items():
            if term.translate(ASCII_LOWER) in key:
                return text
        return self.suggestion


@dataclass
class RuleSet:
    """All rules of a build, compiled once."""

    rules: dict[str, Rule]
    automata: dict[str, Any]  # pack -> ahocorasick.Automaton (None when the pack has no terms)
    packs: tuple[str, ...]
    sources: dict[str, str]  # pack -> file it came from

    def by_pack(self, pack: str) -> list[Rule]:
        return [r for r in self.rules.values() if r.pack == pack]


_PATTERN_FIELDS = (
    "patterns",
    "allow_patterns",
    "context_any",
    "context_none",
    "trigger",
    "require",
    "window",
)


def _field_patterns(d: RuleDef, name: str) -> list[str]:
    value = getattr(d, name)
    return [value] if isinstance(value, str) else (value or [])


def _compile_shipped(d: RuleDef) -> dict[str, re.Pattern[str] | None] | None:
    """A shipped rule's patterns, each field's compiled once (joined): the tests compile
    every shipped pattern alone too (test_review: the packs build without diagnostics),
    which the build does for a site's own packs. ``None`` if one does not compile."""
    try:
        return {name: _join(_field_patterns(d, name)) for name in _PATTERN_FIELDS}
    except re.error:
        return None  # checked one pattern at a time, for the diagnostics


def _compile_rule(
    d: RuleDef,
    pack: str,
    order: int,
    file: str,
    line_of: Any,
    index: int,
    shipped: bool = False,
) -> tuple[Rule | None, list[Diagnostic]]:
    """One rule compiled, or the diagnostics of its patterns. A ``shipped`` rule's
    patterns are not compiled one by one first (issue 12: half the packs' compile time
    of every build, for patterns the test suite checks)."""
    compiled = _compile_shipped(d) if shipped else None
    diags: list[Diagnostic] = []
    if compiled is None:
        compiled, diags = _compile_checked(d, file, line_of, index)
    if diags:
        return None, diags
    lower = ASCII_LOWER
    rule = Rule(
        id=d.id,
        pack=pack,
        category=d.category,
        severity=Severity(d.severity),
        basis=d.basis,
        message=d.message,
        kind=d.kind,
        markets=frozenset(d.markets),
        channels=frozenset(d.channels) if d.channels is not None else None,
        sponsored=d.sponsored,
        scope=d.scope,
        terms=tuple(t.translate(lower) for t in d.terms),
        pattern=compiled["patterns"],
        allow=tuple(a.translate(lower) for a in d.allow),
        allow_pattern=compiled["allow_patterns"],
        context_any=compiled["context_any"],
        context_none=compiled["context_none"],
        trigger=compiled["trigger"],
        require=compiled["require"],
        check=d.check,
        window=compiled["window"],
        exempt_local_parts=frozenset(x.lower() for x in d.exempt_local_parts),
        suggestion=d.suggestion,
        suggestions=dict(sorted(d.suggestions.items(), key=lambda kv: -len(kv[0]))),
        waiver_needs_approver=d.waiver_needs_approver,
        order=order,
        doc=RuleDoc(
            title=d.title,
            title_en=d.title_en,
            message_en=d.message_en,
            suggestion_en=d.suggestion_en,
            reason=d.reason,
            reason_en=d.reason_en,
            contexts=tuple(d.contexts),
            contexts_en=tuple(d.contexts_en),
            examples=tuple(d.examples),
            clean=tuple(d.clean),
            allow=tuple(d.allow),
        ),
    )
    return rule, []


def _compile_checked(
    d: RuleDef, file: str, line_of: Any, index: int
) -> tuple[dict[str, re.Pattern[str] | None], list[Diagnostic]]:
    """Each field's patterns compiled alone (a diagnostic each that does not), then
    joined."""
    diags: list[Diagnostic] = []
    compiled: dict[str, re.Pattern[str] | None] = {}
    for name in _PATTERN_FIELDS:
        items = _field_patterns(d, name)
        for j, p in enumerate(items):
            try:
                re.compile(p, _FLAGS)  # the flags _join compiles with (one compilation)
                slow = regex_problem(p, _FLAGS)
                problem = (
                    msg("review/pack.slow-regex", rule=d.id, field=name, problem=slow)
                    if slow is not None
                    else None
                )
            except re.error as e:
                problem = msg("review/pack.regex", pattern=p, error=e)
            if problem is not None:
                diags.append(
                    Diagnostic(
                        file,
                        line_of((name,) if name == "window" else (name, j)),
                        f"rules[{index}].{name}" + ("" if name == "window" else f"[{j}]"),
                        "review/pack",
                        Severity.ERROR,
                        problem,
                    )
                )
        if diags:
            continue
        try:
            compiled[name] = _join(items)
        except re.error as e:  # each compiles alone, not together (a group name twice)
            diags.append(
                Diagnostic(
                    file,
                    line_of((name,)),
                    f"rules[{index}].{name}",
                    "review/pack",
                    Severity.ERROR,
                    msg("review/pack.regex", pattern=" | ".join(items), error=e),
                )
            )
    return compiled, diags


def read_pack(path: Path, file: str | None = None) -> tuple[PackDef | None, Any, list[Diagnostic]]:
    """Read and validate one pack file; diagnostics name the file, line and field."""
    file = file or str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as e:
        return (
            None,
            None,
            [
                Diagnostic(
                    file,
                    None,
                    None,
                    "review/pack",
                    Severity.ERROR,
                    msg("review/pack.unreadable", error=e.strerror or e),
                )
            ],
        )
    data, locs, diags = parse_yaml(text, file)
    if data is None or diags:
        return None, locs, [Diagnostic(*_as_pack(d)) for d in diags]
    if not isinstance(data, dict):
        return (
            None,
            locs,
            [
                Diagnostic(
                    file,
                    1,
                    None,
                    "review/pack",
                    Severity.ERROR,
                    msg("review/pack.not-a-mapping"),
                )
            ],
        )
    pack, vdiags = validate(PackDef, data, file=file, locations=locs, prefix=())
    return pack, locs, [_retag(d) for d in vdiags]


def _as_pack(d: Diagnostic) -> tuple[Any, ...]:
    return (d.file, d.line, d.field, "review/pack", d.severity, d.message, d.column)


def _retag(d: Diagnostic) -> Diagnostic:
    return Diagnostic(d.file, d.line, d.field, "review/pack", d.severity, d.message, d.column)


def build_ruleset(
    sources: list[tuple[Path, str]], config_file: str = "mkdocs.yml"
) -> tuple[RuleSet, list[Diagnostic]]:
    """Compile the packs at ``sources`` ((path, name shown in diagnostics))."""
    diags: list[Diagnostic] = []
    rules: dict[str, Rule] = {}
    origin: dict[str, str] = {}
    packs: list[str] = []
    pack_files: dict[str, str] = {}
    for path, shown in sources:
        shipped = path.parent == PACKS_DIR  # the package's own packs (load_ruleset)
        pack, locs, pdiags = read_pack(path, shown)
        diags.extend(pdiags)
        if pack is None:
            continue
        if pack.pack in pack_files:
            diags.append(
                Diagnostic(
                    shown,
                    locs.line(("pack",)),
                    "pack",
                    "review/pack",
                    Severity.ERROR,
                    msg("review/pack.twice", pack=pack.pack, first=pack_files[pack.pack]),
                )
            )
            continue
        pack_files[pack.pack] = shown
        packs.append(pack.pack)
        for i, d in enumerate(pack.rules):

            def line_of(sub: tuple[Any, ...], i: int = i, locs: Any = locs) -> int:
                return locs.line(("rules", i, *sub))

            if not d.id.startswith(pack.pack + "/"):
                diags.append(
                    Diagnostic(
                        shown,
                        line_of(("id",)),
                        f"rules[{i}].id",
                        "review/pack",
                        Severity.ERROR,
                        msg("review/pack.rule-prefix", id=d.id, pack=pack.pack),
                    )
                )
                continue
            if d.id in rules:
                diags.append(
                    Diagnostic(
                        shown,
                        line_of(("id",)),
                        f"rules[{i}].id",
                        "review/pack",
                        Severity.ERROR,
                        msg("review/pack.rule-twice", id=d.id, first=origin[d.id]),
                    )
                )
                continue
            rule, rdiags = _compile_rule(d, pack.pack, len(rules), shown, line_of, i, shipped)
            diags.extend(rdiags)
            if rule is not None:
                rules[d.id] = rule
                origin[d.id] = shown
    automata: dict[str, Any] = {}
    for pack_name in packs:
        words: dict[str, list[str]] = {}
        for r in rules.values():
            if r.pack == pack_name:
                for t in r.terms:
                    words.setdefault(t, []).append(r.id)
        if not words:
            automata[pack_name] = None
            continue
        auto = ahocorasick.Automaton()
        for t, ids in words.items():
            auto.add_word(t, (t, tuple(ids)))
        auto.make_automaton()
        automata[pack_name] = auto
    return RuleSet(rules, automata, tuple(packs), pack_files), diags
