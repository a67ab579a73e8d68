"""Charts kept by what they are drawn from: plans written alike draw each chart once, and
a kept chart reads exactly as one drawn afresh whatever input changed (numbers with
-0.0, huge and non-finite values, hostile and CJK labels, value names and colours,
language, KPI definitions)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest

from planbook.project import Project, Settings
from planbook.views import charts
from planbook.views.charts import common, goals, planning, spend
from tests.unit.test_charts import PLAN, rows

HOSTILE = "</script><!--x--><b>&amp;\u2028\u2029预算"

KINDS: dict[str, tuple[tuple, dict]] = {
    "budget_chart": ((), {}),
    "channel_chart": ((), {"metric": "revenue"}),
    "funnel_chart": ((), {}),
    "funnel_by": ((), {"by": "channel"}),
    "timeline_chart": ((), {}),
    "risk_matrix": ((), {}),
    "kpi_trend": (("ctr",), {"by": "channel"}),
}


def _forget() -> None:
    common._DRAWN.clear()
    goals._TRENDS.clear()
    spend._FUNNELS.clear()
    goals._GOALS.clear()


@pytest.fixture(autouse=True)
def fresh():
    _forget()
    yield
    _forget()


def alike(root: Path, plans: int = 2, language: str = "en"):
    """Views of ``plans`` plan pages written alike (their ids differ) over one CSV."""
    (root / "docs").mkdir(parents=True)
    (root / "data").mkdir()
    text = PLAN % {"statement": "to 6%"}
    for i in range(plans):
        (root / "docs" / f"plan{i}.md").write_text(
            text.replace("id: demo", f"id: demo-{i}"), "utf-8"
        )
    (root / "data" / "ads.csv").write_text(rows(), "utf-8")
    project = Project(Settings(root=root, docs_dir=root / "docs", language=language))
    pages = sorted((p for p in project.scan() if p.plan), key=lambda p: p.src_uri)
    views = [project.evaluate(p) for p in pages]
    assert all(v is not None for v in views)
    return views


def build(view, kind: str, language: str = "en") -> list[charts.Chart]:
    args, kwargs = KINDS[kind]
    name = "funnel_chart" if kind == "funnel_by" else kind
    return charts.build_charts(name, view, args, dict(kwargs), language=language)


def shown(chart: charts.Chart) -> tuple:
    """Everything a page shows of a chart."""
    figure = None if chart.figure is None else charts.to_json(chart.figure)
    return (
        chart.title,
        figure,
        chart.headers,
        chart.rows,
        chart.height,
        chart.note,
        chart.caption,
    )


def counting(monkeypatch, module, name: str) -> list[int]:
    calls = [0]
    inner = getattr(module, name)

    def spy(*a, **k):
        calls[0] += 1
        return inner(*a, **k)

    monkeypatch.setattr(module, name, spy)
    return calls


BUILDERS = {
    "budget_chart": (spend, "_budget_figure"),
    "channel_chart": (spend, "_channel_figure"),
    "funnel_chart": (spend, "_funnel_figures"),
    "funnel_by": (spend, "_funnel_figures"),
    "timeline_chart": (planning, "_timeline_figure"),
    "risk_matrix": (planning, "_risk_figure"),
    "kpi_trend": (goals, "_trend_figure"),
}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_plans_written_alike_draw_each_chart_once(tmp_path, monkeypatch, kind):
    calls = counting(monkeypatch, *BUILDERS[kind])
    views = alike(tmp_path, plans=3)
    drawn = [build(v, kind) for v in views]
    assert calls[0] == 1
    assert all(len(d) == 1 and d[0] is drawn[0][0] for d in drawn)
    assert drawn[0][0].figure is not None  # a drawn chart, not "no data"
    build(views[0], kind, language="zh")  # another language: its own chart
    assert calls[0] == 2


def test_a_goal_series_is_read_into_bytes_once_for_every_plan_that_shares_it(tmp_path, monkeypatch):
    calls = counting(monkeypatch, goals, "_bytes_of")
    builds = counting(monkeypatch, goals, "_goal_figure")
    views = alike(tmp_path, plans=3)
    series = {id(g.series) for v in views for g in v.goals}
    assert len(series) == 2  # the plans share their goals' series
    for v in views:
        charts.build_charts("goal_charts", v, (), {}, language="en")
    assert calls[0] == 2 and builds[0] == 2


def _rows(view, **change):
    view.budget = dataclasses.replace(
        view.budget,
        rows=[dataclasses.replace(view.budget.rows[0], **change), *view.budget.rows[1:]],
    )


def _channel_value(view, measure: str, value: float) -> None:
    b = view.channels
    first = dataclasses.replace(b.rows[0], values={**b.rows[0].values, measure: value})
    view.channels = dataclasses.replace(b, rows=[first, *b.rows[1:]])


def _plan(view, **change) -> None:
    view.plan = view.plan.model_copy(update=change)


def _phase(view, **change) -> None:
    phases = view.plan.phases
    _plan(view, phases=[phases[0].model_copy(update=change), *phases[1:]])


def _milestone(view, **change) -> None:
    first = view.plan.phases[0]
    ms = first.milestones
    _phase(view, milestones=[ms[0].model_copy(update=change), *ms[1:]])


def _risk(view, **change) -> None:
    risks = view.plan.risks
    _plan(view, risks=[risks[0].model_copy(update=change), *risks[1:]])


# (kind, what changes): each changes what the chart shows.
CHANGES: list[tuple[str, str, Callable]] = [
    ("budget_chart", "planned -0.0", lambda v: _rows(v, planned=-0.0)),
    ("budget_chart", "planned 0.0", lambda v: _rows(v, planned=0.0)),
    ("budget_chart", "planned 1e308", lambda v: _rows(v, planned=1e308)),
    ("budget_chart", "spent nan", lambda v: _rows(v, spent=float("nan"))),
    ("budget_chart", "spent inf", lambda v: _rows(v, spent=float("inf"))),
    ("budget_chart", "hostile label", lambda v: _rows(v, label=HOSTILE)),
    ("budget_chart", "cap", lambda v: _rows(v, cap=1.0)),
    ("budget_chart", "tolerance", lambda v: setattr(v.budget, "tolerance", 100.0)),
    ("budget_chart", "value names", lambda v: setattr(v, "value_labels", {"social": HOSTILE})),
    ("budget_chart", "colours", lambda v: setattr(v, "value_colors", {"sem": "#123456"})),
    ("budget_chart", "colour slot", lambda v: setattr(v, "value_colors", {"sem": 3})),
    ("channel_chart", "revenue -0.0", lambda v: _channel_value(v, "revenue", -0.0)),
    ("channel_chart", "revenue 1e308", lambda v: _channel_value(v, "revenue", 1e308)),
    ("channel_chart", "spend inf", lambda v: _channel_value(v, "spend", float("inf"))),
    ("channel_chart", "roi nan", lambda v: _channel_value(v, "roi", float("nan"))),
    ("channel_chart", "hostile key", lambda v: setattr(v.channels.rows[0], "key", HOSTILE)),
    ("channel_chart", "value names", lambda v: setattr(v, "value_labels", {"sem": "搜索"})),
    ("funnel_chart", "channel filter", lambda v: _plan(v, channel_filter={"channel": ["sem"]})),
    (
        "funnel_chart",
        "period",
        lambda v: _plan(v, period=v.plan.period.model_copy(update={"start": date(2026, 9, 10)})),
    ),
    ("funnel_chart", "as of", lambda v: setattr(v, "as_of", v.as_of - timedelta(days=3))),
    ("funnel_by", "value names", lambda v: setattr(v, "value_labels", {"sem": HOSTILE})),
    ("funnel_by", "colours", lambda v: setattr(v, "value_colors", {"social": 5})),
    ("timeline_chart", "phase name", lambda v: _phase(v, name=HOSTILE)),
    ("timeline_chart", "phase end", lambda v: _phase(v, end=date(2026, 10, 20))),
    ("timeline_chart", "milestone owner", lambda v: _milestone(v, owner="张伟")),
    ("timeline_chart", "milestone done", lambda v: _milestone(v, done=False)),
    ("timeline_chart", "as of", lambda v: setattr(v, "as_of", v.as_of - timedelta(days=1))),
    ("risk_matrix", "title", lambda v: _risk(v, title=HOSTILE)),
    ("risk_matrix", "likelihood", lambda v: _risk(v, likelihood=1)),
    # trends were kept per data without the plan's start and the site's value names
    (
        "kpi_trend",
        "plan start",
        lambda v: _plan(v, period=v.plan.period.model_copy(update={"start": date(2026, 9, 14)})),
    ),
    ("kpi_trend", "value names", lambda v: setattr(v, "value_labels", {"sem": HOSTILE})),
    ("kpi_trend", "colours", lambda v: setattr(v, "value_colors", {"social": "#00ff00"})),
    ("kpi_trend", "as of", lambda v: setattr(v, "as_of", v.as_of - timedelta(days=2))),
]


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize(("kind", "what", "change"), CHANGES, ids=[c[1] for c in CHANGES])
def test_a_kept_chart_reads_as_one_drawn_afresh(tmp_path, kind, what, change, language):
    base, other = alike(tmp_path, plans=2, language=language)
    before = [shown(c) for c in build(base, kind, language)]
    change(other)
    kept = [shown(c) for c in build(other, kind, language)]  # the cache holds base's
    assert kept != before, what  # the change shows
    _forget()
    assert [shown(c) for c in build(other, kind, language)] == kept
    assert [shown(c) for c in build(base, kind, language)] == before


@pytest.mark.parametrize(
    ("kind", "change"),
    [
        ("budget_chart", lambda v, x: _rows(v, planned=x, spent=x)),
        ("channel_chart", lambda v, x: _channel_value(v, "revenue", x)),
    ],
)
def test_a_chart_of_minus_zero_is_not_the_chart_of_zero(tmp_path, kind, change):
    base, other = alike(tmp_path, plans=2)
    change(base, 0.0)
    change(other, -0.0)
    zero, minus = build(base, kind)[0], build(other, kind)[0]
    assert minus is not zero
    _forget()
    assert shown(build(other, kind)[0]) == shown(minus)


def test_a_goal_from_minus_zero_is_not_the_goal_from_zero(tmp_path):
    base, other = alike(tmp_path, plans=2)
    for view, zero in ((base, 0.0), (other, -0.0)):
        g = view.goals[1]  # clicks, from 0
        g.goal = g.goal.model_copy(update={"baseline": zero})
        g.line = [(g.line[0][0], zero), *g.line[1:]]
    (zero,) = charts.build_charts("goal_chart", base, ("clicks",), {}, language="en")
    (minus,) = charts.build_charts("goal_chart", other, ("clicks",), {}, language="en")
    assert minus is not zero and shown(minus) != shown(zero)
    _forget()
    (fresh,) = charts.build_charts("goal_chart", other, ("clicks",), {}, language="en")
    assert shown(fresh) == shown(minus)


def test_risks_that_tie_are_kept_by_their_ids(tmp_path):
    base, other = alike(tmp_path, plans=2)
    for view in (base, other):
        _risk(view, likelihood=2, impact=2)  # ties with "gaps": numbered by id
    before = shown(build(base, "risk_matrix")[0])
    _risk(other, id="aa")
    kept = shown(build(other, "risk_matrix")[0])
    assert kept != before and kept[3][0] == ["1 · PR crisis", "2", "2", "4"]
    _forget()
    assert shown(build(other, "risk_matrix")[0]) == kept


def test_plans_with_kpis_of_their_own_keep_their_own_channel_chart(tmp_path):
    from planbook.metrics.kpis import KpiRegistry
    from planbook.model import KpiDef

    base, other = alike(tmp_path, plans=2)
    chart = build(base, "channel_chart")[0]
    # the plan names its own ROI (the channel chart's ROI panel and table column)
    own = KpiDef(id="roi", label=HOSTILE, formula="revenue / spend", format="decimal")
    other.registry = KpiRegistry([own], other.registry.columns)
    mine = build(other, "channel_chart")[0]
    assert shown(mine) != shown(chart) and HOSTILE in mine.headers
    _forget()
    assert shown(build(other, "channel_chart")[0]) == shown(mine)


def test_kept_charts_are_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(common, "_DRAWN_MAX", 2)
    (view,) = alike(tmp_path, plans=1)
    for days in range(3):
        view.as_of = view.as_of - timedelta(days=days)
        build(view, "timeline_chart")
    assert len(common._DRAWN) == 2


def test_charts_kept_per_data_are_drawn_once_per_cube_and_go_with_it() -> None:
    import gc
    import weakref

    class Cube:  # stands for a MetricFrame: what matters is that it is weakly keyed
        pass

    cache: common.PerData = weakref.WeakKeyDictionary()
    drawn: list[str] = []

    def draw(name: str) -> Callable[[], str]:
        return lambda: drawn.append(name) or name

    one, two = Cube(), Cube()
    assert common.per_data(cache, one, ("k",), draw("a")) == "a"  # type: ignore[arg-type]
    assert common.per_data(cache, one, ("k",), draw("b")) == "a"  # type: ignore[arg-type]
    assert common.per_data(cache, two, ("k",), draw("c")) == "c"  # type: ignore[arg-type]
    assert drawn == ["a", "c"]
    del one
    gc.collect()
    assert list(cache.values()) == [{("k",): "c"}]
