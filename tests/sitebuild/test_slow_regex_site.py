"""A real `planbook check` and `mkdocs build` of a site whose own rule pack and export
profile hold patterns that backtrack exponentially (outside report F3, F4): both hung past
120 s on 40 letters. They must end, each pattern refused with its file and field. The time
limit is the subprocess's timeout: a hang fails the test instead of stalling the run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import write_site
from tests.hostile.cases import ACME_CSV, ACME_PROFILE, CSV, DETECT, NESTED_PACK, plan

LIMIT = 90  # seconds; the site takes about 2 once the patterns are refused


def _site(root: Path) -> Path:
    write_site(
        root,
        {
            "index.md": plan("{{ kpi_table() }}"),
            "a.md": "---\nreview: {status: review}\n---\n# T\n\n" + "a" * 40 + "\n",
        },
        {
            "ads.csv": CSV,
            "acme.csv": "a" * 40 + "\n" + ACME_CSV,
            "pack.yml": NESTED_PACK.replace("(a+)+!", "(a|a)*!"),
            "profiles/acme.yml": ACME_PROFILE
            + f"detect: {{all: {DETECT}, preamble: ['^(a|a)*!$']}}\n"
            + "totals: {labels: ['^(a+){2,60}!$']}\n",
        },
        "review_extra_packs: [data/pack.yml]\nprofiles_dir: data/profiles",
        "en",
    )
    return root


def _run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            [sys.executable, *args],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=LIMIT,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{args[-1]} ran past {LIMIT} s: a site's pattern backtracks")


def test_planbook_check_ends_and_names_each_slow_pattern(tmp_path: Path) -> None:
    root = _site(tmp_path)
    done = _run(root, "-c", "from planbook.cli import main; main()", "check")
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    assert (
        "data/pack.yml:8: error: rules[0].patterns[0]: rule 'acme/redos', patterns:"
        " '(a|a)*!': the repeated part '(a|a)*' holds alternatives" in out
    )
    assert "acme.yml: detect.preamble[0]: '^(a|a)*!$': the repeated part '(a|a)*'" in out


def test_mkdocs_build_ends_and_logs_each_slow_pattern(tmp_path: Path) -> None:
    root = _site(tmp_path)
    done = _run(root, "-m", "mkdocs", "build")
    out = done.stdout + done.stderr
    assert "rule 'acme/redos', patterns: '(a|a)*!': the repeated part '(a|a)*'" in out
    assert "detect.preamble[0]: '^(a|a)*!$'" in out
