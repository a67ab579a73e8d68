"""Messages about metric files: reading, rows set aside, columns, paths."""

from __future__ import annotations

from . import register

register(
    {
        "data/excluded": (
            "{n:~row} excluded ({lines:lines}): {problem}",
            "{lines:lines}未计入（共 {n} 行）：{problem}",
        ),
        "data/bad-row.unclosed": (
            "cannot be read from here to the end of the file (a quote that is never closed?)",
            "从这里到文件末尾都无法读取（可能有未闭合的引号）",
        ),
        "data/bad-row.fields": (
            "expected {width} fields as in the header, got {got}",
            "应与表头一样有 {width} 个字段，实际为 {got} 个",
        ),
        "data/empty-row": (
            "{n:~row} with only separators skipped ({lines:lines})",
            "跳过 {n} 行只有分隔符的空行（{lines:lines}）",
        ),
        "data/after-table": (
            "{n:~line} below the table not read ({lines:lines}): a footer or a second table",
            "表格下方的 {n} 行未读取（{lines:lines}）：页脚或第二个表格",
        ),
        "data/encoding": (
            "cannot decode the file's text as {encoding}; set `encoding` on the source",
            "无法按 {encoding} 解码文件文本；请在数据源上设置 `encoding`",
        ),
        "data/decimal.mixed": (
            "numbers use both ',' and '.' as decimal mark; set `decimal: \",\"` or "
            '`decimal: "."` on the source',
            "数字同时用 ',' 和 '.' 作小数点；请在数据源上设置 `decimal: \",\"` 或 `decimal: \".\"`",
        ),
        "data/decimal.ambiguous": (
            "numbers such as '1,234' could use ',' as thousands separator or as decimal "
            'comma; set `decimal: ","` or `decimal: "."` on the source',
            "'1,234' 这样的数字中 ',' 可能是千分位，也可能是小数点；请在数据源上设置 "
            '`decimal: ","` 或 `decimal: "."`',
        ),
        "data/totals-row": (
            "{n:~totals row} excluded ({lines:lines}): {what}",
            "{lines:lines}的 {n} 个合计行未计入：{what}",
        ),
        "data/totals-row.label": (
            "{label:q} is a total, not a day's data",
            "{label:q} 是合计，不是某一天的数据",
        ),
        "data/totals-row.summary": (
            "a summary row with no campaign or channel that restates the other rows' sums",
            "没有推广计划或渠道、重复其他行之和的汇总行",
        ),
        "data/missing-date": ("no date", "没有日期"),
        "data/bad-date": (
            "expected a date such as 2026-09-01, got {got:q}",
            "应为日期（例如 2026-09-01），实际为 {got:q}",
        ),
        "data/bad-date.format": (
            "expected a date as {fmt!r}, got {got:q}",
            "应为格式为 {fmt!r} 的日期，实际为 {got:q}",
        ),
        "data/bad-number": (
            "expected a number, got {got:q}",
            "应为数字，实际为 {got:q}",
        ),
        "data/non-finite": (
            "{got:q} in column {col} ({header:q40}) is not a finite number",
            "第 {col} 列（{header:q40}）中的 {got:q} 不是有限的数字",
        ),
    }
)
