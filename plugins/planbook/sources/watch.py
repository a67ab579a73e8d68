"""`mkdocs serve`: a data file written is read again at once, before the rebuild asks.

MkDocs' server notices a change by polling the watched folders (every half second),
waits a tenth of a second for more changes, then loads the configuration and starts
the rebuild, which reads the page files before it gets to the data. A file that the
store has parsed before starts its new read on the read-ahead thread
(:mod:`.ahead`) as soon as the operating system says it was written (inotify on
Linux, FSEvents on macOS), so the rebuild finds it parsed, or nearly (issue 12: the
200-plan bench site's CSV edit). Only files already read are read again, with the
options they were read with; any other change is left to the rebuild. Where no
notification comes (a network drive, a platform watchdog cannot watch), the rebuild
reads the file itself, as before.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["DataWatch"]

log = logging.getLogger(__name__)


# Seconds a file must stay unwritten before it is read again: a save is a truncation
# and one or more writes, each an event, and a read between them parses a part of the
# file (then the whole of it again). MkDocs' server waits 0.1 s after the last change
# before it rebuilds, after a poll of up to half a second.
SETTLE = 0.05


class DataWatch:
    """Watches ``folder`` and calls ``changed(path)`` for each file written, created or
    moved there, once it has settled (:data:`SETTLE`; on a timer's thread: it must only
    start work, not do it); and ``at_once(path)``, if given, at each change of a file
    there, removals too, as it comes (on the watch's thread; `mkdocs serve`: the
    rebuild is asked for then, :mod:`planbook.serve_wake`)."""

    def __init__(
        self,
        folder: Path,
        changed: Callable[[Path], object],
        at_once: Callable[[Path], object] | None = None,
    ) -> None:
        self.folder = folder
        self._changed = changed
        self._at_once = at_once
        self._observer: Any = None
        self._timers: dict[Path, threading.Timer] = {}
        self._lock = threading.Lock()

    def _event(self, path: Path) -> None:
        """A change of ``path``: its call waits until the file settles."""
        with self._lock:
            waiting = self._timers.pop(path, None)
            if waiting is not None:
                waiting.cancel()
            timer = threading.Timer(SETTLE, self._settled, (path,))
            timer.daemon = True
            self._timers[path] = timer
            timer.start()

    def _settled(self, path: Path) -> None:
        with self._lock:
            self._timers.pop(path, None)
        try:
            self._changed(path)
        except Exception:  # the rebuild reads the file itself and says what is wrong
            log.debug("planbook: reading %s ahead failed", path, exc_info=True)

    def start(self) -> bool:
        """Start watching; whether it could."""
        if self._observer is not None:
            return True
        try:
            from watchdog.events import FileSystemEventHandler
            from watchdog.observers import Observer
        except ImportError:  # pragma: no cover - watchdog comes with MkDocs
            return False
        event, at_once = self._event, self._at_once

        class _Handler(FileSystemEventHandler):  # type: ignore[misc]
            def on_any_event(self, e: Any) -> None:
                # (a file opened or closed unwritten is not a change; a folder's events
                # come with its files')
                if e.is_directory or e.event_type in ("opened", "closed_no_write"):
                    return
                path = getattr(e, "dest_path", "") or e.src_path
                where = Path(path if isinstance(path, str) else path.decode())
                if at_once is not None:
                    try:
                        at_once(where)
                    except Exception:  # the server's own poll is still there
                        log.debug("planbook: %s: no rebuild asked", where, exc_info=True)
                if e.event_type != "deleted":  # nothing to read again
                    event(where)

        observer = Observer()
        observer.daemon = True
        try:
            observer.schedule(_Handler(), str(self.folder), recursive=True)
            observer.start()
        except Exception:  # no watches left (inotify's limit), a folder gone: no harm
            log.debug("planbook: cannot watch %s", self.folder, exc_info=True)
            return False
        self._observer = observer
        return True

    def stop(self) -> None:
        """Stop watching (the end of a `mkdocs serve` session)."""
        observer, self._observer = self._observer, None
        if observer is not None:
            observer.stop()
            observer.join(timeout=2)
        with self._lock:
            timers, self._timers = list(self._timers.values()), {}
        for timer in timers:
            timer.cancel()
