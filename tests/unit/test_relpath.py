"""Project.relpath: a page's path shown in diagnostics, relative to the project root after
links are followed, as ``Path.resolve`` gives it, with each folder resolved once a build."""

from __future__ import annotations

import os
from pathlib import Path

from planbook.project import Project, Settings


def _reference(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def test_links_to_files_and_folders_read_as_resolve_reads_them(tmp_path: Path) -> None:
    root = tmp_path / "site"
    (root / "docs" / "plans").mkdir(parents=True)
    (root / "shared").mkdir()
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (root / "docs" / "plans" / "a.md").write_text("a", encoding="utf-8")
    (root / "shared" / "b.md").write_text("b", encoding="utf-8")
    (outside / "c.md").write_text("c", encoding="utf-8")
    os.symlink(root / "shared" / "b.md", root / "docs" / "plans" / "b.md")  # a file link
    os.symlink(outside / "c.md", root / "docs" / "c.md")  # out of the project
    os.symlink(root / "shared", root / "docs" / "linked")  # a folder link
    os.symlink(root / "docs" / "plans" / "gone.md", root / "docs" / "broken.md")
    os.symlink(root / "docs" / "loop.md", root / "docs" / "loop.md")
    project = Project(Settings(root=root, docs_dir=root / "docs"))
    names = ["plans/a.md", "plans/b.md", "c.md", "linked/b.md", "broken.md", "new.md", "日本.md"]
    for name in [*names, "plans/../plans/a.md", "plans/.", "linked"]:
        path = root / "docs" / name
        try:
            expected = _reference(path, root)
        except RuntimeError:  # a link to itself: resolve says so, and relpath too
            continue
        assert project.relpath(path) == expected, name
    assert project.relpath(root / "docs" / "plans" / "b.md") == "shared/b.md"
    assert project.relpath(root / "docs" / "c.md") == (root / "docs" / "c.md").as_posix()


def test_a_folder_linked_elsewhere_between_builds_is_looked_at_again(tmp_path: Path) -> None:
    root = tmp_path
    for name in ("one", "two"):
        (root / name).mkdir()
        (root / name / "p.md").write_text(name, encoding="utf-8")
    os.symlink(root / "one", root / "docs")
    project = Project(Settings(root=root, docs_dir=root / "docs"))
    assert project.relpath(root / "docs" / "p.md") == "one/p.md"
    (root / "docs").unlink()
    os.symlink(root / "two", root / "docs")
    project.begin_build()
    assert project.relpath(root / "docs" / "p.md") == "two/p.md"
