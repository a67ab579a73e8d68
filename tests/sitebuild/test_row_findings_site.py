"""Real builds of the shapes in ``tests/unit/fixtures/rows/``: each fixture is one plan's
metric file, and its KPI table shows the file's known totals (summary rows, a second
table and odd line ends or encodings neither counted twice nor lost)."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "unit" / "fixtures" / "rows"

# fixture -> (first day, last day, {kpi: the actual the KPI table shows})
CASES: dict[str, tuple[str, str, dict[str, str]]] = {
    "gb18030-emoji-names.csv": (
        "2026-09-01",
        "2026-09-03",
        {"spend": "¥2,320", "impressions": "55,000"},
    ),
}


def _plan(pid: str, name: str, first: str, last: str, kpis: dict[str, str]) -> str:
    goals = "\n".join(
        f"    - {{id: {k}, statement: {k}, kpi: {k}, baseline: 0, target: 1000000000, "
        f"deadline: {last}}}"
        for k in kpis
    )
    return (
        f"---\nplan:\n  id: {pid}\n  owner: 张伟\n  status: draft\n  currency: CNY\n"
        f"  period: {{start: {first}, end: {last}}}\n  metrics: [data/{name}]\n"
        f"  goals:\n{goals}\n---\n# {pid}\n\n{{{{ kpi_table() }}}}\n"
    )


def _actual(soup, goal_id: str) -> str:
    row = soup.select_one(f"tr[data-goal='{goal_id}']")
    assert row is not None, goal_id
    return row.find_all("td", recursive=False)[2].strong.get_text(strip=True)


@pytest.fixture(scope="module")
def ids() -> dict[str, str]:
    return {name: "f-" + name.rsplit(".", 1)[0] for name in CASES}


def test_each_fixture_shows_its_known_totals(build_site, ids: dict[str, str]) -> None:
    pages = {"index.md": "# 数据\n"}
    data: dict[str, str | bytes] = {}
    for name, (first, last, kpis) in CASES.items():
        pages[f"{ids[name]}.md"] = _plan(ids[name], name, first, last, kpis)
        data[name] = (FIXTURES / name).read_bytes()
    built = build_site(pages, data, strict=False)
    assert built.error is None, built.messages
    for name, (_first, _last, kpis) in CASES.items():
        soup = built.html(f"{ids[name]}/index.html")
        got = {k: _actual(soup, k) for k in kpis}
        assert got == kpis, name
