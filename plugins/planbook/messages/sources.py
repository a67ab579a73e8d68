"""Messages of database and Parquet sources (warehouse, aggregate)."""

from __future__ import annotations

from . import register

register(
    {
        "warehouse/not-installed": (
            "database and Parquet sources need Ibis and DuckDB: pip install 'planbook[warehouse]'",
            "数据库和 Parquet 数据源需要 Ibis 和 DuckDB：pip install 'planbook[warehouse]'",
        ),
        "warehouse/unknown-connection": (
            "no connection named {name!r} in the plugin's `connections` option ({hint})",
            "插件的 `connections` 选项中没有名为 {name!r} 的连接（{hint}）",
        ),
        "warehouse/unknown-connection.known": ("known: {known}", "已有：{known}"),
        "warehouse/unknown-connection.none": (
            "none is configured; add `connections: {{{name}: {{url_env: "
            "PLANBOOK_WAREHOUSE_URL}}}}` to the planbook plugin in mkdocs.yml",
            "尚未配置任何连接；请在 mkdocs.yml 的 planbook 插件中添加 `connections: {{{name}: "
            "{{url_env: PLANBOOK_WAREHOUSE_URL}}}}`",
        ),
        "warehouse/missing-credentials": (
            "connection {name!r} reads its URL from the environment variable {env}, which is "
            "not set; set it in the shell or the CI secrets (e.g. "
            "postgresql://user:password@host:5432/analytics). Credentials are never read from "
            "files in the repository",
            "连接 {name!r} 从环境变量 {env} 读取 URL，但该变量未设置；请在终端或 CI 密钥中设置它"
            "（例如 postgresql://user:password@host:5432/analytics）。凭据从不从仓库中的文件读取",
        ),
        "warehouse/offline": (
            "{label}: not queried (--offline) and no cached result; checks that need its rows "
            "were skipped",
            "{label}：未查询（--offline），也没有缓存结果；需要其数据行的检查已跳过",
        ),
        "warehouse/labelled": ("{label}: {problem}", "{label}：{problem}"),
        "warehouse/query-failed.read": (
            "cannot read {what}: {kind}: {error}",
            "无法读取{what}：{kind}: {error}",
        ),
        "warehouse/query-failed.table": ("table {name!r}", "表 {name!r}"),
        "warehouse/query-failed.sql": ("`sql`", " `sql`"),
        "warehouse/query-failed.aggregate": (
            "the aggregation failed: {kind}: {error}",
            "聚合失败：{kind}: {error}",
        ),
        "warehouse/connect-failed": (
            "cannot connect to {name!r} ({env}): {kind}: {error}",
            "无法连接到 {name!r}（{env}）：{kind}: {error}",
        ),
    }
)

register(
    {
        "prefixed": ("{pre}{problem}", "{pre}{problem}"),
        "aggregate.no-date-column": (
            "no date column among the columns ({shown}); name it 'date' (or alias it in `sql:`), "
            "or map it to 'date' with the `columns` option",
            "列中没有日期列（{shown}）；请把它命名为 'date'（或在 `sql:` 中起别名），或用 `columns` "
            "选项把它对应到 'date'",
        ),
        "aggregate.date-type": (
            "date column {column!r} has type {type}; expected a date, a timestamp or text such "
            "as 2026-09-01",
            "日期列 {column!r} 的类型是 {type}；应为日期、时间戳或 2026-09-01 这样的文本",
        ),
        "aggregate.where-column": (
            "`where` names {name!r}, which is not a text column of the result (columns: {shown})",
            "`where` 中的 {name!r} 不是结果中的文本列（列：{shown}）",
        ),
        "aggregate.rates": (
            "{shown} not summed: an export's own rates are never added up; KPIs are computed "
            "from the summed measures",
            "{shown} 未求和：导出文件自带的比率从不相加；KPI 由求和后的度量计算",
        ),
        "aggregate.non-additive": (
            "{shown} not read: counts of distinct people or running totals cannot be summed "
            "across rows; compute them per day in `sql:`",
            "{shown} 未读取：去重人数或累计值不能跨行求和；请在 `sql:` 中按天计算",
        ),
        "aggregate.column-type": (
            "columns not read (neither a date, a dimension nor a number): {skipped}",
            "未读取的列（既不是日期、维度，也不是数字）：{skipped}",
        ),
        "aggregate.excluded": ("{pre}{n:,} {word} excluded: {why}", "{pre}{n:,} 行未计入：{why}"),
        "aggregate.date-format": (
            "{error}; cast it to a date in `sql:`",
            "{error}；请在 `sql:` 中把它转换为日期",
        ),
        "aggregate.bad-date": (
            "expected a date such as 2026-09-01 in column {column!r}, got {got:q}",
            "列 {column!r} 中应为日期（例如 2026-09-01），实际为 {got:q}",
        ),
        "aggregate.missing-date": (
            "no date (NULL in column {column!r})",
            "没有日期（列 {column!r} 为 NULL）",
        ),
        "aggregate.outside": (
            "{pre}{n:,} {word} dated outside {start} – {end} not read",
            "{pre}{n:,} 行的日期不在 {start} – {end} 内，未读取",
        ),
        "aggregate.bad-number": (
            "expected a number in column {column!r}{shown}",
            "列 {column!r} 中应为数字{shown}",
        ),
        "aggregate.got": (", got {got:q}", "，实际为 {got:q}"),
        "aggregate.non-finite": (
            "column {column!r} holds an infinite value, not a finite number",
            "列 {column!r} 中有无穷大的值，不是有限的数字",
        ),
        "aggregate.total": (
            "{got:q} is a total, not a day's data",
            "{got:q} 是合计，不是某一天的数据",
        ),
        "aggregate.totals": ("totals rows", "合计行"),
    }
)

register(
    {
        "profile.list": ("{where}: expected a list of texts", "{where}：应为文本列表"),
        "profile.mapping-header": (
            "{where}: expected a mapping of header -> name",
            "{where}：应为“表头 -> 名称”的映射",
        ),
        "profile.regex": (
            "{where}[{i}]: not a regular expression: {error}",
            "{where}[{i}]：不是正则表达式：{error}",
        ),
        "profile.slow-regex": ("{where}[{i}]: {problem}", "{where}[{i}]：{problem}"),
        "profile.delimiter": (
            "{where}: expected comma, tab or semicolon, got {got!r}",
            "{where}：应为 comma、tab 或 semicolon，实际为 {got!r}",
        ),
        "profile.mapping": ("{where}: expected a mapping", "{where}：应为映射"),
        "profile.unknown": (
            "{where}: unknown field(s) {fields:list}",
            "{where}：未知字段 {fields:list}",
        ),
        "profile.id": (
            "{where}: id: expected a lower-case slug, got {got!r}",
            "{where}：id: 应为小写标识符，实际为 {got!r}",
        ),
        "profile.field-mapping": (
            "{where}: {field}: expected a mapping",
            "{where}：{field}: 应为映射",
        ),
        "profile.date-order": (
            "{where}: date_order: expected mdy or dmy, got {got!r}",
            "{where}：date_order: 应为 mdy 或 dmy，实际为 {got!r}",
        ),
        "schema.refresh": (
            "expected a duration such as 15m, 1h or 1d, got {got!r}",
            "应为时长，例如 15m、1h 或 1d，实际为 {got!r}",
        ),
        "profile.folder": ("{folder}: profile folder not found", "{folder}：找不到导出配置文件夹"),
    }
)
