"""The `make bench` harness without building anything: the table from synthetic results,
the generated plan pages (every section, valid front matter and shortcodes), the three
kinds of site, the serve benchmark's CSV edit and the command line. Keeps the harness
from rotting while the engine changes under it."""

from __future__ import annotations

import csv
import io
import subprocess
from pathlib import Path

import pytest

from bench import report, run, serve, sites
from bench.bigdata import CAMPAIGNS_PER_CHANNEL, CHANNELS, DAYS, write_big_csv
from planbook.frontmatter import read_front_matter
from planbook.model import Plan, check_plan, validate
from planbook.project import DEFAULT_SECTIONS
from planbook.views.pages import KNOWN
from planbook.views.shortcodes import check_arguments, find


def _results(**over: object) -> dict:
    build = {
        "rows": 1_000_000,
        "pages": 200,
        "target": "build",
        "csv_mb": 70.0,
        "peer_rows": 50,
        "bare": {"seconds": 2.0, "peak_rss_kb": 40 * 1024},
        "planbook": {"seconds": 3.0, "peak_rss_kb": 240 * 1024},
        "charts": {"seconds": 3.8, "peak_rss_kb": 250 * 1024, "extra_peak_over_csv": 3.0},
        "peer": {"seconds": 2.5, "peak_rss_kb": 60 * 1024},
        "extra_peak_over_csv": 2.86,
    }
    big = {
        "rows": 5_000_000,
        "pages": 200,
        "target": "build_5m",
        "csv_mb": 350.0,
        "bare": {"seconds": 2.0, "peak_rss_kb": 1},
        "planbook": {"seconds": 4.2, "peak_rss_kb": 2},
    }
    serve_ = {
        "rows": 1_000_000,
        "pages": 200,
        "csv_edits": 20,
        "bare": {"page_edit_s": 2.0, "page_edit_build_s": 1.6, "rss_first_build_kb": 50 * 1024},
        "planbook": {
            "page_edit_s": 2.3,
            "page_edit_build_s": 2.0,
            "csv_edit_build_s": 1.1,
            "csv_edit_s": 1.5,
            "csv_edit_max_s": 2.6,
            "csv_edits": [{"reload_s": 1.5}] * 20,
            "rss_first_build_kb": 300 * 1024,
            "rss_after_csv_edits_kb": 320 * 1024,
            "rss_growth": 320 / 300,
        },
    }
    loader = {
        "rows": 1_000_000,
        "file_mb": 73.0,
        "repeat": 3,
        "planbook_s": 1 / 3,
        "pyarrow_s": 0.25,
        "planbook_rows_per_s": 3.0e6,
        "pyarrow_rows_per_s": 4.0e6,
        "ratio_vs_pyarrow": 0.75,
        "ratio_vs_pyarrow_best": 0.8,
        "first_read_planbook_s": 0.5,
        "first_read_pyarrow_s": 0.3,
        "first_read_ratio_vs_pyarrow": 0.6,
        "gbk_s": 0.5,
        "utf8_zh_s": 0.3,
        "gbk_vs_utf8": 0.5 / 0.3,
        "peak_rss_delta_mb": 150.0,
        "peak_rss_over_file": 2.05,
        "pyarrow_peak_rss_over_file": 1.5,
    }
    return {"build": [build, big], "serve": serve_, "loader": loader, **over}


def _table(results: dict) -> dict[str, list[str]]:
    """The Markdown table as {case: cells}, checking its shape on the way."""
    lines = report.markdown(report.rows_of(results)).splitlines()
    assert lines[0] == "| case | Planbook | bare | peer | ratio | target | met? | note |"
    rows = {}
    for line in lines[2:]:
        cells = [c.strip() for c in line.strip("|").split(" | ")]
        assert len(cells) == 8, line
        rows[cells[0]] = cells
    return rows


def test_table_has_every_target_with_its_verdict() -> None:
    rows = _table(_results())
    build = rows["build, 200 plans, 1M rows, every section"]
    assert build[1:] == ["3.00 s", "2.00 s", "2.50 s", "1.50×", "≤ 1.5×", "yes", ""]
    charts = rows["build with charts, 200 plans, 1M rows"]
    assert charts[4:] == ["1.90×", "≤ 1.8×", "**no**", "peak 250 MB, 3.00× CSV above bare"]
    assert rows["build, 200 plans, 5M rows, every section"][4:7] == ["2.10×", "≤ 2×", "**no**"]
    memory = rows["peak memory above bare, 200 plans, 1M rows (CSV 70 MB)"]
    assert memory[1:3] == ["240 MB", "40 MB"] and memory[5:] == ["≤ 3× CSV", "yes", "2.86× CSV"]
    peer = rows["peer: table-reader, 50-row table per page, 200 plans, 1M rows"]
    assert peer[3:5] == ["2.50 s", "1.25×"]  # peer / bare, no target of its own
    assert rows["serve, edit a plan page → reload, 200 plans, 1M rows"][4:] == [
        "1.15×",
        "≤ 1.2×",
        "yes",
        "build alone 2.00 s vs 1.60 s = 1.25×",
    ]
    csv_edit = rows["serve, edit one CSV row → reload (median of 20)"]
    assert csv_edit[1] == "1.50 s" and csv_edit[5:7] == ["≤ 2 s", "yes"]
    assert csv_edit[7] == "slowest 2.60 s; build alone 1.10 s"
    memory = rows["serve, resident memory after 20 CSV edits / after the first build"]
    assert memory[1] == "320 MB / 300 MB" and memory[4:7] == ["1.07×", "≤ 1.1×", "yes"]
    # the target is the first read's (a fresh interpreter each); the warm reads beside it
    first = rows["loader first read vs pyarrow.csv.read_csv, 1M rows, 73 MB UTF-8"]
    assert first[1:7] == ["2.00 M rows/s", "3.33 M rows/s", "—", "0.60×", "≥ 0.7×", "**no**"]
    assert first[7] == (
        "each in a fresh interpreter, imports before the clock: 0.500 s vs 0.300 s "
        "(median of 3); bare column: pyarrow"
    )
    warm = rows["loader warm reads vs pyarrow.csv.read_csv, 1M rows, 73 MB UTF-8"]
    assert warm[1:7] == ["3.00 M rows/s", "4.00 M rows/s", "—", "0.75×", "—", "—"]
    assert warm[7] == (
        "later reads in one process, interleaved: 0.333 s vs 0.250 s "
        "(median of 3; best of each 0.80×); bare column: pyarrow"
    )
    assert rows["loader, GBK file vs its UTF-8 twin"][4:7] == ["1.67×", "≤ 1.5×", "**no**"]


def test_table_shows_failures_and_missing_figures() -> None:
    results = _results()
    results["serve"]["planbook"] = {
        "page_edit_s": 2.3,
        "csv_edits": [],
        "rss_first_build_kb": 1024,
        "error": "CSV edit 1: the rebuild failed (AssertionError: x)\nlog tail",
    }
    results["build"][0]["charts"] = {"error": "build of charts failed: | boom\ntraceback"}
    rows = _table(results)
    csv_edit = rows["serve, edit one CSV row → reload (median of 20)"]
    assert csv_edit[1] == "—" and csv_edit[6] == "**failed**"
    assert "Planbook: CSV edit 1: the rebuild failed (AssertionError: x)" in csv_edit[7]
    assert "log tail" not in csv_edit[7]
    charts = rows["build with charts, 200 plans, 1M rows"]
    assert charts[1] == "—" and charts[6] == "**failed**"
    assert "charts: build of charts failed: \\| boom" in charts[7]  # a pipe stays in its cell
    # results of a run that took no first reads: no figure, no verdict on that row
    older = {k: v for k, v in results["loader"].items() if not k.startswith("first_read")}
    first = _table({"loader": older})[
        "loader first read vs pyarrow.csv.read_csv, 1M rows, 73 MB UTF-8"
    ]
    assert first[1:7] == ["—", "—", "—", "—", "≥ 0.7×", "—"] and "— vs —" in first[7]
    # parts that did not run leave no rows
    assert not [c for c in _table({"loader": results["loader"]}) if c.startswith("build")]


@pytest.mark.parametrize(
    ("target", "value", "met"),
    [
        (report.Target("<=", 1.5), 1.5, True),
        (report.Target("<=", 1.5), 1.5001, False),
        (report.Target(">=", 0.7), 0.7, True),
        (report.Target(">=", 0.7), 0.69, False),
        (report.Target("<=", 2.0, " s"), None, None),
    ],
)
def test_target_bounds(target: report.Target, value: float | None, met: bool | None) -> None:
    assert target.met(value) is met


def test_plan_page_places_every_section_and_every_chart() -> None:
    page = sites.plan_page(7, charts=True)
    fm = read_front_matter(page, "docs/plans/plan-007.md")
    _, calls = find(fm.body, KNOWN, file="p.md", first_line=fm.body_line, token_prefix="T")
    names = [c.name for c in calls]
    assert not [d for c in calls for d in (*c.diagnostics, *check_arguments(c, "p.md"))]
    assert len(names) == len(sites.SECTIONS_PLACED) + len(sites.CHARTS_PLACED)
    missing = set(DEFAULT_SECTIONS) - set(names) - set(sites.SECTIONS_LEFT_OUT)
    assert not missing, f"the bench plan page does not place {sorted(missing)}"
    assert "report" in names
    from planbook.views.charts import CHARTS

    assert set(CHARTS) - {"goal_chart"} <= set(names)  # goal_charts draws every goal_chart
    plain = sites.plan_page(7)
    assert not {"goal_charts", "kpi_trend"} & {
        c.name for c in find(plain, KNOWN, file="p.md", first_line=1, token_prefix="T")[1]
    }


@pytest.mark.parametrize("i", [0, 7, 199])
def test_plan_page_front_matter_is_a_valid_plan(i: int) -> None:
    fm = read_front_matter(sites.plan_page(i), f"plan-{i}.md")
    assert fm.diagnostics == []
    plan, diags = validate(
        Plan, fm.data["plan"], file="p.md", locations=fm.locations, prefix=("plan",)
    )
    assert diags == [] and plan is not None
    assert check_plan(plan, file="p.md", locations=fm.locations) == []
    assert plan.id == f"bench-{i:03d}"
    # bench_warehouse.make_site points the plans elsewhere by replacing this line
    assert "metrics: [data/big.csv]" in sites.plan_page(i)


def test_posts_csv_covers_the_cadence_channels() -> None:
    rows = list(csv.DictReader(io.StringIO(sites.posts_csv())))
    assert {r["渠道"] for r in rows} == set(sites.POSTS_CHANNELS)
    assert all(r["发布时间"][:4] in ("2026", "2027") for r in rows)
    assert len(rows) > 4 * 100  # about one post every 2.5 days on each channel


def test_sites_of_each_kind(tmp_path: Path) -> None:
    data = write_big_csv(tmp_path / "big.csv", 300)
    pages = run.QUICK.pages
    planbook = sites.make_site(tmp_path / "p", pages, data, True)
    bare = sites.make_site(tmp_path / "b", pages, data, False)
    peer = sites.make_site(tmp_path / "peer", pages, data, False, kind="peer")
    charts = sites.make_site(tmp_path / "c", pages, data, True, True, copy_csv=True)
    for site in (planbook, bare, peer, charts):
        assert len(list((site / "docs" / "plans").glob("plan-*.md"))) == pages
        assert (site / "data" / "posts.csv").is_file()
    assert "- planbook" in (planbook / "mkdocs.yml").read_text("utf-8")
    assert "planbook" not in (bare / "mkdocs.yml").read_text("utf-8")
    assert "- table-reader" in (peer / "mkdocs.yml").read_text("utf-8")
    table = (peer / "data" / "peer.csv").read_text("utf-8").splitlines()
    assert len(table) == sites.PEER_ROWS + 1 and table[0].startswith("date,channel")
    assert "{{ read_csv('data/peer.csv') }}" in (peer / "docs/plans/plan-000.md").read_text("utf-8")
    # the same page text on the Planbook and bare sites: only the plugin differs
    page = "docs/plans/plan-003.md"
    assert (planbook / page).read_text("utf-8") == (bare / page).read_text("utf-8")
    assert "funnel_chart" in (charts / page).read_text("utf-8")
    # linked where it is only read, copied where `mkdocs serve` edits it
    assert (planbook / "data" / "big.csv").stat().st_ino == data.stat().st_ino
    assert (charts / "data" / "big.csv").stat().st_ino != data.stat().st_ino


def test_quick_sizes_still_cover_every_channel() -> None:
    assert run.QUICK.rows >= len(CHANNELS) * CAMPAIGNS_PER_CHANNEL * DAYS
    assert run.QUICK.pages <= 10 and run.QUICK.many_pages <= 50
    assert run.FULL.rows == 1_000_000 and run.FULL.pages == 200
    assert (run.FULL.big_rows, run.FULL.many_pages, run.FULL.csv_edits) == (5_000_000, 1000, 20)


def test_csv_edit_changes_two_digits_in_place(tmp_path: Path) -> None:
    data = write_big_csv(tmp_path / "big.csv", 300)
    before = data.read_bytes()
    offset, cents = serve.revenue_cents_offset(data)
    serve.edit_csv(data, offset, cents + 7)
    after = data.read_bytes()
    assert len(after) == len(before)
    changed = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert changed and set(changed) <= {offset, offset + 1}
    line = after.splitlines()[serve.CSV_LINE].decode()
    assert line.endswith(f".{(cents + 7) % 100:02d}")
    with pytest.raises(ValueError, match="fewer than"):
        serve.revenue_cents_offset(data, line_no=10_000)


def test_only_parses_parts_and_aliases() -> None:
    assert run.parse_only(None) == list(run.PARTS)
    assert run.parse_only("serve, data") == ["serve", "loader"]
    assert run.parse_only("all") == list(run.PARTS + run.EXTRAS)
    with pytest.raises(SystemExit, match="unknown part 'bulid'"):
        run.parse_only("bulid")


def _meta(**over: object) -> dict:
    return {
        "commit": "abc1234",
        "date": "2026-11-24 15:00 UTC",
        "cpus": 2,
        "load_before": "1.0",
        "python": "3.11",
        "sizes": {"repeat": 3, "big_repeat": 1},
        "elapsed_s": 12.0,
        **over,
    }


def test_document_notes_quick_runs_and_a_missing_peer() -> None:
    meta = _meta(quick=True)
    text = run.document(_results(peer_skipped="not installed here"), meta)
    assert text.startswith("# make bench\n")
    assert "medians of 3 (small) / 1 (big)" in text and "12 s in all" in text
    assert "`--quick`" in text and "peer not run: not installed here" in text
    assert "| build, 200 plans, 1M rows, every section |" in text


def test_builds_run_from_bytecode_like_an_installed_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bare build runs MkDocs from the bytecode pip wrote at install; Planbook's side must
    not recompile this tree in every build because the shell says PYTHONDONTWRITEBYTECODE."""
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.setenv("PYTHONPATH", "/elsewhere")
    env = serve.child_env()
    assert "PYTHONDONTWRITEBYTECODE" not in env
    assert env["PYTHONPATH"].split(":")[1] == "/elsewhere"
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("", "utf-8")
    (package / "sub" / "mod.py").write_text("X = 1\n", "utf-8")
    assert serve.compile_tree(package) == 2
    assert len(list(package.rglob("__pycache__/*.pyc"))) == 2


def test_document_says_the_tree_was_compiled() -> None:
    meta = _meta(compiled_modules=120)
    head = run.document(_results(), meta).splitlines()[2]
    assert head.endswith(
        "Planbook's 120 modules compiled to bytecode before timing, as an installed package is"
    )


def test_no_two_bench_plans_draw_the_same_figures() -> None:
    """Caches keyed by a section's inputs must not hit across bench plans more often
    than across a real site's: every plan has its own budget and goal figures."""
    budgets, goals = set(), set()
    for i in range(1000):
        plan = read_front_matter(sites.plan_page(i), f"plan-{i}.md").data["plan"]
        budgets.add(repr(plan["budget"]))
        goals.add(repr(plan["goals"]))
        assert sum(a["share"] for a in plan["budget"]["allocations"]) == pytest.approx(1)
    assert len(budgets) == 1000 and len(goals) == 1000


def test_first_reads_each_in_a_fresh_interpreter(tmp_path: Path) -> None:
    """The loader bench's first-read figure: each side reads the file in an interpreter
    of its own (the script fails unless the read gave rows), timed after its imports;
    medians of the rounds, a peak beside each."""
    from bench import bench_data

    path = tmp_path / "data" / "big.csv"
    path.parent.mkdir()
    write_big_csv(path, 3000)
    first = bench_data._first_reads(path, tmp_path, 1)
    assert set(first) == {"planbook", "pyarrow"}
    assert all(peak >= 0 and 0 < s < 60 for peak, s in first.values())
    peak, seconds = bench_data._fresh(path, tmp_path, "planbook")
    assert peak >= 0 and seconds > 0
    empty = tmp_path / "data" / "empty.csv"
    empty.write_text("date,channel,spend\n", "utf-8")
    with pytest.raises(subprocess.CalledProcessError):  # no rows: the script says so
        bench_data._fresh(empty, tmp_path, "planbook")


def test_the_loader_bench_takes_its_peaks_from_the_first_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The peak memory of each side is measured by the runs that time its first read:
    2 x repeat fresh interpreters for both figures, and one more for the GBK twin's peak
    (each figure had runs of its own before)."""
    from bench import bench_data

    runs: list[tuple[str, str, int, float]] = []
    fresh = bench_data._fresh

    def counted(path: Path, root: Path, what: str) -> tuple[int, float]:
        peak, seconds = fresh(path, root, what)
        runs.append((path.name, what, peak, seconds))
        return peak, seconds

    monkeypatch.setattr(bench_data, "_fresh", counted)
    result = bench_data.run(tmp_path, rows=2000, repeat=2)
    plain = [r for r in runs if r[0] == "big-2000.csv"]
    assert sorted(r[1] for r in plain) == ["planbook", "planbook", "pyarrow", "pyarrow"]
    assert [r[:2] for r in runs if r not in plain] == [("big-2000-zh-gbk.csv", "planbook")]
    ours = [r for r in plain if r[1] == "planbook"]
    size = (tmp_path / "data" / "big-2000.csv").stat().st_size
    peak = int(sum(r[2] for r in ours) / 2)  # the median of two
    assert result["peak_rss_delta_mb"] == pytest.approx(peak / 1e6)
    assert result["peak_rss_over_file"] == pytest.approx(peak / size)
    assert result["first_read_planbook_s"] == sum(r[3] for r in ours) / 2
    pa = [r for r in plain if r[1] == "pyarrow"]
    assert result["first_read_ratio_vs_pyarrow"] == pytest.approx(
        sum(r[3] for r in pa) / sum(r[3] for r in ours)
    )


def test_each_rounds_ratio_to_its_own_bare_build_is_shown_beside_the_medians() -> None:
    """On a machine whose speed drifts the ratio of the medians moves with it; the
    ratio of each round's build to the bare build of the same round says how far."""
    mine = [{"seconds": 2.11}, {"seconds": 2.25}, {"seconds": 2.42}]
    bare = [{"seconds": 1.41}, {"seconds": 1.45}, {"seconds": 1.91}]
    paired = run._paired(mine, bare)
    assert paired["paired_ratio"] == pytest.approx(2.11 / 1.41)
    assert paired["paired_low"] == pytest.approx(2.42 / 1.91)
    assert paired["paired_high"] == pytest.approx(2.25 / 1.45)
    assert run._paired([{"seconds": None}], bare) == {}

    results = _results()
    results["build"][0]["planbook"].update(paired_ratio=1.44, paired_low=1.27, paired_high=1.55)
    results["build"][0]["charts"].update(paired_ratio=1.7, paired_low=1.5, paired_high=1.9)
    rows = _table(results)
    assert rows["build, 200 plans, 1M rows, every section"][7] == "per round 1.44× (1.27-1.55)"
    assert rows["build with charts, 200 plans, 1M rows"][7] == (
        "per round 1.70× (1.50-1.90); peak 250 MB, 3.00× CSV above bare"
    )


def test_serve_edits_fall_at_the_same_varied_points_of_the_watchers_cycle(monkeypatch) -> None:
    """Each timed edit waits the settling pause and a part of the watcher's polling
    interval, from one seeded sequence: the bare and the Planbook server see the same
    pauses, and a fixed one no longer lines up with the watcher's cycle."""
    import random

    slept: list[float] = []

    class Fake:
        rebuilds = 0

        def idle(self, what: str) -> None:
            pass

        def wait_for(self, text: str, what: str) -> float:
            self.rebuilds += 1
            return 10.0

        def last_build_s(self) -> float:
            return 1.5

        def rss_kb(self) -> int:
            return 1

    monkeypatch.setattr(serve.time, "sleep", slept.append)
    monkeypatch.setattr(serve.time, "monotonic", lambda: 8.0)
    jitter = random.Random(12).uniform
    pauses = [jitter(0, serve.POLL_S) for _ in range(3)]
    for k, pause in enumerate(pauses):
        out = serve._timed_edit(Fake(), lambda: None, f"edit {k}", 1.0, pause)  # type: ignore[arg-type]
        assert out == {"reload_s": 2.0, "build_s": 1.5, "rss_kb": 1}
    assert slept == [1.0 + p for p in pauses]
    assert len(set(pauses)) == 3 and all(0 <= p < serve.POLL_S for p in pauses)
