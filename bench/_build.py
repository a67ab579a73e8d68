"""Run one MkDocs build in this process and print its figures as JSON (used by run.py).

``python bench/_build.py SITE_DIR [--rebuild PAGE]``: with ``--rebuild``, build once
(warm, as `mkdocs serve` does), append a line to PAGE, and time the second build.
"""

from __future__ import annotations

import json
import logging
import resource
import sys
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


def main() -> None:
    site = Path(sys.argv[1])
    rebuild = Path(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[2] == "--rebuild" else None
    logging.basicConfig(level=logging.ERROR)
    errors: list[str] = []

    class _Count(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            errors.append(record.getMessage())

    logging.getLogger("mkdocs").addHandler(_Count(level=logging.WARNING))
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cfg = load_config(str(site / "mkdocs.yml"))
    cfg.plugins.on_startup(command="serve" if rebuild else "build", dirty=False)
    start = time.perf_counter()
    build(cfg)
    seconds = time.perf_counter() - start
    result: dict[str, float | int] = {"seconds": seconds}
    if rebuild is not None:
        with rebuild.open("a", encoding="utf-8") as f:
            f.write("\nEdited for the rebuild benchmark.\n")
        cfg = load_config(str(site / "mkdocs.yml"))
        start = time.perf_counter()
        build(cfg)
        result["rebuild_seconds"] = time.perf_counter() - start
    plugin = cfg.plugins.get("planbook")
    if plugin is not None and getattr(plugin, "project", None) is not None:
        store = plugin.project.store
        result["parses"] = int(getattr(store, "parse_count", -1))
    result["peak_rss_kb"] = _vm_hwm_kb() or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result["base_rss_kb"] = base_rss
    if errors:
        sys.exit("the benchmark site logged warnings or errors:\n" + "\n".join(errors[:10]))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
