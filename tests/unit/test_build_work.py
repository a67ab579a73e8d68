"""Work a build does once, not once per caller (issue 12): a page's text hashed once per
build though MkDocs hands it to Planbook three times, the startup heap frozen out of the
collector's sight during `mkdocs build` (and given back at shutdown, never in serve), the
UTM taxonomy's values normalised once per cube, a rule pack's patterns compiled once, a
CSV export's cells written without a call each and exactly as before."""

from __future__ import annotations

import csv
import gc
import hashlib
import io
import weakref
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from planbook import project as project_module
from planbook.project import Project, Settings

CSV = "date,channel,impressions,clicks,spend\n2026-09-01,sem,1000,50,100\n"

PLAN = """\
---
title: 秋季推广
plan:
  id: autumn
  period: {start: 2026-09-01, end: 2026-10-31}
  metrics: [data/ads.csv]
  goals:
    - {id: ctr, statement: 点击率, kpi: ctr, baseline: 0.04, target: 0.06, deadline: 2026-09-30}
  budget:
    total: 10000
    allocations:
      - {item: sem, share: 1}
---
# 秋季推广

{{ kpi_table() }}
"""

PERSONA = """\
---
persona: {id: li-ming, name: 李明}
---
# 李明
"""


def _counting_sha256(monkeypatch) -> Counter[bytes]:
    """Count the texts project.py hashes (the data store's own digests are not counted)."""
    seen: Counter[bytes] = Counter()

    def sha256(data: bytes = b"") -> hashlib._Hash:
        seen[data] += 1
        return hashlib.sha256(data)

    monkeypatch.setattr(project_module, "hashlib", SimpleNamespace(sha256=sha256))
    return seen


def test_a_build_hashes_each_page_text_once(build_site, monkeypatch) -> None:
    seen = _counting_sha256(monkeypatch)
    pages = {"index.md": "# Home\n", "plan.md": PLAN, "li-ming.md": PERSONA}
    built = build_site(pages, {"ads.csv": CSV})
    assert built.error is None, built.messages
    texts = [(built.root / "docs" / name).read_text("utf-8") for name in pages]
    # on_files, the source reader and on_page_markdown each read every page: one hash
    assert {text: seen[text.encode("utf-8")] for text in texts} == {text: 1 for text in texts}
    assert "李明" in built.raw("li-ming/index.html")
    assert "秋季推广" in built.raw("plan/index.html")


def test_read_page_reads_again_when_the_text_or_the_build_changes(
    tmp_path: Path, monkeypatch
) -> None:
    seen = _counting_sha256(monkeypatch)
    (tmp_path / "docs").mkdir()
    project = Project(Settings(root=tmp_path, docs_dir=tmp_path / "docs"))
    project.begin_build()
    first = project.read_page("plan.md", PLAN)
    assert project.read_page("plan.md", PLAN) is first
    assert sum(seen.values()) == 1 and project.plans == {"autumn": first}
    # an edit in the same build (the CLI reading a working copy): read again
    edited = PLAN.replace("id: autumn", "id: winter")
    second = project.read_page("plan.md", edited)
    assert second is not first and second.plan is not None and second.plan.id == "winter"
    assert sum(seen.values()) == 2
    # the next build (mkdocs serve): hashed again once, the parsed page kept (same digest)
    project.begin_build()
    assert project.plans == {}
    assert project.read_page("plan.md", edited) is second
    assert project.read_page("plan.md", edited) is second
    assert sum(seen.values()) == 3 and set(project.plans) == {"winter"}


def test_mkdocs_build_freezes_the_startup_heap_and_thaws_it_at_shutdown(
    build_site, monkeypatch
) -> None:
    during: list[int] = []
    read_page = Project.read_page

    def noting(self: Project, src_uri: str, text: str):
        during.append(gc.get_freeze_count())
        return read_page(self, src_uri, text)

    monkeypatch.setattr(Project, "read_page", noting)
    assert gc.get_freeze_count() == 0
    built = build_site({"index.md": "# Home\n", "plan.md": PLAN}, {"ads.csv": CSV})
    assert built.error is None, built.messages
    assert during and min(during) > 0  # MkDocs, the theme, pandas: out of the collector's way
    assert gc.get_freeze_count() == 0  # on_shutdown gave it back


def test_mkdocs_build_freezes_the_pages_read_without_a_page_worker(build_site, monkeypatch) -> None:
    """What on_files makes (every page read, the plans evaluated) lives to the end of a
    build: it leaves the collector's sight once the pages are read and again at the first
    page, also when no page worker is forked (it froze only before a fork; 1,000 plans
    fork none, and their full collections walked it all; issue 12)."""
    from planbook import plugin as plugin_module

    read, made = [], []
    read_page, prepare = Project.read_page, plugin_module.prepare

    def reading(self: Project, src_uri: str, text: str):
        read.append(gc.get_freeze_count())
        return read_page(self, src_uri, text)

    def preparing(*args, **kwargs):  # type: ignore[no-untyped-def]
        made.append(gc.get_freeze_count())
        return prepare(*args, **kwargs)

    monkeypatch.setattr(Project, "read_page", reading)
    monkeypatch.setattr(plugin_module, "prepare", preparing)
    built = build_site(
        {"index.md": "# Home\n", "plan.md": PLAN}, {"ads.csv": CSV}, options="workers: 1"
    )
    assert built.error is None, built.messages
    # frozen before the first page: more than at startup (without these freezes, the
    # count only falls as frozen objects go)
    assert read and made and made[0] > read[0]
    assert gc.get_freeze_count() == 0


def test_mkdocs_serve_freezes_only_what_is_alive_at_its_start() -> None:
    """`mkdocs serve` puts what is alive when it starts (MkDocs, the theme, pandas) out of
    the collector's sight, and nothing its rebuilds make: an edit's garbage, cycles
    included, is collected. Started again to serve after a build (MkDocs keeps the
    plugin), what the build left is collected before the freeze."""
    from planbook.plugin import PlanbookPlugin

    class Node:
        def __init__(self) -> None:
            self.me = self  # a cycle: only a collection frees it

    plugin = PlanbookPlugin()
    plugin.on_startup(command="build", dirty=False)
    assert gc.get_freeze_count() > 0
    left = weakref.ref(Node())  # garbage the build left, frozen by nothing yet...
    frozen_in_build = Node()
    left_in_build = weakref.ref(frozen_in_build)
    gc.freeze()  # ... and garbage a later freeze of the build's took (the pages read)
    del frozen_in_build
    plugin.on_startup(command="serve", dirty=False)
    assert left() is None and left_in_build() is None  # thawed and collected first
    at_start = gc.get_freeze_count()
    assert at_start > 0
    edit = weakref.ref(Node())  # an edit's garbage
    gc.collect()
    assert edit() is None
    assert gc.get_freeze_count() <= at_start  # nothing frozen after the start
    plugin.on_shutdown()
    assert gc.get_freeze_count() == 0


def test_the_utm_taxonomy_reads_each_shared_cube_once(tmp_path: Path, monkeypatch) -> None:
    from planbook.metrics.analysis import utm as analysis_utm
    from planbook.review import ReviewConfig
    from planbook.review import utm as review_utm
    from planbook.review.utm import UtmOptions
    from planbook.views.analysis.views import utm_taxonomy

    (tmp_path / "docs").mkdir()
    (tmp_path / "data").mkdir()
    rows = "date,channel,source,campaign,clicks\n2026-09-01,SEM,Baidu,autumn-sale,5\n"
    rows += "2026-09-02,Feed,douyin,Not A Slug,3\n"
    (tmp_path / "data" / "ads.csv").write_text(rows, "utf-8")
    (tmp_path / "data" / "other.csv").write_text(rows.replace("Feed", "Mail"), "utf-8")
    for pid, name in (("a", "ads"), ("b", "ads"), ("c", "ads"), ("d", "other")):
        page = PLAN.replace("id: autumn", f"id: {pid}").replace("ads.csv", f"{name}.csv")
        (tmp_path / "docs" / f"{pid}.md").write_text(page, "utf-8")
    review = ReviewConfig(utm=UtmOptions(sources=("extra",)))
    project = Project(Settings(root=tmp_path, docs_dir=tmp_path / "docs", review=review))
    project.begin_build()
    project.scan()
    normalised: list[dict] = []
    plan_values = analysis_utm.plan_values

    def counted(dims):
        normalised.append(dims)
        return plan_values(dims)

    monkeypatch.setattr(review_utm, "plan_values", counted)
    tax = utm_taxonomy(project)
    assert len(normalised) == 2  # four plans, two cubes: each cube's values once
    assert utm_taxonomy(project) is tax and len(normalised) == 2  # once per build
    assert tax.sources == {"sem", "baidu", "feed", "douyin", "mail", "extra"}
    assert {"autumn-sale", "a", "b", "c", "d"} <= tax.campaigns
    assert "not a slug" not in tax.campaigns and "not_a_slug" not in tax.campaigns


def test_a_rule_packs_patterns_are_each_compiled_once(tmp_path: Path, monkeypatch) -> None:
    import re

    from planbook.review import ReviewConfig, load_ruleset

    pack = tmp_path / "acme.yml"
    pack.write_text(
        "pack: acme\nrules:\n"
        "  - id: acme/cheap\n    category: brand\n    severity: warning\n"
        "    basis: b\n    message: m\n    patterns: ['cheap(est)?', '便宜']\n"
        "    context_any: ['price']\n    context_none: ['(?s)free.*trial']\n"
        "    allow_patterns: ['cheapest in town']\n",
        encoding="utf-8",
    )
    compiled: Counter[tuple[str, int]] = Counter()
    real = re._compiler.compile

    def counting(pattern, flags):
        compiled[(pattern, flags)] += 1
        return real(pattern, flags)

    re.purge()
    monkeypatch.setattr(re._compiler, "compile", counting)
    ruleset, diags = load_ruleset(ReviewConfig(packs=(), extra_packs=(pack,)))
    monkeypatch.undo()
    assert diags == []
    rule = ruleset.rules["acme/cheap"]
    # each pattern once (checked and used with the same flags), the alternation once more
    flags = re.IGNORECASE | re.MULTILINE
    assert compiled == {
        ("cheap(est)?", flags): 1,
        ("便宜", flags): 1,
        ("(?:cheap(est)?)|(?:便宜)", flags): 1,
        ("price", flags): 1,
        ("(?s)free.*trial", flags): 1,
        ("cheapest in town", flags): 1,
    }
    assert rule.pattern is not None and rule.pattern.pattern == "(?:cheap(est)?)|(?:便宜)"
    # a single pattern is used as written: an inline flag at its start stays legal
    assert rule.context_none is not None and rule.context_none.search("Free\n30-day TRIAL")
    assert rule.context_any is not None and rule.context_any.search("PRICE")


_cell_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**30), 10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(allow_nan=True, allow_infinity=True).map(np.float64),
    st.text(st.sampled_from(list("=+-@ \t\r\n\u3000a1.e'\"，,")), max_size=8),
    st.text(max_size=8),
    st.dates(),
)


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(st.lists(_cell_values, max_size=6), max_size=4))
def test_a_tables_cells_read_as_each_cell_alone_would(rows: list[list[object]]) -> None:
    from planbook.views.exports import _cell, _cells, _csv

    for row in rows:
        assert _cells(row) == ["" if v is None else _cell(v) for v in row]
    # the whole file: the header and every row as the csv module writes them one by one
    expected = io.StringIO()
    expected.write("\ufeff")
    writer = csv.writer(expected, lineterminator="\r\n")
    writer.writerow([_cell("=id"), _cell("name")])
    for row in rows:
        writer.writerow(["" if v is None else _cell(v) for v in row])
    assert _csv(["=id", "name"], rows) == expected.getvalue()


def test_formula_text_in_a_table_is_still_quoted() -> None:
    from planbook.views.exports import _cells

    assert _cells(
        ["=1+1", " +cmd", "\u3000@x", "-5", "-5e3", "text", "", None, 0.1, float("nan")]
    ) == [
        "'=1+1",
        "' +cmd",
        "'\u3000@x",
        "-5",
        "-5e3",
        "text",
        "",
        "",
        "0.1",
        "",
    ]


def test_mkdocs_build_quiet_does_not_word_what_it_does_not_log(build_site, monkeypatch) -> None:
    import logging

    from planbook import plugin as plugin_module

    worded: list[str] = []
    line = plugin_module.line

    def wording(d, language):
        worded.append(d.rule)
        return line(d, language)

    monkeypatch.setattr(plugin_module, "line", wording)
    # a goal without an owner: a plan-quality note (info); an unknown persona: an error
    page = PLAN.replace("  budget:", "  personas: [nobody]\n  budget:")
    pages = {"index.md": "# Home\n", "plan.md": page}
    mkdocs_logger = logging.getLogger("mkdocs")
    level = mkdocs_logger.level
    mkdocs_logger.setLevel(logging.ERROR)  # what `mkdocs build -q` does
    try:
        quiet = build_site(pages, {"ads.csv": CSV}, strict=False)
    finally:
        mkdocs_logger.setLevel(level)
    assert worded == ["plan/unknown-persona"]  # the error only: it is logged
    assert quiet.logged(logging.INFO) == []
    assert [m for m in quiet.logged(logging.ERROR) if "[plan/unknown-persona]" in m]
    quiet_page = quiet.raw("plan/index.html")
    built = build_site(pages, {"ads.csv": CSV}, strict=False)
    assert "smart/no-owner" in worded
    assert any("[smart/no-owner]" in m for m in built.logged(logging.INFO))
    # the page shows its notes all the same
    assert "smart/no-owner" in quiet_page and quiet_page == built.raw("plan/index.html")


def _utm_project(root: Path, rows: str) -> Project:
    from planbook.review import ReviewConfig
    from planbook.review.utm import UtmOptions

    (root / "docs").mkdir(parents=True)
    (root / "data").mkdir()
    (root / "data" / "ads.csv").write_text(rows, "utf-8")
    (root / "data" / "other.csv").write_text(rows.replace("Feed", "Mail"), "utf-8")
    for pid, name in (("a", "ads"), ("b", "ads"), ("d", "other")):
        page = PLAN.replace("id: autumn", f"id: {pid}").replace("ads.csv", f"{name}.csv")
        (root / "docs" / f"{pid}.md").write_text(page, "utf-8")
    review = ReviewConfig(utm=UtmOptions())
    project = Project(Settings(root=root, docs_dir=root / "docs", review=review))
    project.begin_build()
    project.scan()
    return project


UTM_ROWS = (
    "date,channel,source,campaign,clicks\n2026-09-01,SEM,Baidu,autumn-sale,5\n"
    "2026-09-02,Feed,,Not A Slug,3\n2026-09-03,SEM,douyin,spring_2,1\n"
)


def test_the_utm_taxonomy_needs_no_second_cube_of_the_rows(tmp_path: Path, monkeypatch) -> None:
    from planbook import cube
    from planbook.views.analysis.views import utm_taxonomy

    built: list[tuple[str, ...]] = []
    init = cube.MetricFrame.__init__

    def noting(self, frame, dimensions=None, **kw):
        built.append(tuple(dimensions or ()))
        init(self, frame, dimensions, **kw)

    monkeypatch.setattr(cube.MetricFrame, "__init__", noting)
    project = _utm_project(tmp_path / "p", UTM_ROWS)
    for page in list(project.plans.values()):
        project.evaluate(page)
    project.release_rows()
    tax = utm_taxonomy(project)
    assert built == [("channel",), ("channel",)]  # one cube per source set, none by UTM dims
    # what a cube of the rows by channel, source and campaign says (the reading before)
    reference = _utm_project(tmp_path / "r", UTM_ROWS)
    for page in list(reference.plans.values()):
        reference.evaluate(page)
    reference._utm.clear()
    assert utm_taxonomy(reference) == tax
    assert tax.sources >= {"sem", "feed", "mail", "baidu", "douyin"}
    assert {"autumn-sale", "spring_2"} <= tax.campaigns


def test_utm_values_follow_a_data_edit_and_a_numeric_column(tmp_path: Path) -> None:
    from planbook.views.analysis.views import utm_taxonomy

    project = _utm_project(tmp_path / "p", UTM_ROWS)
    for page in list(project.plans.values()):
        project.evaluate(page)
    assert "douyin" in utm_taxonomy(project).sources and len(project._utm) == 2
    (tmp_path / "p" / "data" / "ads.csv").write_text(UTM_ROWS.replace("douyin", "kuaishou"))
    (tmp_path / "p" / "data" / "other.csv").write_text(UTM_ROWS.replace("douyin", "kuaishou"))
    project.begin_build()
    project.scan()
    for page in list(project.plans.values()):
        project.evaluate(page)
    tax = utm_taxonomy(project)
    assert "kuaishou" in tax.sources and "douyin" not in tax.sources
    # the old cubes' values went with them
    assert set(project._utm) == set(project._frames) and len(project._utm) == 2
    # a `source` column of numbers would be a measure of the cube: its reading answers
    import pandas as pd

    rows = pd.DataFrame({"channel": pd.Categorical(["a", "b"]), "source": [1.0, 2.0]})
    project._note_utm_values(("k",), rows)
    assert ("k",) not in project._utm
    rows["source"] = pd.Categorical(["x", None])
    project._note_utm_values(("k",), rows)
    assert project._utm[("k",)] == {"channel": ["a", "b"], "source": ["x", "nan"]}


def _pack(tmp_path: Path, patterns: str) -> Path:
    pack = tmp_path / "acme.yml"
    pack.write_text(
        "pack: acme\nrules:\n"
        "  - id: acme/offer\n    category: brand\n    severity: warning\n"
        f"    basis: b\n    message: m\n    patterns: {patterns}\n",
        encoding="utf-8",
    )
    return pack


def test_patterns_with_their_own_inline_flags_join_as_alternatives(tmp_path: Path) -> None:
    from planbook.review import ReviewConfig, load_ruleset

    pack = _pack(tmp_path, r"""['(?s)free.*trial', '(?x) 全 \s* 网 # comment', '最低价']""")
    ruleset, diags = load_ruleset(ReviewConfig(packs=(), extra_packs=(pack,)))
    assert diags == []  # was: re.error "global flags not at the start", uncaught
    pattern = ruleset.rules["acme/offer"].pattern
    assert pattern is not None
    assert pattern.search("FREE\n30-day trial")  # (?s) kept for its own alternative
    assert pattern.search("全  网") and pattern.search("最低价")
    assert not pattern.search("free") and not pattern.search("comment")


def test_patterns_that_compile_alone_but_not_together_are_a_pack_error(tmp_path: Path) -> None:
    from planbook.review import ReviewConfig, load_ruleset

    pack = _pack(tmp_path, "['(?P<word>cheap)', '(?P<word>便宜)']")
    ruleset, diags = load_ruleset(ReviewConfig(packs=(), extra_packs=(pack,)))
    assert "acme/offer" not in ruleset.rules
    assert [(d.file, d.line, d.field, d.rule) for d in diags] == [
        (str(pack), 8, "rules[0].patterns", "review/pack")  # the patterns: line
    ]
    assert diags[0].message.startswith(
        "invalid regular expression '(?P<word>cheap) | (?P<word>便宜)': redefinition of group name"
    )
