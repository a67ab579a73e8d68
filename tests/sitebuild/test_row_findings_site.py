"""Real builds of the shapes in ``tests/unit/fixtures/rows/``: each fixture is one plan's
metric file, and its KPI table shows the file's known totals (summary rows, a second
table and odd line ends or encodings neither counted twice nor lost)."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "unit" / "fixtures" / "rows"

# plan id -> (fixture, source options, first day, last day, {kpi: the KPI table's actual})
CASES: dict[str, tuple[str, str, str, str, dict[str, str]]] = {
    "gb18030-emoji": (
        "gb18030-emoji-names.csv",
        "",
        "2026-09-01",
        "2026-09-03",
        {"spend": "¥2,320", "impressions": "55,000"},
    ),
    "subtotals": (
        "subtotals-per-day.csv",
        "",
        "2026-09-01",
        "2026-09-03",
        {"spend": "¥1,868", "impressions": "18,666"},
    ),
    "all-rows": (
        "all-rows-by-device.csv",
        "",
        "2026-09-01",
        "2026-09-02",
        {"spend": "¥180", "clicks": "290"},
    ),
    "mac-cr-only": (
        "mac-cr-only.csv",
        "",
        "2026-09-01",
        "2026-09-03",
        {"spend": "¥624", "clicks": "350"},
    ),
    "two-sections": (
        "two-sections-no-blank.csv",
        "",
        "2026-09-01",
        "2026-09-02",
        {"spend": "¥830", "impressions": "6,600"},
    ),
    "us-dates-with-format": (
        "excel-us-slash-dates.csv",
        'date_format: "%m/%d/%Y"',
        "2026-09-01",
        "2026-09-07",
        {"spend": "¥3,001"},
    ),
}


def _plan(pid: str, source: str, first: str, last: str, kpis: dict[str, str]) -> str:
    goals = "\n".join(
        f"    - {{id: {k}, statement: {k}, kpi: {k}, baseline: 0, target: 1000000000, "
        f"deadline: {last}}}"
        for k in kpis
    )
    return (
        f"---\nplan:\n  id: {pid}\n  owner: 张伟\n  status: draft\n  currency: CNY\n"
        f"  period: {{start: {first}, end: {last}}}\n  metrics: [{source}]\n"
        f"  goals:\n{goals}\n---\n# {pid}\n\n{{{{ kpi_table() }}}}\n"
    )


def _actual(soup, goal_id: str) -> str:
    row = soup.select_one(f"tr[data-goal='{goal_id}']")
    assert row is not None, goal_id
    return row.find_all("td", recursive=False)[2].strong.get_text(strip=True)


def _source(name: str, options: str) -> str:
    return f"{{path: data/{name}, {options}}}" if options else f"data/{name}"


def test_each_fixture_shows_its_known_totals(build_site) -> None:
    pages = {"index.md": "# 数据\n"}
    data: dict[str, str | bytes] = {}
    for pid, (name, options, first, last, kpis) in CASES.items():
        pages[f"{pid}.md"] = _plan(pid, _source(name, options), first, last, kpis)
        data[name] = (FIXTURES / name).read_bytes()
    built = build_site(pages, data, strict=False)
    assert built.error is None, built.messages
    for pid, (*_, kpis) in CASES.items():
        soup = built.html(f"{pid}/index.html")
        got = {k: _actual(soup, k) for k in kpis}
        assert got == kpis, pid


def test_ambiguous_dates_are_said_in_chinese_on_a_chinese_site(build_site) -> None:
    name = "excel-us-slash-dates.csv"
    pages = {
        "index.md": _plan("us-dates", _source(name, ""), "2026-09-01", "2026-09-07", {"spend": ""})
    }
    built = build_site(pages, {name: (FIXTURES / name).read_bytes()}, strict=False)
    said = [m for m in built.messages if "[data/date-format]" in m]
    assert said == [
        "planbook: data/excel-us-slash-dates.csv:2: 错误: date: 像 “9/1/2026” 这样的日期既可能是"
        "日/月，也可能是月/日；请在数据源上设置 `date_format`（例如 `date_format: "
        '"%d/%m/%Y"`） [data/date-format]'
    ]
    assert "day/month" not in built.raw("index.html")
