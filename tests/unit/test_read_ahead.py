"""A plan's data files start loading when its page is read (DataStore.read_ahead,
sources/ahead.py; issue 12: the parse fills the core the front-matter reading leaves
idle). The file is parsed once, the table and what it says are the ones a plain load
gives, and a read-ahead that fails leaves the load to fail in its usual place."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from planbook import data as data_module
from planbook.data import DataStore
from planbook.model import MetricSource
from planbook.project import Project, Settings
from planbook.sources.ahead import ReadAhead
from planbook.sources.table import ReadOptions
from planbook.sources.watch import DataWatch

CSV = (
    "date,channel,campaign,clicks,spend\n"
    "2026-09-01,sem,a,10,1.50\n"
    "2026-09-02,sem,a,12,\n"  # a missing spend: said the same either way
    "2026-09-03,feed,b,x,2.00\n"  # a bad number: said the same either way
    "合计,,,22,3.50\n"
)


@pytest.fixture(autouse=True)
def _any_size(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """These files are small: read ahead all the same (but in the test of the bound)."""
    if "bound" not in request.node.name:
        monkeypatch.setattr(data_module, "READ_AHEAD_MIN", 0)


def test_files_below_the_bound_are_left_to_the_plans_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _store(tmp_path)
    size = (tmp_path / "data" / "m.csv").stat().st_size
    assert size < data_module.READ_AHEAD_MIN
    assert store.read_ahead(["data/m.csv"]) == 0
    monkeypatch.setattr(data_module, "READ_AHEAD_MIN", size)  # the bound itself: read ahead
    assert store.read_ahead(["data/m.csv"]) == 1
    store.load(Path("data/m.csv"))
    assert store.parse_count == 1


def _said(table: data_module.Table) -> list[tuple]:
    return [(d.file, d.line, d.field, d.rule, str(d.message)) for d in table.diagnostics]


def _store(root: Path) -> DataStore:
    (root / "data").mkdir(parents=True, exist_ok=True)
    (root / "data" / "m.csv").write_text(CSV, "utf-8")
    return DataStore(root)


def test_a_file_read_ahead_is_parsed_once_and_loads_as_a_plain_load_does(
    tmp_path: Path,
) -> None:
    plain = _store(tmp_path / "plain")
    expected = plain.load(Path("data/m.csv"))

    store = _store(tmp_path / "ahead")
    assert store.read_ahead(["data/m.csv"]) == 1
    assert store.read_ahead(["data/m.csv"]) == 0  # under way: not twice
    table = store.load(Path("data/m.csv"))
    assert store.parse_count == 1
    assert len(store.ahead) == 0
    assert table.frame.equals(expected.frame)
    assert _said(table) == _said(expected)
    assert table.digest == expected.digest
    # parsed and unchanged: nothing to read ahead
    assert store.read_ahead(["data/m.csv"]) == 0


def test_read_ahead_takes_each_sources_own_options_and_skips_what_gather_reports(
    tmp_path: Path,
) -> None:
    store = _store(tmp_path)
    (tmp_path / "data" / "t.parquet").write_bytes(b"not parquet")
    sources = [
        MetricSource(path="data/m.csv", decimal=","),
        "data/nothing-*.csv",  # finds nothing: gather says so
        "data/t.parquet",  # aggregated per plan's needs by DuckDB, not read ahead
        "../outside.csv",  # outside data/: gather says so
    ]
    assert store.read_ahead(sources) == 1
    store.load(Path("data/m.csv"), ReadOptions(decimal=","))
    assert store.parse_count == 1
    store.load(Path("data/m.csv"))  # other options: another table
    assert store.parse_count == 2


def test_a_read_ahead_that_fails_leaves_the_load_to_say_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _store(tmp_path)
    real = data_module._parse
    calls: list[str] = []

    def flaky(*args: object, **kwargs: object) -> data_module.Table:
        calls.append(threading.current_thread().name)
        if len(calls) == 1:
            raise MemoryError("the read-ahead ran out")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(data_module, "_parse", flaky)
    assert store.read_ahead(["data/m.csv"]) == 1
    table = store.load(Path("data/m.csv"))
    assert calls[0].startswith("planbook-ahead")
    assert not calls[1].startswith("planbook-ahead")
    assert table.ok and len(table.frame) == 2  # the bad number and the total excluded

    monkeypatch.setattr(
        data_module,
        "_parse",
        lambda *a, **k: (_ for _ in ()).throw(OSError(5, "Input/output error")),
    )
    (tmp_path / "data" / "m.csv").write_text(CSV + "2026-09-04,sem,a,1,1\n", "utf-8")
    assert store.read_ahead(["data/m.csv"]) == 1
    table = store.load(Path("data/m.csv"))
    assert [d.rule for d in table.diagnostics] == ["data/unreadable"]


def test_reading_a_plan_page_starts_its_files_and_the_build_waits_for_them(
    tmp_path: Path,
) -> None:
    (tmp_path / "docs").mkdir()
    store_root = tmp_path
    _store(store_root)
    (tmp_path / "docs" / "p.md").write_text(
        "---\nplan:\n  id: p\n  owner: t\n  status: draft\n"
        "  period: {start: 2026-09-01, end: 2026-09-30}\n"
        "  metrics: [data/m.csv]\n"
        "  goals:\n    - {id: g, statement: s, kpi: clicks, baseline: 0, target: 100,"
        " deadline: 2026-09-30}\n---\n# p\n",
        "utf-8",
    )
    project = Project(Settings(root=tmp_path, docs_dir=tmp_path / "docs"))
    project.begin_build()
    started: list[tuple] = []
    real_start = ReadAhead.start

    def spy(self: ReadAhead, key: object, load: object) -> bool:
        started.append(key)  # type: ignore[arg-type]
        return real_start(self, key, load)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(ReadAhead, "start", spy)
        project.scan()
    assert started == [("data/m.csv", ReadOptions())]
    view = project.evaluate(project.plans["p"])
    assert view is not None and view.goals[0].actual == 22
    assert project.store.parse_count == 1
    assert len(project.store.ahead) == 0


def test_finish_waits_for_every_read_ahead() -> None:
    ahead = ReadAhead()
    gate = threading.Event()
    done: list[int] = []

    def slow() -> None:
        gate.wait(5)
        done.append(1)

    assert ahead.start("k", slow)
    gate.set()
    ahead.finish()
    assert done == [1]
    assert len(ahead) == 0
    ahead.wait("k")  # nothing pending: returns at once


def _until(done: Callable[[], bool], seconds: float = 10.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if done():
            return True
        time.sleep(0.02)
    return done()


def test_a_file_written_is_read_again_with_each_of_its_options(tmp_path: Path) -> None:
    store = _store(tmp_path)
    csv = tmp_path / "data" / "m.csv"
    store.load(Path("data/m.csv"))
    store.load(Path("data/m.csv"), ReadOptions(decimal="."))
    (tmp_path / "data" / "other.csv").write_text(CSV, "utf-8")
    assert store.parse_count == 2
    assert store.read_again(csv) == 0  # unchanged
    assert store.read_again(tmp_path / "data" / "other.csv") == 0  # never read: left alone
    csv.write_text(CSV.replace("10,1.50", "11,1.50"), "utf-8")
    assert store.read_again(csv) == 2
    assert store.load(Path("data/m.csv")).frame["clicks"].iloc[0] == 11
    assert store.load(Path("data/m.csv"), ReadOptions(decimal=".")).frame["clicks"].iloc[0] == 11
    assert store.parse_count == 4  # each read once more, by the read-ahead
    # written again once that read has ended: read again
    csv.write_text(CSV.replace("10,1.50", "12,1.50"), "utf-8")
    assert store.read_again(csv) == 2
    store.ahead.finish()
    assert store.load(Path("data/m.csv")).frame["clicks"].iloc[0] == 12


def test_the_watch_reports_files_written_under_the_data_folder(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    seen: list[Path] = []
    watch = DataWatch(tmp_path, seen.append)
    if not watch.start():
        pytest.fail("watchdog could not watch a temporary folder")
    try:
        (tmp_path / "sub" / "a.csv").write_text("x\n", "utf-8")
        assert _until(lambda: tmp_path / "sub" / "a.csv" in seen)
        (tmp_path / "b.tmp").write_text("y\n", "utf-8")
        (tmp_path / "b.tmp").rename(tmp_path / "b.csv")  # an editor's save: moved in place
        assert _until(lambda: tmp_path / "b.csv" in seen)
    finally:
        watch.stop()
    assert watch.start() and watch.start()  # again, once
    watch.stop()


def test_a_failing_callback_does_not_stop_the_watch(tmp_path: Path) -> None:
    seen: list[Path] = []

    def changed(path: Path) -> None:
        seen.append(path)
        raise OSError("the file went away")

    watch = DataWatch(tmp_path, changed)
    assert watch.start()
    try:
        (tmp_path / "a.csv").write_text("x\n", "utf-8")
        assert _until(lambda: tmp_path / "a.csv" in seen)
        (tmp_path / "b.csv").write_text("x\n", "utf-8")
        assert _until(lambda: tmp_path / "b.csv" in seen)
    finally:
        watch.stop()


def test_a_file_written_in_pieces_is_reported_once_it_settles(tmp_path: Path) -> None:
    """A save is a truncation and writes, each an event: a read between them parses a
    part of the file, then the whole again (a flaky serve test showed the extra parse)."""
    seen: list[Path] = []
    watch = DataWatch(tmp_path, seen.append)
    assert watch.start()
    path = tmp_path / "a.csv"
    try:
        with path.open("w", encoding="utf-8") as f:
            for i in range(20):
                f.write(f"2026-09-{i + 1:02d},sem,{i}\n")
                f.flush()  # an event each
        assert _until(lambda: path in seen)
        time.sleep(0.3)
    finally:
        watch.stop()
    # one call once the writes stopped (two if the machine stalled the writer for longer
    # than the settling time between two writes); without it, one per event (40 or more)
    assert 1 <= seen.count(path) <= 2
