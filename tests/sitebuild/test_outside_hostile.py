"""The outside hostile-input report's findings 8 to 14, built: `planbook check --strict`
fails exactly when `mkdocs build --strict` does, both name the problem, neither shows a
traceback or a raw control character; and what the pages and the log show."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import planbook
from planbook.cli import main
from tests.hostile.outside import CASES, ESC_SHOWN
from tests.hostile.run import build, check_agrees_with_build, write_case

RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _case(name: str):
    return next(c for c in CASES if c.name == name)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_check_strict_agrees_with_build_strict(case, tmp_path):
    output, built = check_agrees_with_build(case, tmp_path)
    assert not RAW.search(output), output
    assert not any(RAW.search(m) for m in built.messages), built.messages


def test_deep_shortcode_arguments_are_a_problem_on_the_page(tmp_path):
    root = write_case(tmp_path, _case("args-500-not"))
    assert build(root, strict=False).messages  # the build went through
    html = (root / "site/p/index.html").read_text("utf-8")
    assert "they nest more than 32 levels deep" in html


def test_a_period_to_2262_counts_its_rows(build_site):
    goal = (
        "  goals:\n    - {id: g, statement: s, kpi: clicks, baseline: 0, target: 1000,"
        " deadline: 2026-12-31, owner: me}\n"
    )
    case = _case("period-end-2262")
    page = case.pages["p.md"].replace("---\n# Plan", goal + "---\n# Plan")
    built = build_site({"p.md": page}, case.data, language="en")
    assert built.error is None, built.messages
    assert not [m for m in built.messages if "outside-period" in m], built.messages
    table = built.html("p/index.html").select_one(".pb-goals")
    assert table is not None and "230" in table.get_text(), table  # Σclicks of ads.csv
    assert "No data" not in table.get_text()


def test_a_sum_past_the_float_range_is_said_on_the_page_and_in_the_log(build_site):
    case = _case("sum-overflow-in-a-file")
    built = build_site(case.pages, case.data, language="en", strict=False)
    errors = built.logged(logging.ERROR)
    assert any(
        m.startswith("planbook: data/big.csv:3: error: spend: the values of 'spend' add up to more")
        and m.endswith("[data/sum-overflow]")
        for m in errors
    ), errors
    assert "the values of &#39;spend&#39; add up to more than a sum can hold" in built.raw(
        "p/index.html"
    )


def test_review_page_takes_a_new_page_inside_docs(build_site):
    case = _case("review-page-new")
    built = build_site(case.pages, case.data, options=case.options, language="en")
    assert built.error is None, built.messages
    review = built.raw("quality/review/index.html")
    assert "Compliance and content review" in review and "PBREVIEWINDEX" not in review
    assert built.html("p/index.html").select_one("h1").get_text(strip=True).startswith("Plan")


def test_review_page_never_replaces_a_page(build_site):
    case = _case("review-page-existing")
    built = build_site(case.pages, case.data, options=case.options, language="zh")
    assert built.error is not None
    assert (
        "planbook：review_page：p.md 已是站点中的页面，审核页会替换它；请另取一个新页面名"
        in str(built.error) + " ".join(built.messages)
    )
    assert not (built.root / "site/p/index.html").exists()


def test_escape_sequences_are_written_out_in_the_build_log_and_check_output(tmp_path):
    root = write_case(tmp_path, _case("escape-sequences"))
    here = str(Path(planbook.__file__).parents[1])  # this checkout's package, not another
    path = os.pathsep.join(p for p in (here, os.environ.get("PYTHONPATH")) if p)
    env = {**os.environ, "PYTHONPATH": path, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(root / "mkdocs.yml")],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        env=env,
        cwd=root,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert ESC_SHOWN in proc.stderr, proc.stderr[-2000:]
    assert "\x1b]0;" not in proc.stderr and "\x07" not in proc.stderr
    assert "\u202e" not in proc.stderr
    for fmt in ("text", "github"):
        out = CliRunner().invoke(main, ["check", "-f", str(root / "mkdocs.yml"), "--format", fmt])
        assert ESC_SHOWN in out.output, out.output
        assert not RAW.search(out.output), out.output
    assert ESC_SHOWN in (root / "site/p/index.html").read_text("utf-8")  # the problem box
