"""The process's memory around a large read: freed heap handed back to the system
(glibc's ``malloc_trim``, Arrow's pool), one malloc arena for every thread of a
`mkdocs serve`, and numpy's transparent-huge-page hint switched off for a build.

Each is a no-op where the C library lacks it (musl, macOS, Windows): memory then
stays with the process, never a different figure.
"""

from __future__ import annotations

import os
from typing import Any

__all__ = [
    "HUGE_PAGES_ENV",
    "huge_pages",
    "no_huge_pages",
    "one_arena",
    "release_memory",
    "trim_arenas",
]


def release_memory() -> None:
    """Hand freed memory back to the system (glibc's ``malloc_trim``; Arrow's pool).

    pyarrow parses on its own threads, so the parse buffers are allocated, and freed,
    in those threads' malloc arenas: the main thread never reuses that memory, and the
    rest of a build (rendering every page) grew the resident size on top of it. The
    project calls this once a cube is built (not after each read: a second read in the
    same process reuses those arenas, and would pay for the pages again). Elsewhere
    (no glibc) only Arrow's pool is released."""
    import sys

    if "pyarrow" in sys.modules:  # never imported for this alone
        sys.modules["pyarrow"].default_memory_pool().release_unused()
    trim_arenas()


def trim_arenas() -> None:
    """glibc's ``malloc_trim(0)`` alone (nothing elsewhere): the free pages of every
    malloc arena back to the system. The segmented read of a large body calls it a few
    times as it goes (the parse buffers are the system pool's, :func:`_pool`)."""
    global _TRIM
    if _TRIM is None:
        _TRIM = _malloc_trim()
    if _TRIM:
        _TRIM(0)


def _libc(name: str) -> Any:
    """glibc's function ``name`` through ctypes, or False (not Linux, or a C library
    without it: musl has neither malloc_trim nor mallopt)."""
    import ctypes
    import ctypes.util
    import sys

    if not sys.platform.startswith("linux"):
        return False
    try:
        return getattr(ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6"), name)
    except (OSError, AttributeError):
        return False


def _malloc_trim() -> Any:
    import ctypes

    trim = _libc("malloc_trim")
    if trim:
        trim.argtypes = [ctypes.c_size_t]
        trim.restype = ctypes.c_int
    return trim


_TRIM: Any = None

M_ARENA_MAX = -8  # glibc's mallopt parameter


#: numpy's own switch of :func:`huge_pages`, read at its import: where a user set it,
#: Planbook leaves the setting alone.
HUGE_PAGES_ENV = "NUMPY_MADVISE_HUGEPAGE"


def huge_pages(enabled: bool) -> bool | None:
    """Whether numpy asks the kernel for transparent huge pages for its large arrays
    (``madvise(MADV_HUGEPAGE)`` on every array of 4 MB or more, numpy's default where
    the kernel offers them "on madvise", as Debian's and Ubuntu's do); the setting
    before, ``None`` where numpy has no such switch. It is the switch behind numpy's
    ``NUMPY_MADVISE_HUGEPAGE`` (documented in numpy's "global state"), which is read
    only at import.

    A build allocates large arrays that live briefly (a column's dates, codes and
    measures, the cube's groups), each touched once. With ``defrag`` at "madvise" (the
    same distributions' default), the first touch of such an array may stall while the
    kernel compacts memory to find a huge page: on the bench machine turning dates of
    5M rows into ``datetime64`` took 0.08 s instead of 0.006-0.02 s, and whole builds
    were faster without the hint (5M rows: 3.05 -> 2.83 s; 200 plans over 1M rows:
    2.36 -> 2.12 s; alternated runs, medians of 5; issue 12)."""
    try:
        from numpy._core import multiarray
    except ImportError:  # pragma: no cover - numpy 1.x names it numpy.core
        return None
    switch = getattr(multiarray, "_set_madvise_hugepage", None)
    if switch is None:  # pragma: no cover - a numpy without it
        return None
    return bool(switch(enabled))


def no_huge_pages() -> bool | None:
    """:func:`huge_pages` off for a build or a `planbook` command, unless the user set
    :data:`HUGE_PAGES_ENV` (their setting is left alone): the setting before, ``None``
    when it was left alone or numpy has no such switch."""
    if HUGE_PAGES_ENV in os.environ:
        return None
    return huge_pages(False)


def one_arena() -> bool:
    """Have every thread started from now on allocate from the main malloc arena
    (glibc's ``mallopt(M_ARENA_MAX, 1)``); False where that is not glibc.

    `mkdocs serve` answers requests on a thread of its own (MkDocs 1.6 rebuilds on the
    main thread), and the loader parses on worker threads: each got an arena of its own
    whose freed memory stayed with the process
    (`make bench`, 20 CSV edits: 258 -> 298 MB resident). In one arena ``malloc_trim``
    gives it back (282 / 251 MB). Arrow's buffers have their own pool."""
    import ctypes

    mallopt = _libc("mallopt")
    if not mallopt:
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(M_ARENA_MAX, 1))
