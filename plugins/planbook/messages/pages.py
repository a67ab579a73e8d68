"""Messages about shortcodes that need a page context, report periods and `planbook check`."""

from __future__ import annotations

from . import register

register(
    {
        "page/meta-not-text.list": (
            "{name} is a list, not text: the page shows it as {shown:q60}; write it as one "
            "line of text",
            "{name} 是列表，不是文本：页面上显示为 {shown:q60}；请写成一行文本",
        ),
        "page/meta-not-text.mapping": (
            "{name} is a mapping, not text: the page shows it as {shown:q60}; write it as one "
            "line of text (quote it if it holds ': ')",
            "{name} 是映射，不是文本：页面上显示为 {shown:q60}；请写成一行文本（含有“: ”时请加引号）",
        ),
        "period.week": ("week", "周"),
        "period.month": ("month", "月"),
        "period.quarter": ("quarter", "季度"),
        "report.every": (
            "expected every: week, month or quarter, got {got!r}",
            "every 应为 week、month 或 quarter，实际为 {got!r}",
        ),
        "report.kind": (
            "the plan reports every {every}: ask for a {every} such as {example}, got {key!r} "
            "(a {kind})",
            "该计划按{every}出报告：请写一个{every}，例如 {example}，实际为 {key!r}（这是{kind}）",
        ),
        "report.iso-week": (
            "{key!r} is not an ISO week: {year} has weeks W01 to W{weeks}",
            "{key!r} 不是 ISO 周：{year} 年只有 W01 到 W{weeks} 周",
        ),
        "report.calendar": (
            "period {key!r} lies outside the calendar a report can cover (years 0002 to 9998)",
            "周期 {key!r} 超出报告能覆盖的日历范围（0002 年到 9998 年）",
        ),
        "report.period": (
            "expected a period such as 2026-10 (month), 2026-Q4 (quarter) or 2026-W43 (ISO "
            "week), got {key!r}",
            "应为周期，例如 2026-10（月）、2026-Q4（季度）或 2026-W43（ISO 周），实际为 {key!r}",
        ),
        "plan/too-many-reports": (
            "every {every} from {start} to {end} makes {n:,} report pages; the limit is {most} "
            "per plan, so none are generated (report every month or quarter, or shorten the "
            "period)",
            "从 {start} 到 {end} 每{every}一份报告，会生成 {n:,} 个报告页面；每个计划最多 {most} 个，"
            "因此一个也不生成（请按月或按季度出报告，或缩短周期）",
        ),
        "shortcode/arguments.no-arguments": (
            "{{{{ {name}() }}}} takes no arguments",
            "{{{{ {name}() }}}} 不接受参数",
        ),
        "shortcode/arguments.review-scope": (
            "{{{{ {name}() }}}} is on a page out of review scope: add a `review:` mapping to its "
            "front matter (or set the plugin option review_all_pages)",
            "{{{{ {name}() }}}} 所在的页面不在审核范围内：请在其 front matter 中添加 `review:` "
            "映射（或设置插件选项 review_all_pages）",
        ),
        "shortcode/arguments.report-only": (
            "{{{{ {name}() }}}} takes plan= and period= only",
            "{{{{ {name}() }}}} 只接受 plan= 和 period=",
        ),
        "shortcode/arguments.report-needs": (
            '{{{{ {name}() }}}} needs period="2026-10" (and plan="plan-id" outside a plan page)',
            '{{{{ {name}() }}}} 需要 period="2026-10"（在计划页面之外还需要 plan="plan-id"）',
        ),
        "shortcode/arguments.report-failed": (
            "{{{{ {name}() }}}}: {problem}",
            "{{{{ {name}() }}}}：{problem}",
        ),
        "report.broken-plan": (
            "plan '{id}' has errors in {file}",
            "计划 '{id}' 在 {file} 中有错误",
        ),
        "report.unknown-plan": (
            "no plan with id '{id}' (plans: {known})",
            "没有 id 为 '{id}' 的计划（已有计划：{known}）",
        ),
        "shortcode/arguments.portfolio": (
            "{{{{ {name}() }}}} takes only status= and owner= (initial filters)",
            "{{{{ {name}() }}}} 只接受 status= 和 owner=（初始筛选）",
        ),
        "shortcode/arguments.no-plan": (
            "{{{{ {name}() }}}} needs a plan: this page has no `plan:` front matter",
            "{{{{ {name}() }}}} 需要计划：本页的 front matter 中没有 `plan:`",
        ),
        "check/nothing-to-check.folder": (
            "this folder has no Markdown pages: nothing was checked",
            "这个文件夹中没有 Markdown 页面：没有检查任何内容",
        ),
        "check/nothing-to-check.file": (
            "this is not a Markdown page: nothing was checked",
            "这不是 Markdown 页面：没有检查任何内容",
        ),
        "pages/export-write": (
            "planbook: cannot write the CSV download {path}: {error} (is the site folder "
            "writable, with room left?)",
            "planbook：无法写入 CSV 下载文件 {path}：{error}（网站目录是否可写、磁盘是否还有空间？）",
        ),
    }
)
