"""Plan evaluation shares work between plans (issue 12): KPI resolutions between
registries with the same definitions and columns, the file system look-up of a source
pattern within a build. Shared work must give each caller what a fresh computation
gives it (its own diagnostics, its own KPI definitions), and be forgotten when what it
was computed from may have changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from planbook import formula as fx
from planbook import kpis
from planbook.data import DataStore
from planbook.frontmatter import Locations
from planbook.kpis import KpiError, KpiRegistry
from planbook.model import KpiDef


def _kpi(id: str, formula: str) -> KpiDef:
    return KpiDef.model_validate({"id": id, "formula": formula})


# --------------------------------------------------------------------------- KPI registry


def test_registries_with_the_same_definitions_parse_each_formula_once(monkeypatch) -> None:
    kpis._RESOLVED.clear()
    calls: list[str] = []
    parse = fx.parse

    def counted(text: str) -> fx.Expr:
        calls.append(text)
        return parse(text)

    monkeypatch.setattr(fx, "parse", counted)
    first = KpiRegistry([], ["clicks", "impressions"])
    second = KpiRegistry([], ["impressions", "clicks"])
    assert first.get("ctr") is second.get("CTR") is second.get("点击率")
    assert calls == ["clicks / impressions"]


def test_a_plans_own_kpi_is_never_answered_from_another_plans(monkeypatch) -> None:
    kpis._RESOLVED.clear()
    plain = KpiRegistry([], ["clicks", "impressions", "spend"])
    shadowed = KpiRegistry([_kpi("ctr", "clicks / impressions * 100")], plain.columns)
    other = KpiRegistry([_kpi("cpf", "spend / clicks")], plain.columns)
    assert fx.to_text(plain.get("ctr").expr) == "(clicks / impressions)"
    assert fx.to_text(shadowed.get("ctr").expr) == "((clicks / impressions) * 100)"
    assert other.get("cpf").measures == ("spend", "clicks")
    with pytest.raises(KpiError):
        plain.get("cpf")  # resolved by `other`, unknown here


def test_columns_are_part_of_what_registries_share() -> None:
    kpis._RESOLVED.clear()
    with_column = KpiRegistry([], ["followers"])
    without = KpiRegistry([], ["clicks"])
    assert with_column.get("followers").is_measure
    with pytest.raises(KpiError, match="followers"):
        without.get("followers")


def test_the_shared_resolutions_are_bounded(monkeypatch) -> None:
    kpis._RESOLVED.clear()
    monkeypatch.setattr(kpis, "_RESOLVED_MAX", 3)
    for i in range(10):
        KpiRegistry([_kpi(f"k{i}", "clicks / 2")], ["clicks"]).get(f"k{i}")
    assert len(kpis._RESOLVED) <= 3


# --------------------------------------------------------------------------- source patterns


def _write(root: Path, rel: str, text: str = "date,clicks\n2026-09-01,1\n") -> None:
    p = root / "data" / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")


def test_a_pattern_is_looked_up_once_per_build(root: Path, monkeypatch) -> None:
    for name in ("a.csv", "b.csv"):
        _write(root, f"spring/{name}")
    store = DataStore(root)
    globbed: list[str] = []
    glob = Path.glob

    def counted(self: Path, pattern: str, *a, **kw):
        globbed.append(pattern)
        return glob(self, pattern, *a, **kw)

    monkeypatch.setattr(Path, "glob", counted)
    locs = Locations({("plan", "metrics", 0): 7}, 1)
    for n in range(5):
        sources, diags = store.gather(["data/spring/*.csv"], file=f"plan-{n}.md", locations=locs)
        assert [s.table.path for s in sources] == ["data/spring/a.csv", "data/spring/b.csv"]
        assert diags == []
    assert globbed == ["data/spring/*.csv"]
    # A file added between builds is found by the next build.
    _write(root, "spring/c.csv")
    store.begin_build()
    sources, _ = store.gather(["data/spring/*.csv"], file="p.md", locations=locs)
    assert [s.table.path for s in sources][-1] == "data/spring/c.csv"
    assert globbed == ["data/spring/*.csv"] * 2


def test_each_caller_gets_the_diagnostic_at_its_own_place(root: Path) -> None:
    store = DataStore(root)
    first = store.resolve("data/missing.csv", file="a.md", line=3, field="plan.metrics[0]")
    second = store.resolve("data/missing.csv", file="b.md", line=9, field="plan.metrics[2]")
    assert first[0] == second[0] == []
    (d1,), (d2,) = first[1], second[1]
    assert (d1.file, d1.line, d1.field, d1.rule) == (
        "a.md",
        3,
        "plan.metrics[0]",
        "data/missing-file",
    )
    assert (d2.file, d2.line, d2.field, d2.rule) == (
        "b.md",
        9,
        "plan.metrics[2]",
        "data/missing-file",
    )
    assert d1.message == d2.message
    # the file appears: the next build finds it
    _write(root, "missing.csv")
    store.begin_build()
    paths, diags = store.resolve("data/missing.csv", file="a.md", line=3, field="f")
    assert [p.name for p in paths] == ["missing.csv"] and diags == []


def test_a_returned_list_is_the_callers_own(root: Path) -> None:
    _write(root, "x.csv")
    store = DataStore(root)
    paths, _ = store.resolve("data/x.csv", file="a.md", line=None, field="f")
    paths.clear()
    again, _ = store.resolve("data/x.csv", file="a.md", line=None, field="f")
    assert [p.name for p in again] == ["x.csv"]
