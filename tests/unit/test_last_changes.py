"""The portfolio's "last change" dates: one `git log` pass gives what a `git log -1` per
file gives (newest commit touching the file), for a site in a subfolder of the repository
too, with non-ASCII names; untracked files and folders outside git have no date."""

from __future__ import annotations

import os
import subprocess
from datetime import date
from pathlib import Path

from planbook.views.portfolio import last_changes


def _commit(repo: Path, day: str, message: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": f"{day}T12:00:00+00:00",
        "GIT_COMMITTER_DATE": f"{day}T12:00:00+00:00",
    }
    for argv in (["add", "-A"], ["commit", "-qm", message]):
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *argv],
            cwd=repo,
            env=env,
            check=True,
            capture_output=True,
        )


def test_one_pass_matches_one_log_per_file(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    site = repo / "site"
    (site / "content" / "plans").mkdir(parents=True)
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    a, b, c = (site / "content/plans" / n for n in ("a.md", "秋季计划.md", "c.md"))
    a.write_text("1", "utf-8")
    b.write_text("1", "utf-8")
    _commit(repo, "2026-01-05", "first")
    a.write_text("2", "utf-8")
    (repo / "other.md").write_text("x", "utf-8")
    _commit(repo, "2026-02-10", "second")
    (site / "content/plans/gone.md").write_text("x", "utf-8")
    _commit(repo, "2026-03-01", "third")
    c.write_text("untracked", "utf-8")
    files = ["content/plans/a.md", "content/plans/秋季计划.md", "content/plans/c.md"]
    assert last_changes(site, files) == {
        "content/plans/a.md": date(2026, 2, 10),
        "content/plans/秋季计划.md": date(2026, 1, 5),
    }
    for file, day in last_changes(site, files).items():
        one = subprocess.run(
            ["git", "log", "-1", "--format=%cs", "--", file],
            cwd=site,
            capture_output=True,
            text=True,
            check=True,
        )
        assert one.stdout.strip() == day.isoformat()


def test_outside_git_there_are_no_dates(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("x", "utf-8")
    assert last_changes(tmp_path, ["a.md"]) == {}
    assert last_changes(tmp_path, []) == {}
