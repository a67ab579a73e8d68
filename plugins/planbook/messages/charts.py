"""Messages about chart and section shortcodes' arguments."""

from __future__ import annotations

from . import register

register(
    {
        "chart.positional": (
            "{call} takes at most {n} positional argument(s), got {got}",
            "{call} 最多接受 {n} 个位置参数，实际给了 {got} 个",
        ),
        "chart.unknown-argument": (
            "{call} has no argument {unknown:list} (allowed: {allowed})",
            "{call} 没有参数 {unknown:list}（可用：{allowed}）",
        ),
        "chart.twice": ("{call} got {name} twice", "{call} 的参数 {name} 给了两次"),
        "chart.needs": (
            "{call} needs {missing:list}, e.g. {example}",
            "{call} 需要 {missing:list}，例如 {example}",
        ),
        "chart.unknown-goal": (
            "{call}: no goal with id {id!r}{hint}; goals: {goals}",
            "{call}：没有 id 为 {id!r} 的目标{hint}；已有目标：{goals}",
        ),
        "chart.kpi-quoted": (
            '{call}: the KPI is a quoted id such as "ctr", got {got!r}',
            '{call}：KPI 应为带引号的 id，例如 "ctr"，实际为 {got!r}',
        ),
        "chart.kpi": ("{call}: {problem}", "{call}：{problem}"),
        "chart.missing-column": (
            "{call}: KPI '{kpi}' needs column(s) {missing:list}, which the plan's data does not have",
            "{call}：KPI '{kpi}' 需要数据列 {missing:list}，计划数据中没有",
        ),
        "chart.metric": (
            "{call}: metric must be 'revenue' or 'conversions', got {got!r}{hint}",
            "{call}：metric 必须是 'revenue' 或 'conversions'，实际为 {got!r}{hint}",
        ),
        "chart.unknown-value": (
            "{call}: no rows with {dim} = {value!r}{hint}; values: {known:list}",
            "{call}：没有 {dim} = {value!r} 的行{hint}；现有值：{known:list}",
        ),
        "chart.every": (
            "{call}: every must be one of {choices:list} (or left out to choose by the span), "
            "got {got!r}{hint}",
            "{call}：every 必须是 {choices:list} 之一（或不写，按时间跨度自动选择），实际为 {got!r}{hint}",
        ),
        "chart.dimension": (
            "{call}: {kw}={dim!r} is not a column of the plan's data{hint}; dimensions: {dims}",
            "{call}：{kw}={dim!r} 不是计划数据中的列{hint}；维度：{dims}",
        ),
        "section.positional": (
            "{{{{ {name}() }}}} takes no positional arguments, got {got}",
            "{{{{ {name}() }}}} 不接受位置参数，实际给了 {got} 个",
        ),
        "section.unknown-id": (
            "{{{{ {name}() }}}}: {arg}= names '{id}', which this plan has not{hint}; "
            "it has: {known}",
            "{{{{ {name}() }}}}：{arg}= 中的 '{id}' 在本计划中不存在{hint}；可用：{known}",
        ),
        "section.unknown-argument": (
            "{{{{ {name}() }}}} has no argument {unknown:list} (allowed: {allowed})",
            "{{{{ {name}() }}}} 没有参数 {unknown:list}（可用：{allowed}）",
        ),
    }
)
