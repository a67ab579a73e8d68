"""Run one MkDocs build in this process and print its figures as JSON (used by run.py).

``python bench/_build.py SITE_DIR [--rebuild PAGE]``: with ``--rebuild``, build once
(warm, as `mkdocs serve` does), append a line to PAGE, and time the second build.

For profiling by hand (``make bench`` does not use these):
``--rebuild-csv CSV`` changes the cents of one revenue value of CSV in place (as
bench/serve.py's CSV edits do) instead of editing a page; ``--profile OUT`` (after
either) writes a cProfile of the second build to OUT; ``--times N`` repeats the edit
and the rebuild N times (the figures are the last one's, ``rebuilds_s`` lists all).
"""

from __future__ import annotations

import json
import logging
import os
import resource
import sys
import tempfile
import time
from pathlib import Path


def _vm_hwm_kb() -> int | None:
    """Peak resident memory of this process (VmHWM). ru_maxrss can carry the parent's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _with_worker(result: dict, path: Path) -> None:
    """Add the page worker's memory to the build's peak. Each line of ``path`` is a
    worker's private memory at its end and the build process's resident memory at that
    time (kB): both grow while the worker lives, so that is about the most the two held
    at once. The
    peak is the larger of that sum and the build process's own peak (its data loading
    comes before any worker); ``peak_rss_sum_kb`` adds the worker to the peak outright."""
    try:
        lines = path.read_text(encoding="ascii").split("\n")
    except OSError:
        lines = []
    finally:
        path.unlink(missing_ok=True)
    pairs = [tuple(int(x) for x in line.split()) for line in lines if line.strip()]
    if not pairs:
        return
    own = result["peak_rss_kb"]
    result["worker_private_kb"] = max(kb for kb, _ in pairs)
    result["peak_rss_sum_kb"] = own + result["worker_private_kb"]
    result["peak_rss_kb"] = max(own, *(kb + rss for kb, rss in pairs))


def _edit(path: Path, *, csv: bool, k: int) -> None:
    """The edit before a rebuild: a line appended to a page, or a CSV's revenue cents
    changed in place (bench/serve.py's edit: the file keeps its size)."""
    if not csv:
        with path.open("a", encoding="utf-8") as f:
            f.write("\nEdited for the rebuild benchmark.\n")
        return
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench.serve import edit_csv, revenue_cents_offset

    offset, cents = revenue_cents_offset(path)
    edit_csv(path, offset, cents + 1)


def main() -> None:
    site = Path(sys.argv[1])
    args = sys.argv[2:]
    mode = args[0] if len(args) > 1 and args[0] in ("--rebuild", "--rebuild-csv") else None
    rebuild = Path(args[1]) if mode else None
    option = dict(zip(args[2::2], args[3::2], strict=False))
    profile = option.get("--profile")
    times = int(option.get("--times", "1"))
    logging.basicConfig(level=logging.ERROR)
    errors: list[str] = []

    class _Count(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            errors.append(record.getMessage())

    logging.getLogger("mkdocs").addHandler(_Count(level=logging.WARNING))
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Planbook's page worker (a forked process, option `workers`) reports its private
    # memory here: it is part of the build's memory (see _with_worker)
    worker_file = Path(tempfile.mkstemp(prefix="planbook-worker-memory-")[1])
    os.environ["PLANBOOK_WORKER_MEMORY"] = str(worker_file)
    cfg = load_config(str(site / "mkdocs.yml"))
    cfg.plugins.on_startup(command="serve" if rebuild else "build", dirty=False)
    start = time.perf_counter()
    build(cfg)
    seconds = time.perf_counter() - start
    result: dict[str, float | int] = {"seconds": seconds}
    if rebuild is not None:
        rebuilds = []
        for k in range(1, times + 1):
            _edit(rebuild, csv=mode == "--rebuild-csv", k=k)
            cfg = load_config(str(site / "mkdocs.yml"))
            profiler = None
            if profile and k == times:
                import cProfile

                profiler = cProfile.Profile()
                profiler.enable()
            start = time.perf_counter()
            build(cfg)
            rebuilds.append(time.perf_counter() - start)
            if profiler is not None:
                profiler.disable()
                profiler.dump_stats(profile)
        result["rebuild_seconds"] = rebuilds[-1]
        if times > 1:
            result["rebuilds_s"] = [round(r, 3) for r in rebuilds]
    plugin = cfg.plugins.get("planbook")
    if plugin is not None and getattr(plugin, "project", None) is not None:
        store = plugin.project.store
        result["parses"] = int(getattr(store, "parse_count", -1))
    result["peak_rss_kb"] = _vm_hwm_kb() or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    _with_worker(result, worker_file)
    result["base_rss_kb"] = base_rss
    if errors:
        sys.exit("the benchmark site logged warnings or errors:\n" + "\n".join(errors[:10]))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
