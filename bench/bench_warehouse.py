"""Warehouse sources: an events table in DuckDB, 200 plans over it, against the same
rows as a CSV file through the file path.

``python bench/run.py --only warehouse --warehouse-rows 50000000`` is the issue's
figure (50 million events); ``make bench`` runs a smaller table so that it stays a
few minutes. Each build runs in a process of its own (bench/_build.py) and reports
its peak resident memory (VmHWM).

Also measured: reading one large CSV file by the file path (every row checked, into
pandas) against DuckDB's ``read_csv`` with the aggregation a plan needs.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench import sites  # noqa: E402
from bench.bigdata import CHANNELS  # noqa: E402

# The bench sites' configuration, with the query cache in the site.
MKDOCS_YML = sites.MKDOCS_YML.replace("{plugin}", "  - planbook:\n      cache_dir: .cache\n{extra}")

EVENTS_SQL = """
create or replace table events as
select
  timestamp '2026-09-01' + to_seconds(cast((i * 7919) % (365 * 86400) as bigint)) as event_time,
  {channels}[1 + cast(i % 10 as integer)] as channel,
  {channels}[1 + cast(i % 10 as integer)] || '-' || cast((i // 10) % 40 as varchar) as campaign,
  1 as impressions,
  cast(hash(i * 3) % 100 < 3 as integer) as clicks,
  cast((hash(i * 5) % 200) / 100.0 as decimal(10, 2)) as spend,
  cast(hash(i * 7) % 1000 < 2 as integer) as conversions,
  cast(case when hash(i * 7) % 1000 < 2 then 199.00 else 0 end as decimal(10, 2)) as revenue
from range({rows}) t(i)
"""


def make_events(path: Path, rows: int) -> float:
    """The events table (generated in DuckDB); seconds it took."""
    import duckdb

    start = time.perf_counter()
    if path.exists():
        path.unlink()
    con = duckdb.connect(str(path))
    channels = "[" + ", ".join(f"'{c}'" for c in CHANNELS) + "]"
    con.execute(EVENTS_SQL.format(rows=rows, channels=channels))
    con.close()
    return time.perf_counter() - start


def export_csv(db: Path, csv: Path) -> None:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    con.execute(
        f"copy (select cast(event_time as date) as date, channel, campaign, impressions, "
        f"clicks, spend, conversions, revenue from events) to '{csv}' (header, delimiter ',')"
    )
    con.close()


def make_site(root: Path, pages: int, metrics: str, extra: str = "") -> Path:
    from bench.sites import plan_page, posts_csv

    if root.exists():
        shutil.rmtree(root)
    (root / "docs" / "plans").mkdir(parents=True)
    (root / "data").mkdir()
    (root / "mkdocs.yml").write_text(MKDOCS_YML.format(extra=extra), "utf-8")
    (root / "docs" / "index.md").write_text("# Bench\n", "utf-8")
    (root / "data" / "posts.csv").write_text(posts_csv(), "utf-8")
    for i in range(pages):
        page = plan_page(i).replace("metrics: [data/big.csv]", f"metrics: [{metrics}]")
        (root / "docs" / "plans" / f"plan-{i:03d}.md").write_text(page, "utf-8")
    return root


def timed_build(site: Path, env: dict[str, str] | None = None) -> dict:
    cmd = [sys.executable, str(HERE / "_build.py"), str(site)]
    proc = subprocess.run(
        cmd, capture_output=True, text=True, check=False, env={**os.environ, **(env or {})}
    )
    if proc.returncode != 0:
        raise SystemExit(f"build failed: {' '.join(cmd)}\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def csv_read_compare(csv: Path) -> dict:
    """One large CSV: the file path (all rows, checked) against DuckDB's read_csv with the
    aggregation (day x channel sums), in this process."""
    import ibis

    from planbook.data import DataStore
    from planbook.sources.aggregate import Needs, build, shape

    store = DataStore(csv.parent.parent)
    start = time.perf_counter()
    table = store.load(csv)
    file_s = time.perf_counter() - start
    con = ibis.duckdb.connect()
    start = time.perf_counter()
    t = con.read_csv(str(csv))
    needs = Needs(("channel",))
    frame = con.to_pyarrow(build(t, shape(t.schema(), store, "", needs), needs)).to_pandas()
    duck_s = time.perf_counter() - start
    return {
        "file_path_s": round(file_s, 2),
        "file_path_rows": len(table.frame),
        "duckdb_read_csv_aggregate_s": round(duck_s, 2),
        "duckdb_groups": len(frame),
    }


# The file path reads every event into memory and evaluates each plan over them: beyond
# this many rows its build takes too long for `make bench` (500k events: 72 s).
CSV_MAX_ROWS = 5_000_000


def run(out: Path, rows: int = 1_000_000, pages: int = 200, csv: bool | None = None) -> dict:
    """Figures for one table size; the CSV comparison runs up to :data:`CSV_MAX_ROWS`."""
    csv = rows <= CSV_MAX_ROWS if csv is None else csv
    out.mkdir(parents=True, exist_ok=True)
    db = out / f"events-{rows}.duckdb"
    generate_s = make_events(db, rows) if not db.exists() else None
    size_mb = db.stat().st_size / 2**20
    env = {"PLANBOOK_BENCH_WAREHOUSE_URL": f"duckdb://{db}"}
    extra = (
        "      columns: {event_time: date}\n"
        "      connections: {warehouse: {url_env: PLANBOOK_BENCH_WAREHOUSE_URL}}\n"
    )
    site = make_site(out / f"wh-{rows}", pages, "{connection: warehouse, table: events}", extra)
    cold = timed_build(site, env)
    warm = timed_build(site, env)  # results from the query cache (.cache), file unchanged
    result: dict[str, object] = {
        "rows": rows,
        "pages": pages,
        "duckdb_mb": round(size_mb, 1),
        "generate_s": None if generate_s is None else round(generate_s, 1),
        "duckdb_build_s": round(cold["seconds"], 2),
        "duckdb_peak_rss_mb": round(cold["peak_rss_kb"] / 1024),
        "duckdb_cached_build_s": round(warm["seconds"], 2),
        "duckdb_cached_peak_rss_mb": round(warm["peak_rss_kb"] / 1024),
    }
    if csv:
        big = out / f"events-{rows}.csv"
        if not big.exists():
            export_csv(db, big)
        csv_site = make_site(out / f"whcsv-{rows}", pages, "data/big.csv")
        os.link(big, csv_site / "data" / "big.csv")
        c = timed_build(csv_site)
        result.update(
            {
                "csv_mb": round(big.stat().st_size / 2**20, 1),
                "csv_build_s": round(c["seconds"], 2),
                "csv_peak_rss_mb": round(c["peak_rss_kb"] / 1024),
                "csv_read": csv_read_compare(csv_site / "data" / "big.csv"),
            }
        )
    return result


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--pages", type=int, default=200)
    ap.add_argument("--no-csv", action="store_true", help="skip the CSV comparison")
    args = ap.parse_args()
    csv = False if args.no_csv else None
    print(json.dumps(run(HERE / "out" / "warehouse", args.rows, args.pages, csv), indent=2))
