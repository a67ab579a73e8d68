"""Issue 9's hang cases, timed: each must end in under 2 s with its message.

Every case of ``tests/hostile/cases.py`` marked ``hang`` (a YAML alias bomb, a chain of
KPIs that doubles 22 times, 5,000-term and 5,000-minus formulas, weekly reports since
1990) is written as a site and run the way users run it: `planbook check --strict` and
`mkdocs build --strict`, each in its own process (wall time, interpreter start included)
with a timeout, so a regression shows here as a time, never as a hung benchmark.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
LIMIT_S = 2.0
TIMEOUT_S = 120


def _run(args: list[str], cwd: Path) -> tuple[float, int, str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    try:
        done = subprocess.run(
            args, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT_S
        )
    except subprocess.TimeoutExpired:
        return time.perf_counter() - start, -1, f"timed out after {TIMEOUT_S} s"
    return time.perf_counter() - start, done.returncode, done.stdout + done.stderr


def run(out: Path) -> list[dict]:
    sys.path.insert(0, str(ROOT))
    from tests.hostile.cases import HANGS
    from tests.hostile.run import build, check, write_case

    bindir = Path(sys.executable).parent
    shutil.rmtree(out, ignore_errors=True)
    results = []
    for case in HANGS:
        root = write_case(out / case.name, case)
        row: dict[str, object] = {"case": case.name, "message": case.message}
        for what, args in (
            ("check", [str(bindir / "planbook"), "check", "--strict"]),
            ("build", [str(bindir / "mkdocs"), "build", "--strict", "--quiet"]),
        ):
            seconds, code, text = _run(args, root)
            row[f"{what}_s"] = round(seconds, 2)
            row[f"{what}_failed"] = code != 0
            row[f"{what}_message"] = case.message in text
            row[f"{what}_under_limit"] = seconds < LIMIT_S
        # The same in this process: the engine's own time, without interpreter start-up.
        start = time.perf_counter()
        found = check(root)
        row["check_inprocess_s"] = round(time.perf_counter() - start, 3)
        row["check_inprocess_message"] = any(case.message in str(d) for d in found)
        start = time.perf_counter()
        built = build(root)
        row["build_inprocess_s"] = round(time.perf_counter() - start, 3)
        row["build_inprocess_message"] = any(case.message in m for m in built.messages)
        results.append(row)
    print("\n| hang case | check --strict | build --strict | in-process check / build | message |")
    print("|---|---|---|---|---|")
    for r in results:
        both = r["check_message"] and r["build_message"]
        print(
            f"| {r['case']} | {r['check_s']} s | {r['build_s']} s | "
            f"{r['check_inprocess_s']} s / {r['build_inprocess_s']} s | {'yes' if both else 'NO'} |"
        )
    return results
