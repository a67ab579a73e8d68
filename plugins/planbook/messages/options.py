"""Messages about the plugin's options in mkdocs.yml (they stop the build)."""

from __future__ import annotations

from . import register

register(
    {
        "options/unreadable": (
            "cannot read the configuration: {error} (a date such as `as_of: 2026-13-01` "
            "written without quotes must be a real date)",
            "无法读取配置：{error}（不加引号的日期，例如 `as_of: 2026-13-01`，必须是真实存在的日期）",
        ),
        "options/number": ("expected a number, got {value!r}", "应为数字，实际为 {value!r}"),
        "options/number.whole": (
            "expected a whole number, got {value!r}",
            "应为整数，实际为 {value!r}",
        ),
        "options/number.range": (
            "expected a number from {low:g} to {high:g}, got {value!r}",
            "应为 {low:g} 到 {high:g} 之间的数字，实际为 {value!r}",
        ),
        "options/number.whole-range": (
            "expected a whole number from {low:g} to {high:g}, got {value!r}",
            "应为 {low:g} 到 {high:g} 之间的整数，实际为 {value!r}",
        ),
        "options/date": (
            "expected an ISO date (YYYY-MM-DD), got {value!r}",
            "应为 ISO 日期（YYYY-MM-DD），实际为 {value!r}",
        ),
        "options/review-page": (
            "expected the path of a new page inside docs_dir, relative and ending in .md "
            "(such as review.md or quality/review.md), got {value!r}",
            "应为 docs_dir 中一个新页面的路径：相对路径，以 .md 结尾（例如 review.md 或 "
            "quality/review.md），实际为 {value!r}",
        ),
        "options/review-page.exists": (
            "planbook: review_page: {page} is a page of the site already; the review page "
            "would replace it: name a new page",
            "planbook：review_page：{page} 已是站点中的页面，审核页会替换它；请另取一个新页面名",
        ),
        "options/date.field": (
            "planbook: {option}: expected an ISO date (YYYY-MM-DD), got {value!r}",
            "planbook：{option}：应为 ISO 日期（YYYY-MM-DD），实际为 {value!r}",
        ),
        "options/colours": (
            "expected a mapping of value: colour, got {value!r}",
            "应为“取值: 颜色”的映射，实际为 {value!r}",
        ),
        "options/colour": (
            "{key}: expected a palette slot 1-12 or a colour like '#07c160', got {colour!r}",
            "{key}：应为调色板序号 1-12 或 '#07c160' 这样的颜色，实际为 {colour!r}",
        ),
        "options/rule-levels": (
            "expected a mapping of rule id to level, got {value!r}",
            "应为“规则 id: 级别”的映射，实际为 {value!r}",
        ),
        "options/rule-levels.unknown": (
            "unknown rule {rule!r}{hint}; rules: {rules:list}",
            "未知规则 {rule!r}{hint}；可用规则：{rules:list}",
        ),
        "options/rule-levels.level": (
            "{rule}: expected one of {levels:list}, got {level!r}",
            "{rule}：应为 {levels:list} 之一，实际为 {level!r}",
        ),
        "options/did-you-mean": (" (did you mean '{close}'?)", "（是否想写 '{close}'？）"),
        "options/pacing": (
            "planbook: pacing_at_risk ({at_risk:g}) must not be above pacing_on_track "
            "({on_track:g})",
            "planbook：pacing_at_risk（{at_risk:g}）不能大于 pacing_on_track（{on_track:g}）",
        ),
        # `connections:` (named databases); the URL itself never appears in mkdocs.yml
        "options/connections": (
            "connections: expected a mapping of names, got {got}",
            "connections：应为以名称为键的映射，实际为 {got}",
        ),
        "options/connections.name": (
            "connections: {name!r} is not a connection name (lower-case letters, digits, - and _)",
            "connections：{name!r} 不是有效的连接名（只能用小写字母、数字、- 和 _）",
        ),
        "options/connections.mapping": (
            "{where}: expected a mapping such as {{url_env: {example}}}",
            "{where}：应为映射，例如 {{url_env: {example}}}",
        ),
        "options/connections.url": (
            "{where}.url: a URL (and its password) must not be written in mkdocs.yml; put it "
            "in an environment variable and name it with `url_env`",
            "{where}.url：mkdocs.yml 中不能写 URL（及其密码）；请把它放进环境变量，并用 "
            "`url_env` 写出变量名",
        ),
        "options/connections.unknown": (
            "{where}: unknown key {key!r}; expected url_env, refresh",
            "{where}：未知的键 {key!r}；可用的键为 url_env、refresh",
        ),
        "options/connections.env": (
            "{where}.url_env: expected the name of an environment variable such as "
            "PLANBOOK_WAREHOUSE_URL, got {env!r}",
            "{where}.url_env：应为环境变量名，例如 PLANBOOK_WAREHOUSE_URL，实际为 {env!r}",
        ),
        "options/connections.refresh": ("{where}.refresh: {error}", "{where}.refresh：{error}"),
        "options/plugin": ("planbook: {error}", "planbook：{error}"),
    }
)
