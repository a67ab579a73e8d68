"""Messages of the plan-quality rules (smart/…)."""

from __future__ import annotations

from . import register

register(
    {
        "smart/vague-statement": (
            "statement {statement} has no number to reach: write the target into it, e.g. "
            '"… from {baseline} to {target} by {deadline}"',
            "目标描述 {statement} 中没有要达到的数字：请把目标写进去，例如“…… 在 {deadline} 前从 "
            "{baseline} 提升到 {target}”",
        ),
        "smart/statement-mismatch.change": (
            "statement says {text} but baseline {baseline} → target {target} is {change}: make "
            "the statement and the numbers agree",
            "目标描述写的是 {text}，但基线 {baseline} → 目标值 {target} 是 {change}：请让描述与数字一致",
        ),
        "smart/statement-mismatch": (
            "statement says {text} but the target is {target} (baseline {baseline}): make the "
            "statement and the numbers agree",
            "目标描述写的是 {text}，但目标值是 {target}（基线 {baseline}）：请让描述与数字一致",
        ),
        "smart/no-objective": (
            "goal '{goal}' names no objective; the plan's objectives are {known} (objective: …)",
            "目标 '{goal}' 没有指明所属的战略目标；计划的战略目标有 {known}（objective: …）",
        ),
        "smart/no-milestones": (
            "goal runs {span} days ({start} – {deadline}), longer than a quarter, with no "
            "milestone: add intermediate targets (milestones: [{{date, target}}]) so it can be "
            "judged on the way",
            "目标历时 {span} 天（{start} – {deadline}），超过一个季度，却没有里程碑：请添加中间目标"
            "（milestones: [{{date, target}}]），以便中途评估",
        ),
        "smart/no-owner": (
            "goal '{goal}' has no owner: name who answers for it (owner: …)",
            "目标 '{goal}' 没有负责人：请写明由谁负责（owner: …）",
        ),
        "smart/no-owner.milestone": (
            "milestone {milestone} of phase {phase} has no owner: name who answers for it "
            "(owner: …)",
            "阶段 {phase} 的里程碑 {milestone} 没有负责人：请写明由谁负责（owner: …）",
        ),
        "smart/no-data.no-files": (
            "no data behind KPI '{kpi}': the plan lists no metrics files with rows",
            "KPI '{kpi}' 没有数据：计划没有列出有数据行的指标文件",
        ),
        "smart/no-data": (
            "no data behind KPI '{kpi}': the plan's data has no rows with {measures:and}",
            "KPI '{kpi}' 没有数据：计划数据中没有包含 {measures:and} 的行",
        ),
        "smart/no-data.filtered": (
            "no data behind KPI '{kpi}': the plan's data has no rows with {where} with "
            "{measures:and}",
            "KPI '{kpi}' 没有数据：计划数据中没有 {where} 且包含 {measures:and} 的行",
        ),
        "smart/unprecedented-growth.daily": (
            "needs {need}/day on average to reach {target} by {deadline}; the best 28 days "
            "before the start averaged {best}/day (to {end})",
            "要在 {deadline} 前达到 {target}，平均每天需要 {need}；开始前最好的 28 天平均每天只有 "
            "{best}（截至 {end}）",
        ),
        "smart/unprecedented-growth.monthly": (
            "needs {need}/month to go from {baseline} to {target} by {deadline}; the {word} "
            "month before the start was {best} (the 28 days to {day})",
            "要在 {deadline} 前从 {baseline} 变为 {target}，每月需要 {need}；开始前变化最大的一个月"
            "只有 {best}（截至 {day} 的 28 天）",
        ),
        "smart/unprecedented-growth.forecast": (
            "too little history before the start to compare with; the forecast at the deadline "
            "from the recent trend is {forecast}, short of the target {target}",
            "开始前的历史数据太少，无法比较；按近期趋势预测截止时为 {forecast}，达不到目标值 {target}",
        ),
        "smart/budget-short": (
            "{need} {kpi} would cost {cost} {cur} at the current {name} of {unit} {cur} "
            "(spend ÷ {kpi}, {when}); the budget for it is {amount} {cur}, enough for about "
            "{affordable}",
            "按当前 {name} {unit} {cur}（花费 ÷ {kpi}，{when}）计算，{need} 个 {kpi} 需要花费 "
            "{cost} {cur}；它的预算是 {amount} {cur}，只够大约 {affordable} 个",
        ),
        "smart/conflicting-goals": (
            "goals '{cost}' ({kpi} down) and '{volume}' ({measure} up) pull against each other "
            "on {where}: more volume usually costs more per result; note for their owners how "
            "they are balanced",
            "目标 '{cost}'（{kpi} 下降）和 '{volume}'（{measure} 上升）在{where}上相互牵制："
            "量越大，单个结果的成本通常越高；请为负责人注明如何平衡",
        ),
        "smart/conflicting-goals.every": ("every channel", "所有渠道"),
        # the dimension as the site's labels name it (渠道), its values as the plan writes them
        "smart/conflicting-goals.where": (
            "{dimension:pair} {values:list}",
            "{dimension:pair} {values:list} ",
        ),
        # the cost measure a budget-short finding names
        "smart/budget-short.conversions": ("CPA", "CPA"),
        "smart/budget-short.new_customers": ("CAC", "CAC"),
        "smart/budget-short.orders": ("cost per order", "每单成本"),
    }
)
