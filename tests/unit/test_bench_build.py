"""bench/_build.py's hand-profiling modes (issue 12): a CSV edit before the rebuild, a
profile of the rebuild, repeated edits; ``make bench``'s modes are unchanged."""

from __future__ import annotations

import json
import pstats
import subprocess
import sys
from pathlib import Path

from bench import serve
from tests.conftest import write_site

PLAN = """\
---
plan:
  id: p
  owner: lead
  period: {start: 2026-09-01, end: 2026-12-31}
  metrics: [data/big.csv]
  goals:
    - {id: revenue, statement: 收入, kpi: revenue, baseline: 0, target: 100000000, deadline: 2026-12-31}
---
# P
"""


def _site(tmp_path: Path) -> Path:
    rows = "\n".join(f"2026-09-{1 + i % 30:02d},sem,100,10,5.00,1,{i}.50" for i in range(120))
    csv = "date,channel,impressions,clicks,spend,conversions,revenue\n" + rows + "\n"
    return write_site(tmp_path, {"index.md": "# x\n", "p.md": PLAN}, {"big.csv": csv})


def _run(*args: str) -> dict:
    script = Path(__file__).resolve().parents[2] / "bench" / "_build.py"
    proc = subprocess.run(
        [sys.executable, str(script), *args],
        capture_output=True,
        text=True,
        env=serve.child_env(),
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_rebuild_csv_edits_the_cents_in_place_each_time_and_profiles_the_last(
    tmp_path: Path,
) -> None:
    root = _site(tmp_path)
    csv = root / "data/big.csv"
    offset, cents = serve.revenue_cents_offset(csv)
    size = csv.stat().st_size
    prof = tmp_path / "rebuild.prof"
    got = _run(str(root), "--rebuild-csv", str(csv), "--profile", str(prof), "--times", "2")
    assert len(got["rebuilds_s"]) == 2
    assert round(got["rebuild_seconds"], 3) == got["rebuilds_s"][-1]
    assert serve.revenue_cents_offset(csv) == (offset, cents + 2)  # +1 per edit
    assert csv.stat().st_size == size  # in place
    stats = pstats.Stats(str(prof))
    assert any(fn[2] == "on_page_markdown" for fn in stats.stats)  # type: ignore[attr-defined]


def test_rebuild_page_keeps_make_bench_output(tmp_path: Path) -> None:
    root = _site(tmp_path)
    got = _run(str(root), "--rebuild", str(root / "docs/p.md"))
    assert set(got) == {"seconds", "rebuild_seconds", "parses", "peak_rss_kb", "base_rss_kb"}
    assert "Edited for the rebuild benchmark." in (root / "docs/p.md").read_text("utf-8")
