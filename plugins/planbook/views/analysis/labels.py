"""UI labels of the analysis sections, Chinese and English."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "ab.title": "A/B 测试",
        "ab.hypothesis": "假设",
        "ab.variant": "版本",
        "ab.control": "对照组",
        "ab.exposures": "曝光/样本",
        "ab.conversions": "转化",
        "ab.rate": "转化率",
        "ab.interval": "{level} 置信区间",
        "ab.lift": "相对提升",
        "ab.p_value": "p 值",
        "ab.required": "每组所需样本",
        "ab.remaining": "尚需样本",
        "ab.days_left": "按当前流量约需 {days} 天",
        "ab.srm": "样本比例检验（SRM）",
        "ab.srm_ok": "分流正常（p = {p}）",
        "ab.srm_bad": "样本比例失衡（p = {p}）：检查分流与埋点，结果不可信",
        "ab.period": "数据 {first} – {last}",
        "ab.decision": "结论",
        "ab.decision.keep_running": "继续运行：尚未达到计划样本量，不提前判定胜负",
        "ab.decision.ship": "上线 {winner}：达到计划样本且显著优于对照组",
        "ab.decision.stop_no_difference": "停止：达到计划样本，未发现显著差异，保留对照组",
        "ab.decision.stop_worse": "停止：实验组显著差于对照组，保留对照组",
        "ab.decision.stop_srm": "停止：样本比例失衡，先修复分流再重新开始",
        "ab.decision.no_data": "暂无数据",
        "ab.ended_short": "计划结束日期已过但样本不足：延长实验或接受检验力不足",
        "ab.method": (
            "方法：固定样本量的频率学派检验。各实验组与对照组做双侧两比例 z 检验（合并标准误，"
            "statsmodels），多个实验组时显著性水平按 Bonferroni 校正为 α = {alpha}；"
            "转化率为 Wilson 区间，提升为对数比值区间。所需样本按最小可检测提升 {mde}、"
            "检验力 {power} 以 Cohen h 计算（{source}）。报告 p 值而非「胜出概率」：样本量是按"
            "频率学派检验力规划的，p 值与之对应。达到计划样本前不判定胜负。"
        ),
        "ab.source.sample": "计划样本量",
        "ab.source.mde": "基线转化率 {baseline}",
        "ab.owner": "负责人",
        "attr.title": "归因分析",
        "attr.channel": "渠道",
        "attr.spend": "花费",
        "attr.conversions": "转化",
        "attr.revenue": "收入",
        "attr.roi": "ROI",
        "attr.removal": "移除效应",
        "attr.model.first_touch": "首次触点",
        "attr.model.last_touch": "末次触点",
        "attr.model.linear": "线性",
        "attr.model.time_decay": "时间衰减",
        "attr.model.position": "位置（U 型）",
        "attr.model.markov": "数据驱动（马尔可夫）",
        "attr.total": "合计",
        "attr.summary": (
            "{users} 位用户，{paths} 条转化路径，{touches} 个触点（回溯 {lookback} 天，"
            "半衰期 {half_life} 天）"
        ),
        "attr.dropped": "{n} 个触点早于回溯窗口，未计入",
        "attr.grouped": (
            "渠道超过 {limit} 个：触点最少的 {n} 个渠道合并为 (other) 一行，每个模型都按此计算"
            "（数据驱动模型的计算量随渠道数的三次方增长）"
        ),
        "attr.unattributed": "{n} 次转化在回溯窗口内没有触点，记为 (none)",
        "attr.method": (
            "首次/末次触点：全部功劳给第一个/最后一个触点；线性：平均分配；时间衰减：权重 "
            "2^(−距转化天数/半衰期) 归一化；位置：首 {first}、末 {last}，其余平分给中间触点；"
            "马尔可夫：一阶马尔可夫链的移除效应 RE = 1 − P(移除渠道后的转化概率)/P(转化概率)，"
            "按 RE 占比分配。ROI = 归因收入 / 花费 − 1。这里的收入来自用户转化路径，"
            "渠道表的 ROI 用的是各平台自己报告的收入，两者可能相差很大。"
        ),
        "attr.no_spend": "计划数据中没有该渠道的花费",
        "rfm.title": "客户分层（RFM）与生命周期价值",
        "rfm.segment": "分层",
        "rfm.customers": "客户数",
        "rfm.share": "占比",
        "rfm.revenue": "收入",
        "rfm.revenue_share": "收入占比",
        "rfm.clv": "CLV",
        "rfm.recency": "平均距今天数",
        "rfm.orders": "平均订单数",
        "rfm.treatment": "建议动作",
        "rfm.segment.high_value": "高价值客户",
        "rfm.segment.loyal": "忠诚客户",
        "rfm.segment.potential": "潜力客户",
        "rfm.segment.needs_care": "需关怀客户",
        "rfm.segment.hibernating": "沉睡客户",
        "rfm.treat.high_value": "专属服务、新品优先体验、邀请推荐；不靠折扣维系",
        "rfm.treat.loyal": "会员权益与积分、交叉销售、收集评价",
        "rfm.treat.potential": "新客引导、二次购买激励、相关推荐",
        "rfm.treat.needs_care": "个性化召回、限时关怀券、了解流失原因",
        "rfm.treat.hibernating": "低成本唤醒（邮件/短信），无响应则降低触达频次",
        "rfm.summary": "{customers} 位客户，{orders} 笔订单，截至 {as_of}",
        "rfm.channel": "获客渠道",
        "rfm.cac": "CAC",
        "rfm.ratio": "CLV / CAC",
        "rfm.new_customers": "新客",
        "rfm.method": (
            "R、F、M 分别为距最近一次购买的天数、订单数、累计金额，按五分位打分：分数 = 1 + "
            "⌊5 ×（名次 − 1）/ 客户数⌋，并列取最低名次。CLV（历史法）= 毛利率 {margin} × 年均"
            "消费 × 预期生命周期 {years} 年；年均消费 = 累计金额 / 自首单起的年数（至少 30 天）。"
            "CLV / CAC ≥ 3 通常被视为健康。"
        ),
    },
    "en": {
        "ab.title": "A/B test",
        "ab.hypothesis": "Hypothesis",
        "ab.variant": "Variant",
        "ab.control": "control",
        "ab.exposures": "Exposures",
        "ab.conversions": "Conversions",
        "ab.rate": "Rate",
        "ab.interval": "{level} interval",
        "ab.lift": "Lift",
        "ab.p_value": "p-value",
        "ab.required": "Sample needed per variant",
        "ab.remaining": "Still needed",
        "ab.days_left": "about {days} days at the current traffic",
        "ab.srm": "Sample ratio check (SRM)",
        "ab.srm_ok": "split as planned (p = {p})",
        "ab.srm_bad": "sample ratio mismatch (p = {p}): check assignment and tracking; results are not trustworthy",
        "ab.period": "data {first} – {last}",
        "ab.decision": "Decision",
        "ab.decision.keep_running": "Keep running: the planned sample is not reached, no winner is called yet",
        "ab.decision.ship": "Ship {winner}: planned sample reached and significantly better than control",
        "ab.decision.stop_no_difference": "Stop: planned sample reached, no significant difference; keep control",
        "ab.decision.stop_worse": "Stop: the treatment is significantly worse; keep control",
        "ab.decision.stop_srm": "Stop: sample ratio mismatch; fix the assignment and restart",
        "ab.decision.no_data": "No data yet",
        "ab.ended_short": "The planned end date has passed without the planned sample: extend the test or accept less power",
        "ab.method": (
            "Method: fixed-horizon frequentist test. Each treatment is compared with the control "
            "by a two-sided two-proportion z-test (pooled standard error, statsmodels); with several "
            "treatments α is Bonferroni-adjusted to {alpha}. Rates carry Wilson intervals, the lift "
            "a log-ratio interval. The sample comes from a minimum detectable lift of {mde} at "
            "power {power} via Cohen's h ({source}). A p-value, not a probability to beat control, "
            "because the sample was planned for this frequentist test. No winner is called before "
            "the planned sample is reached."
        ),
        "ab.source.sample": "planned sample",
        "ab.source.mde": "baseline rate {baseline}",
        "ab.owner": "Owner",
        "attr.title": "Attribution",
        "attr.channel": "Channel",
        "attr.spend": "Spend",
        "attr.conversions": "Conversions",
        "attr.revenue": "Revenue",
        "attr.roi": "ROI",
        "attr.removal": "Removal effect",
        "attr.model.first_touch": "First touch",
        "attr.model.last_touch": "Last touch",
        "attr.model.linear": "Linear",
        "attr.model.time_decay": "Time decay",
        "attr.model.position": "Position-based",
        "attr.model.markov": "Data-driven (Markov)",
        "attr.total": "Total",
        "attr.summary": (
            "{users} users, {paths} converting paths, {touches} touches (lookback {lookback} "
            "days, half-life {half_life} days)"
        ),
        "attr.dropped": "{n} touches were older than the lookback window and not counted",
        "attr.grouped": (
            "More than {limit} channels: the {n} with the fewest touches are grouped as one "
            "row, (other), under every model (the data-driven model's cost grows with the cube "
            "of the channels)"
        ),
        "attr.unattributed": "{n} conversions had no touch in the lookback window: shown as (none)",
        "attr.method": (
            "First / last touch: all credit to the first / last touch; linear: equal shares; time "
            "decay: weight 2^(−days before conversion / half-life), normalised; position-based: "
            "{first} to the first, {last} to the last, the rest shared by the middle touches; "
            "Markov: removal effect RE = 1 − P(conversion without the channel) / P(conversion) of a "
            "first-order chain, credit in proportion to RE. ROI = attributed revenue / spend − 1. "
            "The revenue here comes from the customers' conversion paths; the channel table's ROI "
            "uses the revenue each platform reports itself, and the two may differ widely."
        ),
        "attr.no_spend": "no spend for this channel in the plan's data",
        "rfm.title": "Customer tiers (RFM) and lifetime value",
        "rfm.segment": "Segment",
        "rfm.customers": "Customers",
        "rfm.share": "Share",
        "rfm.revenue": "Revenue",
        "rfm.revenue_share": "Revenue share",
        "rfm.clv": "CLV",
        "rfm.recency": "Days since last order",
        "rfm.orders": "Orders per customer",
        "rfm.treatment": "Suggested treatment",
        "rfm.segment.high_value": "High value",
        "rfm.segment.loyal": "Loyal",
        "rfm.segment.potential": "Potential",
        "rfm.segment.needs_care": "Needs care",
        "rfm.segment.hibernating": "Hibernating",
        "rfm.treat.high_value": "VIP service, early access, referral asks; do not train them on discounts",
        "rfm.treat.loyal": "Membership perks and points, cross-sell, ask for reviews",
        "rfm.treat.potential": "Onboarding, a second-purchase incentive, related recommendations",
        "rfm.treat.needs_care": "Personal win-back, a time-limited care offer, ask why they left",
        "rfm.treat.hibernating": "Low-cost reactivation (email/SMS); reduce contact if no response",
        "rfm.summary": "{customers} customers, {orders} orders, as of {as_of}",
        "rfm.channel": "Acquisition channel",
        "rfm.cac": "CAC",
        "rfm.ratio": "CLV / CAC",
        "rfm.new_customers": "New customers",
        "rfm.method": (
            "R, F and M are the days since the last order, the number of orders and the total "
            "amount, scored in quintiles: score = 1 + ⌊5 × (rank − 1) / customers⌋, ties at their "
            "lowest rank. CLV (historical) = margin {margin} × revenue per year × expected lifetime "
            "{years} years; revenue per year = total amount / years since the first order (at "
            "least 30 days). A CLV / CAC of 3 or more is usually considered healthy."
        ),
    },
}


class AnalysisLabels:
    def __init__(self, language: str) -> None:
        self.table = LABELS["zh" if language.startswith("zh") else "en"]

    def __call__(self, key: str, **kw: object) -> str:
        text = self.table.get(key) or LABELS["en"].get(key) or key
        return text.format(**kw) if kw else text
