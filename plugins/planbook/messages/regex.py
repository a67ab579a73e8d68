"""Messages of the check on a site's own regular expressions (:mod:`planbook.regex_guard`).

Each says the pattern, the part at fault, why it can hang a build, and what to write
instead; the caller puts the file and the field in front."""

from __future__ import annotations

from . import register

_WHY_EN = "which can take exponential time on text it does not match (the build hangs)"
_WHY_ZH = "遇到不匹配的文本时耗时呈指数增长（构建会卡住）"

register(
    {
        "regex/too-long": (
            "{pattern:q} has {length:,} characters; a pattern may have at most {max:,}:"
            " split it into several patterns",
            "{pattern:q} 有 {length} 个字符，一个正则表达式最多 {max} 个：请拆成几个表达式",
        ),
        "regex/too-deep": (
            "{pattern:q} nests groups too deeply to be checked: write it flatter",
            "{pattern:q} 的分组嵌套太深，无法检查：请减少嵌套",
        ),
        "regex/slow.empty": (
            "{pattern:q}: the repeated part {part:q} can match empty text, " + _WHY_EN + ";"
            " repeat what cannot be empty, as in a* instead of (a?)* or (a|)+",
            "{pattern:q}：重复的部分 {part:q} 可以匹配空文本，" + _WHY_ZH + "；"
            "请重复不会为空的部分，如用 a* 代替 (a?)* 或 (a|)+",
        ),
        "regex/slow.ambiguous": (
            "{pattern:q}: the repeated part {part:q} holds a repeat that can take what"
            " comes after it, as in (a+)+, (\\w+\\s?)+ or (.*a){{15}}, " + _WHY_EN + ";"
            " repeat once, as in a+, or end the repeated part with a character the inner"
            " repeat cannot take, as in (\\w+\\s)+ or ([^a]*a){{15}}",
            "{pattern:q}：重复的部分 {part:q} 里又有重复，并且能吃掉它后面的字符（如 (a+)+、"
            "(\\w+\\s?)+、(.*a){{15}}），" + _WHY_ZH + "；请只重复一次（如 a+），"
            "或让重复的部分以内层重复吃不掉的字符结尾（如 (\\w+\\s)+、([^a]*a){{15}}）",
        ),
        "regex/slow.alternatives": (
            "{pattern:q}: the repeated part {part:q} holds alternatives that can start"
            " with the same character (or match empty text), as in (a|a)* or (a|ab)+,"
            " " + _WHY_EN + "; give each alternative a different first character, as in"
            " (ab?)+, or use one character class, as in [ab]+",
            "{pattern:q}：重复的部分 {part:q} 里的几个选择可以以同一个字符开头（或匹配空文本），"
            "如 (a|a)*、(a|ab)+，" + _WHY_ZH + "；请让每个选择以不同的字符开头（如 (ab?)+），"
            "或合成一个字符类（如 [ab]+）",
        ),
        "regex/slow.lookaround": (
            "{pattern:q}: the repeated part {part:q} holds a lookaround that repeats,"
            " so every repetition scans the text again; use a fixed-length lookaround,"
            " as in (?=[a-z]), or move it out of the repeated part",
            "{pattern:q}：重复的部分 {part:q} 里的环视本身含有重复，每次重复都要重新扫描文本；"
            "请用定长的环视（如 (?=[a-z])），或把它移到重复的部分之外",
        ),
        "regex/slow.backreference": (
            "{pattern:q}: the repeated part {part:q} holds a backreference (text of any"
            " length), " + _WHY_EN + "; move it out of the repeated part",
            "{pattern:q}：重复的部分 {part:q} 里的反向引用可以匹配任意长度的文本，"
            + _WHY_ZH
            + "；请把它移到重复的部分之外",
        ),
        "regex/chained": (
            "{pattern:q}: repeats one after another can split the same text in more than"
            " {ways:,} ways (a * or + counts as {line}), as in .*a.*b.*c, which takes the"
            " text's length to the power of their number; let each stop at a character"
            " the next needs, as in [^a]*a[^b]*b[^c]*c",
            "{pattern:q}：几个前后相接的重复分割同一段文本的方式超过 {ways:,} 种（* 或 + 按"
            " {line} 种计，如 .*a.*b.*c），耗时是文本长度的重复个数次方；请让每个重复在下一个"
            "需要的字符前停下（如 [^a]*a[^b]*b[^c]*c）",
        ),
    }
)
