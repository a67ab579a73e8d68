"""Messages about plan front matter: types (pydantic), cross-field checks, budget sums."""

from __future__ import annotations

from . import register

# What a field expects, by pydantic error type; said after "expected" / "应为".
EXPECTED: dict[str, tuple[str, str]] = {
    "number": ("a number", "数字"),
    "finite": ("a finite number", "有限的数字"),
    "whole": ("a whole number", "整数"),
    "bool": ("true or false", "true 或 false"),
    "text": ("text", "文本"),
    "date": ("an ISO date (YYYY-MM-DD)", "日期（ISO 格式 YYYY-MM-DD）"),
    "list": ("a list", "列表"),
    "mapping": ("a mapping", "映射"),
    "slug": (
        "an identifier of lower-case letters, digits, '-' or '_' (a slug such as 'spring-launch')",
        "由小写字母、数字、'-' 或 '_' 组成的标识符（例如 'spring-launch'）",
    ),
    "currency": (
        "a three-letter ISO 4217 currency code such as CNY",
        "三个字母的 ISO 4217 货币代码，例如 CNY",
    ),
}
BOUND: dict[str, tuple[str, str]] = {
    "greater_than_equal": ("at least", "不小于"),
    "greater_than": ("more than", "大于"),
    "less_than_equal": ("at most", "不大于"),
    "less_than": ("less than", "小于"),
}

register({f"expect.{k}": v for k, v in EXPECTED.items()})
register({f"bound.{k}": v for k, v in BOUND.items()})
register(
    {
        "budget/allocations-sum.over": ("over", "超出"),
        "budget/allocations-sum.short": ("short of", "不足"),
        "schema.expected": ("expected {what}, got {got:shown}", "应为{what}，实际为 {got:shown}"),
        "schema.missing": ("required field is missing", "缺少必填字段"),
        "schema.unknown-field": ("unknown field '{key}'", "未知字段 '{key}'"),
        "schema.unknown-field.close": (
            "unknown field '{key}' (did you mean '{close}'?)",
            "未知字段 '{key}'（是不是 '{close}'？）",
        ),
        "schema.unknown-field.known": (
            "unknown field '{key}'; known fields: {known:list}",
            "未知字段 '{key}'；可用字段：{known:list}",
        ),
        "schema.one-of": (
            "expected one of {choices:or}, got {got:shown}",
            "应为 {choices:or} 之一，实际为 {got:shown}",
        ),
        "schema.pattern": (
            "expected text matching {pattern}, got {got:shown}",
            "应为符合 {pattern} 的文本，实际为 {got:shown}",
        ),
        "schema.bound": (
            "expected a number {bound} {limit}, got {got:shown}",
            "应为{bound} {limit} 的数字，实际为 {got:shown}",
        ),
        "schema.other": ("{detail}, got {got:shown}", "{detail}，实际为 {got:shown}"),
        "schema.bool-number": (
            "expected a number, got {got} (true/false is not a number)",
            "应为数字，实际为 {got}（true/false 不是数字）",
        ),
        "schema.non-finite": (
            "expected a finite number, got {got!r}",
            "应为有限的数字，实际为 {got:q}",
        ),
        "schema.date-number": (
            "expected an ISO date (YYYY-MM-DD), got {got!r}",
            "应为 ISO 日期（YYYY-MM-DD），实际为 {got!r}",
        ),
        "schema.period-day": (
            "a plan's period lies between {first} and {last}, the days data files can be "
            "dated; got {got}",
            "计划周期须在 {first} 至 {last} 之间（数据文件可读的日期范围），实际为 {got}",
        ),
        "schema.set-date": (
            "`set` gives each row of the file a constant dimension; it cannot set the date, "
            "which each row has from the file",
            "`set` 为文件的每一行添加一个固定的维度；不能设定日期，日期来自文件中的每一行",
        ),
        "schema.set-measure": (
            "`set` gives each row of the file a constant dimension (text); {name!r} is a "
            "measure, whose numbers come from the file: name a dimension such as channel or "
            "account",
            "`set` 为文件的每一行添加一个固定的维度（文本）；{name!r} 是度量，其数值来自文件："
            "请改用 channel 或 account 等维度",
        ),
        "schema.window": (
            "expected a window such as 7d, 4w or 1m, got {got!r}",
            "应为时间窗口，例如 7d、4w 或 1m，实际为 {got:q}",
        ),
        "schema.window-max": (
            "a window is at most {most:,} days, got {got!r}",
            "时间窗口最多 {most:,} 天，实际为 {got:q}",
        ),
        "schema.window-min": (
            "a window must be at least one day, got {got!r}",
            "时间窗口至少为一天，实际为 {got:q}",
        ),
        "plan/period": (
            "period ends ({end}) before it starts ({start})",
            "周期的结束日期（{end}）早于开始日期（{start}）",
        ),
        "plan/deadline-outside-period": (
            "deadline {deadline} is outside the plan period {start} – {end}",
            "截止日期 {deadline} 不在计划周期 {start} – {end} 内",
        ),
        "plan/goal-start": (
            "start {at} must lie between the period start {start} and the deadline {deadline}",
            "开始日期 {at} 必须在周期开始日期 {start} 与截止日期 {deadline} 之间",
        ),
        "plan/target-equals-baseline": (
            "target equals baseline ({target:g}); a goal needs a change to pace against",
            "目标值等于基线（{target:g}）；目标需要有变化才能衡量进度",
        ),
        "plan/phase-dates": (
            "phase ends ({end}) before it starts ({start})",
            "阶段的结束日期（{end}）早于开始日期（{start}）",
        ),
        "plan/phase-outside-period": (
            "phase {phase_start} – {phase_end} is outside the plan period {start} – {end}",
            "阶段 {phase_start} – {phase_end} 不在计划周期 {start} – {end} 内",
        ),
        "plan/duplicate-id": (
            "id '{id}' is used twice (first at {name}[{first}])",
            "id '{id}' 用了两次（第一次在 {name}[{first}]）",
        ),
        "plan/duplicate-id.allocation": (
            "item '{item}' is allocated twice (first at allocations[{first}])",
            "项目 '{item}' 分配了两次（第一次在 allocations[{first}]）",
        ),
        "budget/share-or-amount": (
            "allocation '{item}' needs exactly one of share or amount",
            "分配项 '{item}' 需要 share 或 amount 二者之一（且只能有一个）",
        ),
        "budget/planned-over-cap": (
            "planned {planned} for '{item}' is above its cap {cap}",
            "'{item}' 的计划金额 {planned} 超过其上限 {cap}",
        ),
        "budget/allocations-sum": (
            "allocations add up to {allocated}, {diff} {word} the total {total}",
            "各项分配合计 {allocated}，与总预算 {total} 相差 {diff}（{word}）",
        ),
        "budget/allocations-sum.shares": (
            "allocations add up to {allocated} (shares add up to {shares:.4g}), {diff} {word} "
            "the total {total}",
            "各项分配合计 {allocated}（占比合计 {shares:.4g}），与总预算 {total} 相差 {diff}（{word}）",
        ),
    }
)

register(
    {
        "plan/internal-error": (
            "this plan could not be evaluated ({kind}: {error} at {where}); please report it "
            "with the plan and its data files",
            "无法计算这个计划（{kind}: {error}，位于 {where}）；请连同计划和数据文件一起报告此问题",
        ),
        "plan/unknown-persona": (
            "no persona page with id '{ref}' (persona pages have a `persona:` mapping in their "
            "front matter; known: {known})",
            "没有 id 为 '{ref}' 的用户画像页面（画像页面的 front matter 中有 `persona:` 映射；"
            "已有：{known}）",
        ),
        "data/outside-period": (
            "{n:~row} dated {where} ({start} – {end}) not used for plan '{plan}' "
            "({lines:lines}; first: {first})",
            "{n} 行的日期{where}（{start} – {end}），未用于计划 '{plan}'（{lines:lines}；"
            "最早一行：{first}）",
        ),
        "data/sum-overflow": (
            "the values of '{column}' add up to more than a sum can hold (about 1.8e308) "
            "from this line on: its sums have no value, and plans show none; check the "
            "export's units",
            "'{column}' 列的数值从这一行起累加超过了求和能表示的上限（约 1.8e308）："
            "它的求和没有值，计划中也不显示；请检查导出的单位",
        ),
        "data/sum-overflow.files": (
            "the values of '{column}' in {files:list} add up to more than a sum can hold "
            "(about 1.8e308) together: its sums have no value, and the plan shows none; "
            "check the exports' units",
            "{files:list} 中 '{column}' 列的数值合计超过了求和能表示的上限（约 1.8e308）："
            "它的求和没有值，计划中也不显示；请检查导出的单位",
        ),
        "data/outside-period.after": ("after the plan's period ends", "在计划周期结束之后"),
        "data/outside-period.before": ("long before the plan's period", "远早于计划周期"),
        "kind.plan": ("plan", "计划"),
        "kind.persona": ("persona", "用户画像"),
        "duplicate-id": (
            "{kind} id '{id}' is already used by {first}; ids must be unique across the site",
            "{kind} id '{id}' 已被 {first} 使用；id 在整个站点中必须唯一",
        ),
    }
)

register(
    {
        "plan/deadline-outside-phase": (
            "deadline {deadline} is outside the phase '{phase}' {start} – {end}",
            "截止日期 {deadline} 不在阶段 '{phase}'（{start} – {end}）内",
        ),
        "plan/goal-start.phase": (
            "start {at} must lie between the phase start {start} and the deadline {deadline}",
            "开始日期 {at} 必须在阶段开始日期 {start} 与截止日期 {deadline} 之间",
        ),
        "plan/duplicate-id.phase": (
            "id '{id}' is used twice (first at {first})",
            "id '{id}' 用了两次（第一次在 {first}）",
        ),
        "plan/unknown-objective": (
            "no objective '{objective}'{hint}; objectives: {known}",
            "没有战略目标 '{objective}'{hint}；已有战略目标：{known}",
        ),
        "plan/unknown-objective.none": (
            "none: declare them under plan.objectives",
            "无：请在 plan.objectives 下声明",
        ),
        "plan/milestone.date-or-phase": (
            "a milestone needs exactly one of date or phase",
            "里程碑需要 date 或 phase 二者之一（且只能有一个）",
        ),
        "plan/milestone.phase": (
            "no phase named '{phase}'{hint}; phases: {names}",
            "没有名为 '{phase}' 的阶段{hint}；已有阶段：{names}",
        ),
        "plan/milestone.outside": (
            "milestone on {day} is outside the goal's run {start} – {deadline} (a milestone "
            "lies after the start and before the deadline, where the target itself applies)",
            "{day} 的里程碑不在目标的时间范围 {start} – {deadline} 内（里程碑应在开始之后、截止日期"
            "之前；截止日期适用目标值本身）",
        ),
        "plan/milestone.order": (
            "milestone on {day} is not after the one before it ({previous}); list milestones "
            "in date order",
            "{day} 的里程碑不晚于前一个（{previous}）；请按日期顺序列出里程碑",
        ),
        "budget/unknown-dimension": (
            "no column '{by}' in the plan's data to attribute spend by (dimensions: {dims})",
            "计划数据中没有用于归集花费的列 '{by}'（维度：{dims}）",
        ),
        "budget/no-spend-data": (
            "no spend for '{item}' in the data ({by} in {values:list}); add `match:` with the "
            "{by} values it covers, or `spent:` for spend paid outside the ad platforms",
            "数据中没有 '{item}' 的花费（{by} 为 {values:list}）；请用 `match:` 写明它涵盖的 {by} "
            "值，或用 `spent:` 填写在广告平台之外支付的花费",
        ),
        "budget/spend-other-currency": (
            "no spend for '{item}' in {currency} ({by} in {values:list}): the spend of its rows "
            "is in a file of another currency, left out of the plan's figures (see "
            "data/currency-mismatch at plan.metrics)",
            "没有 '{item}' 以 {currency} 计的花费（{by} 为 {values:list}）：这些行的花费来自另一种"
            "货币的文件，未计入计划的数字（见 plan.metrics 处的 data/currency-mismatch）",
        ),
        "budget/over-cap": (
            "'{item}' has spent {spent}, over its cap {cap}",
            "'{item}' 已花费 {spent}，超出其上限 {cap}",
        ),
        "budget/overlapping-match": (
            "'{value}' is counted in '{first}' (allocations[{j}]) already; a {by} value "
            "belongs to one allocation, so its spend is counted there only",
            "'{value}' 已计入分配项 '{first}'（allocations[{j}]）；每个 {by} 值只属于一个分配项，"
            "其花费只在那里计算",
        ),
        "budget/unallocated-spend": (
            "spend on {by} values no allocation covers: {listed}; add them to an allocation's "
            "`match:`",
            "以下 {by} 值的花费不属于任何分配项：{listed}；请把它们加到某个分配项的 `match:` 中",
        ),
    }
)

register(
    {
        "schema.encoding": (
            "unknown encoding {got!r}; expected one of utf-8, gb18030 (gbk), utf-16, big5, "
            "shift_jis, cp1252",
            "未知编码 {got!r}；应为 utf-8、gb18030 (gbk)、utf-16、big5、shift_jis 或 cp1252",
        ),
        "schema.date-format": (
            "expected a strptime format such as '%d/%m/%Y', got {got!r}",
            "应为 strptime 格式，例如 '%d/%m/%Y'，实际为 {got!r}",
        ),
        "schema.table": (
            "expected a table name such as 'marts.ads_daily' (letters, digits, _ and up to two "
            "dots), got {got!r}; write anything else as `sql:`",
            "应为表名，例如 'marts.ads_daily'（字母、数字、_，最多两个点），实际为 {got!r}；"
            "其他写法请用 `sql:`",
        ),
        "schema.one-source": (
            "expected exactly one of `path`, `table` or `sql`, got {got}",
            "`path`、`table`、`sql` 应当只有一个，实际为 {got}",
        ),
        "schema.db-only": (
            "`{key}` applies to a database source (`table` or `sql`), not to a file",
            "`{key}` 只适用于数据库数据源（`table` 或 `sql`），不适用于文件",
        ),
        "schema.needs-connection": (
            "`{key}` needs `connection`: the name of a connection in the planbook plugin's "
            "`connections` option",
            "`{key}` 需要 `connection`：planbook 插件 `connections` 选项中的连接名",
        ),
        "schema.file-only": (
            "`{key}` applies to files, not to a database source",
            "`{key}` 只适用于文件，不适用于数据库数据源",
        ),
    }
)

register(
    {
        "schema.whole-bool": ("expected a whole number, got {got}", "应为整数，实际为 {got}"),
        "schema.max-below-min": (
            "max ({max}) is below min ({min})",
            "max（{max}）小于 min（{min}）",
        ),
        "schema.end-before-start": (
            "end {end} is before start {start}",
            "结束日期 {end} 早于开始日期 {start}",
        ),
        "schema.variant-empty": ("a variant name is empty", "有一个变体名称为空"),
        "schema.variant-twice": ("variant '{name}' is listed twice", "变体 '{name}' 列出了两次"),
        "schema.signed-by": (
            "state '{state}' needs 'by' (who signed the item off)",
            "状态 '{state}' 需要 'by'（由谁签字确认）",
        ),
    }
)
