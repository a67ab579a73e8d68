"""A git revision's files in a folder, without touching the user's checkout."""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path

# --------------------------------------------------------------------------- git


class RevisionError(Exception):
    """A git revision (or the repository) that cannot be read."""


def _git(repo: Path, *args: str, binary: bool = False) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(
            ["git", *args], cwd=repo, capture_output=True, check=False, text=not binary
        )
    except FileNotFoundError:
        raise RevisionError("git is not installed (planbook diff reads git revisions)") from None


def git_toplevel(path: Path) -> Path:
    """The top folder of the git work tree ``path`` is in."""
    done = _git(path, "rev-parse", "--show-toplevel")
    if done.returncode != 0:
        raise RevisionError(f"{path} is not inside a git repository")
    return Path(done.stdout.strip()).resolve()


def resolve_revision(repo: Path, rev: str) -> str:
    """The commit id ``rev`` names, or :class:`RevisionError`."""
    if rev.startswith("-"):
        raise RevisionError(f"'{rev}' is not a git revision")
    done = _git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    if done.returncode != 0 or not done.stdout.strip():
        raise RevisionError(f"'{rev}' is not a commit in this repository")
    return done.stdout.strip()


def has_file(repo: Path, commit: str, path: str) -> bool:
    """Whether ``path`` (relative to the top of the repository) exists at ``commit``."""
    return _git(repo, "cat-file", "-e", f"{commit}:{path}").returncode == 0


def export_revision(repo: Path, commit: str, dest: Path, subdir: str = "") -> Path:
    """Write the files of ``commit`` (under ``subdir``) into ``dest``; returns ``dest``.

    Uses ``git archive``: the user's checkout, index and worktree list are untouched.
    """
    args = ["archive", "--format=tar", commit]
    if subdir:
        args += ["--", subdir]
    done = _git(repo, *args, binary=True)
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise RevisionError(f"git archive {commit[:12]} failed: {message}")
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(done.stdout), mode="r:") as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(dest, filter="data")
        else:  # pragma: no cover - Python < 3.11.4
            tar.extractall(dest)
    return dest
