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
        # planbook check --explain smart/…
        "lint.explain": (
            "{rule} ({letter}; level on this site: {level})\n  fires when {summary}\n"
            "  why: {why}\n",
            "{rule}（{letter}；本站级别：{level}）\n  触发条件：{summary}\n  原因：{why}\n",
        ),
        "lint.unknown-rule": (
            "no plan-quality rule '{rule}'; rules: {known:list}",
            "未知的计划质量规则 '{rule}'；可用的规则：{known:list}",
        ),
        "lint.unknown-rule.close": (
            "no plan-quality rule '{rule}' (did you mean '{close}'?); rules: {known:list}",
            "未知的计划质量规则 '{rule}'（是否想写 '{close}'？）；可用的规则：{known:list}",
        ),
        "lint.letter.S": ("specific", "具体"),
        "lint.letter.M": ("measurable", "可衡量"),
        "lint.letter.A": ("achievable", "可实现"),
        "lint.letter.R": ("relevant", "相关"),
        "lint.letter.T": ("time-bound", "有时限"),
        "lint.letter.O": ("owner", "负责人"),
        "lint.level.off": ("off", "关闭"),
        "lint.level.info": ("info", "提示"),
        "lint.level.warning": ("warning", "警告"),
        "lint.level.error": ("error", "错误"),
        "lint.summary.smart/vague-statement": (
            "the statement has no number to reach",
            "目标描述中没有要达到的数字",
        ),
        "lint.why.smart/vague-statement": (
            "A goal is specific when anyone reading it knows what counts as done: "
            "「提升品牌知名度」 cannot be checked, 「品牌词搜索量三个月内从 5,000 提升到 6,000」 can.",
            "目标要具体到任何读者都知道怎样算完成：「提升品牌知名度」无法核对，"
            "「品牌词搜索量三个月内从 5,000 提升到 6,000」可以。",
        ),
        "lint.summary.smart/statement-mismatch": (
            "the statement's number disagrees with baseline and target",
            "目标描述中的数字与基线和目标值不一致",
        ),
        "lint.why.smart/statement-mismatch": (
            "The statement is what people read and quote; the numbers are what Planbook "
            "tracks. When 「提升 20%」 sits over baseline 5,000 and target 7,000 (+40 %), one "
            "of them is wrong and the team is chasing two different goals.",
            "大家阅读和引用的是目标描述，Planbook 跟踪的是数字。描述写「提升 20%」而基线 5,000、"
            "目标值 7,000（+40%）时，其中必有一处写错，团队就在追两个不同的目标。",
        ),
        "lint.summary.smart/no-data": (
            "no data behind the goal's KPI",
            "目标的 KPI 没有数据",
        ),
        "lint.why.smart/no-data": (
            "Measurable means measured: a KPI without a data column behind it (no metrics "
            "files, or no rows for the goal's filter) can never show progress.",
            "可衡量就是有数据可量：KPI 背后没有数据列（没有指标文件，或没有符合目标筛选条件的行）"
            "时，永远无法显示进度。",
        ),
        "lint.summary.smart/unprecedented-growth": (
            "the target needs faster growth than the data has ever shown",
            "目标所需的增长快于历史数据中出现过的任何增长",
        ),
        "lint.why.smart/unprecedented-growth": (
            "Achievable targets are set against history: a target that needs +40 % a month "
            "when the best month so far was +9 % needs a reason (a new channel, more budget) "
            "written into the plan, or a lower target.",
            "可实现的目标以历史为参照：迄今最好的月份增长 +9%，目标却需要每月 +40%，就要在计划中"
            "写明理由（新渠道、更多预算），或者降低目标。",
        ),
        "lint.summary.smart/budget-short": (
            "the budget cannot buy the target at the current cost per result",
            "按当前的单次成效成本，预算买不到目标值",
        ),
        "lint.why.smart/budget-short": (
            "Within reach of the resources: at the cost per conversion (or per customer) seen "
            "so far, budget ÷ CPA is what the money can buy; a target above it needs a cheaper "
            "channel or more budget.",
            "目标在资源范围内：按目前的每次转化（或每位客户）成本，预算 ÷ CPA 就是这笔钱能买到的"
            "量；高于它的目标需要更便宜的渠道或更多预算。",
        ),
        "lint.summary.smart/no-objective": (
            "a goal serves none of the plan's objectives",
            "目标不服务于计划的任何战略目标",
        ),
        "lint.why.smart/no-objective": (
            "Relevant goals serve the plan's strategy: when the plan declares objectives, "
            "each goal names the one it moves (objective: …), so a goal no objective needs "
            "stands out.",
            "相关的目标服务于计划的战略：计划声明了战略目标时，每个目标都写明它推动哪一个"
            "（objective: …），这样没有战略目标需要的目标就一目了然。",
        ),
        "lint.summary.smart/conflicting-goals": (
            "two goals on the same channel pull against each other",
            "同一渠道上的两个目标相互牵制",
        ),
        "lint.why.smart/conflicting-goals": (
            "Buying more volume on a channel usually raises the cost per result there: a "
            "goal that lowers CPA (or cost per follower) and one that raises spend or "
            "volume on the same channel need an owner who decides how they are balanced.",
            "在一个渠道上买更多量，通常会抬高那里的单次成效成本：同一渠道上一个目标要降低 CPA"
            "（或单个粉丝成本）、另一个要提高花费或量级时，需要一位负责人决定如何平衡。",
        ),
        "lint.summary.smart/no-milestones": (
            "a goal runs longer than a quarter with no milestone",
            "目标历时超过一个季度却没有里程碑",
        ),
        "lint.why.smart/no-milestones": (
            "Time-bound goals are broken into phase targets: a goal that runs longer than "
            "a quarter without a milestone can only be judged at its deadline, when it is "
            "too late to correct it.",
            "有时限的目标要拆成阶段目标：历时超过一个季度又没有里程碑的目标，只能在截止日评判，"
            "那时已来不及纠正。",
        ),
        "lint.summary.smart/no-owner": (
            "a goal or milestone has no owner",
            "目标或里程碑没有负责人",
        ),
        "lint.why.smart/no-owner": (
            "Every goal and milestone has one person who answers for it; without an owner "
            "nobody acts when its status turns red.",
            "每个目标和里程碑都要有一个人负责；没有负责人，状态变红时就没有人行动。",
        ),
    }
)
