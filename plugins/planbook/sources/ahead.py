"""Files read ahead: a plan's data files start loading on a thread of their own as soon
as its page is read, while the build reads the other pages' front matter.

A build reads every page's front matter before it makes any cube (persona pages and
the site's dimensions must be known first), one core busy with YAML while the other
waits. The parse of a large file (pyarrow on worker threads, :mod:`.reader`) fills
that core: on the 200-plan bench site over 5M rows the file is mostly read by the
time the last page is (issue 12). A load asked for while its read-ahead runs waits
for it, then finds the table cached: a file is never parsed twice for this, and
what the load says (its table's diagnostics) is the same either way.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

__all__ = ["ReadAhead"]


class ReadAhead:
    """Loads started ahead, one at a time (each parse has threads of its own), keyed
    by what the store caches them by."""

    def __init__(self) -> None:
        self._pool: ThreadPoolExecutor | None = None
        self._pending: dict[Hashable, Future[Any]] = {}
        self._lock = threading.Lock()

    def start(self, key: Hashable, load: Callable[[], Any]) -> bool:
        """Run ``load()`` on the read-ahead thread, unless ``key`` is already under way
        (a read of it that has ended is started again: the file was written since).
        Whether it was started."""
        with self._lock:
            running = self._pending.get(key)
            if running is not None and not running.done():
                return False
            if self._pool is None:
                self._pool = ThreadPoolExecutor(1, thread_name_prefix="planbook-ahead")
            self._pending[key] = self._pool.submit(load)
            return True

    def wait(self, key: Hashable) -> None:
        """Wait for the read-ahead of ``key``, if one was started and not waited for.
        Its failure is not raised here: the caller's own load meets it again and says
        it in its usual place."""
        with self._lock:
            future = self._pending.pop(key, None)
        if future is not None:
            with contextlib.suppress(Exception):  # the caller's own load reports it
                future.result()

    def finish(self) -> None:
        """Wait for every read-ahead (the end of a build: none outlives it)."""
        with self._lock:
            self._pending = {}
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)

    def __len__(self) -> int:
        with self._lock:
            return len(self._pending)
