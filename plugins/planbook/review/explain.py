"""``planbook check --explain RULE``: a rule, its legal basis, examples and allowed contexts.

Plain text in the site's language (``zh`` or ``en``); falls back to the other
language where a pack gives only one.
"""

from __future__ import annotations

import difflib

from ..messages import msg, say
from .rules import Rule, RuleSet

_LABELS = {
    "zh": {
        "severity": "级别",
        "error": "错误（法律禁止）",
        "warning": "警告（需人工判断）",
        "info": "提示",
        "basis": "法律依据",
        "finds": "查找",
        "why": "为何需要判断",
        "note": "说明",
        "suggestion": "修改建议",
        "examples": "会报告的例子",
        "clean": "不会报告的例子",
        "contexts": "允许的语境（已知的误报）",
        "allowed": "允许的短语",
        "scope": "适用",
        "markets": "市场",
        "channels": "渠道",
        "sponsored": "仅限推广内容",
        "all": "全部",
        "waiver": "豁免需写明 approved_by",
        "report": "误报？在规则包的 allow / allow_patterns 中加入该语境，并在语料库中加一条 trap 样例。",
    },
    "en": {
        "severity": "Severity",
        "error": "error (forbidden by law)",
        "warning": "warning (needs judgment)",
        "info": "info",
        "basis": "Legal basis",
        "finds": "Finds",
        "why": "Why it needs judgment",
        "note": "Note",
        "suggestion": "Suggestion",
        "examples": "Reported",
        "clean": "Not reported",
        "contexts": "Allowed contexts (known false alarms)",
        "allowed": "Allowed phrases",
        "scope": "Applies to",
        "markets": "markets",
        "channels": "channels",
        "sponsored": "sponsored content only",
        "all": "all",
        "waiver": "a waiver needs approved_by",
        "report": (
            "A false alarm? Add the context to the pack's allow / allow_patterns and a trap "
            "snippet to the corpus."
        ),
    },
}


def _pick(zh: str | None, en: str | None, language: str) -> str | None:
    return (zh or en) if language == "zh" else (en or zh)


def explain(ruleset: RuleSet, rule_id: str, language: str = "zh") -> str:
    """The explanation of ``rule_id``; ``KeyError`` (with a close match) when unknown."""
    rule = ruleset.rules.get(rule_id)
    if rule is None:
        close = difflib.get_close_matches(rule_id, list(ruleset.rules), n=1)
        said = (
            msg("review/unknown-rule.close", rule=rule_id, close=close[0])
            if close
            else msg("review/unknown-rule", rule=rule_id)
        )
        raise KeyError(say(said, language))
    lang = "zh" if language.startswith("zh") else "en"
    return _render(rule, lang)


def _render(rule: Rule, lang: str) -> str:
    t = _LABELS[lang]
    doc = rule.doc
    assert doc is not None
    title = _pick(doc.title, doc.title_en, lang)
    out = [f"{rule.id}" + (f" — {title}" if title else ""), ""]
    out.append(f"{t['finds']}: {_pick(rule.message, doc.message_en, lang)}")
    out.append(f"{t['severity']}: {t[rule.severity.value]}")
    out.append(f"{t['basis']}: {rule.basis}")
    reason = _pick(doc.reason, doc.reason_en, lang)
    if reason:
        label = t["why"] if rule.severity.value == "warning" else t["note"]
        out.append(f"{label}: {reason}")
    scope = [f"{t['markets']} {', '.join(sorted(rule.markets))}"]
    scope.append(
        f"{t['channels']} {', '.join(sorted(rule.channels)) if rule.channels else t['all']}"
    )
    if rule.sponsored:
        scope.append(t["sponsored"])
    out.append(f"{t['scope']}: " + "; ".join(scope))
    suggestion = _pick(rule.suggestion, doc.suggestion_en, lang)
    if suggestion:
        out.append(f"{t['suggestion']}: {suggestion}")
    if rule.waiver_needs_approver:
        out.append(t["waiver"])
    if doc.examples:
        out += ["", f"{t['examples']}:"] + [f"  ✗ {e}" for e in doc.examples]
    if doc.clean:
        out += ["", f"{t['clean']}:"] + [f"  ✓ {c}" for c in doc.clean]
    contexts = (
        (doc.contexts or doc.contexts_en) if lang == "zh" else (doc.contexts_en or doc.contexts)
    )
    if contexts:
        out += ["", f"{t['contexts']}:"] + [f"  - {c}" for c in contexts]
    if doc.allow:
        shown = "、".join(doc.allow[:24]) if lang == "zh" else ", ".join(doc.allow[:24])
        more = f" (+{len(doc.allow) - 24})" if len(doc.allow) > 24 else ""
        out += ["", f"{t['allowed']}: {shown}{more}"]
    out += ["", t["report"]]
    return "\n".join(out) + "\n"
