"""Sections written in Python read as their shipped templates render them (issue 12).

A site whose ``custom_templates`` folder holds a copy of every shipped template renders
every section through jinja (a site's own template always renders); without it the
sections the engine writes in Python are written. The two builds must give the same
pages, byte for byte: the example site, and a small site with hostile text in every
field the written sections show."""

from __future__ import annotations

import shutil
from pathlib import Path

from planbook.views.render_env import environment, overridden, shipped_templates
from tests.sitebuild.test_planning_site import CONTENT_PLAN, POSTS

ROOT = Path(__file__).resolve().parents[2]
XSS = "<script>alert('x')</script>"
# the templates written in Python unless a site has its own
WRITTEN = (
    "review/checklist.html",
    "sections/risks.html",
    "sections/team.html",
    "sections/phases.html",
    "sections/phase_goals.html",
    "sections/personas.html",
    "sections/persona_card.html",
    "sections/plan_summary.html",
    "sections/kpi_table.html",
    "sections/channel_table.html",
    "sections/budget_table.html",
    "sections/report.html",
    "sections/plan_quality.html",
    "sections/reports.html",
    "sections/cadence_table.html",
    "sections/content_calendar.html",
)


def _copy_shipped(folder: Path) -> None:
    shipped = shipped_templates()
    for sub in ("sections", "review", "charts"):
        shutil.copytree(shipped / sub, folder / sub)
    shutil.copy(shipped / "errors.html", folder / "errors.html")
    env = environment(folder)
    assert all(overridden(env, name) for name in WRITTEN)


def _pages(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): p.read_text("utf-8") for p in sorted(site.rglob("*.html"))
    }


def _build(site: Path, custom: Path | None = None) -> dict[str, str]:
    """The example site built into ``site`` (with ``custom`` as its custom_templates)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    cfg = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site), strict=True)
    if custom is not None:
        cfg.plugins["planbook"].config.custom_templates = str(custom)
    cfg.plugins.on_startup(command="build", dirty=False)
    try:
        build(cfg)
    finally:
        cfg.plugins.on_shutdown()
    return _pages(site)


def _same(written: dict[str, str], rendered: dict[str, str]) -> None:
    assert written.keys() == rendered.keys()
    differ = [uri for uri in written if written[uri] != rendered[uri]]
    assert not differ, differ


def test_the_example_site_reads_the_same_through_the_templates(tmp_path: Path) -> None:
    written = _build(tmp_path / "written")
    _copy_shipped(tmp_path / "overrides")  # every shipped template as the site's own
    rendered = _build(tmp_path / "rendered", tmp_path / "overrides")
    assert any('class="planbook-review' in page for page in written.values())
    assert any('class="planbook pb-cadence"' in page for page in written.values())
    _same(written, rendered)


HOSTILE_COPY = f"""\
---
title: "全网最低价 {XSS}"
review:
  status: review
  market: "{XSS}"
  channel: social
  checklist:
    copyright: {{state: done, by: "</script><b>张</b>", date: 2026-11-01, note: "a\\nb"}}
  approvals: [{{role: "<i>legal</i>", name: "{XSS}", date: 2026-11-02, decision: rejected}}]
  waivers:
    - {{rule: cn-ad-law/ranking-claims, match: 第一, reason: "榜单<来源>", approved_by: "<b>x</b>"}}
---
# 文案

行业第一 <b>最佳</b> [国家级](http://x.test/?a=<s>) `顶级` | 首选 |

<script>alert(1)</script> 这款净化器是全网最低价，比进口更强 1e309 NaN
"""


def test_hostile_sections_read_the_same_through_the_templates(build_site) -> None:
    plan = CONTENT_PLAN.replace(
        "  as_of: 2026-11-10\n", "  as_of: 2026-11-10\n  reports: {every: month}\n"
    ).replace('label: "<i>博客</i>"', f'label: "{XSS}\\n博客"')
    plan = plan.replace('"双11 <b>冲刺</b>"', f'"双11 {XSS} 冲刺"')
    pages = {
        "index.md": "# x\n",
        "plans/content/index.md": plan,
        "copy/hostile.md": HOSTILE_COPY,
        "copy/draft.md": HOSTILE_COPY.replace("status: review", "status: draft"),
    }
    data = {"posts.csv": POSTS + f'2026-11-02 10:00,weibo,"{XSS}\n第二行",,计划中\n'}
    options = "as_of: 2026-11-10\nreview_date: 2026-11-10"
    first = build_site(pages, data, options=options, strict=False)
    assert first.error is None, first.messages
    written = _pages(first.root / "site")
    root = first.root
    shutil.rmtree(root / "site")
    _copy_shipped(root / "overrides")
    second = build_site(
        pages, data, options=options + "\ncustom_templates: overrides", strict=False
    )
    assert second.error is None, second.messages
    rendered = _pages(root / "site")
    copy = written["copy/hostile/index.html"]
    assert 'class="planbook-review' in copy and "<mark>" in copy
    assert XSS not in copy and "</script><b>" not in copy
    assert written["plans/content/reports/2026-10/index.html"].count("pb-cadence__cell") >= 4
    _same(written, rendered)
