"""Benchmark of metric-file ingest (``planbook.data.DataStore.load``).

Measures, on a generated realistic export of ``rows`` rows:

* ``DataStore.load`` rows/s vs ``pyarrow.csv.read_csv`` rows/s on the same file
  in the same run (medians of interleaved runs, the best too; file in the page cache,
  fresh store each time so nothing is served from our cache) and their ratio;
* the GBK twin (same data, Chinese headers, written as GBK) vs its UTF-8 twin;
* peak memory: the first reads below, each in a fresh subprocess; peak RSS during the load
  (``VmHWM`` from ``/proc/self/status`` after resetting it through
  ``/proc/self/clear_refs``, because ``ru_maxrss`` is inherited from the parent
  across ``exec``) minus the RSS just before it (after imports), compared with
  the file size on disk. Elsewhere ``ru_maxrss`` is used. RSS, not tracemalloc:
  Arrow's allocations are invisible to tracemalloc (medians of the rounds);
* the cached second ``load`` of an unchanged file;
* the first read in a fresh interpreter, each side (``first_read_*``; imports made
  before the clock, the file in the page cache; the same runs as the peak memory):
  what a build's read costs, and what the issue's target is about ("Loader first
  read >= 0.7x pyarrow.csv.read_csv rows/s"). The interleaved runs above are later
  reads in one process, where pyarrow's own pool keeps the pages of its previous read
  (a few dozen page faults a read, ~300 on its first) while ``DataStore.load`` hands
  its parse memory back after each read, as a build needs (~16K faults each time on
  the 1M-row file): the warm figure, shown beside it (issue 12, loader3).

Run ``python bench/bench_data.py [rows] [workdir]``.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "plugins"))
sys.path.insert(0, str(HERE))

from bigdata import write_big_csv  # noqa: E402

from planbook.data import DataStore  # noqa: E402

try:  # the loader's engine name, where the loader names one
    from planbook.sources.files import ENGINE
except ImportError:  # pragma: no cover - a loader without it
    ENGINE = "unknown"

_RSS_SCRIPT = r"""
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, {plugins!r})
import pandas, numpy
{imports}
import gc; gc.collect()

def status(key):
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(key + ":"):
                return int(line.split()[1])

try:  # Linux: reset the high-water mark, which exec inherits from the parent
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")
    before = status("VmRSS")
    peak = lambda: status("VmHWM")
except OSError:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
{body}
seconds = time.perf_counter() - t0
after = peak()
print(json.dumps({{"before_kb": before, "after_kb": after, "seconds": seconds}}))
"""


def _best(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def _interleaved(fns: dict[str, Callable[[], object]], repeat: int) -> dict[str, list[float]]:
    """Run each of ``fns`` ``repeat`` times, round by round (the order reversed every other
    round), so a busy moment of a shared machine falls on all of them alike."""
    times: dict[str, list[float]] = {k: [] for k in fns}
    for r in range(repeat):
        for name in list(fns) if r % 2 == 0 else list(reversed(fns)):
            t0 = time.perf_counter()
            fns[name]()
            times[name].append(time.perf_counter() - t0)
    return times


def _row_count(table: object) -> int | None:
    """Rows of what ``DataStore.load`` returned (a frame, or whatever holds one)."""
    for name in ("frame", "table", "data"):
        inner = getattr(table, name, None)
        if inner is not None and hasattr(inner, "__len__"):
            return len(inner)
    return None


def _peak_rss_delta(path: Path, root: Path, what: str) -> int:
    """Peak RSS growth (bytes) of one load in a fresh interpreter."""
    return _fresh(path, root, what)[0]


def _fresh(path: Path, root: Path, what: str) -> tuple[int, float]:
    """Peak RSS growth (bytes) and seconds of one load (``what``: ``planbook`` or
    ``pyarrow``) in a fresh interpreter, its imports made before the clock starts."""
    if what == "planbook":
        imports = "from planbook.data import DataStore"
        body = f"t = DataStore(Path({str(root)!r})).load(Path({str(path)!r}))"
        body += "\nassert len(t.frame), t.diagnostics"
    else:
        imports = "import pyarrow.csv as pc"
        body = f"t = pc.read_csv({str(path)!r})\nassert t.num_rows"
    code = _RSS_SCRIPT.format(plugins=str(ROOT / "plugins"), imports=imports, body=body)
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    r = json.loads(out.strip().splitlines()[-1])
    return (r["after_kb"] - r["before_kb"]) * 1024, float(r["seconds"])


def _first_reads(path: Path, root: Path, repeat: int) -> dict[str, tuple[int, float]]:
    """The first read of ``path`` in a fresh interpreter, each side, ``repeat`` times
    (the order reversed every other round): per side the medians of the peak RSS growth
    (bytes) and of the seconds."""
    runs: dict[str, list[tuple[int, float]]] = {"planbook": [], "pyarrow": []}
    for r in range(max(1, repeat)):
        for what in ("planbook", "pyarrow") if r % 2 == 0 else ("pyarrow", "planbook"):
            runs[what].append(_fresh(path, root, what))
    return {
        k: (int(statistics.median(p for p, _ in v)), statistics.median(s for _, s in v))
        for k, v in runs.items()
    }


def _google_ads_twin(plain: Path, out: Path) -> None:
    """The plain file as Google Ads downloads it: report title and date range above
    the header, Google's header names, a ``Total: Account`` row at the end (the profile
    path: detection, preamble, totals)."""
    header = "Day,Channel,Campaign,Impr.,Clicks,Cost,Conversions,Conv. value\n"
    with plain.open("rb") as src, out.open("wb") as dst:
        dst.write(b'Campaign report\n"September 1, 2026 - August 31, 2027"\n')
        dst.write(header.encode())
        src.readline()
        while chunk := src.read(1 << 24):
            dst.write(chunk)
        dst.write(b"Total: Account,,,0,0,0.00,0,0.00\n")


def run(workdir: Path, rows: int = 1_000_000, repeat: int = 3) -> dict:
    """Run the benchmark in ``workdir`` (files are generated under ``workdir/data``).

    Times are medians of ``repeat`` interleaved runs (``*_best_s``: the fastest)."""
    import pyarrow.csv as pc

    workdir = Path(workdir)
    data = workdir / "data"
    utf8 = data / f"big-{rows}.csv"
    utf8_zh = data / f"big-{rows}-zh-utf8.csv"
    gbk = data / f"big-{rows}-zh-gbk.csv"
    if not utf8.exists():
        write_big_csv(utf8, rows)
    if not utf8_zh.exists():
        write_big_csv(utf8_zh, rows, chinese_headers=True)
    if not gbk.exists():
        write_big_csv(gbk, rows, chinese_headers=True, encoding="gbk")
    shaped = data / f"big-{rows}-google-ads.csv"
    if not shaped.exists():
        _google_ads_twin(utf8, shaped)

    def ours(path: Path, profile: str | None = None) -> None:
        table = DataStore(workdir).load(path)
        n = _row_count(table)
        assert n in (None, rows), (n, getattr(table, "diagnostics", None))
        assert getattr(table, "profile", profile) == profile, table.profile

    # Warm the page cache and the imports.
    pc.read_csv(utf8)
    ours(utf8)
    times = _interleaved(
        {
            "pyarrow": lambda: pc.read_csv(utf8),
            "planbook": lambda: ours(utf8),
            "utf8_zh": lambda: ours(utf8_zh),
            "gbk": lambda: ours(gbk),
            "profile": lambda: ours(shaped, "google-ads"),
        },
        max(1, repeat),
    )
    med = {k: statistics.median(v) for k, v in times.items()}
    t_pa, t_ours, t_zh, t_gbk, t_shaped = (
        med[k] for k in ("pyarrow", "planbook", "utf8_zh", "gbk", "profile")
    )

    store = DataStore(workdir)
    store.load(utf8)
    t_cached = _best(lambda: store.load(utf8), repeat=5)

    size = utf8.stat().st_size
    first = _first_reads(utf8, workdir, repeat)  # the peaks are theirs too
    (rss_ours, first_ours), (rss_pa, first_pa) = first["planbook"], first["pyarrow"]
    rss_gbk = _peak_rss_delta(gbk, workdir, "planbook")
    return {
        "rows": rows,
        "repeat": repeat,
        "engine": ENGINE,
        "pyarrow_best_s": min(times["pyarrow"]),
        "planbook_best_s": min(times["planbook"]),
        "ratio_vs_pyarrow_best": min(times["pyarrow"]) / min(times["planbook"]),
        "file_mb": size / 1e6,
        "gbk_file_mb": gbk.stat().st_size / 1e6,
        "pyarrow_s": t_pa,
        "pyarrow_rows_per_s": rows / t_pa,
        "planbook_s": t_ours,
        "planbook_rows_per_s": rows / t_ours,
        "ratio_vs_pyarrow": t_pa / t_ours,
        "profile_s": t_shaped,
        "profile_rows_per_s": rows / t_shaped,
        "profile_vs_plain": t_ours / t_shaped,
        "utf8_zh_s": t_zh,
        "gbk_s": t_gbk,
        "gbk_vs_utf8": t_gbk / t_zh,
        "cached_load_ms": t_cached * 1e3,
        "peak_rss_delta_mb": rss_ours / 1e6,
        "peak_rss_over_file": rss_ours / size,
        "gbk_peak_rss_over_file": rss_gbk / gbk.stat().st_size,
        "pyarrow_peak_rss_over_file": rss_pa / size,
        "first_read_pyarrow_s": first_pa,
        "first_read_planbook_s": first_ours,
        "first_read_ratio_vs_pyarrow": first_pa / first_ours,
    }


def _print(result: dict) -> None:
    rows = [
        ("rows", f"{result['rows']:,}"),
        ("engine", result["engine"]),
        ("file size", f"{result['file_mb']:.1f} MB (GBK twin {result['gbk_file_mb']:.1f} MB)"),
        (
            "pyarrow.csv.read_csv",
            f"{result['pyarrow_s']:.3f} s  {result['pyarrow_rows_per_s'] / 1e6:.2f} M rows/s",
        ),
        (
            "DataStore.load",
            f"{result['planbook_s']:.3f} s  {result['planbook_rows_per_s'] / 1e6:.2f} M rows/s",
        ),
        (
            "warm ratio (later reads, one process)",
            f"{result['ratio_vs_pyarrow']:.2f} (best of each: {result['ratio_vs_pyarrow_best']:.2f})",
        ),
        (
            "profile path: Google Ads shape",
            f"{result['profile_s']:.3f} s  {result['profile_rows_per_s'] / 1e6:.2f} M rows/s "
            f"({result['profile_vs_plain']:.2f}x of the plain file's rate)",
        ),
        (
            "GBK vs UTF-8 twin (target <= 1.5)",
            f"{result['gbk_s']:.3f} s vs {result['utf8_zh_s']:.3f} s = "
            f"{result['gbk_vs_utf8']:.2f}x",
        ),
        (
            "first read, fresh interpreter each (target >= 0.70)",
            f"pyarrow {result['first_read_pyarrow_s']:.3f} s, DataStore.load "
            f"{result['first_read_planbook_s']:.3f} s = "
            f"{result['first_read_ratio_vs_pyarrow']:.2f}x pyarrow's rate",
        ),
        ("cached second load", f"{result['cached_load_ms']:.3f} ms"),
        (
            "peak RSS over baseline (target < 3x)",
            f"{result['peak_rss_delta_mb']:.0f} MB = {result['peak_rss_over_file']:.2f}x file "
            f"(GBK {result['gbk_peak_rss_over_file']:.2f}x, "
            f"pyarrow alone {result['pyarrow_peak_rss_over_file']:.2f}x)",
        ),
    ]
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        print(f"{k:<{width}}  {v}")


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    work = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "bench" / "out" / "data-bench"
    _print(run(work, n))
