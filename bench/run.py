"""`make bench`: Planbook against a bare Material build and a peer plugin, with the
targets of issue 12, in one run.

Prints one Markdown table (case | Planbook | bare | peer | ratio | target | met?) and
writes it to bench/out/results.md, with every figure in bench/out/results.json. Every
figure is measured in this run, on this machine; only the targets are written down
(bench/report.py). Builds run one per subprocess (bench/_build.py: seconds and peak
RSS), bare and plugin builds interleaved, and the medians are compared.

Parts (``--only``, comma separated; default: all of the table's parts):

* ``build``: 200 plans over a 1M-row CSV, the same over 5M rows, 1,000 plans over 1M
  rows; every plan page places every section (bench/sites.py);
* ``charts``: the 200-plan site with every chart on every plan page;
* ``peer``: the same pages rendering a 50-row table with mkdocs-table-reader-plugin
  (installed only in the bench venv, .venv-bench; skipped with a note where missing);
* ``serve``: a real `mkdocs serve` of the 200-plan site: page edits, CSV edits, memory
  (bench/serve.py), and the same page edits on the bare site;
* ``loader``: ``DataStore.load`` against ``pyarrow.csv.read_csv`` (bench/bench_data.py).

Other benchmarks, not in the table, run when named: ``review``, ``chart-payload``,
``analysis``, ``hostile``, ``warehouse`` (or ``--only all``).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
sys.path.insert(0, str(ROOT))
if (ROOT / "plugins").is_dir():
    sys.path.insert(0, str(ROOT / "plugins"))

from bench import report  # noqa: E402
from bench.bigdata import write_big_csv  # noqa: E402
from bench.serve import child_env, compile_tree  # noqa: E402
from bench.sites import PEER_ROWS, make_site, plan_page  # noqa: E402

__all__ = ["build_case", "main", "make_site", "plan_page", "timed_build"]

CHART_JSON = re.compile(
    r'<script type="application/json" data-pb-chart="[^"]*">(.*?)</script>', re.S
)
PARTS = ("build", "charts", "peer", "serve", "loader")
EXTRAS = ("review", "chart-payload", "analysis", "hostile", "warehouse")
ALIASES = {"data": "loader", "all": ",".join(PARTS + EXTRAS)}
PEER_MODULE = "mkdocs_table_reader_plugin"


@dataclass(frozen=True)
class Sizes:
    """What a run builds. ``quick`` sizes are for a smoke run, not for the targets."""

    rows: int = 1_000_000
    pages: int = 200
    big_rows: int = 5_000_000
    many_pages: int = 1_000
    repeat: int = 3  # runs of each small case (200 plans, 1M rows)
    big_repeat: int = 1  # runs of each big case (5M rows, 1,000 plans)
    page_edits: int = 3
    csv_edits: int = 20
    settle: float = 1.0
    warehouse_rows: int = 1_000_000


FULL = Sizes()
# 146,000 rows is the smallest file where every channel and campaign has a full year.
QUICK = Sizes(
    rows=150_000,
    pages=6,
    big_rows=300_000,
    many_pages=20,
    repeat=1,
    big_repeat=1,
    page_edits=1,
    csv_edits=3,
    settle=0.6,
    warehouse_rows=20_000,
)


def parse_only(text: str | None) -> list[str]:
    """``--only`` as a list of known parts (aliases expanded, order kept)."""
    if not text:
        return list(PARTS)
    names: list[str] = []
    for raw in text.split(","):
        name = raw.strip()
        for part in ALIASES.get(name, name).split(","):
            if part not in PARTS + EXTRAS:
                known = ", ".join(PARTS + EXTRAS + tuple(ALIASES))
                raise SystemExit(f"--only: unknown part {part!r} (known: {known})")
            if part not in names:
                names.append(part)
    return names


def peer_available() -> bool:
    return importlib.util.find_spec(PEER_MODULE) is not None


class BuildFailed(RuntimeError):
    """A benchmark build exited with an error or logged a warning."""


def timed_build(site: Path, rebuild: bool = False) -> dict[str, Any]:
    """One `mkdocs build` of ``site`` in a fresh interpreter: seconds, peak RSS (kB)."""
    cmd = [sys.executable, str(HERE / "_build.py"), str(site)]
    if rebuild:
        cmd += ["--rebuild", str(site / "docs" / "plans" / "plan-007.md")]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, env=child_env())
    if proc.returncode != 0:
        lines = [line for line in proc.stderr.splitlines() if line.strip()]
        last = lines[-1] if lines else f"exit status {proc.returncode}"
        raise BuildFailed(f"build of {site.name} failed: {last}\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def big_csv(rows: int) -> Path:
    csv = OUT / f"big-{rows}.csv"
    if not csv.exists():
        print(f"bench: writing {csv.name} ({rows:,} rows)", file=sys.stderr)
        write_big_csv(csv.with_suffix(".tmp"), rows).rename(csv)
    return csv


def _median_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {"runs": runs}
    for key in ("seconds", "peak_rss_kb"):
        values = [r[key] for r in runs if r.get(key) is not None]
        out[key] = statistics.median(values) if values else None
    if runs and "parses" in runs[0]:
        out["parses"] = runs[0]["parses"]
    return out


def _paired(mine: list[dict[str, Any]], bare: list[dict[str, Any]]) -> dict[str, float]:
    """Each round's ratio to the bare build of the same round (its neighbour in time):
    their median, lowest and highest. On a machine whose speed drifts during the run
    they tell how far the ratio of the medians can move."""
    ratios = [
        a["seconds"] / b["seconds"]
        for a, b in zip(mine, bare, strict=False)
        if a.get("seconds") and b.get("seconds")
    ]
    if not ratios:
        return {}
    return {
        "paired_ratio": statistics.median(ratios),
        "paired_low": min(ratios),
        "paired_high": max(ratios),
    }


def _chart_json_kb(site: Path) -> dict[str, float]:
    sizes = [
        sum(len(m) for m in CHART_JSON.findall(page.read_text("utf-8")))
        for page in (site / "site" / "plans").glob("*/index.html")
    ]
    if not sizes:
        return {}
    return {
        "chart_json_kb_per_page_max": round(max(sizes) / 1024, 1),
        "chart_json_kb_per_page_mean": round(sum(sizes) / len(sizes) / 1024, 1),
    }


def build_case(
    rows: int,
    pages: int,
    variants: Sequence[str],
    repeat: int,
    target: str = "build",
    note: str = "",
) -> dict[str, Any]:
    """Build the sites of ``variants`` (bare, planbook, charts, peer) ``repeat`` times,
    interleaved (the order reversed every other round), and keep each one's medians."""
    csv = big_csv(rows)
    sites = {}
    for v in variants:
        kind = "planbook" if v == "charts" else v
        root = OUT / "sites" / f"{v}-{pages}p-{rows}"
        sites[v] = make_site(root, pages, csv, kind == "planbook", v == "charts", kind=kind)
    runs: dict[str, list[dict[str, Any]]] = {v: [] for v in variants}
    errors: dict[str, str] = {}
    for r in range(repeat):
        for v in variants if r % 2 == 0 else list(reversed(variants)):
            if v in errors:
                continue
            print(
                f"bench: build {v}, {pages} plans, {rows:,} rows ({r + 1}/{repeat})",
                file=sys.stderr,
            )
            try:
                runs[v].append(timed_build(sites[v]))
                last = runs[v][-1]
                print(
                    f"bench:   {last['seconds']:.2f} s, peak {last['peak_rss_kb'] / 1024:.0f} MB",
                    file=sys.stderr,
                )
            except BuildFailed as e:  # the other variants and parts still run
                errors[v] = str(e)
                print(f"bench: {e}", file=sys.stderr)
    case: dict[str, Any] = {
        "rows": rows,
        "pages": pages,
        "repeat": repeat,
        "target": target,
        "csv_mb": csv.stat().st_size / 2**20,
        "peer_rows": PEER_ROWS,
        "note": note,
    }
    for v in variants:
        case[v] = {"error": errors[v]} if v in errors else _median_of(runs[v])
    for v in ("planbook", "charts"):
        if v in runs and v not in errors and "bare" in runs and "bare" not in errors:
            case[v].update(_paired(runs[v], runs["bare"]))
    bare, pb = case.get("bare") or {}, case.get("planbook") or {}
    if bare.get("peak_rss_kb") and pb.get("peak_rss_kb"):
        extra_kb = pb["peak_rss_kb"] - bare["peak_rss_kb"]
        case["extra_peak_over_csv"] = extra_kb * 1024 / csv.stat().st_size
    if "charts" in sites and "charts" not in errors:
        case["charts"].update(_chart_json_kb(sites["charts"]))
        charts = case["charts"]
        if bare.get("peak_rss_kb") and charts.get("peak_rss_kb"):
            extra_kb = charts["peak_rss_kb"] - bare["peak_rss_kb"]
            charts["extra_peak_over_csv"] = extra_kb * 1024 / csv.stat().st_size
    return case


def serve_part(sizes: Sizes) -> dict[str, Any]:
    """`mkdocs serve` of the bare site (page edits) and of the Planbook site (page edits,
    CSV edits, memory); the sites get a copy of the CSV, which the edits change."""
    from bench import serve

    csv = big_csv(sizes.rows)
    out: dict[str, Any] = {"rows": sizes.rows, "pages": sizes.pages, "csv_edits": sizes.csv_edits}
    for kind in ("bare", "planbook"):
        root = OUT / "sites" / f"serve-{kind}-{sizes.pages}p-{sizes.rows}"
        site = make_site(root, sizes.pages, csv, kind == "planbook", kind=kind, copy_csv=True)
        edits = sizes.csv_edits if kind == "planbook" else 0
        print(
            f"bench: serve {kind}: {sizes.page_edits} page edits, {edits} CSV edits",
            file=sys.stderr,
        )
        out[kind] = got = serve.measure(
            site, page_edits=sizes.page_edits, csv_edits=edits, settle=sizes.settle
        )
        summary = {k: v for k, v in got.items() if not isinstance(v, list)}
        print(f"bench:   {report.short_error(summary, 400)}", file=sys.stderr)
    return out


def _checkpoint(results: dict[str, Any]) -> None:
    """The results and table so far (a long run cut short keeps what it measured)."""
    text = json.dumps(results, indent=2, default=str)
    (OUT / "results.partial.json").write_text(text, "utf-8")
    (OUT / "results.partial.md").write_text(report.markdown(report.rows_of(results)), "utf-8")


def run_parts(parts: Sequence[str], sizes: Sizes) -> dict[str, Any]:
    results: dict[str, Any] = {}
    OUT.mkdir(exist_ok=True)
    wanted = {"bare": True, "planbook": "build" in parts, "charts": "charts" in parts}
    small = [v for v in ("bare", "planbook", "charts") if wanted[v]]
    if "peer" in parts:
        small.append("peer")
    if "peer" in small and not peer_available():
        small.remove("peer")
        results["peer_skipped"] = (
            f"{PEER_MODULE} is not installed in {sys.executable} "
            "(make bench installs it into .venv-bench)"
        )
        print(f"bench: peer skipped: {results['peer_skipped']}", file=sys.stderr)
    if len(small) > 1:
        try:  # page cache and imports, untimed
            timed_build(make_site(OUT / "sites" / "warm-up", 2, big_csv(sizes.rows), False))
        except BuildFailed as e:
            print(f"bench: warm-up: {e}", file=sys.stderr)
        results["build"] = [build_case(sizes.rows, sizes.pages, small, sizes.repeat)]
        _checkpoint(results)
    if "serve" in parts:
        results["serve"] = serve_part(sizes)
        _checkpoint(results)
    if "loader" in parts:
        from bench import bench_data

        results["loader"] = bench_data.run(OUT / "data", rows=sizes.rows, repeat=sizes.repeat)
        _checkpoint(results)
    # the longest cases last: a run cut short keeps the rest (results.partial.*)
    if "build" in parts and sizes.big_rows:
        results.setdefault("build", []).append(
            build_case(
                sizes.big_rows, sizes.pages, ["bare", "planbook"], sizes.big_repeat, "build_5m"
            )
        )
        _checkpoint(results)
    if "build" in parts and sizes.many_pages:
        results.setdefault("build", []).append(
            build_case(
                sizes.rows, sizes.many_pages, ["bare", "planbook"], sizes.big_repeat, "build_1000"
            )
        )
        _checkpoint(results)
    if "review" in parts:
        from bench import bench_review

        results["review"] = bench_review.run(OUT / "review")
    if "chart-payload" in parts:
        from bench import bench_charts

        results["chart-payload"] = bench_charts.run(OUT / "charts")
    if "analysis" in parts:
        from bench import bench_analysis

        results["analysis"] = bench_analysis.run()
    if "hostile" in parts:
        from bench import bench_hostile

        results["hostile"] = bench_hostile.run(OUT / "hostile")
    if "warehouse" in parts:
        from bench import bench_warehouse

        results["warehouse"] = bench_warehouse.run(
            OUT / "warehouse", rows=sizes.warehouse_rows, pages=sizes.pages
        )
    return results


def _git_commit() -> str | None:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def document(results: dict[str, Any], meta: dict[str, Any]) -> str:
    """results.md: a heading line with how the run was made, the table, the notes."""
    rows = report.rows_of(results)
    head = (
        f"Planbook {meta.get('commit') or ''} · {meta['date']} · {meta['cpus']} CPUs, "
        f"load {meta['load_before']} before · Python {meta['python']} · "
        f"medians of {meta['sizes']['repeat']} (small) / {meta['sizes']['big_repeat']} (big) "
        f"interleaved runs · {meta['elapsed_s']:.0f} s in all"
    )
    if meta.get("compiled_modules"):
        head += (
            f" · Planbook's {meta['compiled_modules']} modules compiled to bytecode before"
            " timing, as an installed package is"
        )
    notes = []
    if meta.get("quick"):
        notes.append("`--quick`: sizes far below the targets' sizes; `met?` is indicative only.")
    if results.get("peer_skipped"):
        notes.append(f"peer not run: {results['peer_skipped']}.")
    text = "# make bench\n\n" + head + "\n\n" + report.markdown(rows)
    if notes:
        text += "\n" + "\n".join(f"- {n}" for n in notes) + "\n"
    return text


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--only", help="parts, comma separated: " + ", ".join(PARTS + EXTRAS))
    ap.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    ap.add_argument("--repeat", type=int, help="runs of each small case (default 3)")
    ap.add_argument("--big-repeat", type=int, help="runs of each big case (default 1)")
    ap.add_argument("--rows", type=int, help="rows of the main CSV (default 1,000,000)")
    ap.add_argument("--pages", type=int, help="plan pages of the main site (default 200)")
    ap.add_argument(
        "--big-rows", type=int, help="rows of the big CSV (default 5,000,000; 0 skips the case)"
    )
    ap.add_argument(
        "--many-pages", type=int, help="plans of the big site (default 1,000; 0 skips the case)"
    )
    ap.add_argument("--csv-edits", type=int, help="CSV edits under serve (default 20)")
    ap.add_argument(
        "--warehouse-rows",
        type=int,
        help="events in the DuckDB warehouse benchmark (the issue's figure: 50000000)",
    )
    args = ap.parse_args(argv)
    parts = parse_only(args.only)
    base = QUICK if args.quick else FULL
    overrides = {
        k: getattr(args, k)
        for k in (
            "repeat",
            "big_repeat",
            "rows",
            "pages",
            "big_rows",
            "many_pages",
            "csv_edits",
            "warehouse_rows",
        )
        if getattr(args, k) is not None
    }
    sizes = Sizes(**{**asdict(base), **overrides})
    if "page_edits" not in overrides and args.repeat:
        sizes = Sizes(**{**asdict(sizes), "page_edits": args.repeat})
    meta: dict[str, Any] = {
        "commit": _git_commit(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "cpus": os.cpu_count(),
        "load_before": ", ".join(f"{x:.1f}" for x in os.getloadavg()),
        "python": platform.python_version(),
        "executable": sys.executable,
        "parts": parts,
        "quick": args.quick,
        "sizes": asdict(sizes),
    }
    meta["compiled_modules"] = compile_tree()
    start = time.monotonic()
    results = run_parts(parts, sizes)
    meta["elapsed_s"] = time.monotonic() - start
    meta["load_after"] = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    text = document(results, meta)
    table = [
        {**asdict(r), "met": r.met, "target": str(r.target or "")} for r in report.rows_of(results)
    ]
    OUT.mkdir(exist_ok=True)
    (OUT / "results.json").write_text(
        json.dumps({"meta": meta, "table": table, **results}, indent=2, default=str), "utf-8"
    )
    (OUT / "results.md").write_text(text, "utf-8")
    print(text)
    print(f"bench: {meta['elapsed_s']:.0f} s; bench/out/results.md and results.json written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
