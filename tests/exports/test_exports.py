"""Real-shaped platform exports: each fixture loads with its known totals.

Every ``<profile>/<name>.yml`` beside a fixture says where the shape comes from and
what the loader must produce (profile, encoding, rows, totals, dimension values,
dates, excluded rows). The same fixtures are then built into a real site, one plan
per export, and the goals' actual values are read back from the CSV downloads.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

import numpy as np
import pytest
import yaml

from planbook.data import DataStore, ReadOptions
from planbook.sources import files

HERE = Path(__file__).resolve().parent
SPECS = sorted(HERE.glob("*/*.yml"))


def _fixture(spec: Path) -> Path:
    found = [p for p in spec.parent.glob(spec.stem + ".*") if p.suffix != ".yml"]
    assert len(found) == 1, found
    return found[0]


def _expected(spec: Path) -> dict:
    return yaml.safe_load(spec.read_text(encoding="utf-8"))


def _id(spec: Path) -> str:
    return f"{spec.parent.name}/{spec.stem}"


def test_at_least_25_fixtures_one_per_shipped_profile() -> None:
    from planbook.sources.profiles import load_registry

    assert len(SPECS) >= 25
    covered = {_expected(s)["profile"] for s in SPECS}
    assert covered == set(load_registry().profiles)


@pytest.mark.parametrize("engine", ["pyarrow", "exact"])
@pytest.mark.parametrize("spec", SPECS, ids=_id)
def test_export_loads_with_known_totals(
    spec: Path, engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "ENGINE", engine)
    e = _expected(spec)
    store = DataStore(HERE.parent, data_dir="exports")
    table = store.load(_fixture(spec), ReadOptions(**(e.get("source") or {})))
    assert table.profile == e["profile"]
    if e.get("encoding"):
        assert table.encoding == e["encoding"]
    assert not [d for d in table.diagnostics if d.severity == "error"], table.diagnostics
    assert len(table.frame) == e["rows"]
    for measure, total in e["totals"].items():
        assert float(np.nansum(table.frame[measure])) == pytest.approx(total, abs=1e-6), measure
    for dim, values in (e.get("dimensions") or {}).items():
        assert sorted(set(table.frame[dim])) == sorted(values), dim
    days = table.frame["date"].dt.date
    assert days.min() == e["first_date"] and days.max() == e["last_date"]
    for rule, count in (e.get("excluded") or {}).items():
        got = sum(int(d.get("rows") or 0) for d in table.diagnostics if d.rule == rule)
        assert got == count, (rule, table.diagnostics)
    info = [d for d in table.diagnostics if d.rule == "data/profile"]
    assert len(info) == 1 and info[0].message.startswith("read as ")
    # The currency the file states (sources/currency.py), or none.
    if e.get("currency"):
        assert table.currency and all(st.fits(e["currency"]) for st in table.currency)
    else:
        assert table.currency == ()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def test_every_export_builds_a_plan_with_its_totals(build_site) -> None:
    pages: dict[str, str] = {}
    files: dict[str, bytes] = {}
    expected: dict[str, dict[str, float]] = {}
    for spec in SPECS:
        e = _expected(spec)
        fixture = _fixture(spec)
        pid = _slug(f"x-{spec.parent.name}-{spec.stem}")
        rel = f"{spec.parent.name}/{fixture.name}"
        files[rel] = fixture.read_bytes()
        source = {"path": f"data/{rel}", **(e.get("source") or {})}
        first: date = e["first_date"]
        last: date = e["last_date"]
        goals = "\n".join(
            f"    - {{id: g-{i}, statement: total, kpi: {m}, baseline: 0, "
            f"target: {max(1.0, 2 * abs(t))}, deadline: {last}}}"
            for i, (m, t) in enumerate(e["totals"].items())
        )
        pages[f"plans/{pid}.md"] = (
            f"---\nplan:\n  id: {pid}\n  owner: test\n  status: draft\n"
            f"  currency: {e.get('currency', 'CNY')}\n"
            f"  period: {{start: {first}, end: {last}}}\n"
            f"  metrics: [{yaml.safe_dump(source, default_flow_style=True).strip()}]\n"
            f"  goals:\n{goals}\n---\n# {pid}\n\n{{{{ kpi_table() }}}}\n"
        )
        expected[pid] = e["totals"]
    built = build_site({"index.md": "# exports\n", **pages}, files, strict=False)
    assert built.error is None, built.messages
    for pid, totals in expected.items():
        text = (built.root / "site" / "plans" / pid / f"{pid}-goals.csv").read_text("utf-8-sig")
        # the download speaks the page's language (实际 = actual); `id` is the goal's id
        rows = {r["id"]: r for r in csv.DictReader(io.StringIO(text))}
        for i, (measure, total) in enumerate(totals.items()):
            actual = rows[f"g-{i}"]["实际"]
            assert float(actual) == pytest.approx(total, abs=1e-6), (pid, measure)


def test_readme_lists_every_shipped_profile() -> None:
    from planbook.sources.profiles import load_registry

    readme = (HERE.parents[1] / "README.md").read_text(encoding="utf-8")
    for pid in load_registry().profiles:
        assert f"| `{pid}` |" in readme, pid


SITE_PROFILE = """\
id: acme-ads
platform: Acme Ads
report: Campaign report by day
detect:
  all: ["Report day", "Money spent"]
date_format: "%d.%m.%Y"
columns:
  Report day: date
  Money spent: spend
  Acme campaign: campaign
rates:
  Hit rate: ctr
totals:
  labels: ["^Everything$"]
"""


def test_a_sites_own_profile_from_profiles_dir(build_site) -> None:
    plan = (
        "---\nplan:\n  id: acme\n  owner: o\n  status: draft\n"
        "  period: {start: 2026-09-01, end: 2026-09-30}\n  metrics: [data/acme.csv]\n"
        "  goals:\n    - {id: spend, statement: s, kpi: spend, baseline: 0, target: 100, "
        "deadline: 2026-09-30}\n---\n# Acme\n"
    )
    files = {
        "acme.csv": "Report day;Acme campaign;Money spent;Hit rate\n"
        "01.09.2026;A;10.5;1%\n02.09.2026;B;4.5;2%\nEverything;;15;1.5%\n",
    }
    built = build_site(
        {"index.md": "# x\n", "acme.md": plan},
        files,
        options="profiles_dir: profiles",
        strict=False,
        extra={"profiles/acme-ads.yml": SITE_PROFILE, "profiles/broken.yml": "id: Not A Slug\n"},
    )
    assert built.error is None, built.messages
    text = (built.root / "site/acme/acme-goals.csv").read_text("utf-8-sig")
    assert ",15," in text.splitlines()[1]
    infos = built.logged(20)
    assert any(
        "按 Acme Ads (Campaign report by day) 导出文件读取（配置 acme-ads）" in m for m in infos
    )
    errors = built.logged(40)
    assert any("broken.yml：id: 应为小写标识符，实际为 'Not A Slug'" in m for m in errors), errors
