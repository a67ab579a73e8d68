"""Messages of the content review: findings, directives, waivers, checklist, blocking."""

from __future__ import annotations

from . import register

register(
    {
        # A finding's name and legal basis come from its rule pack, as the pack writes them;
        # name, reason and suggestion are (English, Chinese) pairs (``message_en`` / ``message``).
        "review/finding": (
            "{message:pair}: '{matched}' ({basis})",
            "{message:pair}：“{matched}”（{basis}）",
        ),
        "review/finding.bare": ("{message:pair}", "{message:pair}"),
        "review/finding.reason": ("{head}; {reason:pair}", "{head}；{reason:pair}"),
        "review/finding.suggestion": (
            "{head}; suggestion: {suggestion:pair}",
            "{head}；建议：{suggestion:pair}",
        ),
        "review/finding.draft": (
            "{message} (draft, {severity} once the copy leaves draft)",
            "{message}（草稿；文案离开草稿状态后为{severity}）",
        ),
        "severity.error": ("error", "错误"),
        "severity.warning": ("warning", "警告"),
        "severity.info": ("info", "提示"),
        "review/pack": (
            "unknown rule pack '{name}'{hint}; built-in packs: {packs:list}",
            "未知的规则包 '{name}'{hint}；内置规则包：{packs:list}",
        ),
        "review/directive.own-line": (
            "a planbook directive must be an HTML comment on its own line",
            "planbook 指令必须是单独一行的 HTML 注释",
        ),
        "review/directive.unknown": (
            "unknown directive '{verb}'; expected one of {verbs:list} (e.g. <!-- planbook: "
            "disable-next-line cn-ad-law/absolute-terms -- reason -->)",
            "未知指令 '{verb}'；应为 {verbs:list} 之一（例如 <!-- planbook: disable-next-line "
            "cn-ad-law/absolute-terms -- 原因 -->）",
        ),
        "review/directive.no-rule": (
            "'{verb}' needs a rule id, e.g. 'planbook: {verb} pii/mobile -- reason'",
            "'{verb}' 需要规则 id，例如 'planbook: {verb} pii/mobile -- 原因'",
        ),
        "review/directive.unknown-rule": ("unknown rule '{rule}'{hint}", "未知规则 '{rule}'{hint}"),
        "review/directive.no-reason": (
            "'{verb} {rules}' needs a reason after ' -- ' (why the text is acceptable, who "
            "checked it)",
            "'{verb} {rules}' 需要在 ' -- ' 后写明原因（为什么这段文字可以接受、由谁核实）",
        ),
        "review/directive.enable": (
            "'enable {rule}' without a matching 'disable'",
            "'enable {rule}' 没有对应的 'disable'",
        ),
        "review/directive.twice": (
            "'{rule}' is already disabled since line {line}",
            "'{rule}' 从第 {line} 行起已经停用",
        ),
        "review/hashtag-heading": (
            "'#{topic}#' starts the line, so Markdown shows the line as a heading without its "
            "'#'; write '\\#{topic}#' to publish the topic as written",
            "行首的 '#{topic}#' 会被 Markdown 当作标题显示，且去掉了 '#'；请写成 "
            "'\\#{topic}#'，话题才会照原样发布",
        ),
        "review/directive.unused": (
            "'{verb} {rules}' suppresses nothing: no such finding on {where}",
            "'{verb} {rules}' 没有屏蔽任何内容：{where}没有这样的问题",
        ),
        "review/directive.line": ("line {first}", "第 {first} 行"),
        "review/directive.lines": ("lines {first}–{last}", "第 {first}–{last} 行"),
        "review/blocked": (
            "status is '{status}' but the review is open: {reasons:semi}",
            "状态为 '{status}'，但审核尚未完成：{reasons:semi}",
        ),
        "review/blocked.errors": (
            "{n} open error finding(s): {shown:list}{more}",
            "{n} 个未处理的错误级问题：{shown:list}{more}",
        ),
        "review/blocked.error": (
            "{rule} '{text}' (line {line})",
            "{rule} “{text}”（第 {line} 行）",
        ),
        "review/blocked.more": (" and {n} more", " 等另外 {n} 个"),
        "review/blocked.unsigned": (
            "unsigned required item(s): {items:list}",
            "必签项未签字：{items:list}",
        ),
        "review/blocked.decision": (
            "{role:pair} {name} {decision} on {date}",
            "{role:pair} {name} 于 {date} {decision}",
        ),
        # a sign-off's decision (the English is the value as written in front matter)
        "review/decision.approved": ("approved", "通过"),
        "review/decision.rejected": ("rejected", "驳回"),
        "review/decision.changes-requested": ("changes-requested", "需修改"),
        "review/waiver.unknown-rule": ("unknown rule '{rule}'{hint}", "未知规则 '{rule}'{hint}"),
        "review/waiver.approver": (
            "a waiver of {rule} ({category}) needs approved_by: who accepted the risk",
            "豁免 {rule}（{category}）需要 approved_by：由谁接受这个风险",
        ),
        "review/waiver.expired": (
            "waiver of {rule} expired on {expires}; the finding is open again",
            "{rule} 的豁免已于 {expires} 过期；该问题重新打开",
        ),
        "review/waiver.unused": (
            "waiver of {rule}{what} matches no finding on this page",
            "{rule} {what}的豁免在本页没有匹配到任何问题",
        ),
        "review/waiver.matching": (" matching '{match}'", "中匹配 '{match}' "),
        "review/checklist": (
            "unknown checklist item '{key}'{hint}; items: {items:list}",
            "未知的检查项 '{key}'{hint}；检查项：{items:list}",
        ),
    }
)

register(
    {
        "review/pack.regex": (
            "invalid regular expression {pattern!r}: {error}",
            "无效的正则表达式 {pattern!r}：{error}",
        ),
        "review/pack.slow-regex": (
            "rule '{rule}', {field}: {problem}",
            "规则 '{rule}' 的 {field}：{problem}",
        ),
        "review/pack.unreadable": ("cannot read rule pack: {error}", "无法读取规则包：{error}"),
        "review/pack.not-a-mapping": (
            "a rule pack must be a mapping with 'pack' and 'rules'",
            "规则包必须是含有 'pack' 和 'rules' 的映射",
        ),
        "review/pack.twice": (
            "pack '{pack}' is already loaded from {first}",
            "规则包 '{pack}' 已从 {first} 加载",
        ),
        "review/pack.rule-prefix": (
            "rule id '{id}' must start with the pack name '{pack}/'",
            "规则 id '{id}' 必须以规则包名 '{pack}/' 开头",
        ),
        "review/pack.rule-twice": (
            "rule '{id}' is defined twice (first in {first})",
            "规则 '{id}' 定义了两次（第一次在 {first}）",
        ),
        "review/pack.match": (
            "a 'match' rule needs terms or patterns",
            "'match' 规则需要 terms 或 patterns",
        ),
        "review/pack.require": (
            "a 'require' rule needs 'require' patterns",
            "'require' 规则需要 'require' 模式",
        ),
        "review/pack.check": (
            "check '{check}' needs patterns that find the candidates",
            "检查 '{check}' 需要用于找出候选文本的 patterns",
        ),
        # planbook check --explain RULE with a rule no pack has
        "review/unknown-rule": ("unknown rule '{rule}'", "未知规则 '{rule}'"),
        "review/unknown-rule.close": (
            "unknown rule '{rule}' (did you mean '{close}'?)",
            "未知规则 '{rule}'（是否想写 '{close}'？）",
        ),
    }
)
