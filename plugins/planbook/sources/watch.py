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
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["DataWatch"]

log = logging.getLogger(__name__)


class DataWatch:
    """Watches ``folder`` and calls ``changed(path)`` for each file written, created or
    moved there (on the watcher's thread: it must only start work, not do it)."""

    def __init__(self, folder: Path, changed: Callable[[Path], object]) -> None:
        self.folder = folder
        self._changed = changed
        self._observer: Any = None

    def start(self) -> bool:
        """Start watching; whether it could."""
        if self._observer is not None:
            return True
        try:
            from watchdog.events import FileSystemEventHandler
            from watchdog.observers import Observer
        except ImportError:  # pragma: no cover - watchdog comes with MkDocs
            return False
        changed = self._changed

        class _Handler(FileSystemEventHandler):  # type: ignore[misc]
            def on_any_event(self, event: Any) -> None:
                if event.is_directory or event.event_type in ("deleted", "opened"):
                    return
                path = getattr(event, "dest_path", "") or event.src_path
                try:
                    changed(Path(path if isinstance(path, str) else path.decode()))
                except Exception:  # the rebuild reads the file itself and says what is wrong
                    log.debug("planbook: reading %s ahead failed", path, exc_info=True)

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
