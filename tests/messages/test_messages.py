"""Diagnostics in the site's language (issue 10): the catalogue, coverage of the bad-input
corpora, exact Chinese messages, escaping, and the CLI's language options."""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

import pytest
from click.testing import CliRunner

from planbook.cli import collect, load_settings, main
from planbook.diagnostics import Diagnostic, Severity
from planbook.messages import CATALOGUE, Lines, Message, line, msg, say
from planbook.output import format_diagnostics, github_command
from tests.conftest import write_site
from tests.hostile.cases import CASES as HOSTILE
from tests.hostile.run import write_case
from tests.messages.corpus import CASES

PACKAGE = Path(__file__).resolve().parents[2] / "plugins" / "planbook"


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def _site(root: Path, pages: dict[str, str], data: dict, language: str = "zh") -> Path:
    write_site(root, {}, data, "", language)
    for name, text in pages.items():
        (root / "docs" / name).write_text(text, encoding="utf-8")
    return root


def _check(root: Path) -> list[Diagnostic]:
    return collect(load_settings(root / "mkdocs.yml"), ())


# ------------------------------------------------------------------------- catalogue


def test_both_languages_take_the_same_arguments() -> None:
    for key, (en, zh) in CATALOGUE.items():
        assert _fields(zh) <= _fields(en), key  # the arguments a call site gives suffice
        assert en.strip() and zh.strip(), key


def test_every_entry_is_used() -> None:
    source = "\n".join(
        p.read_text("utf-8")
        for p in PACKAGE.rglob("*.py")
        if "messages" not in p.relative_to(PACKAGE).parts
    )
    # Keys built at the call site from a value (f"expect.{kind}", f"period.{every}" …):
    # the family's prefix must appear as the start of an f-string or a concatenation.
    dynamic = re.findall(r'f"([a-z/_.-]+\.)\{', source)
    dynamic += re.findall(r'"([a-z/_.-]+\.)"\s*\+', source)
    dead = [
        key
        for key in CATALOGUE
        if f'"{key}"' not in source and not any(key.startswith(p) for p in dynamic)
    ]
    assert dead == []
    # A shortcode's own wording of a front-matter message exists for a real schema key.
    for key in CATALOGUE:
        if key.startswith("shortcode/arguments.") and f'"{key}"' not in source:
            assert f"schema.{key.removeprefix('shortcode/arguments.')}" in CATALOGUE, key


def test_english_text_is_the_message_and_chinese_is_said() -> None:
    m = msg("data/bad-number", got="1 2\n3")
    assert isinstance(m, Message) and m == "expected a number, got '1 2 3'"
    assert say(m, "zh") == "应为数字，实际为 “1 2 3”"
    assert say(m, "zh-CN") == say(m, "zh") and say(m, "en") == m
    assert say("not catalogued", "zh") == "not catalogued"  # English only when no text exists
    nested = msg("data/excluded", n=7, lines=Lines((3, 4, 5, 6, 7, 8), 7), problem=m)
    assert nested == (
        "7 rows excluded (lines 3, 4, 5, 6, 7 and 2 more): expected a number, got '1 2 3'"
    )
    assert say(nested, "zh") == "第 3、4、5、6、7 行等 7 行未计入：应为数字，实际为 “1 2 3”"


# --------------------------------------------------------------------------- coverage


def _corpus_sites() -> list:
    # Hostile cases whose mkdocs.yml options are refused stop before any check runs.
    refused = ("pacing", "tolerance", "forecast_days")
    out = [pytest.param(("corpus", name), id=f"corpus-{name}") for name in CASES]
    out += [
        pytest.param(("hostile", c.name), id=f"hostile-{c.name}")
        for c in HOSTILE
        if not c.hang and not any(word in c.options for word in refused)
    ]
    return out


@pytest.mark.parametrize("which", _corpus_sites())
def test_no_message_of_the_corpora_falls_back_to_english(which, tmp_path: Path) -> None:
    kind, name = which
    if kind == "corpus":
        root = _site(tmp_path, *CASES[name])
    else:
        root = write_case(tmp_path, next(c for c in HOSTILE if c.name == name))
    for d in _check(root):
        assert isinstance(d.message, Message), (d.rule, d.message)
        said = line(d, "zh")
        assert "\n" not in said and "\r" not in said
        assert said.endswith(f" [{d.rule}]")


def test_the_corpus_reaches_the_rules_users_meet(tmp_path: Path) -> None:
    seen: set[str] = set()
    for i, (pages, data) in enumerate(CASES.values()):
        seen |= {d.rule for d in _check(_site(tmp_path / str(i), pages, data))}
    expected = {
        "data/bad-number", "data/bad-date", "data/non-finite", "data/bad-row",
        "data/totals-row", "data/empty-row", "data/preamble", "data/encoding",
        "data/decimal", "data/duplicate-column", "data/no-date-column", "data/empty",
        "data/no-rows", "data/path", "data/path-outside", "data/missing-file",
        "data/no-match", "data/not-csv", "data/duplicate-content", "data/overlapping-files", "data/outside-period", "data/unknown-profile",
        "schema", "yaml/syntax", "yaml/duplicate-key", "yaml/null-key", "yaml/full-width",
        "yaml/not-a-mapping", "yaml/too-large", "plan/period", "plan/duplicate-id",
        "plan/milestone", "plan/unknown-objective", "plan/unknown-persona",
        "budget/share-or-amount", "budget/allocations-sum", "budget/over-cap",
        "kpi/unknown", "kpi/unknown-dimension", "kpi/unknown-value", "kpi/formula",
        "kpi/cycle", "shortcode/arguments", "shortcode/unknown", "shortcode/syntax",
        "review/directive", "review/waiver", "review/checklist", "review/blocked",
        "cn-ad-law/absolute-terms", "smart/vague-statement", "smart/no-owner",
    }  # fmt: skip
    assert expected - seen == set()


# ------------------------------------------------------------------ exact messages (zh)


def test_exact_chinese_messages(tmp_path: Path) -> None:
    csv = (
        "date,channel,impressions,clicks,conversions,spend,revenue\n"
        "2026-09-01,sem,1000,50,5,100,400\n2026-09-02,sem,abc,60,6,100,500\n"
        "2026-13-45,sem,1000,60,6,100,500\n"
    )
    page = (
        "---\nplan:\n  id: ID\n  owner: 总监\n  status: draft\n"
        "  period: {start: 2026-09-01, end: 2026-12-31}\n  metrics: [data/ads.csv]\n"
        "  goals:\n"
        "    - {id: b, statement: 点击量从 0 提升到 100, kpi: KPI, baseline: 0, target: TARGET,"
        " deadline: 2026-12-31, owner: 王芳}\n"
        "---\n# 计划\n\n{{ kpi_table(goal=['b']) }}\n"
    )
    pages = {
        "p.md": page.replace("ID", "p").replace("KPI", "clickz").replace("TARGET", "100"),
        "q.md": page.replace("ID", "q").replace("KPI", "clicks").replace("TARGET", "abc"),
        "copy.md": "---\nreview: {channel: web, status: approved}\n---\n# 文案\n\n全网最低价\n",
    }
    root = _site(tmp_path, pages, {"ads.csv": csv})
    said = {d.rule: line(d, "zh") for d in _check(root)}
    assert said["data/bad-number"] == (
        "data/ads.csv:3: 警告: impressions: 第 3 行未计入：应为数字，实际为 “abc” [data/bad-number]"
    )
    assert said["data/bad-date"] == (
        "data/ads.csv:4: 警告: date: 第 4 行未计入：应为日期（例如 2026-09-01），实际为 "
        "“2026-13-45” [data/bad-date]"
    )
    assert (
        said["schema"] == "docs/q.md:9: 错误: plan.goals[0].target: 应为数字，实际为 “abc” [schema]"
    )
    assert said["kpi/unknown"].startswith(
        "docs/p.md:9: 错误: plan.goals[0].kpi: 未知的 KPI 或数据列 'clickz'（是不是 'clicks'？）；"
        "内置 KPI：ctr、cpc、cpm、"
    )
    assert said["shortcode/arguments"] == (
        "docs/q.md:13: 错误: {{ kpi_table() }}：goal: 未知参数 'goal'（是不是 'goals'？） "
        "[shortcode/arguments]"
    )
    assert said["cn-ad-law/absolute-terms"] == (
        "docs/copy.md:6:1: 错误: 绝对化用语：“全网最低”（《广告法》第九条第三项）；建议：超值/限时优惠 "
        "[cn-ad-law/absolute-terms]"
    )


# ------------------------------------------------------------------- hostile arguments

HOSTILE_DATE = "</script><script>alert(1)</script>\nline two"


def _hostile() -> Diagnostic:
    problem = msg("data/bad-date", got=HOSTILE_DATE)
    m = msg("data/excluded", n=1, lines=Lines((4,), 1), problem=problem)
    return Diagnostic("data/a.csv", 4, "date", "data/bad-date", Severity.WARNING, m)


def test_hostile_values_stay_on_one_line_and_are_escaped_in_html() -> None:
    from planbook.views.render import Renderer

    d = _hostile()
    text = line(d, "zh")
    assert "\n" not in text and text.endswith("[data/bad-date]")
    assert "“</script><script>alert(1)</script> line two”" in text  # quoted values collapse
    raw = Diagnostic(
        "x.md", 1, "a\nb", "schema", Severity.ERROR, msg("schema.other", detail="x\ny", got=1)
    )
    assert line(raw, "zh") == "x.md:1: 错误: a⏎b: x⏎y，实际为 1 [schema]"
    assert "%0A" in github_command(raw, "zh") and "\n" not in github_command(raw, "zh")
    renderer = Renderer("zh")
    for html in (renderer.errors([d]), renderer.serve_banner([d], {"data/a.csv": None})):
        assert "<script>" not in html and "&lt;/script&gt;&lt;script&gt;" in html
        assert "第 4 行未计入：应为日期（例如 2026-09-01）" in html and "[data/bad-date]" in html
    assert "4 rows" not in renderer.errors([d])
    assert "1 row excluded (line 4): expected a date" in Renderer("en").errors([d])


# ----------------------------------------------------------------------------- CLI


def test_check_speaks_the_sites_language_and_lang_en_forces_english(tmp_path: Path) -> None:
    pages, data = CASES["csv-bad-values"]
    root = _site(tmp_path, pages, data)
    config = str(root / "mkdocs.yml")
    runner = CliRunner()
    zh = runner.invoke(main, ["check", "-f", config])
    assert "警告: impressions: 第 6 行未计入：应为数字，实际为 “abc” [data/bad-number]" in zh.output
    en = runner.invoke(main, ["check", "-f", config, "--lang", "en"])
    assert (
        "warning: impressions: 1 row excluded (line 6): expected a number, got 'abc'" in en.output
    )
    assert zh.exit_code == en.exit_code == 1
    out = json.loads(runner.invoke(main, ["check", "-f", config, "--format", "json"]).output)
    bad = next(d for d in out["diagnostics"] if d["rule"] == "data/bad-number")
    assert bad["message"] == "第 6 行未计入：应为数字，实际为 “abc”"
    assert bad["message_en"] == "1 row excluded (line 6): expected a number, got 'abc'"
    assert bad["key"] == "data/excluded"
    gh = runner.invoke(main, ["check", "-f", config, "--format", "github"]).output
    assert "title=data/bad-number::impressions: 第 6 行未计入" in gh


def test_sarif_carries_the_english_beside_the_sites_language() -> None:
    d = _hostile()
    log = json.loads(format_diagnostics([d], "sarif", language="zh"))
    result = log["runs"][0]["results"][0]
    assert result["message"]["text"].startswith("date: 第 4 行未计入")
    assert result["properties"]["message_en"].startswith("1 row excluded (line 4)")
    english = json.loads(format_diagnostics([d], "sarif"))["runs"][0]["results"][0]
    assert "properties" not in english


# ----------------------------------------------------------------------- real build (zh)


def test_a_chinese_site_builds_with_chinese_messages_in_log_box_and_review(build_site) -> None:
    copy = "---\nreview: {channel: web, status: approved}\n---\n# 文案\n\n全网最低价\n"
    bad = "date,clicks\n2026-09-01,1\n2026-09-02,abc\n"
    page = CASES["csv-bad-values"][0]["p.md"].replace("data/ads.csv", "data/bad.csv")
    built = build_site({"copy.md": copy, "p.md": page}, {"bad.csv": bad}, strict=False)
    assert built.error is not None  # an approved page with open review items stops the build
    stopped = "\n".join(built.messages)
    assert "docs/copy.md:2: 错误: review.status: 状态为 'approved'，但审核尚未完成" in stopped, (
        stopped
    )
    warnings = built.logged(30)
    assert (
        "planbook: data/bad.csv:3: 警告: clicks: 第 3 行未计入：应为数字，实际为 “abc” "
        "[data/bad-number]"
    ) in warnings, warnings
    review = built.html("copy/index.html")
    reasons = [li.get_text() for li in review.select(".planbook-review li")]
    assert any(
        r.startswith("1 个未处理的错误级问题：cn-ad-law/absolute-terms “全网最低”") for r in reasons
    ), reasons
    box = built.html("copy/index.html").select_one(".pb-errors")
    assert box is not None and "绝对化用语：“全网最低”" in box.get_text()
    assert "[cn-ad-law/absolute-terms]" in box.get_text()


def test_pyyaml_phrases_are_said_in_chinese_and_kept_in_english() -> None:
    from planbook.frontmatter import read_front_matter

    (d,) = read_front_matter("---\nplan:\n  id: [p\n---\n", "x.md").diagnostics
    assert (
        line(d, "zh")
        == "x.md:4:1: 错误: YAML 语法错误：解析 [ ] 列表时，找不到应有的 ',' 或 ']' [yaml/syntax]"
    )
    assert (
        d.message == "invalid YAML: while parsing a flow sequence did not find expected ',' or ']'"
    )
    (d,) = read_front_matter("---\nplan:\n\tid: p\n---\n", "x.md").diagnostics
    assert "不能用制表符" in line(d, "zh")


def test_a_message_survives_a_json_cache() -> None:
    from datetime import date

    from planbook.messages import from_json, to_json

    inner = msg("aggregate.bad-date", column="date", got="</script>\nx")
    m = msg(
        "aggregate.outside",
        pre="w: t: ",
        n=3,
        word="rows",
        start=date(2026, 9, 1),
        end=date(2026, 9, 30),
    )
    for original in (
        m,
        msg("prefixed", pre="w: ", problem=inner),
        msg("data/excluded", n=2, lines=Lines((3, 9), 2), problem=inner),
    ):
        back = from_json(json.loads(json.dumps(to_json(original))))
        assert isinstance(back, Message) and back == original
        assert say(back, "zh") == say(original, "zh")
    assert from_json(to_json("plain text")) == "plain text"
    assert from_json({"key": "no/such-key", "args": {}}) != ""


def test_check_of_a_page_says_the_problems_of_the_files_it_reads(tmp_path: Path) -> None:
    """Outside test F15: `planbook check PAGE` printed the data diagnostics of every
    file of the site (the UTM review reads every plan's files). Only the files the
    checked pages read are said; the whole site's check says them all."""
    plan = CASES["csv-bad-values"][0]["p.md"]
    other = plan.replace("id: p\n", "id: other\n").replace("data/ads.csv", "data/b.csv")
    bad = "date,channel,clicks\n2026-09-01,sem,oops\n2026-09-02,sem,5\n"
    root = _site(tmp_path, {"p.md": plan, "other.md": other}, {"ads.csv": bad, "b.csv": bad})
    settings = load_settings(root / "mkdocs.yml")
    one = collect(settings, (root / "docs" / "p.md",))
    assert {d.file for d in one if d.file.startswith("data/")} == {"data/ads.csv"}
    every = collect(settings, ())
    assert {d.file for d in every if d.file.startswith("data/")} == {"data/ads.csv", "data/b.csv"}


def test_a_value_written_into_a_message_is_cut() -> None:
    """Outside hostile test, finding 18: a 100,000-character goal id or channel, or a
    400-digit number, was written whole into its message (the page's problem box, the
    log, JSON twice). A text value is cut to 300 characters, a number to its first
    digits and its power of ten; quoted values keep their own limit ({x:q60})."""
    long = msg("kpi/unknown", name="x" * 100_000, hint="", builtins=["ctr"], columns="clicks")
    assert len(long) < 400 and "x" * 299 + "…'" in long
    assert say(long, "zh").count("x") == 299
    assert msg("data/bad-number", got=10**400) == "expected a number, got '1.00000000000…e400'"
    assert msg("data/bad-number", got=-(10**5000)).endswith("'-1.00000000000…e5000'")
    assert msg("data/bad-number", got=12345) == "expected a number, got '12345'"


def test_explain_cannot_write_a_workflow_command(tmp_path: Path, monkeypatch) -> None:
    """Outside hostile test, finding 20: `planbook check --explain` printed a site pack's
    text with its lines as written; a line `::error file=…::` is a GitHub workflow
    command when CI runs it. And a mkdocs.yml nested 5,000 deep stops with a message,
    not a traceback."""
    from planbook.cli import _no_commands

    assert _no_commands("basis\n::error file=x.md::boom\n  ::add-mask::v\n") == (
        "basis\n:\u200b:error file=x.md::boom\n  :\u200b:add-mask::v\n"
    )
    root = write_site(tmp_path, {"index.md": "# Home\n"}, {}, "", "en")
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8") + "extra:\n  deep: " + "[" * 5000 + "]" * 5000 + "\n", "utf-8"
    )
    monkeypatch.chdir(root)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "nested too deeply" in result.output
