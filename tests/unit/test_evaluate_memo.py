"""Plan evaluation shares work between plans (issue 12): KPI resolutions between
registries with the same definitions and columns, the file system look-up of a source
pattern within a build. Shared work must give each caller what a fresh computation
gives it (its own diagnostics, its own KPI definitions), and be forgotten when what it
was computed from may have changed."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from planbook.data import DataStore
from planbook.frontmatter import Locations
from planbook.metrics import breakdown as breakdown_module
from planbook.metrics import formula as fx
from planbook.metrics import kpi_registry, kpis
from planbook.metrics.breakdown import breakdown
from planbook.metrics.kpis import KpiError, KpiRegistry, MetricFrame, PacingConfig, evaluate_goal
from planbook.metrics.series import forecast
from planbook.model import Goal, KpiDef, Plan


def _kpi(id: str, formula: str) -> KpiDef:
    return KpiDef.model_validate({"id": id, "formula": formula})


# --------------------------------------------------------------------------- KPI registry


def test_registries_with_the_same_definitions_parse_each_formula_once(monkeypatch) -> None:
    kpi_registry._RESOLVED.clear()
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
    kpi_registry._RESOLVED.clear()
    plain = KpiRegistry([], ["clicks", "impressions", "spend"])
    shadowed = KpiRegistry([_kpi("ctr", "clicks / impressions * 100")], plain.columns)
    other = KpiRegistry([_kpi("cpf", "spend / clicks")], plain.columns)
    assert fx.to_text(plain.get("ctr").expr) == "(clicks / impressions)"
    assert fx.to_text(shadowed.get("ctr").expr) == "((clicks / impressions) * 100)"
    assert other.get("cpf").measures == ("spend", "clicks")
    with pytest.raises(KpiError):
        plain.get("cpf")  # resolved by `other`, unknown here


def test_columns_are_part_of_what_registries_share() -> None:
    kpi_registry._RESOLVED.clear()
    with_column = KpiRegistry([], ["followers"])
    without = KpiRegistry([], ["clicks"])
    assert with_column.get("followers").is_measure
    with pytest.raises(KpiError, match="followers"):
        without.get("followers")


def test_the_shared_resolutions_are_bounded(monkeypatch) -> None:
    kpi_registry._RESOLVED.clear()
    monkeypatch.setattr(kpi_registry, "_RESOLVED_MAX", 3)
    for i in range(10):
        KpiRegistry([_kpi(f"k{i}", "clicks / 2")], ["clicks"]).get(f"k{i}")
    assert len(kpi_registry._RESOLVED) <= 3


# --------------------------------------------------------------------------- source patterns


def _write(root: Path, rel: str, text: str = "date,clicks\n2026-09-01,1\n") -> None:
    p = root / "data" / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")


def test_a_pattern_is_looked_up_once_per_build(root: Path, monkeypatch) -> None:
    for day, name in enumerate(("a.csv", "b.csv"), 1):  # other days: two downloads
        _write(root, f"spring/{name}", f"date,clicks\n2026-09-0{day},1\n")
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
    _write(root, "spring/c.csv", "date,clicks\n2026-09-03,1\n")
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


# --------------------------------------------------------------------------- kept on the cube

START = date(2026, 9, 1)
VALUES = st.one_of(
    st.none(),
    st.just(float("nan")),
    st.sampled_from([float("inf"), -float("inf"), 1e308, -1e308, 0.0]),
    st.floats(-1e6, 1e6, allow_nan=False),
)


@st.composite
def cubes(draw: Any) -> pd.DataFrame:
    """Rows over ten days and three channels, with missing, infinite and huge values."""
    rows = draw(
        st.lists(
            st.tuples(
                st.integers(0, 9),
                st.sampled_from(["sem", "feed", ""]),
                VALUES,
                VALUES,
                VALUES,
                VALUES,
            ),
            max_size=30,
        )
    )
    frame = pd.DataFrame(
        rows, columns=["day", "channel", "spend", "clicks", "impressions", "revenue"]
    )
    frame.insert(0, "date", pd.Timestamp(START) + pd.to_timedelta(frame.pop("day"), "D"))
    for m in ("spend", "clicks", "impressions", "revenue"):
        frame[m] = frame[m].astype("float64")
    frame["channel"] = frame["channel"].astype("category")
    return frame


SPANS = st.sampled_from(
    [
        (START, START + timedelta(days=9)),
        (START + timedelta(days=2), START + timedelta(days=5)),
        (START - timedelta(days=3), START - timedelta(days=1)),  # before the data: empty
        (START + timedelta(days=9), START + timedelta(days=20)),
    ]
)
FILTERS = st.sampled_from([(), (("channel", ("sem",)),), (("channel", ("feed", "x")),)])
KPI_LISTS = st.sampled_from([None, ("spend", "ctr", "roi"), ("cpc",), ("revenue", "roas")])


def _cube(frame: pd.DataFrame) -> MetricFrame:
    # The aggregation of rows whose sum overflows warns (the cube is not this test's).
    with np.errstate(over="ignore", invalid="ignore"):
        return MetricFrame(frame)


def _same(a: object, b: object) -> None:
    """Equal, NaN equal to NaN (the memo must give exactly what a fresh run gives)."""
    assert repr(a) == repr(b)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(cubes(), st.lists(st.tuples(SPANS, FILTERS, KPI_LISTS), min_size=1, max_size=6))
def test_breakdowns_kept_on_the_cube_equal_fresh_ones(frame, queries) -> None:
    kpis._MEMOS.clear()
    shared = _cube(frame)
    registry = KpiRegistry([], shared.measures)
    for (start, end), filters, names in queries * 2:  # each asked twice: the second is kept
        got = breakdown(shared, registry, "channel", start, end, names, filters)
        fresh = breakdown(  # a new cube: nothing kept yet
            _cube(frame),
            KpiRegistry([], shared.measures),
            "channel",
            start,
            end,
            names,
            filters,
        )
        _same(got, fresh)


def test_a_breakdown_is_computed_once_and_each_caller_gets_its_own_rows(monkeypatch) -> None:
    kpis._MEMOS.clear()
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-09-01", "2026-09-01", "2026-09-02"]),
            "channel": pd.Categorical(["sem", "feed", "sem"]),
            "spend": [10.0, 5.0, 20.0],
            "clicks": [4.0, 1.0, 2.0],
            "revenue": [30.0, 0.0, 10.0],
        }
    )
    data = MetricFrame(frame)
    registry = KpiRegistry([], data.measures)
    runs = []
    inner = breakdown_module._breakdown
    monkeypatch.setattr(breakdown_module, "_breakdown", lambda *a: runs.append(a[2:]) or inner(*a))
    end = START + timedelta(days=1)
    first = breakdown(data, registry, "channel", START, end)
    first.rows[0].values["spend"] = -1.0
    first.rows.reverse()
    second = breakdown(data, KpiRegistry([], data.measures), "channel", START, end)
    assert [(r.key, r.values["spend"]) for r in second.rows] == [("sem", 30.0), ("feed", 5.0)]
    assert second.total is not None and second.total.values["cpc"] == 35.0 / 7.0
    assert len(runs) == 1
    # another span, another filter, or a plan whose `cpc` is its own: computed again
    breakdown(data, registry, "channel", START, START)
    breakdown(data, registry, "channel", START, end, filters=(("channel", ("sem",)),))
    own = KpiRegistry([_kpi("cpc", "spend / clicks * 2")], data.measures)
    assert breakdown(data, own, "channel", START, end).total.values["cpc"] == 10.0
    assert len(runs) == 4


def _goal(**kw: object) -> Goal:
    base = {"id": "g", "statement": "s", "baseline": 0, "target": 1000, "deadline": "2026-09-30"}
    base.update(kw)
    return Goal.model_validate(base)


GOALS = st.sampled_from(
    [
        {"kpi": "spend"},
        {"kpi": "clicks", "aggregate": "daily_mean", "window": "3d"},
        {"kpi": "revenue", "aggregate": "last"},
        {"kpi": "ctr", "filter": {"channel": ["sem"]}, "baseline": 0.01, "target": 0.05},
        {"kpi": "roi", "window": "7d", "baseline": 0.5, "target": 2},
    ]
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(
    cubes(),
    st.lists(st.tuples(GOALS, st.integers(-1, 29), st.integers(0, 4)), min_size=1, max_size=6),
)
def test_goals_kept_on_the_cube_equal_fresh_ones(frame, asks) -> None:
    plan = Plan.model_validate({"id": "p", "period": {"start": "2026-09-01", "end": "2026-09-30"}})
    shared = _cube(frame)
    for spec, day, start in asks * 2:
        goal = _goal(start=str(START + timedelta(days=start)), **spec)
        as_of = START + timedelta(days=day)

        def run(data: MetricFrame, goal: Goal = goal, as_of: date = as_of) -> kpis.GoalResult:
            return evaluate_goal(
                goal,
                index=0,
                plan=plan,
                data=data,
                registry=KpiRegistry([], data.measures),
                as_of=as_of,
                pacing=PacingConfig(forecast_days=7),
                file="p.md",
                locations=Locations(),
            )

        got, fresh = run(shared), run(_cube(frame))
        _same(got.series.tolist(), fresh.series.tolist())
        _same(list(got.series.index), list(fresh.series.index))
        _same(
            (got.actual, got.forecast, got.status, got.progress, got.diagnostics),
            (fresh.actual, fresh.forecast, fresh.status, fresh.progress, fresh.diagnostics),
        )
        if got.actual is not None:  # the straightforward forecast of the series
            trend = forecast(got.series.to_numpy(), got.start, got.as_of, goal.deadline, 7)
            if got.as_of < goal.deadline:  # never below the KPI's floor
                assert got.kpi is not None
                trend = kpis.bounded_forecast(trend, got.kpi.floor, got.actual)[0]
            _same(got.forecast, trend)


def test_a_phase_goal_is_converted_once_and_as_a_fresh_conversion_would(monkeypatch) -> None:
    from planbook.metrics import targets
    from planbook.model import Goal as GoalModel

    plan = Plan.model_validate(
        {
            "id": "p",
            "period": {"start": "2026-09-01", "end": "2026-12-31"},
            "phases": [
                {
                    "name": "burst",
                    "start": "2026-11-01",
                    "end": "2026-11-30",
                    "goals": [
                        {"id": "c", "statement": "s", "kpi": "clicks", "baseline": 0, "target": 9}
                    ],
                }
            ],
        }
    )
    phase = plan.phases[0]
    validated: list[object] = []
    inner = GoalModel.model_validate
    monkeypatch.setattr(
        GoalModel, "model_validate", classmethod(lambda cls, d: validated.append(d) or inner(d))
    )
    first = targets.as_goal(phase.goals[0], phase)
    targets.check_targets(plan, file="p.md", locations=Locations())
    assert targets.as_goal(phase.goals[0], phase) is first
    assert len(validated) == 1
    assert (first.start, first.deadline) == (date(2026, 11, 1), date(2026, 11, 30))
    # another phase object (the page edited and read again) is converted again
    again = Plan.model_validate(plan.model_dump()).phases[0]
    assert targets.as_goal(again.goals[0], again) == first
    assert len(validated) == 2


@settings(max_examples=80, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(
    st.lists(st.lists(VALUES, min_size=2, max_size=2), max_size=6),
    st.lists(st.lists(st.sampled_from(["a", "b", "c", "x"]), max_size=3), min_size=1, max_size=4),
)
def test_totals_sums_over_keys_equal_the_straightforward_sums(cells, asks) -> None:
    from planbook.cube import Totals

    keys = ["a", "b", "c", "a", "d", "b"][: len(cells)]
    values = np.array([[np.nan if v is None else v for v in row] for row in cells], dtype=float)
    totals = Totals(keys, {"spend": 1, "clicks": 0}, values.reshape(len(cells), 2))
    for wanted in asks * 2:
        got = totals.sums(wanted)
        rows = [i for i, k in enumerate(keys) if k in wanted]
        if not rows:
            assert got is None
            continue
        for m, j in totals.index.items():
            column = [float(values[i, j]) for i in rows if not np.isnan(values[i, j])]
            with np.errstate(over="ignore", invalid="ignore"):
                expected = float("nan") if not column else float(np.nansum(values[rows, j]))
            assert repr(float(got[j])) == repr(expected), (m, wanted)
            if column and all(np.isfinite(column)) and abs(sum(column)) < 1e300:
                assert float(got[j]) == pytest.approx(sum(column))
    assert len(totals._sums) == len({tuple(w) for w in asks})


@settings(max_examples=60, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(cubes(), st.lists(st.tuples(GOALS, SPANS), min_size=1, max_size=6))
def test_report_period_values_kept_on_the_cube_equal_fresh_ones(frame, asks) -> None:
    from planbook.metrics.reports import _period_values

    shared = _cube(frame)
    for spec, span in asks * 2:
        goal = _goal(**spec)

        def run(data: MetricFrame, goal: Goal = goal, span: tuple = span) -> list[float | None]:
            registry = KpiRegistry([], data.measures)
            kpi = registry.get(goal.kpi)
            require = () if kpi.is_measure else data.require(kpi.measures)
            with np.errstate(over="ignore", invalid="ignore"):  # the cube's sums (not ours)
                daily = data.arrays(kpis.goal_filters(goal), require)
            return _period_values(kpi, daily, goal, [span, (START, span[1])])

        _same(run(shared), run(_cube(frame)))


# --------------------------------------------------------------------------- goals judged once

GOAL_PROBLEMS = st.sampled_from(
    [
        {"kpi": "ctr", "filter": {"channel": ["sme", "</script>"]}, "baseline": 0.01},
        {"kpi": "nope"},
        {"kpi": "ctr", "aggregate": "sum"},
        {"kpi": "conversions"},  # a column the cube lacks
        {"kpi": "spend", "filter": {"region": ["华东"]}},  # a dimension it lacks
    ]
)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(cubes(), st.one_of(GOALS, GOAL_PROBLEMS), st.integers(-1, 29), st.integers(0, 4))
def test_a_goal_plans_share_is_judged_once_and_each_gets_its_own_places(
    frame, spec, day, start
) -> None:
    """Plans written alike share their goal models (planbook.sharing): the goal is judged
    once per cube, and each plan gets what a fresh evaluation gives it, with its own
    diagnostics placed at its own page's lines."""
    plan = Plan.model_validate({"id": "p", "period": {"start": "2026-09-01", "end": "2026-09-30"}})
    goal = _goal(start=str(START + timedelta(days=start)), **spec)
    as_of = START + timedelta(days=day)
    calls: list[object] = []
    judge = kpis._evaluate

    def counted(result: Any, g: Any, *args: Any) -> None:
        calls.append(g)
        judge(result, g, *args)

    def run(data: MetricFrame, page: str, index: int) -> kpis.GoalResult:
        at = {("plan", "goals", index, k): n for n, k in enumerate(["kpi", "filter"], 10 + index)}
        return evaluate_goal(
            goal,
            index=index,
            plan=plan,
            data=data,
            registry=KpiRegistry([], data.measures),
            as_of=as_of,
            pacing=PacingConfig(forecast_days=7),
            file=page,
            locations=Locations(at, default=3),
        )

    shared = _cube(frame)
    fresh = [run(_cube(frame), page, i) for page, i in (("a.md", 0), ("b.md", 3))]
    kpis._evaluate = counted
    try:
        got = [run(shared, page, i) for page, i in (("a.md", 0), ("b.md", 3))]
    finally:
        kpis._evaluate = judge
    assert calls == [goal]  # the second plan's goal: from the cube's memo
    for g, f in zip(got, fresh, strict=True):
        _same(g.series.tolist(), f.series.tolist())
        _same(list(g.series.index), list(f.series.index))
        _same(
            (g.kpi, g.start, g.as_of, g.actual, g.expected, g.progress, g.expected_progress),
            (f.kpi, f.start, f.as_of, f.actual, f.expected, f.progress, f.expected_progress),
        )
        _same(
            (g.forecast, g.status, g.line, g.diagnostics),
            (f.forecast, f.status, f.line, f.diagnostics),
        )
    assert got[0].series is not got[1].series or len(got[0].series)  # an empty one each
    assert got[0].line is not got[1].line and got[0].diagnostics is not got[1].diagnostics
    assert {d.file for d in got[1].diagnostics} <= {"b.md"}
    assert all(d.field.startswith("plan.goals[3]") for d in got[1].diagnostics)


def test_a_goal_is_judged_again_for_other_kpis_another_line_or_another_day() -> None:
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-09-01", "2026-09-02"]),
            "spend": [10.0, 20.0],
            "revenue": [30.0, 10.0],
        }
    )
    data = _cube(frame)
    plan = Plan.model_validate({"id": "p", "period": {"start": "2026-09-01", "end": "2026-09-30"}})
    staged = Plan.model_validate(
        {
            "id": "q",
            "period": {"start": "2026-09-01", "end": "2026-09-30"},
            "phases": [{"name": "a", "start": "2026-09-01", "end": "2026-09-15"}],
        }
    )
    goal = _goal(kpi="roi", baseline=0, target=2, milestones=[{"phase": "a", "target": 1}])

    def run(registry: KpiRegistry, on: Plan = plan, day: date = date(2026, 9, 2)) -> Any:
        return evaluate_goal(
            goal,
            index=0,
            plan=on,
            data=data,
            registry=registry,
            as_of=day,
            pacing=PacingConfig(),
            file="p.md",
            locations=Locations(),
        )

    builtin = run(KpiRegistry([], data.measures))
    assert builtin.actual == pytest.approx(40 / 30 - 1)
    own = run(KpiRegistry([_kpi("roi", "revenue / spend")], data.measures))
    assert own.actual == pytest.approx(40 / 30) and own.kpi is not builtin.kpi
    milestone = run(KpiRegistry([], data.measures), staged)
    assert len(milestone.line) == 3 > len(builtin.line)
    assert milestone.expected == pytest.approx(1 / 14) != builtin.expected
    assert run(KpiRegistry([], data.measures), day=date(2026, 9, 1)).actual == pytest.approx(2)
    assert len(kpis.memos_of(data)[("judged",)]) == 4


def _spend_cube() -> MetricFrame:
    """Two days of spend: 10, then 20."""
    frame = pd.DataFrame(
        {"date": pd.to_datetime(["2026-09-01", "2026-09-02"]), "spend": [10.0, 20.0]}
    )
    return _cube(frame)


def _as_of_2_september(goal: Goal, data: MetricFrame) -> kpis.GoalResult:
    """``goal`` of a September plan over ``data``, evaluated as of 2 September."""
    return evaluate_goal(
        goal,
        index=0,
        plan=Plan.model_validate(
            {"id": "p", "period": {"start": "2026-09-01", "end": "2026-09-30"}}
        ),
        data=data,
        registry=KpiRegistry([], data.measures),
        as_of=date(2026, 9, 2),
        pacing=PacingConfig(),
        file="p.md",
        locations=Locations(),
    )


def test_each_evaluation_of_a_judged_goal_is_its_own_result() -> None:
    """The memo keeps the goal's first result as judged: a later evaluation is a copy
    (dataclasses.replace), so a caller changing its result changes nothing kept."""
    data = _spend_cube()
    goal = _goal(kpi="spend", filter={"channel": ["</script>"]})

    def run() -> kpis.GoalResult:
        return _as_of_2_september(goal, data)

    first = run()
    (kept,) = kpis.memos_of(data)[("judged",)].values()
    assert first is not kept[2][0] and first.diagnostics  # the unknown dimension
    line = list(first.line)
    first.status, first.actual = "changed", -1.0
    first.diagnostics.clear()
    first.line.append((date(2027, 1, 1), 0.0))
    again = run()
    assert (again.status, again.actual) != ("changed", -1.0)
    assert again.diagnostics and again.line == line and again.line is not first.line
    assert again.series is not first.series


def test_a_changed_goal_is_judged_afresh_not_served_the_memo() -> None:
    """The memo is keyed by the goal object's id and holds the goal: an edited goal (a new
    object, even once the first is let go of elsewhere) never gets the first one's result."""
    import gc

    data = _spend_cube()
    goal = _goal(kpi="spend", target=1000)
    assert _as_of_2_september(goal, data).progress == pytest.approx(30 / 1000)
    for target in (60, 300, 120):  # each edit a new object; the last one dropped
        goal = goal.model_copy(update={"target": target})
        gc.collect()
        got = _as_of_2_september(goal, data)
        assert got.goal is goal and got.progress == pytest.approx(30 / target)
        _same(got.progress, _as_of_2_september(goal, _spend_cube()).progress)
    assert len(kpis.memos_of(data)[("judged",)]) == 4
