"""Messages about reading front matter and rule packs as YAML."""

from __future__ import annotations

from . import PHRASES, register

# PyYAML's scanner and parser messages, longest first where one contains another.
PHRASES["yaml"] = {
    "mapping values are not allowed here": "这里不能出现映射值（冒号后缺少空格，或缩进不对？）",
    "mapping values are not allowed in this context": "这里不能出现映射值（一行里有两个 'a: b'？）",
    "found character that cannot start any token": "发现不能作为开头的字符（YAML 只能用空格缩进，不能用制表符）",
    "while scanning a simple key ": "扫描键时，",
    "could not find expected ':'": "找不到应有的 ':'",
    "while parsing a block mapping ": "解析映射时，",
    "while parsing a block collection ": "解析列表时，",
    "while parsing a flow sequence ": "解析 [ ] 列表时，",
    "while parsing a flow mapping ": "解析 { } 映射时，",
    "did not find expected ',' or ']'": "找不到应有的 ',' 或 ']'",
    "did not find expected ',' or '}'": "找不到应有的 ',' 或 '}'",
    "did not find expected key": "找不到应有的键",
    "did not find expected '-' indicator": "找不到应有的 '-'",
    "expected <block end>, but found": "缩进结束处出现了多余的内容：",
    "while scanning a quoted scalar ": "扫描带引号的值时，",
    "found unexpected end of stream": "引号没有闭合就到了末尾",
    "found character '\\t' that cannot start any token": "发现制表符 '\\t'（YAML 只能用空格缩进）",
    "while scanning for the next token ": "读取下一个记号时，",
    "found undefined alias": "发现未定义的别名",
    "while scanning an alias ": "扫描别名时，",
    "while scanning an anchor ": "扫描锚点时，",
    "could not determine a constructor for the tag": "无法识别标签",
    "while increasing flow level": "增加嵌套层级时，",
    "exceeded maximum nesting depth": "超过了最大嵌套深度",
}

register(
    {
        "yaml/full-width.colon": (
            "full-width colon '：' (U+FF1A) after '{key}': YAML needs an ASCII ':' followed by "
            "a space ('{key}: …'); the front matter was not read",
            "'{key}' 后面是全角冒号 '：'（U+FF1A）：YAML 需要半角 ':' 加一个空格（'{key}: …'）；"
            "front matter 未被读取",
        ),
        "yaml/full-width.comma": (
            "full-width comma '，' (U+FF0C) in [{value}]: YAML reads it as one value; separate "
            "values with an ASCII ',' (or quote the value if the comma belongs to it)",
            "[{value}] 中有全角逗号 '，'（U+FF0C）：YAML 会把它读成一个值；请用半角 ',' 分隔各值"
            "（如果逗号本来就是值的一部分，请给值加引号）",
        ),
        "yaml/too-large.depth": (
            "front matter is nested more than {most} levels deep",
            "front matter 的嵌套超过 {most} 层",
        ),
        "yaml/too-large": (
            "the YAML expands to more than {most:,} values (YAML aliases `*name` repeat "
            "what they point to); it is not read",
            "YAML 展开后超过 {most:,} 个值（YAML 别名 `*name` 会重复它指向的内容）；未被读取",
        ),
        "yaml/null-key": (
            "a field name is missing (`~:` or `null:`)",
            "缺少字段名（`~:` 或 `null:`）",
        ),
        "yaml/duplicate-key": (
            "duplicate key '{key}' (first on line {first}); YAML would keep only the last one",
            "键 '{key}' 重复（第一次在第 {first} 行）；YAML 只会保留最后一个",
        ),
        "yaml/syntax": ("invalid YAML: {what}", "YAML 语法错误：{what:phrases-yaml}"),
        "yaml/syntax.tag": (
            "invalid YAML: {what}; only plain YAML values are allowed in front matter (tags "
            "such as !!python/object are refused)",
            "YAML 语法错误：{what:phrases-yaml}；front matter 只允许普通的 YAML 值"
            "（不接受 !!python/object 之类的标签）",
        ),
        "yaml/syntax.value": (
            "invalid YAML: {value:q} cannot be read as !!{tag}",
            "YAML 语法错误：{value:q} 不能读作 !!{tag}",
        ),
        "yaml/not-a-mapping": (
            "front matter must be a mapping of fields, got {kind}",
            "front matter 必须是字段的映射，实际为 {kind}",
        ),
    }
)
