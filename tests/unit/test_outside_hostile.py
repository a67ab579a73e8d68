"""The outside hostile-input report's findings 8 to 14, unit by unit, with the exact text
of each message in both languages (tests/sitebuild/test_outside_hostile.py builds them)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from mkdocs.config.base import ValidationError

from planbook.diagnostics import Diagnostic, Severity
from planbook.frontmatter import Locations
from planbook.messages import line, say, visible
from planbook.metrics.formula import FormulaError, parse
from planbook.model import MetricSource, Period
from planbook.output import format_diagnostics, github_command
from planbook.validation import validate
from planbook.views.shortcodes import find, parse_arguments
from tests.hostile.outside import CASES
from tests.hostile.run import check, write_case

# ------------------------------------------------------------------ 8: shortcode arguments

DEEP = [
    "(min_score=" + "-" * 500 + "8)",
    "(min_score=" + "-" * 2000 + "8)",
    "(min_score=" + "not " * 500 + "8)",
    "(min_score=" + "+" * 500 + "8)",
    "(min_score=" + "~" * 500 + "8)",
    "(" + "+".join("8" * 3000) + ")",
    "(" + "8 if 1 else " * 400 + "8)",
    "(" + "a." * 3000 + "a)",
    "(x=" + "[" * 40 + "]" * 40 + ")",
]


@pytest.mark.parametrize("text", DEEP, ids=lambda t: f"{t[:14]}…{len(t)}")
def test_deep_arguments_are_refused_not_a_recursion_error(text: str) -> None:
    with pytest.raises(ValueError) as e:
        parse_arguments(text)
    said = e.value.args[0]
    assert said == "cannot read the arguments: they nest more than 32 levels deep"
    assert say(said, "zh") == "无法读取参数：嵌套超过 32 层"


def test_arguments_written_by_hand_still_parse() -> None:
    assert parse_arguments('("a", goals=["g1", "g2"], min_score=-8)') == (
        ("a",),
        {"goals": ["g1", "g2"], "min_score": -8},
    )
    nested = "(x=" + "[" * 20 + "1" + "]" * 20 + ")"
    assert parse_arguments(nested)[1]["x"] is not None


def test_a_deep_shortcode_on_a_page_is_a_diagnostic() -> None:
    page = "# P\n\n{{ risks(min_score=" + "not " * 500 + "8) }}\n"
    _, found = find(page, {"risks"}, file="p.md", first_line=1, token_prefix="PBX")
    (call,) = found
    (d,) = call.diagnostics
    assert d.rule == "shortcode/arguments" and d.line == 3
    assert d.message == (
        "{{ risks(…) }}: cannot read the arguments: they nest more than 32 levels deep"
    )
    assert say(d.message, "zh") == "{{ risks(…) }}：无法读取参数：嵌套超过 32 层"


# --------------------------------------------------------------------- 9: formula numbers


@pytest.mark.parametrize("number", ["9" * 400, "1e999", "1" + "0" * 309])
def test_a_number_past_the_float_range_is_a_formula_error(number: str) -> None:
    with pytest.raises(FormulaError) as e:
        parse(f"{number} * clicks")
    shown = repr(f"{number} * clicks") if len(number) < 50 else repr(number[:59] + "…")
    assert e.value.args[0] == (
        f"formula {shown} has a number too large to compute with (the limit is about "
        "1.8e308); write it smaller or in other units"
    )
    assert say(e.value.args[0], "zh") == (
        f"公式 {shown} 中的数字太大，无法计算（上限约为 1.8e308）；请改小或换用其他单位"
    )


def test_large_finite_numbers_stay_allowed() -> None:
    assert parse("1e308 * clicks") is not None
    assert parse("9" * 300 + " * clicks") is not None


# ------------------------------------------------------------------------- 10: periods


def _validate(model: type, data: dict) -> list[Diagnostic]:
    return validate(model, data, file="p.md", locations=Locations(default=1), prefix=())[1]


@pytest.mark.parametrize(
    ("start", "end", "field", "got"),
    [
        ("2026-09-01", "2263-01-01", "end", "2263-01-01"),
        ("2026-09-01", "2262-04-12", "end", "2262-04-12"),
        ("1677-09-21", "2026-12-31", "start", "1677-09-21"),
        ("0001-01-01", "2026-12-31", "start", "0001-01-01"),
    ],
)
def test_a_period_past_the_readable_days_is_refused(
    start: str, end: str, field: str, got: str
) -> None:
    (d,) = _validate(Period, {"start": start, "end": end})
    assert d.field == field
    assert d.message == (
        "a plan's period lies between 1677-09-22 and 2262-04-11, the days data files can be "
        f"dated; got {got}"
    )
    assert say(d.message, "zh") == (
        f"计划周期须在 1677-09-22 至 2262-04-11 之间（数据文件可读的日期范围），实际为 {got}"
    )


def test_the_readable_days_themselves_are_a_period() -> None:
    period, diags = validate(
        Period,
        {"start": "1677-09-22", "end": "2262-04-11"},
        file="p.md",
        locations=Locations(),
        prefix=(),
    )
    assert diags == [] and period.end == date(2262, 4, 11)


# -------------------------------------------------------------------------- 11: sums


def _said(name: str, tmp_path: Path) -> list[tuple[str, str]]:
    case = next(c for c in CASES if c.name == name)
    diags = check(write_case(tmp_path, case))
    return [(line(d, "en"), line(d, "zh")) for d in diags if d.severity is not Severity.INFO]


def test_a_file_whose_sums_overflow_says_so(tmp_path: Path) -> None:
    assert _said("sum-overflow-in-a-file", tmp_path) == [
        (
            "data/big.csv:3: error: spend: the values of 'spend' add up to more than a sum can "
            "hold (about 1.8e308) from this line on: its sums have no value, and plans show "
            "none; check the export's units [data/sum-overflow]",
            "data/big.csv:3: 错误: spend: 'spend' 列的数值从这一行起累加超过了求和能表示的上限"
            "（约 1.8e308）：它的求和没有值，计划中也不显示；请检查导出的单位 [data/sum-overflow]",
        )
    ]


def test_files_whose_sums_overflow_together_say_so(tmp_path: Path) -> None:
    assert _said("sum-overflow-across-files", tmp_path) == [
        (
            "docs/p.md:6: error: plan.metrics: the values of 'spend' in data/a.csv, data/b.csv "
            "add up to more than a sum can hold (about 1.8e308) together: its sums have no "
            "value, and the plan shows none; check the exports' units [data/sum-overflow]",
            "docs/p.md:6: 错误: plan.metrics: data/a.csv、data/b.csv 中 'spend' 列的数值合计"
            "超过了求和能表示的上限（约 1.8e308）：它的求和没有值，计划中也不显示；请检查导出的"
            "单位 [data/sum-overflow]",
        )
    ]


# --------------------------------------------------------------------- 12: review_page


@pytest.mark.parametrize(
    "value",
    [
        "/tmp/REVIEW_ABS.md",
        "../../../../tmp/REVIEW_ESCAPE.md",
        "a/../../b.md",
        "x.html",
        "review",
        "review.MD",
        ".md",
        "a\\b.md",
        "C:review.md",
        " review.md",
        "re\nview.md",
        "",
        5,
    ],
)
def test_review_page_refuses_a_path_that_is_not_a_new_page_inside_docs(value: object) -> None:
    from planbook.config import ReviewPage

    with pytest.raises(ValidationError) as e:
        ReviewPage().run_validation(value)
    said = e.value.args[0]
    assert said == (
        "expected the path of a new page inside docs_dir, relative and ending in .md (such as "
        f"review.md or quality/review.md), got {value!r}"
    )
    assert say(said, "zh") == (
        "应为 docs_dir 中一个新页面的路径：相对路径，以 .md 结尾（例如 review.md 或 "
        f"quality/review.md），实际为 {value!r}"
    )


def test_review_page_takes_a_relative_markdown_path() -> None:
    from planbook.config import ReviewPage

    assert ReviewPage().run_validation("review.md") == "review.md"
    assert ReviewPage().run_validation("./quality//review.md") == "quality/review.md"
    assert ReviewPage().run_validation(None) is None


def test_review_page_refuses_an_existing_page(tmp_path: Path) -> None:
    from mkdocs.config import load_config
    from mkdocs.exceptions import PluginError

    from planbook.config import settings_from
    from tests.conftest import write_site

    write_site(tmp_path, {"plans/p.md": "# P\n"}, options="review_page: plans/p.md")
    cfg = load_config(str(tmp_path / "mkdocs.yml"))
    with pytest.raises(PluginError) as e:
        settings_from(cfg.plugins["planbook"].config, cfg)
    assert str(e.value) == (
        "planbook：review_page：plans/p.md 已是站点中的页面，审核页会替换它；请另取一个新页面名"
    )


# --------------------------------------------------------------------------- 13: set


@pytest.mark.parametrize(
    ("name", "en", "zh"),
    [
        (
            "date",
            "`set` gives each row of the file a constant dimension; it cannot set the date, "
            "which each row has from the file",
            "`set` 为文件的每一行添加一个固定的维度；不能设定日期，日期来自文件中的每一行",
        ),
        (
            "clicks",
            "`set` gives each row of the file a constant dimension (text); 'clicks' is a "
            "measure, whose numbers come from the file: name a dimension such as channel or "
            "account",
            "`set` 为文件的每一行添加一个固定的维度（文本）；'clicks' 是度量，其数值来自文件："
            "请改用 channel 或 account 等维度",
        ),
    ],
)
def test_set_refuses_the_date_and_measures(name: str, en: str, zh: str) -> None:
    (d,) = _validate(MetricSource, {"path": "data/a.csv", "set": {name: "x"}})
    assert d.field == f"set.{name}"
    assert d.message == en and say(d.message, "zh") == zh


def test_set_takes_dimensions() -> None:
    assert _validate(MetricSource, {"path": "data/a.csv", "set": {"channel": "x"}}) == []


# ------------------------------------------------------------------ 14: control characters


def test_visible_writes_out_control_characters() -> None:
    assert visible("a\x1b[31mb\x07c\x7fd\x9be\u202ef\u2066g\x00h\ti") == (
        "a\\x1b[31mb\\x07c\\x7fd\\x9be\\u202ef\\u2066g\\x00h\ti"
    )
    assert visible("a\tb\nc", keep="\t\n") == "a\tb\nc"
    assert visible("普通的文字 ⏎ ok") == "普通的文字 ⏎ ok"


def _hostile() -> Diagnostic:
    return Diagnostic(
        "data/\x1b[31mred.csv",
        2,
        "channel\x1b]0;T\x07",
        "data/x",
        Severity.WARNING,
        "value \x1b[2J\u202eX\r\nnext",
    )


def test_text_output_and_the_log_line_show_control_characters() -> None:
    d = _hostile()
    expected = (
        "data/\\x1b[31mred.csv:2: warning: channel\\x1b]0;T\\x07: value "
        "\\x1b[2J\\u202eX⏎next [data/x]"
    )
    assert line(d, "en") == expected
    assert format_diagnostics([d], "text") == expected
    assert line(d, "zh") == expected.replace("warning", "警告")


def test_github_annotations_show_control_characters() -> None:
    assert github_command(_hostile()) == (
        "::warning file=data/\\x1b[31mred.csv,line=2,title=data/x::channel\\x1b]0;T\\x07: "
        "value \\x1b[2J\\u202eX%0D%0Anext"
    )


def test_the_build_log_shows_control_characters() -> None:
    import logging

    from planbook.build_log import log_diagnostic

    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    log = logging.getLogger("planbook-test-visible")
    log.addHandler(handler)
    try:
        log_diagnostic(log, _hostile(), "raw \x1b]0;T\x07")
    finally:
        log.removeHandler(handler)
    assert [r.getMessage() for r in records] == ["raw \\x1b]0;T\\x07"]
