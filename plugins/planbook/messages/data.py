"""Messages about metric files: reading, rows set aside, columns, paths."""

from __future__ import annotations

from . import register

register(
    {
        "data/excluded": (
            "{n:~row} excluded ({lines:lines}): {problem}",
            "{lines:lines}未计入：{problem}",
        ),
        "data/repeated-header": (
            "the header line again: {n:~line} from there not read ({lines:lines}); if they are "
            "more of this table (two downloads joined, a paged export), delete the repeated "
            "header line, if they repeat it, delete them",
            "表头又出现了一次：从那里起的{lines:lines}未读取；如果它们是同一张表的后续数据（两份下载拼接、"
            "分页导出），请删除重复的表头行；如果是重复的数据，请删除它们",
        ),
        "data/bad-row.quoted": (
            "a quote opened there closes only on line {end}, and the lines between are inside "
            "it ({got} fields, the header has {width}; a stray quote?)",
            "这里开始的引号到第 {end} 行才闭合，中间的行都被包在里面（{got} 个字段，表头有 {width} 个；"
            "多了一个引号？）",
        ),
        "data/bad-row.too-long": (
            "a field is longer than {limit:,} characters (a pasted file or image?); the lines "
            "below are read",
            "有字段超过 {limit:,} 个字符（可能粘贴了文件或图片？）；下面的行照常读取",
        ),
        "data/bad-row.unclosed": (
            "cannot be read from here to the end of the file (a quote that is never closed?)",
            "从这里到文件末尾都无法读取（可能有未闭合的引号）",
        ),
        "data/bad-row.unclosed-to": (
            "a quote opened on line {line} is never closed: lines {line}-{end}, to the end of "
            "the file, cannot be read",
            "第 {line} 行的引号没有闭合：第 {line}-{end} 行（到文件末尾）都无法读取",
        ),
        "data/bad-row.fields": (
            "expected {width} fields as in the header, got {got}",
            "应与表头一样有 {width} 个字段，实际为 {got} 个",
        ),
        "data/too-large": (
            "file is {size}, over the {limit} MB limit (`max_file_mb`); save it as Parquet "
            "({data_dir}/*.parquet is aggregated by DuckDB, the `warehouse` extra, without "
            "loading it), read it from a warehouse source, or raise `max_file_mb` (reading "
            "takes about 3x the file's size in memory)",
            "文件大小为 {size}，超过 {limit} MB 的上限（`max_file_mb`）；请另存为 Parquet"
            "（{data_dir}/*.parquet 由 DuckDB 聚合，需安装 `warehouse` 扩展，不必整个读入内存），"
            "或改用数据仓库数据源，或调高 `max_file_mb`（读取约占文件大小 3 倍的内存）",
        ),
        "data/size.mb": ("{mb} MB", "{mb} MB"),
        "data/size.bytes": ("{n} bytes", "{n} 字节"),
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
        "data/decimal.mixed-columns": (
            "{comma:q40} writes numbers with a decimal comma ({example:q}) and {point:q40} with "
            "a '.' ({value:q}): if '.' groups thousands in this file (German or French "
            'settings: 54.040 for 54040), set `decimal: ","` on the source; if it is a decimal '
            'point there, set `decimal: "."`',
            "{comma:q40} 的数字用逗号作小数点（{example:q}），{point:q40} 的数字带 '.'（{value:q}）："
            "如果这个文件里 '.' 是千位分隔符（德语、法语设置：54.040 即 54040），请在数据源上设置 "
            '`decimal: ","`；如果那是小数点，请设置 `decimal: "."`',
        ),
        "data/multi-day-row": (
            "each covers several days, not one (the first: {start} to {end}, by {column}); "
            "export the report with a daily breakdown (Meta Ads Manager: Breakdown > By time > Day)",
            "每行覆盖多天，不是一天的数据（第一行：{start} 至 {end}，见 {column}）；请按天细分导出报表"
            "（Meta 广告管理工具：细分 > 按时间 > 天）",
        ),
        "data/multi-day-row.range": (
            "each covers several days, not one (the first: {start} to {end}, in {column}); "
            "export the report with one row per day (a time unit of days: 时间单位 分日, "
            "Segment > Time > Day)",
            "每行覆盖多天，不是一天的数据（第一行：{start} 至 {end}，见 {column}）；请按天导出报表"
            "（时间单位选“分日”）",
        ),
        "data/decimal.ambiguous": (
            "numbers such as '{example}' could use '{mark}' as thousands separator or as "
            'decimal mark; set `decimal: ","` or `decimal: "."` on the source',
            "'{example}' 这样的数字中 '{mark}' 可能是千分位，也可能是小数点；请在数据源上设置 "
            '`decimal: ","` 或 `decimal: "."`',
        ),
        "data/totals-row": (
            "{n:~totals row} excluded ({lines:lines}): {what}",
            "{lines:lines}的合计行未计入：{what}",
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
        "data/masked-number": (
            "{header:q40} is {got:q} on {n:~row} ({lines:lines}): a count the platform hides "
            "when it is small; left out of that column's sums and of the ratios that use it "
            "(those sums are short by less than that number a row), the rows' other columns "
            "count",
            "{lines:lines}的 {header:q40} 为 {got:q}：平台在数量较小时隐藏的值；不计入该列的合计以及用到它的"
            "比率（这些合计每行少计不到这个数），这些行的其他列照常计入",
        ),
        "data/blank-is-zero": (
            "{header:q40} is empty on {n:~row} ({lines:lines}): read as 0, as this export "
            "leaves a count empty when it is zero",
            "{lines:lines}的 {header:q40} 为空：按 0 读取（该导出在数量为零时留空）",
        ),
        "data/non-finite": (
            "{got:q} in column {col} ({header:q40}) is not a finite number",
            "第 {col} 列（{header:q40}）中的 {got:q} 不是有限的数字",
        ),
    }
)

register(
    {
        "data/path.empty": (
            "empty path; expected a file or glob inside '{data}/'",
            "路径为空；应为 '{data}/' 中的文件或通配符",
        ),
        "data/path.too-long": (
            "path of {n:,} characters is not a file name; expected a path inside '{data}/' of "
            "at most {most} characters",
            "{n:,} 个字符的路径不是文件名；应为 '{data}/' 中不超过 {most} 个字符的路径",
        ),
        "data/path-outside.absolute": (
            "absolute path {path:q80} is not allowed; write it relative to the project root, "
            "inside '{data}/' (e.g. '{data}/campaign/*.csv')",
            "不允许使用绝对路径 {path:q80}；请写相对于项目根目录、位于 '{data}/' 中的路径"
            "（例如 '{data}/campaign/*.csv'）",
        ),
        "data/path-outside.dotdot": (
            "path {path:q80} uses '..'; metric files must stay inside '{data}/'",
            "路径 {path:q80} 使用了 '..'；指标文件必须放在 '{data}/' 中",
        ),
        "data/path-outside": (
            "path {path:q80} is outside '{data}/'; metric files must live in '{data}/' "
            "(e.g. '{data}/{name}')",
            "路径 {path:q80} 不在 '{data}/' 中；指标文件必须放在 '{data}/' 中（例如 '{data}/{name}'）",
        ),
        "data/missing-file": ("file {path:q80} not found", "找不到文件 {path:q80}"),
        "data/path.folder": (
            "{path:q80} is a folder, not a metric file",
            "{path:q80} 是文件夹，不是指标文件",
        ),
        "data/path.lookup": ("cannot look up {path:q80}: {error}", "无法查找 {path:q80}：{error}"),
        "data/path-outside.link": (
            "{links} {verb} to a file outside '{data}/'; copy the file into '{data}/' instead",
            "{links} 是指向 '{data}/' 之外文件的链接；请把文件复制到 '{data}/' 中",
        ),
        "data/not-csv": (
            "{path:q80} is not a metric file (expected .csv, .tsv, .txt, .xlsx or .parquet)",
            "{path:q80} 不是指标文件（应为 .csv、.tsv、.txt、.xlsx 或 .parquet）",
        ),
        "data/not-csv.xls": (
            "{path:q80} is an Excel 97-2003 workbook (.xls), which is not read: open it in "
            "Excel or WPS and save it as .xlsx (or CSV)",
            "{path:q80} 是 Excel 97-2003 工作簿（.xls），无法读取：请用 Excel 或 WPS 打开，另存为 .xlsx"
            "（或 CSV）",
        ),
        "data/not-csv.html": (
            "{path:q80} is a web page (HTML) saved under a spreadsheet's name, not a table "
            "file: open it in Excel or WPS and save it as .xlsx or CSV",
            "{path:q80} 是保存成表格文件名的网页（HTML），不是表格文件：请用 Excel 或 WPS 打开，"
            "另存为 .xlsx 或 CSV",
        ),
        "data/no-match": ("{path:q80} matches no files", "{path:q80} 没有匹配到任何文件"),
        "data/no-match.kind": (
            "{path:q80} matches no .csv, .xlsx or .parquet files",
            "{path:q80} 没有匹配到 .csv、.xlsx 或 .parquet 文件",
        ),
        "data/missing-file.read": ("file not found", "找不到文件"),
        "data/unreadable": ("cannot read the file: {error}", "无法读取文件：{error}"),
        "data/duplicate-source": (
            "{path!r} is the same file as read by {first}{through}; its rows are counted once",
            "{path!r} 与 {first}{through} 读取的是同一个文件；其中的行只计算一次",
        ),
        "data/duplicate-source.through": (" (through {path!r})", "（经由 {path!r}）"),
        "data/overlapping-files": (
            "{path!r} and {other!r} both have rows for the same days ({start} – {end}, "
            "{n:~day}); both are counted, so those days count twice if one file is a newer "
            "download of the other: delete the older one, or download days that do not overlap",
            "{path!r} 和 {other!r} 都有同样日期的行（{start} – {end}，共 {n:,} 天）；两者都计入，"
            "如果其中一个是另一个的重新下载，这些天会被算两次：请删除较旧的文件，或下载不重叠的日期",
        ),
        "data/overlapping-files.dims": (
            "{path!r} and {other!r} both have rows for the same days and the same {dims} "
            "({start} – {end}, {n:,} of them); both are counted, so those days count twice if "
            "one file is a newer download of the other: delete the older one, or download days "
            "that do not overlap",
            "{path!r} 和 {other!r} 都有同一天、同样 {dims} 的行（{start} – {end}，共 {n:,} 组）；"
            "两者都计入，如果其中一个是另一个的重新下载，这些天会被算两次：请删除较旧的文件，"
            "或下载不重叠的日期",
        ),
        "data/duplicate-content": (
            "{path!r} has the same content as {first!r}: the same report downloaded twice? "
            "Its rows are counted once; delete one of the two files",
            "{path!r} 与 {first!r} 的内容完全相同：同一份报告下载了两次？其中的行只计算一次；"
            "请删除其中一个文件",
        ),
        "data/currency-mismatch": (
            "{path!r} states its currency as {stated:list}, the plan's currency is {plan}: "
            "its money ({measures:and}) is left out of the plan's figures (no exchange rate "
            "is applied), its other measures still count; {fix}",
            "{path!r} 标明的货币为 {stated:list}，计划的货币是 {plan}：其金额（{measures:and}）"
            "不计入计划的数字（不做汇率换算），其他度量照常计入；{fix}",
        ),
        "data/currency.stated": ("{value:q30} ({where})", "{value:q30}（{where}）"),
        "data/currency.column": ("column {header:q40}", "{header:q40} 列"),
        "data/currency.header": ("header {header:q60}", "表头 {header:q60}"),
        "data/currency.cells": (
            "cells of column {header:q40} such as {example:q30}",
            "{header:q40} 列的单元格，如 {example:q30}",
        ),
        "data/currency-mismatch.set": (
            "set the plan's `currency: {code}` if the plan is kept in {code}, or export the "
            "report in {plan}",
            "如果计划以 {code} 核算，请把计划的 `currency:` 改为 {code}；否则请以 {plan} 导出该报表",
        ),
        "data/currency-mismatch.ambiguous": (
            "set the plan's `currency:` to the file's ISO code (one of {codes:list}), or "
            "export the report in {plan}",
            "请把计划的 `currency:` 改为该文件货币的 ISO 代码（{codes:list} 之一），或以 {plan} "
            "导出该报表",
        ),
        "data/currency-mismatch.unknown": (
            "export the report in {plan}, or set the plan's `currency:` to the file's ISO code",
            "请以 {plan} 导出该报表，或把计划的 `currency:` 改为该文件货币的 ISO 代码",
        ),
        "data/currency-mismatch.mixed": (
            "the plan's other files state {others:list}: export every report of the plan in {plan}",
            "计划的其他文件标明的货币为 {others:list}：请把计划的所有报表都以 {plan} 导出",
        ),
        "data/set-overrides-column": (
            "{path!r} has its own {name!r} column; the value {value:q} from `set` replaces it",
            "{path!r} 自带 {name!r} 列；`set` 中的值 {value:q} 会替换它",
        ),
    }
)

register(
    {
        "data/encoding.unknown": (
            "unknown encoding {name!r}; use one of utf-8, gb18030, utf-16, big5, shift_jis, cp1252",
            "未知编码 {name!r}；请使用 utf-8、gb18030、utf-16、big5、shift_jis 或 cp1252",
        ),
        "data/encoding.ambiguous": (
            "cannot tell the file's encoding: it is not UTF-8 and reads as {names} alike; set "
            "the one it is ({values}) on the source, e.g. `metrics: [{{path: {path}, encoding: "
            "{last}}}]`, or save the file as UTF-8",
            "无法判断文件编码：它不是 UTF-8，按 {names} 读出来都一样；请在数据源上设置实际的编码"
            "（{values}），例如 `metrics: [{{path: {path}, encoding: {last}}}]`，或把文件另存为 UTF-8",
        ),
        "data/encoding.doubtful": (
            "cannot tell the file's encoding: it is not UTF-8, and read as {name} (the only "
            "encoding that decodes it) it holds unassigned or private-use characters; if "
            "{name} is right, set it on the source, e.g. `metrics: [{{path: {path}, encoding: "
            "{value}}}]`, or save the file as UTF-8",
            "无法判断文件编码：它不是 UTF-8；只有按 {name} 能解码，但解出的文本含有未分配或私用区"
            "字符；如果确实是 {name}，请在数据源上设置，例如 `metrics: [{{path: {path}, encoding: "
            "{value}}}]`，或把文件另存为 UTF-8",
        ),
        "data/encoding.undecodable": (
            "cannot decode the file (tried {tried}; first bad byte at line {line}); save it as "
            "UTF-8 or set `encoding` on the source",
            "无法解码文件（试过 {tried}；第一个无效字节在第 {line} 行）；请另存为 UTF-8，或在数据源上"
            "设置 `encoding`",
        ),
        "data/encoding.as": (
            "cannot decode the file as {encoding} (first bad byte at line {line}); save it as "
            "UTF-8 or set `encoding` on the source",
            "无法按 {encoding} 解码文件（第一个无效字节在第 {line} 行）；请另存为 UTF-8，或在数据源上"
            "设置 `encoding`",
        ),
        "data/empty.bytes": (
            "file is empty (0 bytes); no rows read",
            "文件为空（0 字节）；未读取任何行",
        ),
        "data/empty.whitespace": (
            "file is empty (only whitespace); no rows read",
            "文件为空（只有空白）；未读取任何行",
        ),
        "data/no-rows": ("file has a header but no data rows", "文件只有表头，没有数据行"),
        "data/too-many-columns": (
            "the header has {n:,} columns, more than the {limit:,} a metric file may have; "
            "not read: export only the columns the plans use",
            "表头有 {n:,} 列，超过指标文件最多 {limit:,} 列的上限，未读取：请只导出计划用到的列",
        ),
        "data/unknown-profile": (
            "unknown export profile {name!r}; known profiles: {known}",
            "未知的导出配置 {name!r}；已有配置：{known}",
        ),
        "data/profile": (
            "read as {name} export (profile {id})",
            "按 {name} 导出文件读取（配置 {id}）",
        ),
        "data/preamble": (
            "{n:~line} above the header skipped ({lines}: {first}{ellipsis}); the header is "
            "line {header}",
            "跳过表头上方的 {n} 行（{lines}：{first}{ellipsis}）；表头在第 {header} 行",
        ),
        "data/preamble.blank-lines": ("blank lines", "空行"),
        "data/empty.sheet": (
            "sheet {sheet!r} is empty; no rows read",
            "工作表 {sheet!r} 为空；未读取任何行",
        ),
        "data/no-rows.sheet": ("sheet has a header but no data rows", "工作表只有表头，没有数据行"),
        "data/duplicate-column": (
            "columns {first:q} (column {first_col}) and {second:q} (column {second_col}) both map "
            "to {name!r}; only the first is used: rename one, or map it to another name with the "
            "`columns` option",
            "列 {first:q}（第 {first_col} 列）和 {second:q}（第 {second_col} 列）都对应到 {name!r}；"
            "只使用第一列：请重命名其中一列，或用 `columns` 选项把它对应到别的名称",
        ),
        "data/no-date-column": (
            "no date column among the headers ({shown}{more}); name it 'date' or '日期', or map "
            "its header to 'date' with the `columns` option",
            "表头中没有日期列（{shown}{more}）；请把它命名为 'date' 或 '日期'，或用 `columns` 选项"
            "把它的表头对应到 'date'",
        ),
        "data/no-date-column.export": (
            "no date column among the headers ({shown}{more}): this {platform} report was "
            "downloaded without one row per day; download it again with a daily breakdown "
            "(Google Ads: Segment > Time > Day; GA4: add Date as a dimension; 时间单位: 分日)",
            "表头中没有日期列（{shown}{more}）：这份 {platform} 报表下载时没有按天细分；请按天重新下载"
            "（时间单位选“分日”；Google Ads：细分 > 时间 > 天；GA4：添加“日期”维度）",
        ),
        "more": (" and {n} more", " 等另外 {n} 个"),
        "lines": ("{lines:lines}", "{lines:lines}"),
    }
)
