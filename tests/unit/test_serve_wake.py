"""`mkdocs serve`: a data file written asks MkDocs' server for the rebuild at once
(planbook.serve_wake), and the server stops polling the data folder then, so that one
edit is one rebuild. Checked against MkDocs' own LiveReloadServer (constructed, never
served), whichever MkDocs 1.6 is installed."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from mkdocs.livereload import LiveReloadServer

from planbook.serve_wake import RebuildAtOnce, rebuild_at_once
from planbook.sources.watch import DataWatch


@pytest.fixture
def servers():
    made: list[LiveReloadServer] = []

    def make(root: Path) -> LiveReloadServer:
        made.append(LiveReloadServer(lambda: None, host="127.0.0.1", port=0, root=str(root)))
        return made[-1]

    yield make
    for server in made:
        server.server_close()  # its socket (never bound)


def _until(ok, seconds: float = 10.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if ok():
            return True
        time.sleep(0.01)
    return ok()


def test_a_notification_asks_for_the_rebuild_and_ends_the_poll_of_the_folder(
    tmp_path: Path, servers
) -> None:
    data, docs = tmp_path / "data", tmp_path / "docs"
    data.mkdir()
    docs.mkdir()
    server = servers(tmp_path)
    server.watch(str(docs))
    server.watch(str(data))
    wake = rebuild_at_once(server, data, [docs])
    assert isinstance(wake, RebuildAtOnce)
    assert server._want_rebuild is False

    woken = threading.Event()

    def build_loop() -> None:  # what the server's loop waits on
        with server._rebuild_cond:
            if server._rebuild_cond.wait_for(lambda: server._want_rebuild, timeout=10):
                woken.set()

    waiter = threading.Thread(target=build_loop)
    waiter.start()
    time.sleep(0.05)
    wake(data / "ads.csv")
    waiter.join(timeout=10)
    assert woken.is_set()
    assert server._want_rebuild is True
    # the poll of data/ is over (it would ask for a second rebuild of the same edit);
    # docs/ is still polled
    assert str(data) not in server._watched_paths
    assert str(docs) in server._watched_paths
    server._want_rebuild = False
    wake(data / "ads.csv")  # the next ones: the flag only
    assert server._want_rebuild is True and wake.wakes == 2 and not wake.given_up


@pytest.mark.parametrize(
    ("polled", "why"),
    [
        (["."], "data/ is inside a folder the server polls anyway"),
        (["data/sub"], "a folder inside data/ stays polled"),
        (["data"], "data/ listed under watch: too"),
    ],
)
def test_no_early_rebuild_where_the_server_polls_the_folder_for_another_reason(
    tmp_path: Path, servers, monkeypatch: pytest.MonkeyPatch, polled: list[str], why: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data" / "sub").mkdir(parents=True)
    server = servers(tmp_path)
    assert rebuild_at_once(server, tmp_path / "data", polled) is None, why
    assert rebuild_at_once(server, tmp_path / "data", ["docs", "overrides"]) is not None


def test_no_early_rebuild_with_a_server_unlike_mkdocs_1_6(tmp_path: Path, servers) -> None:
    class Other:  # a server without the rebuild flag and condition this uses
        def watch(self, path: str) -> None: ...

        def unwatch(self, path: str) -> None: ...

    assert rebuild_at_once(Other(), tmp_path, []) is None
    server = servers(tmp_path)
    server._want_rebuild = None  # not the flag it is in 1.6
    assert rebuild_at_once(server, tmp_path, []) is None


def test_a_folder_the_server_cannot_stop_polling_is_left_to_the_poll(
    tmp_path: Path, servers
) -> None:
    server = servers(tmp_path)  # data/ was never watched: unwatch raises
    wake = RebuildAtOnce(server, tmp_path / "data")
    wake(tmp_path / "data" / "ads.csv")
    wake(tmp_path / "data" / "ads.csv")
    assert wake.given_up and wake.wakes == 0
    assert server._want_rebuild is False  # the poll asks, once, as before


def test_the_watch_tells_at_once_of_writes_and_removals(tmp_path: Path) -> None:
    at_once: list[Path] = []
    settled: list[Path] = []
    watch = DataWatch(tmp_path, settled.append, at_once.append)
    assert watch.start()
    path = tmp_path / "ads.csv"
    try:
        path.write_text("date,clicks\n", "utf-8")
        assert _until(lambda: path in at_once and path in settled)
        path.unlink()  # a file removed: the rebuild says it is missing
        assert _until(lambda: at_once.count(path) >= 3)  # created, modified, deleted
        time.sleep(0.2)
        n = len(settled)
        time.sleep(0.2)
        assert len(settled) == n  # nothing to read again after the removal
    finally:
        watch.stop()


def test_a_failing_at_once_call_does_not_stop_the_reads(tmp_path: Path) -> None:
    settled: list[Path] = []

    def broken(path: Path) -> None:
        raise RuntimeError("not a 1.6 server after all")

    watch = DataWatch(tmp_path, settled.append, broken)
    assert watch.start()
    try:
        (tmp_path / "a.csv").write_text("x\n", "utf-8")
        assert _until(lambda: tmp_path / "a.csv" in settled)
    finally:
        watch.stop()
