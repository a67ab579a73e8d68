"""Messages of content cadence, the calendar and the analysis shortcodes."""

from __future__ import annotations

from . import register

register(
    {
        "content/overdue": (
            "publish date {date} passed {late} day{s} ago (as of {today}) and the page is still "
            "in {status}: publish it, or move the date",
            "发布日期 {date} 已过去 {late} 天（截至 {today}），页面仍处于 {status} 状态：请发布，"
            "或修改日期",
        ),
        "content/no-channel": (
            "{path!r} has no channel column; add one, or give it with set: posts: [{{path: "
            "{path}, set: {{channel: wechat}}}}]",
            "{path!r} 没有 channel 列；请添加一列，或用 set 指定：posts: [{{path: {path}, set: "
            "{{channel: wechat}}}}]",
        ),
        "content/unknown-status": (
            "unknown post status {status!r} (line{s} {shown}), counted as published; expected "
            "one of published, scheduled, draft, review, planned (or 已发布, 定时发布, 草稿, 审核中)",
            "未知的发布状态 {status!r}（第 {shown} 行），按已发布计算；应为 published、scheduled、"
            "draft、review、planned 之一（或 已发布、定时发布、草稿、审核中）",
        ),
        "content/unknown-channel": (
            "theme channel '{channel}' has no cadence target; channels with targets: {known}",
            "主题渠道 '{channel}' 没有发布频率目标；有目标的渠道：{known}",
        ),
        "content.calendar-overflow": (
            "{{{{ {name}() }}}}: its weeks or months reach past the calendar (years 0001 to "
            "9999); move the plan's period or the calendar's start",
            "{{{{ {name}() }}}}：它的周或月超出了日历范围（0001 年到 9999 年）；请调整计划周期或日历的起点",
        ),
        "content.needs-content": (
            "{{{{ {name}() }}}} needs `content:` in the plan (cadence targets per channel, "
            "themes, post lists)",
            "{{{{ {name}() }}}} 需要计划中的 `content:`（各渠道的发布频率目标、主题、帖子列表）",
        ),
        "content.calendar-start": (
            '{{{{ content_calendar() }}}}: start: expected a month such as "2026-10", got {got!r}',
            '{{{{ content_calendar() }}}}：start: 应为月份，例如 "2026-10"，实际为 {got!r}',
        ),
        "analysis.ab-test-id": (
            '{{{{ ab_test() }}}} needs one experiment id: {{{{ ab_test("landing-hero") }}}}',
            '{{{{ ab_test() }}}} 需要一个实验 id：{{{{ ab_test("landing-hero") }}}}',
        ),
        "analysis.unknown-experiment": (
            "{{{{ ab_test() }}}}: no experiment {id!r} in plan.experiments{hint}; experiments: "
            "{known}",
            "{{{{ ab_test() }}}}：plan.experiments 中没有实验 {id!r}{hint}；已有实验：{known}",
        ),
        "analysis.needs-attribution": (
            "{{{{ attribution() }}}} needs plan.attribution (touchpoints: data/…csv)",
            "{{{{ attribution() }}}} 需要 plan.attribution（touchpoints: data/…csv）",
        ),
        "analysis.models-list": (
            '{{{{ attribution() }}}}: models= takes a list such as ["linear", "markov"]',
            '{{{{ attribution() }}}}：models= 应为列表，例如 ["linear", "markov"]',
        ),
        "analysis.unknown-model": (
            "{{{{ attribution() }}}}: unknown model {model!r}; models: {models:list}",
            "{{{{ attribution() }}}}：未知模型 {model!r}；可用模型：{models:list}",
        ),
        "analysis.needs-customers": (
            "{{{{ rfm() }}}} needs plan.customers (orders: data/…csv)",
            "{{{{ rfm() }}}} 需要 plan.customers（orders: data/…csv）",
        ),
        "analysis.needs-plan": (
            "{{{{ {name}() }}}} needs a plan: this page has no `plan:` front matter (or name "
            'one: plan="plan-id")',
            '{{{{ {name}() }}}} 需要计划：本页的 front matter 中没有 `plan:`（或指定一个：plan="plan-id"）',
        ),
        "analysis.unknown-plan": (
            "{{{{ {name}() }}}}: no plan with id {id!r}{hint} (plans: {known})",
            "{{{{ {name}() }}}}：没有 id 为 {id!r} 的计划{hint}（已有计划：{known}）",
        ),
        "analysis.broken-plan": (
            "{{{{ {name}() }}}}: plan {id!r} has errors",
            "{{{{ {name}() }}}}：计划 {id!r} 有错误",
        ),
    }
)

register(
    {
        "utm.missing": ("link without {missing:list}", "链接缺少 {missing:list}"),
        "utm.case": ("{param}={value!r} is not lower-case", "{param}={value!r} 不是小写"),
        "utm.malformed": (
            "{param}={value!r}: use lower-case letters, digits, '-', '_' or '.'",
            "{param}={value!r}：请只用小写字母、数字、'-'、'_' 或 '.'",
        ),
        "utm.unknown": (
            "{param}={value!r} is not in the site's UTM taxonomy{hint}; allowed: {shown}",
            "{param}={value!r} 不在本站的 UTM 取值表中{hint}；允许的值：{shown}",
        ),
        "data/xlsx.unreadable": (
            "cannot read the workbook (a damaged or unfinished download? download it again, "
            "or open it in Excel or WPS and save it): {error}",
            "无法读取工作簿（文件损坏或没有下载完整？请重新下载，或用 Excel、WPS 打开后保存）：{error}",
        ),
        "data/xlsx.unsaved-formulas": (
            "{n:~formula cell} of sheet {sheet!r} without a saved value (the workbook was "
            "written by a program that does not calculate): they read as empty; open the file "
            "in Excel or WPS and save it",
            "工作表 {sheet!r} 中有 {n} 个公式单元格没有保存计算结果（工作簿由不计算公式的程序生成），"
            "读出来是空的；请用 Excel 或 WPS 打开并保存后再放入",
        ),
        "data/xlsx.no-sheets": ("the workbook has no sheets", "工作簿中没有工作表"),
        "data/xlsx.too-large": (
            "sheet {sheet!r} spans {rows:,} rows × {columns:,} columns from A1 to its last "
            "cell ({cells:,} cells), over the {limit:,} a sheet may have: not read; delete "
            "what lies outside the table (or copy the table to a new sheet) and save it",
            "工作表 {sheet!r} 从 A1 到最后一个单元格共 {rows:,} 行 × {columns:,} 列（{cells:,} "
            "个单元格），超过每个工作表最多 {limit:,} 个单元格的上限，未读取：请删除表格以外的内容"
            "（或把表格复制到新工作表）后保存",
        ),
        "data/xlsx.unmeasured": (
            "cannot tell how far sheet {sheet!r} reaches from its cells (not an .xlsx "
            "workbook, or malformed XML): not read; open the file in Excel or WPS and save it "
            "as .xlsx",
            "无法从单元格判断工作表 {sheet!r} 的范围（不是 .xlsx 工作簿，或 XML 格式有误），"
            "未读取：请用 Excel 或 WPS 打开后另存为 .xlsx",
        ),
        "data/xlsx.no-sheet": (
            "no sheet {sheet!r} in the workbook (sheets: {shown})",
            "工作簿中没有工作表 {sheet!r}（已有工作表：{shown}）",
        ),
        "data/xlsx.sheet": (
            "cannot read sheet {name!r}: {error}",
            "无法读取工作表 {name!r}：{error}",
        ),
        "data/unreadable.parquet": (
            "cannot read the Parquet file: {error}",
            "无法读取 Parquet 文件：{error}",
        ),
        "data/unreadable.parquet-aggregate": (
            "cannot aggregate the Parquet file: {error}",
            "无法聚合 Parquet 文件：{error}",
        ),
    }
)

register(
    {
        "analysis/failed": ("{name}: {error}", "{name}：{error}"),
        "analysis/failed.mde": (
            "the minimum detectable effect gives no difference in rates",
            "最小可检测效应下两组比率没有差别",
        ),
        "analysis/column": (
            "no {kind} column '{column}' in {where}{hint}; {kind} columns: {listed}",
            "{where} 中没有{kind}列 '{column}'{hint}；现有{kind}列：{listed}",
        ),
        "analysis/column.dimension": ("dimension", "维度"),
        "analysis/column.measure": ("measure", "度量"),
        "analysis/column.date": ("date", "日期"),
        "analysis/column.the-data": ("the data", "数据"),
        "analysis/column.filter": (
            "no column '{dim}' to filter on in {files:list}",
            "{files:list} 中没有可用于筛选的列 '{dim}'",
        ),
        "analysis/variants.others": (
            "rows of variant(s) {others} in {files:list} are not counted (variants: "
            "{variants:list})",
            "{files:list} 中变体 {others} 的行未计入（实验变体：{variants:list}）",
        ),
        "analysis/variants.no-rows": (
            "variant {name!r} has no rows in {files:list} between {start} and {end}",
            "变体 {name!r} 在 {files:list} 中 {start} 到 {end} 之间没有数据行",
        ),
        "analysis/variants.the-end": ("the end", "结束"),
        "analysis/counts": (
            "variant {name!r}: {metric} ({x:g}) must be between 0 and {exposure} ({n:g}); a rate "
            "needs conversions counted among the exposures",
            "变体 {name!r}：{metric}（{x:g}）必须在 0 到 {exposure}（{n:g}）之间；比率要求转化计数包含在曝光之中",
        ),
        "analysis/column.revenue": (
            "no column '{column}' in {files:list}: revenue is credited as 0",
            "{files:list} 中没有列 '{column}'：收入按 0 计",
        ),
        "analysis/refunds": (
            "{n} order(s) in {files:list} have a negative {amount}; they reduce the customer's "
            "total (refunds)",
            "{files:list} 中有 {n} 个订单的 {amount} 为负数；它们会减少客户的总额（退款）",
        ),
        "schema.shares": (
            "first_share + last_share is {total:g}; they must add up to at most 1 (the rest goes "
            "to the middle touches)",
            "first_share + last_share 为 {total:g}；二者之和最多为 1（其余分给中间的触点）",
        ),
        "data/date-format.ambiguous": (
            "dates such as {example:q} could be day/month or month/day",
            "像 {example:q} 这样的日期既可能是日/月，也可能是月/日",
        ),
        "data/date-format": (
            '{error}; set `date_format` on the source (e.g. `date_format: "%d/%m/%Y"`)',
            '{error}；请在数据源上设置 `date_format`（例如 `date_format: "%d/%m/%Y"`）',
        ),
    }
)
