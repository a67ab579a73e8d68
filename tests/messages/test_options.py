"""mkdocs.yml option errors in the site's language (issue 10): the plugin's own option
checks, the `connections:` checks and the cross-option checks; both languages, Chinese
first, when the language cannot be known."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from planbook.cli import main
from planbook.plugin import PlanbookPlugin
from tests.conftest import write_site

STOP = "Config value 'plugins': Plugin 'planbook' option"


def _check(root: Path, options: str, language: str) -> str:
    write_site(root, {}, options=options, language=language)
    out = CliRunner().invoke(main, ["check", "-f", str(root / "mkdocs.yml")])
    assert out.exit_code == 1, out.output
    return out.output


@pytest.mark.parametrize(
    ("options", "zh", "en"),
    [
        (
            "max_file_mb: -3",
            f"{STOP} 'max_file_mb': 应为 0.001 到 1e+06 之间的数字，实际为 -3",
            f"{STOP} 'max_file_mb': expected a number from 0.001 to 1e+06, got -3",
        ),
        (
            "forecast_days: 2.5",
            f"{STOP} 'forecast_days': 应为整数，实际为 2.5",
            f"{STOP} 'forecast_days': expected a whole number, got 2.5",
        ),
        (
            "as_of: '2026-13-01'",
            f"{STOP} 'as_of': 应为 ISO 日期（YYYY-MM-DD），实际为 '2026-13-01'",
            f"{STOP} 'as_of': expected an ISO date (YYYY-MM-DD), got '2026-13-01'",
        ),
        (
            "value_colors: {sem: red}",
            f"{STOP} 'value_colors': sem：应为调色板序号 1-12 或 '#07c160' 这样的颜色，实际为 'red'",
            f"{STOP} 'value_colors': sem: expected a palette slot 1-12 or a colour like "
            "'#07c160', got 'red'",
        ),
        (
            "lint_rules: {smart/no-owner: loud}",
            f"{STOP} 'lint_rules': smart/no-owner：应为 off、info、warning、error 之一，"
            "实际为 'loud'",
            f"{STOP} 'lint_rules': smart/no-owner: expected one of off, info, warning, error, "
            "got 'loud'",
        ),
        (
            "connections: {warehouse: {url: 'postgresql://u:p@h/db'}}",
            "planbook：connections.warehouse.url：mkdocs.yml 中不能写 URL（及其密码）；"
            "请把它放进环境变量，并用 `url_env` 写出变量名",
            "planbook: connections.warehouse.url: a URL (and its password) must not be written "
            "in mkdocs.yml; put it in an environment variable and name it with `url_env`",
        ),
        (
            "connections: {warehouse: {url_env: X, refresh: soon}}",
            "planbook：connections.warehouse.refresh：应为时长，例如 15m、1h 或 1d，实际为 'soon'",
            "planbook: connections.warehouse.refresh: expected a duration such as 15m, 1h or "
            "1d, got 'soon'",
        ),
        (
            "connections: {Bad Name: {url_env: X}}",
            "planbook：connections：'Bad Name' 不是有效的连接名（只能用小写字母、数字、- 和 _）",
            "planbook: connections: 'Bad Name' is not a connection name (lower-case letters, "
            "digits, - and _)",
        ),
        (
            "pacing_at_risk: 0.99",
            "planbook：pacing_at_risk（0.99）不能大于 pacing_on_track（0.95）",
            "planbook: pacing_at_risk (0.99) must not be above pacing_on_track (0.95)",
        ),
    ],
)
def test_option_errors_in_the_sites_language(tmp_path: Path, options, zh, en) -> None:
    said_zh = _check(tmp_path / "zh", options, "zh")
    assert zh in said_zh, said_zh
    said_en = _check(tmp_path / "en", options, "en")
    assert en in said_en, said_en
    # the other language does not leak in
    assert en not in said_zh and zh not in said_en


def test_the_plugins_language_option_wins_over_the_theme(tmp_path: Path) -> None:
    said = _check(tmp_path, "language: en\nmax_file_mb: -3", "zh")
    assert f"{STOP} 'max_file_mb': expected a number from 0.001 to 1e+06, got -3" in said


def test_an_unknown_rule_names_the_close_one_in_chinese(tmp_path: Path) -> None:
    said = _check(tmp_path, "lint_rules:\n  smart/no-ownr: off", "zh")
    assert (
        "未知规则 'smart/no-ownr'（是否想写 'smart/no-owner'？）；可用规则：smart/vague-statement、"
        in (said)
    )


def test_without_a_readable_configuration_file_both_languages_chinese_first() -> None:
    errors, _ = PlanbookPlugin().load_config({"max_file_mb": "big"}, None)
    [(key, error)] = errors
    assert key == "max_file_mb"
    assert str(error) == "应为数字，实际为 'big' / expected a number, got 'big'"


def test_a_hostile_option_value_stays_one_message(tmp_path: Path) -> None:
    said = _check(tmp_path, "value_colors: {sem: '</script><b>'}", "zh")
    assert "sem：应为调色板序号 1-12 或 '#07c160' 这样的颜色，实际为 '</script><b>'" in said


def test_a_chinese_build_stops_with_the_chinese_option_error(build_site) -> None:
    built = build_site({}, options="forecast_days: 0")
    assert built.error is not None
    said = " ".join([*built.messages, str(built.error)])
    assert f"{STOP} 'forecast_days': 应为 2 到 3660 之间的整数，实际为 0" in said, said


def test_an_impossible_unquoted_date_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# x\n", "utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\ntheme: {name: material, language: zh}\n"
        "plugins:\n  - planbook:\n      as_of: 2026-13-01\n",
        "utf-8",
    )
    out = CliRunner().invoke(main, ["check", "-f", str(tmp_path / "mkdocs.yml")])
    assert out.exit_code == 1 and isinstance(out.exception, SystemExit), out.output
    assert "Traceback" not in out.output
    assert out.output.strip().endswith(
        "无法读取配置：month must be in 1..12（不加引号的日期，例如 `as_of: 2026-13-01`，"
        "必须是真实存在的日期） / cannot read the configuration: month must be in 1..12 "
        "(a date such as `as_of: 2026-13-01` written without quotes must be a real date)"
    )
