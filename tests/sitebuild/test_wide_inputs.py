"""Inputs of outside report findings 5-7 through the commands users run, each in a
subprocess with a time limit, so that a regression fails instead of hanging (or aborting
the test run): a metric file of 5,000 columns and one past the limit, attribution over
1,500 channels, and a workbook whose one far cell would make python-calamine allocate
512 GB."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup

from tests.conftest import write_site

LIMIT = 120  # seconds; each command takes a few


def _run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        timeout=LIMIT,
    )


def _plan(plan_id: str, metrics: str, extra: str = "", body: str = "{{ kpi_table() }}") -> str:
    return f"""\
---
plan:
  id: {plan_id}
  period: {{start: 2026-09-01, end: 2026-12-31}}
  metrics: [{metrics}]
  goals:
    - {{id: g1, statement: clicks 100, kpi: clicks, baseline: 0, target: 100, deadline: 2026-12-31, owner: me}}
{extra}---
# {plan_id}

{body}
"""


def _wide(k: int) -> str:
    header = ",".join(["date", "channel", "clicks", *(f"m{i}" for i in range(k))])
    rows = [",".join([f"2026-09-0{r + 1}", "sem", "5", *(["1"] * k)]) for r in range(3)]
    return "\n".join([header, *rows]) + "\n"


def test_check_reads_five_thousand_columns_and_refuses_more(tmp_path: Path) -> None:
    pages = {
        "wide.md": _plan("wide", "data/wide.csv"),
        "wider.md": _plan("wider", "data/wider.csv"),
    }
    data = {"wide.csv": _wide(4_997), "wider.csv": _wide(5_998)}  # 5,000 and 6,001 columns
    root = write_site(tmp_path, pages, data, language="en")
    done = _run(root, "-m", "planbook.cli", "check", "-f", "mkdocs.yml", "--lang", "en")
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    errors = [line for line in out.splitlines() if ": error: " in line]
    assert errors == [
        "data/wider.csv:1: error: the header has 6,001 columns, more than the 6,000 a metric "
        "file may have; not read: export only the columns the plans use [data/too-many-columns]"
    ], out
    assert "data/wide.csv" not in "\n".join(errors)


def test_build_attributes_fifteen_hundred_channels(tmp_path: Path) -> None:
    n = 1_500
    touch = "date,user_id,channel,conversions,revenue\n" + "".join(
        f"2026-09-01,u{i},ch{i},0,0\n2026-09-02,u{i},ch{(i + 1) % n},1,10\n" for i in range(n)
    )
    ads = "date,channel,clicks,spend\n2026-09-01,ch1,1,1\n"
    extra = "  attribution:\n    touchpoints: data/tp.csv\n"
    page = _plan("at", "data/ads.csv", extra, "{{ attribution() }}")
    root = write_site(tmp_path, {"at.md": page}, {"ads.csv": ads, "tp.csv": touch}, language="zh")
    done = _run(root, "-m", "mkdocs", "build", "-q")
    assert done.returncode == 0, done.stdout + done.stderr
    soup = BeautifulSoup((root / "site/at/index.html").read_text("utf-8"), "html.parser")
    said = soup.select_one(".pb-attr-grouped").get_text()
    assert said.startswith("渠道超过 100 个：触点最少的 1,400 个渠道合并为 (other) 一行")
    rows = [tr["data-channel"] for tr in soup.select(".pb-attr-conversions tbody tr")]
    assert len(rows) == 101 and rows[-1] == "(other)"


def test_a_workbook_with_one_far_cell_is_refused_not_aborted(tmp_path: Path) -> None:
    from tests.unit.test_xlsx_extent import FAR, ROWS, workbook

    data = {"x.xlsx": workbook(ROWS + FAR, "A1:XFD1048576")}
    root = write_site(tmp_path, {"far.md": _plan("far", "data/x.xlsx")}, data, language="en")
    said = (
        "data/x.xlsx: error: sheet 'S' spans 1,048,576 rows × 16,384 columns from A1 to its "
        "last cell (17,179,869,184 cells), over the 10,000,000 a sheet may have: not read; "
        "delete what lies outside the table (or copy the table to a new sheet) and save it "
        "[data/xlsx]"
    )
    checked = _run(root, "-m", "planbook.cli", "check", "-f", "mkdocs.yml", "--lang", "en")
    assert checked.returncode == 1, checked.stdout + checked.stderr  # SIGABRT: -6
    assert said in checked.stdout.splitlines(), checked.stdout
    built = _run(root, "-m", "mkdocs", "build", "--strict")
    assert built.returncode == 1, built.stdout + built.stderr
    assert "17,179,869,184 cells" in built.stderr and "memory allocation" not in built.stderr
