"""A build whose metric file lets go of its raw rows once the cubes are built (issue 12)
makes the same site, byte for byte, as one that keeps them, and reads no file again for
what its pages show (the UTM taxonomy's wider cube is built with the plan's cube)."""

from __future__ import annotations

from pathlib import Path

import pytest

from planbook import data as data_module
from planbook import project as project_module
from tests.conftest import write_site

ROWS = "\n".join(
    f"2026-{m:02d}-{d:02d},{ch},{ch}-{camp},{r},{100 * d + i},{d + i},{d * 3.7 + i:.2f},{i},{d * 9.1:.2f}"
    for m in (9, 10)
    for d in range(1, 29)
    for i, (ch, camp, r) in enumerate(
        (("sem", "a", "north"), ("sem", "b", "south"), ("feed", "a", "north"), ("kol", "c", "x"))
    )
)
CSV = "date,channel,campaign,region,impressions,clicks,spend,conversions,revenue\n" + ROWS + "\n"

PLAN = """\
---
plan:
  id: {pid}
  owner: 张伟
  status: review
  period: {{start: 2026-09-01, end: {end}}}
  metrics: [data/ads.csv]
  reports: {{every: month}}
  goals:
    - {{id: ctr, statement: 点击率, kpi: ctr, filter: {{channel: sem}}, baseline: 0.01, target: 0.05, deadline: {end}}}
    - {{id: conv, statement: 转化, kpi: conversions, baseline: 0, target: 500, deadline: {end}}}
  budget:
    total: 10000
    by: channel
    allocations:
      - {{item: sem, share: 0.5, match: [sem]}}
      - {{item: feed, share: 0.5, match: [feed]}}
---
# {pid}

{{{{ kpi_trend("clicks", by="campaign") }}}}
"""

COPY = """\
---
publish: {date: 2026-09-10, channel: wechat}
---
# 文案

[链接](https://example.com/?utm_source=sem&utm_medium=cpc&utm_campaign=sem-a)
"""


def _build(root: Path, release_rows: int, monkeypatch: pytest.MonkeyPatch) -> tuple[int, list[str]]:
    """Build the site with ``RELEASE_ROWS``: how many times a file was parsed, and the
    tables that let go of their rows."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    parses: list[str] = []
    released: list[str] = []
    real = data_module._parse
    release = data_module.DataStore.release_rows

    def spy(store: data_module.DataStore, min_rows: int) -> list:
        out = release(store, min_rows)
        released.extend(t.path for t in out)
        return out

    def counted(path: str, *args: object) -> object:
        parses.append(path)
        return real(path, *args)  # type: ignore[arg-type]

    pages = {
        "index.md": "# 首页\n\n{{ portfolio() }}\n",
        "plans/a.md": PLAN.format(pid="plan-a", end="2026-10-31"),
        "plans/b.md": PLAN.format(pid="plan-b", end="2026-10-15"),
        "copy/post.md": COPY,
    }
    write_site(root, pages, {"ads.csv": CSV})
    with monkeypatch.context() as mp:
        mp.setattr(project_module, "RELEASE_ROWS", release_rows)
        mp.setattr(data_module, "_parse", counted)
        mp.setattr(data_module.DataStore, "release_rows", spy)
        cfg = load_config(str(root / "mkdocs.yml"))
        cfg.plugins.on_startup(command="build", dirty=False)
        try:
            build(cfg)
        finally:
            cfg.plugins.on_shutdown()
    return len(parses), released


def _files(root: Path) -> dict[str, bytes]:
    site = root / "site"
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file() and p.name != "sitemap.xml.gz"
    }


def test_a_build_that_lets_the_rows_go_makes_the_same_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = _build(tmp_path / "kept", 10**12, monkeypatch)
    released = _build(tmp_path / "released", 1, monkeypatch)
    assert kept == (1, []) and released == (1, ["data/ads.csv"])  # nothing read again
    before, after = _files(tmp_path / "kept"), _files(tmp_path / "released")
    assert sorted(before) == sorted(after)
    assert "plans/a/index.html" in before and "plan-a" in before["index.html"].decode()
    different = [name for name in before if before[name] != after[name]]
    assert different == []
