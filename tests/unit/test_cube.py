"""The daily cube (planbook.cube): every figure equals the one computed on the source rows.

The reference is the same :class:`MetricFrame` with ``cube=False`` (the rows as they
are), or a :class:`Project` with ``use_cube = False``.
"""

from __future__ import annotations

import dataclasses
import math
import shutil
import weakref
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planbook.columns import ORIGIN, ORIGIN_SEP
from planbook.cube import MetricFrame, aggregate
from planbook.metrics.kpis import MetricFrame as ReExported
from planbook.metrics.plan_scope import shortcode_dims
from planbook.project import Project, Settings

ROOT = Path(__file__).resolve().parents[2]
EXPORTS = ROOT / "tests" / "exports"
MEASURES = ("impressions", "clicks", "spend")
DIMS = ("channel", "campaign", "region")
# Files of origin and the measures each has (a row's other measures are not in its file).
FILES = {"ads": MEASURES, "meta": ("clicks", "impressions"), "ledger": ("spend",)}


def test_kpis_re_exports_the_cube_frame() -> None:
    assert ReExported is MetricFrame


# --------------------------------------------------------------------------- property


@st.composite
def frames(draw: Any) -> pd.DataFrame:
    n = draw(st.integers(0, 40))
    day = st.integers(0, 6)
    value = st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False), st.integers(0, 50))
    rows = draw(
        st.lists(
            st.tuples(
                day,
                st.sampled_from(["sem", "wechat", "", "010"]),
                st.sampled_from(["a", "b", "c"]),
                st.sampled_from(["north", "south"]),
                value,
                value,
                value,
                st.sampled_from(sorted(FILES)),
            ),
            min_size=n,
            max_size=n,
        )
    )
    frame = pd.DataFrame(rows, columns=["day", *DIMS, *MEASURES, "file"])
    frame.insert(0, "date", pd.Timestamp("2026-09-01") + pd.to_timedelta(frame.pop("day"), "D"))
    files = frame.pop("file")
    for m in MEASURES:
        frame[m] = frame[m].astype("float64")
    # Several files (as DataStore.combine(origin=True) marks them), or one.
    if draw(st.booleans()):
        for m in MEASURES:
            frame.loc[np.array([m not in FILES[f] for f in files], dtype=bool), m] = np.nan
        labels = [ORIGIN_SEP.join(sorted(FILES[f])) for f in files]
        frame[ORIGIN] = pd.Categorical(labels)
    # Categorical dimensions as the loader makes them; one left as plain text.
    frame["channel"] = frame["channel"].astype("category")
    frame["campaign"] = frame["campaign"].astype("category")
    frame["region"] = frame["region"].astype("str")
    return frame


FILTERS = [
    (),
    (("channel", ("sem",)),),
    (("channel", ("wechat", "010")),),
    (("campaign", ("a",)), ("channel", ("sem", ""))),
    (("region", ("north",)),),
]
REQUIRES = [(), ("clicks", "impressions"), ("clicks", "impressions", "spend")]


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    assert list(a.index.astype(str)) == list(b.index.astype(str))
    assert list(a.columns) == list(b.columns)
    x, y = a.to_numpy(dtype="float64"), b.to_numpy(dtype="float64")
    assert (np.isnan(x) == np.isnan(y)).all()
    np.testing.assert_allclose(np.nan_to_num(x), np.nan_to_num(y), rtol=1e-9, atol=1e-6)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frames(), st.sampled_from([None, ("channel",), ("campaign", "region"), ()]))
def test_cube_sums_equal_row_sums(frame: pd.DataFrame, kept: tuple[str, ...] | None) -> None:
    raw = MetricFrame(frame, cube=False)
    cube = MetricFrame(frame, kept)
    assert len(cube.frame) <= len(frame)
    assert int(cube.counts.sum()) == len(frame)
    assert cube.dimensions == raw.dimensions and cube.measures == raw.measures
    start, end = date(2026, 9, 2), date(2026, 9, 5)
    for dim in DIMS:
        assert cube.values(dim) == raw.values(dim)
    for filters in FILTERS:
        assert cube.latest(filters) == raw.latest(filters)
        for require in REQUIRES:
            _same(cube.daily(filters, require), raw.daily(filters, require))
            for dim in DIMS:
                _same(
                    cube.totals_by(dim, start, end, filters, require),
                    raw.totals_by(dim, start, end, filters, require),
                )
        for measures in (("clicks", "impressions"), MEASURES, ("spend",)):
            got = cube.partial_rows(measures, filters, start, end)
            assert got == raw.partial_rows(measures, filters, start, end)
            # ... and it is a count of source rows, checked against pandas directly.
            rows = frame[(frame["date"] >= "2026-09-02") & (frame["date"] <= "2026-09-05")]
            for d, values in filters:
                rows = rows[rows[d].astype(str).isin(values)]
            have = rows[list(measures)].notna()
            gap = have.any(axis=1) & ~have.all(axis=1)
            if ORIGIN in rows.columns:  # only a gap inside a file that has all of them
                files = [set(str(f).split(ORIGIN_SEP)) for f in rows[ORIGIN]]
                gap &= np.array([set(measures) <= f for f in files], dtype=bool)
            assert got == int(gap.sum())
    for measures in (("clicks", "impressions"), MEASURES):
        assert cube.require(measures) == raw.require(measures)


def test_duplicate_keys_and_partial_rows_fold_into_one_row_per_pattern() -> None:
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-09-01"] * 4),
            "channel": pd.Categorical(["sem"] * 4),
            "clicks": [1.0, 2.0, 4.0, np.nan],
            "impressions": [10.0, 20.0, np.nan, np.nan],
        }
    )
    cube, counts = aggregate(frame, ("channel",), ("clicks", "impressions"))
    # (both), (clicks only), (neither): three presence patterns on one day and channel.
    assert sorted(counts.tolist()) == [1, 1, 2]
    both = cube.loc[cube["impressions"].notna()]
    assert both["clicks"].tolist() == [3.0] and both["impressions"].tolist() == [30.0]
    empty = cube.loc[cube["clicks"].isna()]
    assert empty["impressions"].isna().all()  # all-missing stays missing (min_count=1)
    data = MetricFrame(frame)
    assert data.partial_rows(("clicks", "impressions")) == 1
    ctr = data.daily((), data.require(("clicks", "impressions")))
    assert ctr["clicks"].tolist() == [3.0]  # the row without impressions is left out


def test_dimension_text_kept_exactly() -> None:
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-09-01", "2026-09-01", "2026-09-02"]),
            "region": pd.Series(["010", "0010", "010"], dtype="str"),
            "id": pd.Categorical(["12345678901234567890", "00000000000000000001", "1"]),
            "clicks": [1.0, 2.0, 3.0],
        }
    )
    data = MetricFrame(frame)
    assert data.values("region") == ["0010", "010"]
    assert data.values("id") == ["00000000000000000001", "1", "12345678901234567890"]
    got = data.totals_by("region", date(2026, 9, 1), date(2026, 9, 2))
    assert got["clicks"].to_dict() == {"0010": 2.0, "010": 4.0}


def test_a_dimension_the_cube_lacks_gets_a_wider_cube() -> None:
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-09-01"] * 3 + ["2026-09-02"] * 3),
            "channel": pd.Categorical(["sem", "sem", "feed"] * 2),
            "campaign": pd.Categorical(["a", "b", "a"] * 2),
            "clicks": [1.0, 2.0, 4.0, 8.0, 16.0, 32.0],
        }
    )
    calls: list[int] = []

    def rows() -> pd.DataFrame:
        calls.append(1)
        return frame

    data = MetricFrame(frame, ("channel",), source=rows)
    assert data.kept == ("channel",) and "campaign" not in data.frame.columns
    assert len(data.frame) == 4  # (day, channel): campaigns a and b of sem summed
    start, end = date(2026, 9, 1), date(2026, 9, 2)
    by = data.totals_by("campaign", start, end)
    assert by["clicks"].to_dict() == {"a": 1 + 4 + 8 + 32, "b": 2 + 16}
    only_b = data.daily((("campaign", ("b",)),))
    assert only_b["clicks"].tolist() == [2.0, 16.0]
    assert data.values("campaign") == ["a", "b"]
    wider = data.covering(("campaign",))
    assert wider is not data and wider.kept == ("channel", "campaign")
    assert data.covering(("campaign", "nosuch")) is wider  # built once, then kept
    assert calls == [1]
    assert data.covering(("channel",)) is data
    with pytest.raises(KeyError, match="covering"):
        data.mask((("campaign", ("a",)),))


def test_shortcode_dims() -> None:
    text = '{{ kpi_trend("ctr", by="channel") }}\n{{ funnel_chart(by=\'campaign\') }}\nby="x"'
    assert shortcode_dims(text) == ("channel", "campaign")
    assert shortcode_dims("no shortcodes here, by the way") == ()


# --------------------------------------------------------------------------- whole sites


def _flat(value: Any, path: str, out: dict[str, Any]) -> None:
    """Every number, date, status and message of an evaluated view, by path."""
    from planbook.project import Page

    skip = (MetricFrame, Page)
    if isinstance(value, skip) or (callable(value) and not dataclasses.is_dataclass(value)):
        return
    if isinstance(value, pd.Series):
        out[path] = [float(v) for v in value.to_numpy(dtype="float64")]
        out[path + ".index"] = [str(i) for i in value.index]
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        if type(value).__name__ in {"Plan", "Goal", "Kpi", "Persona"}:
            out[path] = getattr(value, "id", None)
            return
        if type(value).__name__ == "Diagnostic":
            out[path] = str(value)
            return
        for f in dataclasses.fields(value):
            _flat(getattr(value, f.name), f"{path}.{f.name}", out)
    elif isinstance(value, dict):
        for k, v in value.items():
            _flat(v, f"{path}[{k!r}]", out)
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            _flat(v, f"{path}[{i}]", out)
    elif isinstance(value, (int, float, str, date, type(None), np.floating)):
        out[path] = value
    else:
        out[path] = repr(value) if type(value).__module__ == "builtins" else None


def _figures(settings: Settings, cube: bool) -> tuple[dict[str, Any], int]:
    from planbook.metrics.reports import build_report, closed_periods

    project = Project(settings)
    project.use_cube = cube
    project.begin_build()
    project.scan()
    out: dict[str, Any] = {}
    for uri, page in sorted(project.plans_by_uri().items()):
        view = project.evaluate(page)
        assert view is not None
        for name in ("as_of", "goals", "channels", "budget", "diagnostics", "phase_goals"):
            _flat(getattr(view, name), f"{uri}.{name}", out)
        _flat(view.quality, f"{uri}.quality", out)
        if view.as_of is not None:
            for every in ("week", "month"):
                plan = view.plan
                periods = closed_periods(plan.period.start, plan.period.end, view.as_of, every)
                for period in periods[-3:]:
                    report = build_report(view, period, pacing=settings.pacing)
                    for name in ("kpis", "channels", "previous_channels", "movers"):
                        _flat(getattr(report, name), f"{uri}.{period}.{name}", out)
                    _flat(report.status_changes, f"{uri}.{period}.changes", out)
                    _flat(report.recommendations, f"{uri}.{period}.advice", out)
    return out, sum(len(v.goals) for v in project._views.values())


def _compare(settings: Settings) -> int:
    cube, goals = _figures(settings, True)
    rows, _ = _figures(settings, False)
    assert cube.keys() == rows.keys()
    numbers = 0
    for k, a in cube.items():
        b = rows[k]
        if isinstance(a, (float, np.floating)) and isinstance(b, (float, np.floating)):
            assert (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=1e-9, abs=1e-9), k
            numbers += 1
        elif isinstance(a, list) and a and isinstance(a[0], float):
            assert a == pytest.approx(b, rel=1e-9, abs=1e-9, nan_ok=True), k
            numbers += len(a)
        else:
            assert a == b, k
    assert goals > 0
    return numbers


def test_example_site_same_figures_on_the_cube() -> None:
    from planbook.cli import load_settings

    numbers = _compare(load_settings(ROOT / "mkdocs.yml"))
    assert numbers > 1000


def test_export_fixtures_same_figures_on_the_cube(tmp_path: Path) -> None:
    """One plan per export fixture (the exports' own shapes: partial rows, several
    dimensions, totals rows), with goals, a channel table and reports per dimension."""
    import yaml

    from planbook.data import DataStore, ReadOptions

    (tmp_path / "docs").mkdir()
    shutil.copytree(EXPORTS, tmp_path / "data", ignore=shutil.ignore_patterns("*.py", "*.yml"))
    store = DataStore(tmp_path)
    for plans, spec in enumerate(sorted(EXPORTS.glob("*/*.yml"))):
        e = yaml.safe_load(spec.read_text("utf-8"))
        fixture = next(p for p in spec.parent.glob(spec.stem + ".*") if p.suffix != ".yml")
        rel = f"data/{spec.parent.name}/{fixture.name}"
        source = {"path": rel, **(e.get("source") or {})}
        table = store.load(tmp_path / rel, ReadOptions(**(e.get("source") or {})))
        dims = [d for d in table.dimensions if d != "date"]
        measures = list(e["totals"])
        first, last = e["first_date"], e["last_date"]
        goals = [
            {"id": f"g{i}", "statement": "s", "kpi": m, "baseline": 0, "target": 1e9}
            for i, m in enumerate(measures)
        ]
        if {"clicks", "impressions"} <= set(table.measures):
            goals.append(
                {"id": "ctr", "statement": "s", "kpi": "ctr", "baseline": 0.0, "target": 0.5}
            )
        if dims:
            values = sorted(set(table.frame[dims[0]].astype(str)) - {""})[:1]
            if values:
                goals.append(
                    {
                        "id": "filtered",
                        "statement": "s",
                        "kpi": measures[0],
                        "baseline": 0,
                        "target": 1e9,
                        "filter": {dims[0]: values},
                    }
                )
        for g in goals:
            g["deadline"] = last
        plan = {
            "id": f"x-{plans}",
            "owner": "t",
            "status": "draft",
            "period": {"start": first, "end": last},
            "metrics": [source],
            "goals": goals,
        }
        if dims and "spend" in table.measures:
            plan["budget"] = {"total": 1e6, "by": dims[-1], "allocations": []}
        text = "---\n" + yaml.safe_dump({"plan": plan}, allow_unicode=True) + "---\n# p\n"
        (tmp_path / "docs" / f"p{plans}.md").write_text(text, "utf-8")
    channel = "campaign"  # most exports have one; the channel table runs on it
    s = Settings(root=tmp_path, docs_dir=tmp_path / "docs", channel_dimension=channel)
    assert _compare(s) > 100


# --------------------------------------------------------------------------- serve


def _site(tmp_path: Path, plans: dict[str, str]) -> Settings:
    (tmp_path / "docs").mkdir(exist_ok=True)
    (tmp_path / "data").mkdir(exist_ok=True)
    for name, csv in plans.items():
        (tmp_path / "data" / f"{name}.csv").write_text(_csv(0), "utf-8")
        (tmp_path / "docs" / f"{name}.md").write_text(
            "---\nplan:\n"
            f"  id: {name}\n  owner: t\n  status: draft\n"
            "  period: {start: 2026-09-01, end: 2026-09-30}\n"
            f"  metrics: [data/{csv}.csv]\n"
            "  goals:\n"
            "    - {id: g, statement: s, kpi: clicks, baseline: 0, target: 100,"
            " deadline: 2026-09-30, filter: {channel: [sem]}}\n"
            "---\n# p\n",
            "utf-8",
        )
    return Settings(root=tmp_path, docs_dir=tmp_path / "docs")


def _csv(edit: int) -> str:
    rows = [
        f"2026-09-{d:02d},{c},{d + edit},{10 * d}" for d in range(1, 10) for c in ("sem", "feed")
    ]
    return "date,channel,clicks,impressions\n" + "\n".join(rows) + "\n"


def _rebuild(project: Project) -> None:
    project.begin_build()
    project.scan()
    for page in list(project.plans.values()):
        project.evaluate(page)


def test_csv_edits_keep_only_current_cubes(tmp_path: Path) -> None:
    s = _site(tmp_path, {"a": "a", "b": "b"})
    project = Project(s)
    _rebuild(project)
    assert len(project._frames) == 2
    first = project.evaluate(project.plans["a"])
    assert first is not None and first.goals[0].actual == sum(range(1, 10))
    old_cube, old_table = weakref.ref(first.data), weakref.ref(project.store.used_tables()[0])
    del first
    for edit in range(1, 8):
        (tmp_path / "data" / "a.csv").write_text(_csv(edit), "utf-8")
        _rebuild(project)
        view = project.evaluate(project.plans["a"])
        assert view is not None and view.goals[0].actual == sum(range(1, 10)) + 9 * edit
        # One cube per current source set; the views kept all read one of them.
        assert len(project._frames) == 2
        live = {id(f) for f in project._frames.values()}
        assert {kept[1] for kept in project._kept.values()} <= live
        assert len(project.store._tables) == 2  # the store's old tables are gone too
        assert len({key[:2] for key in project._outside}) == 2
        assert old_cube() is None and old_table() is None  # freed, not just unlisted


def test_a_csv_edit_reevaluates_only_the_plans_that_read_it(tmp_path: Path) -> None:
    s = _site(tmp_path, {"a": "a", "b": "b", "c": "b"})
    project = Project(s)
    _rebuild(project)
    assert project.evaluations == 3
    _rebuild(project)
    assert project.evaluations == 3  # nothing changed: every view kept
    (tmp_path / "data" / "b.csv").write_text(_csv(5), "utf-8")
    _rebuild(project)
    assert project.evaluations == 5  # b and c read b.csv; a is kept


def test_a_page_asking_for_a_new_dimension_widens_the_site_cube(tmp_path: Path) -> None:
    s = _site(tmp_path, {"a": "a"})
    (tmp_path / "data" / "a.csv").write_text(
        "date,channel,campaign,clicks\n2026-09-01,sem,x,1\n2026-09-01,sem,y,2\n", "utf-8"
    )
    project = Project(s)
    _rebuild(project)
    view = project.evaluate(project.plans["a"])
    assert view is not None and view.data.kept == ("channel",)
    (tmp_path / "docs" / "trend.md").write_text('{{ kpi_trend("clicks", by="campaign") }}\n')
    _rebuild(project)
    view = project.evaluate(project.plans["a"])
    assert view is not None and view.data.kept == ("channel", "campaign")
    assert len(project._frames) == 1  # the narrower cube of the same file is gone


def test_one_file_read_two_ways_is_two_cubes(tmp_path: Path) -> None:
    """Plans reading one file with other reading options (here the decimal mark) get the
    numbers their options say, not the first plan's cube."""
    s = _site(tmp_path, {"a": "a", "b": "a"})
    (tmp_path / "data" / "a.csv").write_text(
        'date,channel,clicks\n2026-09-01,sem,"1,500"\n2026-09-02,sem,"2,500"\n', "utf-8"
    )
    page = tmp_path / "docs" / "b.md"
    page.write_text(
        page.read_text("utf-8").replace(
            "metrics: [data/a.csv]", 'metrics: [{path: data/a.csv, decimal: ","}]'
        ),
        "utf-8",
    )
    project = Project(s)
    _rebuild(project)
    a, b = (project.evaluate(project.plans[k]) for k in ("a", "b"))
    assert a is not None and b is not None
    assert a.goals[0].actual == 4000  # 1,500 and 2,500 read with ',' as thousands separator
    assert b.goals[0].actual == 4.0  # decimal commas
    assert a.data is not b.data and len(project._frames) == 2


def test_many_measures_and_wide_keys_group_exactly() -> None:
    """130 measures (the presence pattern spans three key parts) and 2,000 distinct
    values of two dimensions (the mixed-radix key is re-coded before it overflows)."""
    rng = np.random.default_rng(3)
    n = 4000
    frame = pd.DataFrame(
        {
            "date": pd.Timestamp("2026-09-01") + pd.to_timedelta(rng.integers(0, 3, n), "D"),
            "a": pd.Series([f"a{v}" for v in rng.integers(0, 2000, n)], dtype="str"),
            "b": pd.Categorical([f"b{v}" for v in rng.integers(0, 2000, n)]),
        }
    )
    columns = {}
    for j in range(130):
        values = rng.random(n)
        if j in (0, 61, 125):  # a few presence patterns, each shared by many rows
            values[rng.random(n) < 0.3] = np.nan
        columns[f"m{j}"] = values
    frame = pd.concat([frame, pd.DataFrame(columns)], axis=1)
    cube = MetricFrame(frame)
    raw = MetricFrame(frame, cube=False)
    assert int(cube.counts.sum()) == n
    pattern = pd.util.hash_pandas_object(frame.filter(like="m").notna(), index=False)
    groups = (
        frame[["date", "a", "b"]]
        .assign(p=pattern.to_numpy())
        .groupby(["date", "a", "b", "p"], observed=True)
    )
    assert len(cube.frame) == groups.ngroups  # no two keys folded together
    _same(cube.daily(), raw.daily())
    _same(
        cube.totals_by("a", date(2026, 9, 1), date(2026, 9, 3), (("b", ("b7", "b9")),)),
        raw.totals_by("a", date(2026, 9, 1), date(2026, 9, 3), (("b", ("b7", "b9")),)),
    )
    measures = ["m0", "m61", "m125", "m7"]
    assert cube.partial_rows(measures) == raw.partial_rows(measures) > 0


def test_a_period_in_year_one_is_refused_before_any_overflow(tmp_path: Path) -> None:
    # No day of year one fits the cube's datetime64[ns] days: the period is refused at
    # its field (outside report 10), never evaluated against bounds that wrap around.
    from planbook.checking import collect

    s = _site(tmp_path, {"a": "a"})
    page = tmp_path / "docs" / "a.md"
    page.write_text(
        page.read_text("utf-8")
        .replace("start: 2026-09-01", "start: 0001-01-01")
        .replace("deadline: 2026-09-30", "deadline: 0001-12-31")
        .replace("end: 2026-09-30", "end: 0001-12-31"),
        "utf-8",
    )
    diags = collect(s, ())
    assert "plan/internal-error" not in {d.rule for d in diags}
    assert sorted(
        (d.field, d.rule) for d in diags if d.field and d.field.startswith("plan.period")
    ) == [("plan.period.end", "schema"), ("plan.period.start", "schema")]


# --------------------------------------------------------------------------- construction


def _reference(
    frame: pd.DataFrame, dims: tuple[str, ...], measures: tuple[str, ...]
) -> tuple[pd.DataFrame, np.ndarray]:
    """The cube as pandas makes it without any of aggregate's savings: groups of (date,
    dims, presence pattern) numbered by first appearance, each measure summed over its
    rows in row order."""
    pattern = sum(frame[m].notna().to_numpy().astype(np.int64) << j for j, m in enumerate(measures))
    group = (
        frame[["date", *dims]]
        .assign(_p=pattern)
        .groupby(["date", *dims, "_p"], sort=False, dropna=False, observed=True)
        .ngroup()
        .to_numpy()
    )
    first = np.unique(group, return_index=True)[1]
    keys = frame[["date", *dims]].iloc[first].reset_index(drop=True)
    sums = frame[list(measures)].groupby(group, sort=True).sum(min_count=1)
    cube = pd.concat([keys, sums.reset_index(drop=True)], axis=1)
    return cube, np.bincount(group)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    frames(),
    st.sampled_from([(), ("channel",), ("campaign", "region"), DIMS]),
    st.booleans(),
    st.booleans(),
    st.sampled_from([1, 3, 1 << 16]),
    st.sampled_from(["days", "missing", "hours", "far", "seconds"]),
)
def test_the_cube_is_what_pandas_groups_and_sums_bit_for_bit(
    frame: pd.DataFrame, dims: tuple[str, ...], public: bool, kernel: bool, scan: int, when: str
) -> None:
    """aggregate's column-by-column key (categorical codes added as they are, the
    presence pattern in the narrowest type), small hash tables, first rows found a
    block at a time, and the sums by groupby's own kernel (the peak memory of issue
    12) change nothing: the same rows in the same order, the same float sums to the
    last bit; also with pandas' public factorize (a pandas without the one aggregate
    uses) and with groupby itself (a pandas without that kernel). Dates of whole days
    are coded by their day numbers (block by block: ``scan``); a missing date, a time
    of day, a span of more days than rows are factorized, and group the same."""
    from planbook import grouping

    if not len(frame):
        return
    dates = frame["date"].to_numpy().copy()
    if when == "missing":
        dates[len(dates) // 2] = np.datetime64("NaT")
    elif when == "hours":
        dates[-1] += np.timedelta64(3, "h")
    elif when == "far":
        dates[0] += np.timedelta64(400, "D") * (len(dates) + 1)
    elif when == "seconds":
        dates = dates.astype("datetime64[s]")
    frame = frame.assign(date=dates)
    dims = (*dims, *([ORIGIN] if ORIGIN in frame.columns else []))
    measures = tuple(MEASURES)
    with pytest.MonkeyPatch.context() as mp:
        if public:
            mp.setattr(grouping, "_factorize_array", None)
        if not kernel:
            mp.setattr(grouping, "_group_sum", None)
        mp.setattr(grouping, "_SCAN", scan)
        cube, counts = aggregate(frame, dims, measures)
    expected, expected_counts = _reference(frame, dims, measures)
    pd.testing.assert_frame_equal(cube, expected, check_exact=True)
    for m in measures:  # -0.0 is not 0.0
        got, want = cube[m].to_numpy(), expected[m].to_numpy()
        assert np.array_equal(got.view(np.int64), want.view(np.int64)), m
    assert np.array_equal(counts, expected_counts)


def test_the_sums_fall_back_to_groupby_for_columns_that_are_not_floats() -> None:
    """Integer measures (a warehouse's counts) are summed by groupby as before: the
    kernel call is for float64 columns only."""
    from planbook import grouping

    group = np.array([0, 1, 0], dtype=np.intp)
    assert grouping._sums({"n": np.array([1, 2, 3])}, group, 2) is None
    sums = grouping._sums({"x": np.array([1.5, np.nan, 2.0])}, group, 2)
    assert sums is not None and sums["x"].tolist()[0] == 3.5 and np.isnan(sums["x"].iloc[1])
    frame = pd.DataFrame(
        {"date": pd.to_datetime(["2026-09-01", "2026-09-02", "2026-09-01"]), "n": [1, 2, 3]}
    )
    cube, counts = aggregate(frame, (), ("n",))
    assert cube["n"].tolist() == [4, 2] and counts.tolist() == [2, 1]


def test_a_key_past_the_int64_range_is_coded_again_and_groups_the_same() -> None:
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-09-01", "2026-09-02", "2026-09-01", "2026-09-01"]),
            **{f"d{i}": pd.Categorical([f"v{i}", "w", f"v{i}", f"v{i}"]) for i in range(8)},
            "clicks": [1.5, 2.0, 0.25, np.nan],
        }
    )
    # Eight dimensions of 2**20 categories each: their product overflows 2**62.
    for i in range(8):
        col = f"d{i}"
        frame[col] = frame[col].cat.add_categories([f"x{k}" for k in range(1 << 20)])
    dims = tuple(f"d{i}" for i in range(8))
    cube, counts = aggregate(frame, dims, ("clicks",))
    assert cube["clicks"].tolist()[:2] == [1.75, 2.0] and np.isnan(cube["clicks"].iloc[2])
    assert counts.tolist() == [2, 1, 1]


def test_whole_days_are_coded_by_their_day_number_anything_else_is_left_to_factorize(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The cube's date codes: day numbers from the first date, across scan blocks, in
    any unit; ``None`` (factorized instead) for a missing date, a time of day, or more
    days spanned than rows."""
    from planbook import grouping

    monkeypatch.setattr(grouping, "_SCAN", 2)
    days = np.array(["2026-09-03", "2026-09-01", "2026-09-03", "2026-09-02", "2026-09-05"])
    for unit in ("ns", "us", "s"):
        coded = grouping._day_codes(days.astype(f"datetime64[{unit}]"))
        assert coded is not None
        codes, span = coded
        assert codes.tolist() == [2, 0, 2, 1, 4] and span == 5 and codes.dtype == np.int32
    dates = days.astype("datetime64[ns]")
    missing = dates.copy()
    missing[3] = np.datetime64("NaT")
    late = dates.copy()
    late[4] += np.timedelta64(1, "s")  # in the last block
    far = dates.copy()
    far[4] += np.timedelta64(5, "D")  # 10 days over 5 rows
    for odd in (missing, late, far):
        assert grouping._day_codes(odd) is None
    assert grouping._day_codes(dates[:0]) is None
    frame = pd.DataFrame({"date": late, "x": [1.0, 2.0, 4.0, 8.0, 16.0]})
    cube, counts = aggregate(frame, (), ("x",))
    assert cube["x"].tolist() == [5.0, 2.0, 8.0, 16.0] and counts.tolist() == [2, 1, 1, 1]


def test_day_codes_in_days_and_before_1970_and_past_the_int64_range() -> None:
    """Day numbers of ``datetime64[D]`` (no division) and of dates before 1970 (a
    negative floor division) are the same as those of the same days in nanoseconds; a
    value whose product with the day would leave the int64 range is factorized."""
    from planbook import grouping

    days = np.array(["1969-12-30", "1970-01-02", "1969-12-31", "1969-12-30"], dtype="M8[D]")
    for unit in ("D", "s", "ns"):
        coded = grouping._day_codes(days.astype(f"datetime64[{unit}]"))
        assert coded is not None
        assert coded[0].tolist() == [0, 3, 1, 0] and coded[1] == 4
    edge = np.array([np.iinfo(np.int64).min + 1] * 3, dtype=np.int64).view("M8[ns]")
    assert grouping._day_codes(edge) is None


def test_the_key_takes_the_day_numbers_as_they_are_and_never_writes_a_columns_codes() -> None:
    """An owned array (the day numbers ``_codes`` made) becomes the key without a copy;
    a categorical's own codes (``int32`` past 127 and 32,767 categories: no narrowing
    copy either) are left as they were while the key is built on them."""
    from planbook import grouping

    n = 6
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-09-01", "2026-09-03"] * 3),
            "d": pd.Categorical(
                ["v2", "v0", "v2", "v1", "v0", "v2"], categories=[f"v{k}" for k in range(40_000)]
            ),
        }
    )
    codes, card, shift, owned = grouping._codes(frame["date"])
    assert owned and shift == 0 and card == 3
    key = grouping._Key(n)
    key.add(codes, card, shift=shift, owned=owned)
    assert key.key is codes
    own, card, shift, owned = grouping._codes(frame["d"])
    assert not owned and own.dtype == np.int32
    before = own.copy()
    first = grouping._Key(n)
    first.add(own, card, shift=shift, owned=owned)
    first.add(codes, 3)
    assert np.array_equal(own, before) and not np.shares_memory(first.key, own)
    assert np.array_equal(frame["d"].cat.codes.to_numpy(), [2, 0, 2, 1, 0, 2])
    cube, counts = aggregate(frame.assign(x=1.0), ("d",), ("x",))
    assert cube["x"].tolist() == [2.0, 1.0, 1.0, 1.0, 1.0] and counts.tolist() == [2, 1, 1, 1, 1]
    assert np.array_equal(frame["d"].cat.codes.to_numpy(), [2, 0, 2, 1, 0, 2])


def test_a_key_past_the_int32_range_widens_to_int64_and_groups_the_same() -> None:
    """The key starts as ``int32`` and widens once the product of the radices passes
    2**31 (here 3 days x 3,001 x 3,001 x 3,001): the same groups as pandas makes."""
    from planbook import grouping

    rng = np.random.default_rng(5)
    n = 3000
    names = [f"v{k}" for k in range(n)]
    frame = pd.DataFrame(
        {
            "date": pd.Timestamp("2026-09-01") + pd.to_timedelta(rng.integers(0, 3, n), "D"),
            **{d: pd.Categorical(rng.choice(names[:12], n), categories=names) for d in "abc"},
            "clicks": np.where(rng.random(n) < 0.2, np.nan, rng.random(n)),
        }
    )
    key = grouping._Key(n)
    zeros = np.zeros(n, dtype=np.int8)
    key.add(zeros, 3)
    key.add(zeros, n + 1, shift=1)
    key.add(zeros, n + 1, shift=1)
    assert key.key.dtype == np.int32 and key.size == 3 * (n + 1) ** 2 < 2**31
    key.add(zeros, n + 1, shift=1)
    assert key.key.dtype == np.int64 and key.size == 3 * (n + 1) ** 3
    assert (key.key == ((n + 1) + 1) * (n + 1) + 1).all()
    cube, counts = aggregate(frame, ("a", "b", "c"), ("clicks",))
    expected, expected_counts = _reference(frame, ("a", "b", "c"), ("clicks",))
    pd.testing.assert_frame_equal(cube, expected, check_exact=True)
    assert np.array_equal(counts, expected_counts)


def test_measures_present_in_every_row_add_no_presence_pattern_to_the_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A measure present in every row tells no rows apart: with no value missing the key
    is the date and dimensions alone; one measure missing somewhere brings the pattern
    back, and both group as pandas does."""
    from planbook import grouping

    added: list[int] = []
    real_add = grouping._Key.add

    def add(self: Any, codes: np.ndarray, card: int, shift: int = 0, **kw: Any) -> None:
        added.append(card)
        real_add(self, codes, card, shift, **kw)

    monkeypatch.setattr(grouping._Key, "add", add)
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-09-01", "2026-09-02", "2026-09-01", "2026-09-01"]),
            "channel": pd.Categorical(["a", "b", "a", "a"]),
            "clicks": [1.0, 2.0, 3.0, 4.0],
            "spend": [0.5, 0.25, 0.125, 1.0],
        }
    )
    cube, counts = aggregate(frame, ("channel",), ("clicks", "spend"))
    assert added == [2, 3] and counts.tolist() == [3, 1]
    assert cube["clicks"].tolist() == [8.0, 2.0] and cube["spend"].tolist() == [1.625, 0.25]
    added.clear()
    frame.loc[2, "spend"] = np.nan
    cube, counts = aggregate(frame, ("channel",), ("clicks", "spend"))
    assert added == [2, 3, 4] and counts.tolist() == [2, 1, 1]
    expected, expected_counts = _reference(frame, ("channel",), ("clicks", "spend"))
    pd.testing.assert_frame_equal(cube, expected, check_exact=True)
    assert np.array_equal(counts, expected_counts)
