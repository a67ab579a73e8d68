"""Messages about shortcodes in page text."""

from __future__ import annotations

from . import register

register(
    {
        "shortcode/not-alone": (
            "{{{{ {name}() }}}} is not on a line of its own, so it is not shown: a section is "
            "a block (a table, a chart); put the shortcode on a line by itself",
            "{{{{ {name}() }}}} 不在单独的一行，因此不显示：版块是一个整块（表格、图表）；"
            "请把短代码单独放在一行",
        ),
        "shortcode/arguments": (
            "{{{{ {name}() }}}}: {subject}{problem}",
            "{{{{ {name}() }}}}：{subject}{problem}",
        ),
        "shortcode/arguments.unreadable": (
            "{{{{ {name}(…) }}}}: {problem}",
            "{{{{ {name}(…) }}}}：{problem}",
        ),
        "shortcode/arguments.positional": (
            "takes {n} positional argument(s), got {got}{hint}",
            "最多接受 {n} 个位置参数，实际给了 {got} 个{hint}",
        ),
        "shortcode/arguments.no-positional": (
            "takes no positional argument(s), got {got}{hint}",
            "不接受位置参数，实际给了 {got} 个{hint}",
        ),
        "shortcode/arguments.name-them": (" (name them: {names})", "（请写明参数名：{names}）"),
        "shortcode/arguments.twice": ("{name} is given twice", "参数 {name} 给了两次"),
        "shortcode/arguments.list-of-one": (
            '{problem} (a list of one: ["{value}"])',
            '{problem}（只有一项的列表：["{value}"]）',
        ),
        "shortcode/arguments.missing": ("required argument is missing", "缺少必填参数"),
        "shortcode/arguments.unknown-field": ("unknown argument '{key}'", "未知参数 '{key}'"),
        "shortcode/arguments.unknown-field.close": (
            "unknown argument '{key}' (did you mean '{close}'?)",
            "未知参数 '{key}'（是不是 '{close}'？）",
        ),
        "shortcode/arguments.unknown-field.known": (
            "unknown argument '{key}'; known arguments: {known:list}",
            "未知参数 '{key}'；可用参数：{known:list}",
        ),
        "shortcode/arguments.syntax": (
            "cannot read the arguments {text}: {error}",
            "无法读取参数 {text}：不是合法的调用写法（Python 的说明：{error}）",
        ),
        "shortcode/arguments.depth": (
            "cannot read the arguments: they nest more than {most} levels deep",
            "无法读取参数：嵌套超过 {most} 层",
        ),
        "shortcode/arguments.double-star": (
            "**arguments are not allowed",
            "不允许使用 **参数",
        ),
        "shortcode/arguments.not-literal": (
            "argument {arg!r} is not a literal; use quoted text, numbers, true/false lists such "
            'as ["a", "b"]',
            '参数 {arg!r} 不是字面值；请使用带引号的文本、数字、true/false 或 ["a", "b"] 这样的列表',
        ),
        "shortcode/unknown": (
            "unknown shortcode '{name}' (did you mean '{close}'?); it is left in the page as text",
            "未知的短代码 '{name}'（是不是 '{close}'？）；它按原文留在页面中",
        ),
        "shortcode/syntax": (
            "malformed shortcode {text!r}; expected {{{{ {name}(...) }}}} with balanced "
            "parentheses and braces",
            "短代码 {text!r} 格式有误；应为括号和花括号成对的 {{{{ {name}(...) }}}}",
        ),
    }
)
