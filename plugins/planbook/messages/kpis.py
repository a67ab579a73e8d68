"""Messages about KPIs, formulas and goals' data."""

from __future__ import annotations

from . import register

register(
    {
        "hint.close": (" (did you mean '{close}'?)", "（是不是 '{close}'？）"),
        "hint.close-label": (
            " (did you mean '{label}' ({id})?)",
            "（是不是 '{label}'（{id}）？）",
        ),
        "none": ("none", "无"),
        "kpi/cycle": (
            "KPI formulas refer to each other in a cycle: {cycle}",
            "KPI 公式互相引用，形成了循环：{cycle}",
        ),
        "kpi/formula": ("formula of '{id}': {error}", "'{id}' 的公式：{error}"),
        "kpi/formula.terms": ("more than {most:,} terms", "超过 {most:,} 项"),
        "kpi/formula.depth": (
            "formulas nested more than {most} levels deep",
            "公式嵌套超过 {most} 层",
        ),
        "kpi/formula.expands": (
            "formula of '{id}' expands to {what} through the KPIs it uses; simplify the chain "
            "of KPIs",
            "'{id}' 的公式经由它引用的 KPI 展开后{what}；请简化 KPI 之间的引用链",
        ),
        "kpi/unknown.in-formula": (
            "formula of '{id}' refers to unknown name '{name}'{hint}; names are data columns "
            "or KPI ids",
            "'{id}' 的公式引用了未知名称 '{name}'{hint}；名称应为数据列或 KPI id",
        ),
        "kpi/unknown": (
            "unknown KPI or column '{name}'{hint}; built-in KPIs: {builtins:list}; data "
            "columns: {columns}",
            "未知的 KPI 或数据列 '{name}'{hint}；内置 KPI：{builtins:list}；数据列：{columns}",
        ),
        "kpi/unknown-dimension": (
            "no column '{dim}' to filter on in the plan's data{hint} (dimensions: {dims})",
            "计划数据中没有可用于筛选的列 '{dim}'{hint}（维度：{dims}）",
        ),
        "kpi/rate-column": (
            "'{kpi}' is the export's own rate or average column ({name}); rates are never "
            "summed or averaged across rows: {instead}",
            "'{kpi}' 是导出文件自带的比率或平均值列（{name}）；比率不会跨行求和或平均：{instead}",
        ),
        "kpi/rate-column.builtin": (
            "use the built-in KPI '{builtin}' ({formula}), computed from the summed measures",
            "请使用内置 KPI '{builtin}'（{formula}），它由求和后的度量计算",
        ),
        "kpi/rate-column.formula": (
            "use a plan KPI with a formula over the measures it is made of",
            "请在计划中定义一个 KPI，用构成它的度量写公式",
        ),
        "kpi/non-additive": (
            "'{kpi}' counts people or a running total (reach, users, followers), which cannot "
            "be added up across days: use `aggregate: last` (the latest day's value) or "
            "`aggregate: daily_mean`",
            "'{kpi}' 统计的是人数或累计值（覆盖人数、用户数、粉丝数），不能跨天相加：请用 "
            "`aggregate: last`（最新一天的值）或 `aggregate: daily_mean`",
        ),
        "kpi/aggregate-ratio": (
            "'{kpi}' is a formula KPI, always computed from the sums of its measures "
            "({formula}); remove aggregate: {aggregate}",
            "'{kpi}' 是公式 KPI，总是由其度量之和计算（{formula}）；请删除 aggregate: {aggregate}",
        ),
        "kpi/missing-column": (
            "KPI '{kpi}' needs column(s) {missing:list}, which the plan's data does not have "
            "(columns: {columns})",
            "KPI '{kpi}' 需要数据列 {missing:list}，计划数据中没有（现有列：{columns}）",
        ),
        "kpi/unknown-value": (
            "no rows with {dim} = '{value}'{hint}; values: {known:list}",
            "没有 {dim} = '{value}' 的行{hint}；现有值：{known:list}",
        ),
        "kpi/shadows-builtin": (
            "'{kpi}' redefines the built-in KPI; pick another id",
            "'{kpi}' 重新定义了内置 KPI；请换一个 id",
        ),
        "kpi/partial-rows": (
            "{kpi} is computed over the rows that have {needs:and}: {n:~row} with only some of "
            "them {verb} left out",
            "{kpi} 只按同时有 {needs:and} 的行计算：只有其中部分数据的 {n} 行未计入",
        ),
        "kpi/forecast-floor": (
            "no forecast for {kpi} at the deadline {deadline}: the recent trend drawn out to "
            "it gives {trend}, and {kpi} cannot be below {floor}",
            "{kpi} 在截止日 {deadline} 无预测：按近期趋势外推到截止日为 {trend}，而 {kpi} "
            "不可能低于 {floor}",
        ),
    }
)

register(
    {
        "formula.empty": ("a formula cannot be empty", "公式不能为空"),
        "formula.too-long": (
            "formula {formula} is {n:,} characters long; the limit is {most} (define parts as "
            "KPIs of their own)",
            "公式 {formula} 长 {n:,} 个字符，上限为 {most}（请把其中的部分定义为单独的 KPI）",
        ),
        "formula.syntax": (
            "cannot parse formula {formula}: {reason}",
            "无法解析公式 {formula}：{reason}",
        ),
        "formula.too-large": (
            "formula {formula} has a number too large to compute with (the limit is about "
            "1.8e308); write it smaller or in other units",
            "公式 {formula} 中的数字太大，无法计算（上限约为 1.8e308）；请改小或换用其他单位",
        ),
        "formula.depth": (
            "formula {formula} nests operators or parentheses more than {most} levels deep",
            "公式 {formula} 中运算符或括号的嵌套超过 {most} 层",
        ),
        "formula.private-name": (
            "name {name} is not allowed in a formula",
            "公式中不允许使用名称 {name}",
        ),
        "formula.not-allowed": (
            "formula {formula} uses {what}; only numbers, names, + - * / and parentheses are "
            "allowed",
            "公式 {formula} 使用了 {what}；只允许数字、名称、+ - * / 和括号",
        ),
    }
)
