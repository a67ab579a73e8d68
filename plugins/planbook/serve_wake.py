"""`mkdocs serve`: a data file written starts the rebuild at once, not at the next poll.

MkDocs' server (1.6) finds changes by polling the watched folders every half second,
then waits a tenth of a second without changes and rebuilds: a CSV edit waited 0.05-0.6 s
(0.35 s on average) before its rebuild began. Planbook already watches ``data/`` with
the operating system's notifications (:mod:`.sources.watch`, to read the file again at
once); :class:`RebuildAtOnce` hands each of those notifications to the server the way
its own poll does (its rebuild flag, under its condition), so the rebuild starts a tenth
of a second after the last write.

Two rebuilds for one edit must never happen: the poll would notice the same change
during the rebuild the notification started, and ask for another. So the server stops
polling ``data/`` (its public ``unwatch``) at the first notification, which proves that
notifications arrive for that folder. Where they never arrive (a network drive, a
folder shared into a container: the reason MkDocs polls), the poll goes on as before.
Nothing is done where the server polls the folder for another reason too (it is inside
``docs_dir`` or under a ``watch:`` path, which an ``unwatch`` would not end), or where
the server lacks what this uses (a MkDocs other than 1.6, whose server may differ).

Nothing here imports MkDocs: the server is used through the names above only.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

__all__ = ["RebuildAtOnce", "rebuild_at_once"]

log = logging.getLogger("mkdocs.plugins.planbook")


class RebuildAtOnce:
    """Called with each file written, created, moved or removed under ``folder`` (on the
    watch's thread): asks ``server`` for a rebuild now, as its poll would later."""

    def __init__(self, server: Any, folder: Path) -> None:
        self.server = server
        self.folder = folder
        self.polled = True  # until the first notification: then the poll is ended
        self.given_up = False  # the poll could not be ended: it goes on alone
        self.wakes = 0
        self._lock = threading.Lock()

    def __call__(self, path: Path) -> None:
        with self._lock:
            if self.given_up:
                return
            if self.polled:
                try:
                    self.server.unwatch(str(self.folder))
                except Exception:  # not as expected: leave the server's poll as it is
                    log.debug("planbook: %s stays polled", self.folder, exc_info=True)
                    self.given_up = True
                    return
                self.polled = False
                log.debug("planbook: %s is watched by notification, not polled", self.folder)
            self.wakes += 1
        condition = self.server._rebuild_cond
        with condition:
            self.server._want_rebuild = True
            condition.notify_all()


def rebuild_at_once(
    server: Any, folder: Path, polled: Iterable[str | Path]
) -> RebuildAtOnce | None:
    """A :class:`RebuildAtOnce` for ``folder``, or ``None`` where it must not be used:
    ``server`` lacks a 1.6 server's rebuild flag, condition or ``unwatch``, or ``folder``
    and one of the other paths the server polls (``polled``: ``docs_dir``, ``watch:``
    entries and Planbook's own) are one inside the other."""
    needed = ("_rebuild_cond", "_want_rebuild", "unwatch")
    if not all(hasattr(server, name) for name in needed):
        return None
    if not isinstance(getattr(server, "_want_rebuild", None), bool):
        return None
    here = folder.resolve()
    for other in polled:
        there = Path(other).resolve()
        if here == there or there in here.parents or here in there.parents:
            return None
    return RebuildAtOnce(server, folder)
