"""A site's own regular expressions (rule packs, export profiles) are refused when they can
backtrack for an exponential or a high polynomial time (outside report F3, F4): each of
the report's patterns hung `planbook check` and `mkdocs build` past 120 s on 40 letters."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from planbook.messages import say
from planbook.regex_guard import LINE, MAX_LENGTH, MAX_WAYS, regex_problem
from planbook.review import ReviewConfig, load_ruleset
from planbook.sources.profiles import SHIPPED, ProfileError, _profile, load_registry

FLAGS = re.IGNORECASE | re.MULTILINE

REFUSED = {
    # the report's four rule-pack patterns and its profile pattern
    "(a|a)*!": "alternatives",
    "(a+){2,60}!": "ambiguous",
    "(.*a){15}!": "ambiguous",
    "(a|a?)+!": "empty",
    "^(a|a)*!$": "alternatives",
    # more of the same family
    "(a+)+": "ambiguous",
    r"(\w+\s?)+$": "ambiguous",
    r"(\S+\s?)+价格": "ambiguous",
    "([^，。]+)*保证": "ambiguous",
    "(x+x+)+y": "ambiguous",
    r"^(([a-z])+.)+[A-Z]([a-z])+$": "ambiguous",
    r"(\d+|\d+\.\d+)+x": "alternatives",
    "(a|ab)+!": "alternatives",
    "(?:a*)*!": "empty",
    "(?>a+)+b": "ambiguous",  # atomic inside: the outer repeat still splits the a's
    "(a++)+b": "ambiguous",
    "(a{1,20})+!": "ambiguous",
    # backreferences and lookarounds inside a repeated part
    r"^(a+)\1*!": "empty",
    r"((a+)\2)+!": "ambiguous",
    r"((a)\2)+!": "backreference",
    r"(?:(?=.*x)a)+!": "lookaround",
    r"(?:a(?=b+)b)+": "lookaround",
    # repeats one after another that share the text
    ".*a.*b.*c": "chained",
    ".*a" * 15 + "!": "chained",
    "a?" * 18 + "!": "chained",
}

ACCEPTED = (
    "a+b*",
    ".*a.*b",
    r"\s*x\s*y\s*z",
    r"(?:\d[ -]?){14,18}\d",
    r"(?:[A-Z][\w.]*\s+){1,4}(?:Street|St)",
    r"[A-Za-z0-9-](?:[A-Za-z0-9-]|\.(?=[A-Za-z0-9-]))*\.[A-Za-z]{2,}",
    r"(?:[ -]?\d{4}){2}",
    "(a|b)*c",
    "(ab|ac)+",
    r"^(\s*,\s*\w+)+$",
    r"^(a+)\1\1$",  # a backreference outside a repeated part is no choice
    "x[^y]{0,50}y[^z]{0,50}z",
    "a?" * 17 + "!",
    "^Total: ",
    "^合计$",
)


@pytest.mark.parametrize("pattern", list(REFUSED), ids=repr)
def test_patterns_that_backtrack_for_ever_are_refused(pattern: str) -> None:
    problem = regex_problem(pattern, FLAGS)
    kind = REFUSED[pattern]
    assert problem is not None
    assert problem.key == ("regex/chained" if kind == "chained" else f"regex/slow.{kind}")


@pytest.mark.parametrize("pattern", ACCEPTED, ids=repr)
def test_patterns_whose_every_choice_is_decided_are_accepted(pattern: str) -> None:
    assert regex_problem(pattern, FLAGS) is None


def test_a_pattern_longer_than_the_cap_is_refused() -> None:
    assert regex_problem("x" * MAX_LENGTH) is None
    problem = regex_problem("x" * (MAX_LENGTH + 1))
    assert problem == (
        "'" + "x" * 59 + "…' has 1,001 characters; a pattern may have at most 1,000:"
        " split it into several patterns"
    )
    assert say(problem, "zh") == (
        "“" + "x" * 59 + "…” 有 1001 个字符，一个正则表达式最多 1000 个：请拆成几个表达式"
    )


def test_every_message_names_the_pattern_its_part_and_what_to_write() -> None:
    problem = regex_problem("(a|a)*!", FLAGS)
    assert problem == (
        "'(a|a)*!': the repeated part '(a|a)*' holds alternatives that can start with the"
        " same character (or match empty text), as in (a|a)* or (a|ab)+, which can take"
        " exponential time on text it does not match (the build hangs); give each"
        " alternative a different first character, as in (ab?)+, or use one character"
        " class, as in [ab]+"
    )
    assert say(problem, "zh") == (
        "“(a|a)*!”：重复的部分 “(a|a)*” 里的几个选择可以以同一个字符开头（或匹配空文本），"
        "如 (a|a)*、(a|ab)+，遇到不匹配的文本时耗时呈指数增长（构建会卡住）；"
        "请让每个选择以不同的字符开头（如 (ab?)+），或合成一个字符类（如 [ab]+）"
    )
    problem = regex_problem("(.*a){15}!", FLAGS)
    assert problem == (
        "'(.*a){15}!': the repeated part '(.*a){15}' holds a repeat that can take what"
        " comes after it, as in (a+)+, (\\w+\\s?)+ or (.*a){15}, which can take"
        " exponential time on text it does not match (the build hangs); repeat once, as"
        " in a+, or end the repeated part with a character the inner repeat cannot take,"
        " as in (\\w+\\s)+ or ([^a]*a){15}"
    )
    assert say(problem, "zh") == (
        "“(.*a){15}!”：重复的部分 “(.*a){15}” 里又有重复，并且能吃掉它后面的字符（如 (a+)+、"
        "(\\w+\\s?)+、(.*a){15}），遇到不匹配的文本时耗时呈指数增长（构建会卡住）；"
        "请只重复一次（如 a+），或让重复的部分以内层重复吃不掉的字符结尾"
        "（如 (\\w+\\s)+、([^a]*a){15}）"
    )
    problem = regex_problem("(a|a?)+!", FLAGS)
    assert problem == (
        "'(a|a?)+!': the repeated part '(a|a?)+' can match empty text, which can take"
        " exponential time on text it does not match (the build hangs); repeat what"
        " cannot be empty, as in a* instead of (a?)* or (a|)+"
    )
    assert say(problem, "zh") == (
        "“(a|a?)+!”：重复的部分 “(a|a?)+” 可以匹配空文本，遇到不匹配的文本时耗时呈指数增长"
        "（构建会卡住）；请重复不会为空的部分，如用 a* 代替 (a?)* 或 (a|)+"
    )
    problem = regex_problem("(?:(?=.*x)a)+!", FLAGS)
    assert problem == (
        "'(?:(?=.*x)a)+!': the repeated part '(?:(?=.*x)a)+' holds a lookaround that"
        " repeats, so every repetition scans the text again; use a fixed-length"
        " lookaround, as in (?=[a-z]), or move it out of the repeated part"
    )
    assert say(problem, "zh") == (
        "“(?:(?=.*x)a)+!”：重复的部分 “(?:(?=.*x)a)+” 里的环视本身含有重复，"
        "每次重复都要重新扫描文本；请用定长的环视（如 (?=[a-z])），或把它移到重复的部分之外"
    )
    problem = regex_problem("((a)\\2)+!", FLAGS)
    assert problem == (
        "'((a)\\\\2)+!': the repeated part '((a)\\\\2)+' holds a backreference (text of any"
        " length), which can take exponential time on text it does not match (the build"
        " hangs); move it out of the repeated part"
    )
    assert say(problem, "zh") == (
        "“((a)\\2)+!”：重复的部分 “((a)\\2)+” 里的反向引用可以匹配任意长度的文本，"
        "遇到不匹配的文本时耗时呈指数增长（构建会卡住）；请把它移到重复的部分之外"
    )
    assert (MAX_WAYS, LINE) == (100_000, 100)
    problem = regex_problem(".*a.*b.*c", FLAGS)
    assert problem == (
        "'.*a.*b.*c': repeats one after another can split the same text in more than"
        " 100,000 ways (a * or + counts as 100), as in .*a.*b.*c, which takes the text's"
        " length to the power of their number; let each stop at a character the next"
        " needs, as in [^a]*a[^b]*b[^c]*c"
    )
    assert say(problem, "zh") == (
        "“.*a.*b.*c”：几个前后相接的重复分割同一段文本的方式超过 100,000 种（* 或 + 按 100"
        " 种计，如 .*a.*b.*c），耗时是文本长度的重复个数次方；请让每个重复在下一个需要的字符前"
        "停下（如 [^a]*a[^b]*b[^c]*c）"
    )


def test_a_site_pack_says_the_file_line_rule_and_field(tmp_path: Path) -> None:
    pack = tmp_path / "acme.yml"
    pack.write_text(
        "pack: acme\nrules:\n"
        "  - id: acme/redos\n    category: brand\n    severity: warning\n"
        "    basis: b\n    message: m\n    patterns: ['便宜', '(a+){2,60}!']\n"
        "  - id: acme/fine\n    category: brand\n    severity: warning\n"
        "    basis: b\n    message: m\n    patterns: ['(?:\\d[ -]?){14,18}\\d']\n",
        encoding="utf-8",
    )
    rs, diags = load_ruleset(ReviewConfig(packs=(), extra_packs=(pack,)))
    assert list(rs.rules) == ["acme/fine"]
    (d,) = diags
    assert (d.file, d.line, d.field, d.rule) == (
        str(pack),
        8,
        "rules[0].patterns[1]",
        "review/pack",
    )
    assert d.message.startswith("rule 'acme/redos', patterns: '(a+){2,60}!': the repeated part")
    assert say(d.message, "zh").startswith(
        "规则 'acme/redos' 的 patterns：“(a+){2,60}!”：重复的部分 “(a+){2,60}” 里又有重复"
    )


@pytest.mark.parametrize(
    ("field", "raw"),
    [
        ("totals.labels", {"totals": {"labels": ["^Total$", "^(a|a)*!$"]}}),
        ("detect.preamble", {"detect": {"all": ["x"], "preamble": ["^ok", "^(a|a)*!$"]}}),
    ],
)
def test_a_profile_says_the_file_field_and_index(field: str, raw: dict) -> None:
    with pytest.raises(ProfileError) as caught:
        _profile(Path("profiles/acme.yml"), {"id": "acme", **raw})
    message = caught.value.args[0]
    assert message == (
        f"acme.yml: {field}[1]: '^(a|a)*!$': the repeated part '(a|a)*' holds alternatives"
        " that can start with the same character (or match empty text), as in (a|a)* or"
        " (a|ab)+, which can take exponential time on text it does not match (the build"
        " hangs); give each alternative a different first character, as in (ab?)+, or use"
        " one character class, as in [ab]+"
    )
    assert say(message, "zh").startswith(f"acme.yml: {field}[1]：“^(a|a)*!$”：重复的部分 “(a|a)*”")


def test_a_site_profiles_folder_reports_the_slow_pattern(tmp_path: Path) -> None:
    (tmp_path / "acme.yml").write_text(
        "id: acme\ntotals: {labels: ['^(a+)+$']}\n", encoding="utf-8"
    )
    registry = load_registry(tmp_path)
    assert "acme" not in registry.profiles
    (error,) = registry.errors
    assert error.startswith(f"{tmp_path}/acme.yml: totals.labels[0]: '^(a+)+$': the repeated")


def test_every_shipped_pattern_passes() -> None:
    from planbook.review.rules import (
        _FLAGS,
        _PATTERN_FIELDS,
        BUILTIN_PACKS,
        PACKS_DIR,
        _field_patterns,
        read_pack,
    )

    for name in BUILTIN_PACKS:
        pack, _, diags = read_pack(PACKS_DIR / f"{name}.yml")
        assert pack is not None and diags == []
        for rule in pack.rules:
            for f in _PATTERN_FIELDS:
                for p in _field_patterns(rule, f):
                    assert regex_problem(p, _FLAGS) is None, (rule.id, f, p)
    registry = load_registry()
    assert registry.errors == () and len(registry.profiles) == len(list(SHIPPED.glob("*.yml")))


# The shipped patterns the rule refused, as they were; rewritten so that no two repeats
# share a run of spaces, they must find the same text.
OLD_GOOGLE_PREAMBLE = r'^"?(All time|.*\d{4}\s*[-–]\s*.*\d{4})"?$'
OLD_MEASURED_TAIL = r"\s*[:：]?\s*(?:可达|可至|达到?|为|约|仅|只有|支持)?\s*[\d.,，~～–-]+\s*"


def _old_measured(new: str) -> str:
    head = r"(?:最(?:大|高|低|小|长|短|快|慢|远|多|少)"
    old = new.replace(head + r"(?:\s*(?:风量", head + r"\s*(?:风量", 1)
    old = old.replace("|约))?|(?:风量", "|约)?|(?:风量", 1)
    tail = r"\s*(?:[:：]\s*)?(?:(?:可达|可至|达到?|为|约|仅|只有|支持)\s*)?[\d.,，~～–-]+\s*"
    assert old.count(tail) == 1
    return old.replace(tail, OLD_MEASURED_TAIL)


def test_the_rewritten_shipped_patterns_find_what_they_found() -> None:
    from planbook.review.rules import _FLAGS, PACKS_DIR, read_pack

    pack, _, _ = read_pack(PACKS_DIR / "cn-ad-law.yml")
    assert pack is not None
    (rule,) = [r for r in pack.rules if r.id == "cn-ad-law/absolute-terms"]
    new = rule.allow_patterns[0]
    old = _old_measured(new)
    assert regex_problem(old, _FLAGS) is not None and regex_problem(new, _FLAGS) is None
    pieces = [
        "最大",
        "最高",
        "风量",
        "功率",
        "最低",
        "噪音",
        " ",
        "  ",
        "\t",
        ":",
        "：",
        "可达",
        "达",
        "约",
        "500",
        "1,2",
        ".5",
        "~",
        "m³/h",
        "db",
        "w",
        "km",
        "小时",
        "x",
        "最",
    ]
    texts = ["最大风量 500 m³/h", "噪音最低：约 35 db", "最高 可达  1,200 w", "最大 : 3 km"]
    rng = random.Random(7)
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(4000)]
    a, b = re.compile(old, _FLAGS), re.compile(new, _FLAGS)
    for t in texts:
        assert [m.span() for m in a.finditer(t)] == [m.span() for m in b.finditer(t)], t
    assert b.search("最大风量 500 m³/h")

    google = load_registry().profiles["google-ads"].detect_preamble[1]
    assert google.pattern == r'^"?(All time|.*\d{4}\s*[-–].*\d{4})"?$'
    assert regex_problem(OLD_GOOGLE_PREAMBLE, re.I) is not None
    before = re.compile(OLD_GOOGLE_PREAMBLE, re.I)
    lines = [
        "September 1, 2026 - September 7, 2026",
        "1 September 2026 - 7 September 2026",
        '"All time"',
        "All time",
        "2026 -2026",
        "2026- 2026",
        "2026 –  x2026",
        "Campaign",
    ]
    bits = ["2026", " ", "-", "–", '"', "x", "All time", "1"]
    lines += ["".join(rng.choice(bits) for _ in range(rng.randint(1, 9))) for _ in range(4000)]
    for line in lines:
        assert bool(before.search(line)) == bool(google.search(line)), line
