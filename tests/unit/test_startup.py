"""The fixed cost of every build (issue 12): front matter read once per page and build,
in one pass that keeps every line and every guard; rule packs compiled once per content;
no plotly imported by the plugin or by a build without charts."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from planbook import frontmatter
from planbook.frontmatter import parse_yaml, read_front_matter
from planbook.project import Project, Settings
from planbook.review import ReviewConfig, RulesetCache, load_ruleset
from tests.conftest import write_site

PLAN = """\
---
title: Autumn
plan:
  id: autumn
  period: {start: 2026-09-01, end: 2026-12-31}
  goals:
    - {id: clicks, statement: s, kpi: clicks, baseline: 0, target: 100, deadline: 2026-12-31}
---
# Autumn
"""


class _Count:
    """Wraps the YAML reader and counts the calls on page front matter."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.pages = 0
        real = frontmatter._parse_yaml

        def counted(text, file, first_line, full_width_commas, *shared):
            if full_width_commas:  # pages; rule packs are read without
                self.pages += 1
            return real(text, file, first_line, full_width_commas, *shared)

        monkeypatch.setattr(frontmatter, "_parse_yaml", counted)


# ----------------------------------------------------------------------------- once per build


def test_a_build_parses_each_page_front_matter_once(build_site, tmp_path, monkeypatch) -> None:
    count = _Count(monkeypatch)
    plan = PLAN.replace("Autumn", f"Autumn {tmp_path.name}")  # pages no other test wrote
    pages = {
        "index.md": "# Home\n",  # no front matter: nothing to parse
        "a.md": plan,
        "b.md": plan.replace("id: autumn", "id: winter"),
        "c.md": "---\ntitle: Notes\n---\n# Notes\n",
    }
    built = build_site(pages, options="review: false")
    assert built.error is None, built.messages
    assert count.pages == 3


def test_rebuilds_parse_only_the_pages_whose_text_changed(tmp_path, monkeypatch) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    pack = tmp_path / "acme.yml"
    pack.write_text(_pack("便宜"), encoding="utf-8")
    # MkDocs keeps a plugin with `on_startup` (and its page cache) across load_config
    # calls in one process: pages no other test wrote
    plan = PLAN.replace("Autumn", f"Autumn {tmp_path.name}")
    root = write_site(
        tmp_path,
        {"index.md": "# Home\n", "a.md": plan, "b.md": plan.replace("autumn", "winter")},
        options=f"review_extra_packs: [{pack}]",
    )
    cfg = load_config(str(root / "mkdocs.yml"))
    cfg.plugins.on_startup(command="serve", dirty=False)
    plugin = cfg.plugins["planbook"]
    count = _Count(monkeypatch)
    try:
        build(cfg)
        assert count.pages == 2
        packs = plugin.project.packs
        first = packs.compiled  # the plugin (and its cache) may come from an earlier test
        build(cfg)  # nothing changed
        assert (count.pages, packs.compiled) == (2, first)
        (root / "docs" / "b.md").write_text(plan.replace("autumn", "spring"), encoding="utf-8")
        build(cfg)
        assert (count.pages, packs.compiled) == (3, first)
        pack.write_text(_pack("廉价"), encoding="utf-8")
        build(cfg)
        assert (count.pages, packs.compiled) == (3, first + 1)
        rule = plugin.project.ruleset()[0].rules["acme/cheap"]
        assert rule.terms == ("廉价",)
    finally:
        cfg.plugins.on_shutdown()


def test_read_page_twice_reads_the_yaml_once(tmp_path, monkeypatch) -> None:
    project = Project(Settings(root=tmp_path, docs_dir=tmp_path / "docs"))
    count = _Count(monkeypatch)
    first = project.read_page("a.md", PLAN)
    assert project.read_page("a.md", PLAN) is first
    assert count.pages == 1
    project.read_page("a.md", PLAN.replace("Autumn", "Fall"))
    assert count.pages == 2


# ----------------------------------------------------------------------------- rule packs


def _pack(term: str) -> str:
    return (
        "pack: acme\nrules:\n"
        "  - id: acme/cheap\n    category: brand\n    severity: warning\n"
        f"    basis: 品牌手册\n    message: 品牌禁用词\n    terms: [{term}]\n"
    )


def test_ruleset_cache_is_keyed_by_the_packs_content(tmp_path: Path) -> None:
    pack = tmp_path / "acme.yml"
    pack.write_text(_pack("便宜"), encoding="utf-8")
    config = ReviewConfig(packs=("pii",), extra_packs=(pack,))
    cache = RulesetCache()
    first, diags = load_ruleset(config, cache)
    again, _ = load_ruleset(config, cache)
    assert again is first and cache.compiled == 1 and diags == []
    assert first.rules["acme/cheap"].terms == ("便宜",)

    pack.write_text(_pack("廉价"), encoding="utf-8")  # same size, other content
    changed, _ = load_ruleset(config, cache)
    assert cache.compiled == 2 and changed is not first
    assert changed.rules["acme/cheap"].terms == ("廉价",)

    pack.unlink()  # gone: said again on every build, never served from the cache
    gone, diags = load_ruleset(config, cache)
    assert cache.compiled == 3 and "acme/cheap" not in gone.rules
    assert [d.rule for d in diags] == ["review/pack"]
    _, diags = load_ruleset(config, cache)
    assert cache.compiled == 3 and [d.rule for d in diags] == ["review/pack"]

    other = ReviewConfig(packs=("cn-ad-law",), extra_packs=())  # other options: compiled
    assert "acme/cheap" not in load_ruleset(other, cache)[0].rules
    assert cache.compiled == 4


def test_a_broken_pack_says_so_on_every_build(tmp_path: Path) -> None:
    pack = tmp_path / "acme.yml"
    pack.write_text(_pack("便宜").replace("warning", "fatal"), encoding="utf-8")
    cache = RulesetCache()
    config = ReviewConfig(packs=(), extra_packs=(pack,))
    said = [[d.rule for d in load_ruleset(config, cache)[1]] for _ in range(2)]
    assert said == [["review/pack"], ["review/pack"]] and cache.compiled == 1


# ----------------------------------------------------------------------------- one-pass reader

PAGE = """\
---
title: Autumn
plan:
  id: autumn
  owner: a
  owner: b
  channels: [抖音，小红书, seo]
  goals:
    - {id: clicks, kpi: clicks}
    -
      id: leads
      target: abc
  ~: x
---
# Autumn
"""


def test_front_matter_messages_keep_their_lines_and_columns() -> None:
    front = read_front_matter(PAGE, "docs/a.md")
    assert [str(d) for d in front.diagnostics] == [
        "docs/a.md:7:14: warning: full-width comma '，' (U+FF0C) in [抖音，小红书]: YAML reads "
        "it as one value; separate values with an ASCII ',' (or quote the value if the comma "
        "belongs to it) [yaml/full-width]",
        "docs/a.md:6: error: plan.owner: duplicate key 'owner' (first on line 5); YAML would "
        "keep only the last one [yaml/duplicate-key]",
        "docs/a.md:13: error: plan.~: a field name is missing (`~:` or `null:`) [yaml/null-key]",
    ]
    lines = front.locations
    assert lines.line(("plan", "goals", 0, "kpi")) == 9
    assert lines.line(("plan", "goals", 1)) == 11
    assert lines.line(("plan", "goals", 1, "target")) == 12
    assert lines.line(("plan", "goals", 1, "nothing")) == 11  # its nearest ancestor
    assert front.data["plan"]["owner"] == "b"


def test_schema_messages_name_the_line_of_the_field(tmp_path) -> None:
    project = Project(Settings(root=tmp_path, docs_dir=tmp_path / "docs"))
    text = PLAN.replace("target: 100", "target: abc")
    page = project.read_page("a.md", text)
    assert [str(d) for d in page.diagnostics] == [
        "docs/a.md:7: error: plan.goals[0].target: expected a number, got 'abc' [schema]"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\nb: [x, 'y', 2.5, -3, 0x1F, 1_000, 1:30, .inf, yes, No, ~, null, '']\n",
        "a: &d {x: 1, y: [1, 2]}\nb: *d\nc: &s text\nd: *s\n",
        "a: &d {x: 1}\nb:\n  <<: *d\n  y: 2\n",
        "x: &a [*a]\n",
        "1: a\n2.5: b\ntrue: c\n~: d\n",
        "x: !!set {a, b}\ny: !!str 12\nz: !!binary aGVsbG8=\n",
        "= : 3\nlist:\n  - a\n  -\n  - {b: 1}\n",
        "plain text, not a mapping\n",
    ],
)
def test_the_one_pass_reader_builds_what_pyyaml_builds(text: str) -> None:
    data, _, diags = parse_yaml(text, "a.yml")
    expected = yaml.load(text, Loader=yaml.SafeLoader)
    assert repr(data) == repr(expected)
    assert not [d for d in diags if d.severity.value == "error" and d.rule != "yaml/null-key"]


# ----------------------------------------------------------------------------- still guarded


def test_alias_bomb_and_deep_nesting_are_still_refused_on_their_lines() -> None:
    lines = ["---", "title: ok", "a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    bomb = read_front_matter("\n".join(lines) + "\n---\n", "docs/a.md")
    assert bomb.data == {}
    assert [str(d) for d in bomb.diagnostics] == [
        "docs/a.md:2: error: the YAML expands to more than 20,000 values (YAML aliases "
        "`*name` repeat what they point to); it is not read [yaml/too-large]"
    ]
    deep = read_front_matter("---\ntitle: ok\nx: " + "[" * 70 + "1" + "]" * 70 + "\n---\n", "a.md")
    assert [str(d) for d in deep.diagnostics] == [
        "a.md:3: error: front matter is nested more than 64 levels deep [yaml/too-large]"
    ]
    wide = read_front_matter("---\nx: [" + "1, " * 30_000 + "1]\n---\n", "a.md")
    assert [d.rule for d in wide.diagnostics] == ["yaml/too-large"]


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("!!int abc", "'abc' cannot be read as !!int"),
        ("!!float abc", "'abc' cannot be read as !!float"),
        ("!!bool maybe", "'maybe' cannot be read as !!bool"),
        ("9" * 5000, "'" + "9" * 59 + "…' cannot be read as !!int"),
    ],
)
def test_values_yaml_cannot_convert_are_a_located_error_not_a_crash(value, said) -> None:
    front = read_front_matter(f"---\ntitle: ok\nx: {value}\n---\n", "a.md")
    assert front.data == {}
    assert [str(d) for d in front.diagnostics] == [
        f"a.md:3:4: error: invalid YAML: {said} [yaml/syntax]"
    ]


def test_a_tagged_value_pyyaml_cannot_build_is_an_error_not_a_crash() -> None:
    front = read_front_matter("---\ntitle: ok\nx: !!timestamp 2026-13-01\n---\n", "a.md")
    assert front.data == {}
    assert [str(d) for d in front.diagnostics] == [
        "a.md:2: error: invalid YAML: month must be in 1..12 [yaml/syntax]"
    ]


def test_python_tags_are_still_refused() -> None:
    front = read_front_matter("---\nx: !!python/object/apply:os.system [ls]\n---\n", "a.md")
    assert front.data == {} and [d.rule for d in front.diagnostics] == ["yaml/syntax"]
    assert "tags such as !!python/object are refused" in front.diagnostics[0].message


# ----------------------------------------------------------------------------- imports


def _modules_after(code: str) -> set[str]:
    script = code + "\nimport sys\nprint(' '.join(sorted(sys.modules)))\n"
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=300
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return set(proc.stdout.split()[-100_000:])


FIGURE_CODE = {
    f"planbook.views.charts.{m}" for m in ("embed", "goals", "planning", "spend", "payload")
}


def test_importing_the_plugin_does_not_import_plotly() -> None:
    modules = _modules_after("import planbook.plugin")
    assert "planbook.plugin" in modules
    assert not [m for m in modules if m.split(".")[0] == "plotly"]
    assert not FIGURE_CODE & modules  # the chart figure builders load with a first chart
    # the analysis computations load with the first page that has an analysis shortcode
    assert "planbook.views.analysis.views" in modules
    assert (
        not {"planbook.metrics.analysis.attribution", "planbook.metrics.analysis.customers"}
        & modules
    )


def test_importing_the_plugin_builds_no_pydantic_validator() -> None:
    # Every model's validator is built with its first use (defer_build): ~100 ms of the
    # import went to ~55 model classes, most of which a build never validates directly.
    code = textwrap.dedent("""
        import pydantic
        import planbook.plugin
        seen, todo = set(), [pydantic.BaseModel]
        while todo:
            for sub in todo.pop().__subclasses__():
                if sub not in seen:
                    seen.add(sub)
                    todo.append(sub)
        ours = [m for m in seen if m.__module__.startswith("planbook.")]
        print(len(ours), [m.__qualname__ for m in ours if m.__pydantic_complete__])
        from planbook.model import Plan
        period = {"start": "2026-09-01", "end": "2026-12-31"}
        plan = Plan.model_validate({"id": "a", "period": period})
        print(plan.period.end, Plan.__pydantic_complete__)
    """)
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=300
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    models, validated = proc.stdout.splitlines()
    count, built = models.split(" ", 1)
    assert int(count) >= 40 and built == "[]"
    assert validated == "2026-12-31 True"  # built on first use, and validates as before


def test_a_site_without_data_or_charts_builds_without_plotly(tmp_path: Path) -> None:
    plan = PLAN.replace("  goals:", "  metrics: []\n  goals:")
    root = write_site(tmp_path, {"index.md": "# Home\n", "a.md": plan})
    modules = _modules_after(
        textwrap.dedent(f"""
            import logging
            logging.basicConfig(level=logging.ERROR)
            from mkdocs.commands.build import build
            from mkdocs.config import load_config
            build(load_config({str(root / "mkdocs.yml")!r}))
        """)
    )
    assert "planbook.plugin" in modules and (root / "site" / "a" / "index.html").is_file()
    assert not [m for m in modules if m.split(".")[0] == "plotly"]
    assert not FIGURE_CODE & modules


def test_the_first_chart_loads_the_figure_code(tmp_path: Path) -> None:
    plan = PLAN.replace("# Autumn", '# Autumn\n\n{{ goal_chart("clicks") }}\n')
    data = "date,clicks\n2026-09-01,3\n2026-09-02,5\n"
    root = write_site(tmp_path, {"index.md": "# Home\n", "a.md": plan}, {"c.csv": data})
    root.joinpath("docs/a.md").write_text(
        plan.replace("  goals:", "  metrics: [data/c.csv]\n  goals:"), encoding="utf-8"
    )
    modules = _modules_after(
        textwrap.dedent(f"""
            import logging
            logging.basicConfig(level=logging.ERROR)
            from mkdocs.commands.build import build
            from mkdocs.config import load_config
            build(load_config({str(root / "mkdocs.yml")!r}))
        """)
    )
    html = (root / "site" / "a" / "index.html").read_text(encoding="utf-8")
    assert "plotly.min.js" in html and (root / "site/assets/planbook/plotly.min.js").is_file()
    assert {"planbook.views.charts.embed", "planbook.views.charts.goals"} <= modules


# ----------------------------------------------------------------------------- page.meta


@pytest.mark.parametrize(
    "text",
    [
        "title: T\ndate: 2026-09-01\nat: 2026-09-01 10:30:00+08:00\nq: '2026-09-01'\n",
        "plan:\n  period: {start: 2026-09-01, end: 2026-12-31}\n  days: [2026-01-02, x, 3]\n",
        "a: &s 2026-01-01\nb: *s\nc: [*s]\nn: 2026\nv: 1.10\ny: yes\nz: ~\n",
        "title: x\ntitle: y\n~: z\n",  # duplicate and null keys: reported, read as PyYAML
    ],
)
def test_safe_meta_is_what_pyyaml_makes_of_the_front_matter(text: str) -> None:
    front = read_front_matter(f"---\n{text}---\n# Page\n", "a.md")
    meta = frontmatter.safe_meta(front)
    assert repr(meta) == repr(yaml.load(text, Loader=yaml.SafeLoader))
    meta["title"] = "changed"  # a copy: whoever edits page.meta leaves the reading alone
    assert front.data.get("title") != "changed"
    assert isinstance(front.data.get("date", ""), str)  # the plan reader still has text


@pytest.mark.parametrize(
    "text",
    [
        "when: 2026-13-01\n",  # PyYAML fails on the whole document
        "when: 2026-02-30\n",
        "when: 2026-02-30 10:00:00\n",
        "2026-01-01: launch\n",  # a date as a key
        "base: &b {day: 2026-01-01}\nother: *b\n",  # an aliased mapping
        "a: &d {x: 1}\nb:\n  <<: *d\n",  # merge key
        "x: !!set {a, b}\n",
        "- a\n- b\n",  # not a mapping
        "# nothing\n",  # no document: MkDocs keeps the block in the page
        "title: [broken\n",
    ],
)
def test_safe_meta_leaves_what_it_cannot_tell_to_mkdocs(text: str) -> None:
    assert frontmatter.safe_meta(read_front_matter(f"---\n{text}---\n# Page\n", "a.md")) is None


# ----------------------------------------------------------------------------- build keeps nothing


def test_a_build_keeps_no_pages_for_a_next_build(build_site, tmp_path, monkeypatch) -> None:
    """Only `mkdocs serve` has a next build: `mkdocs build` neither keeps pages nor
    looks up the evaluations a kept page would hold (a data lookup per page)."""
    from planbook.serve_cache import Kept

    calls: list[bool] = []
    real = Kept.uses

    def counted(self, project, prepared):
        calls.append(True)
        return real(self, project, prepared)

    monkeypatch.setattr(Kept, "uses", counted)
    plan = PLAN.replace("Autumn", f"Autumn {tmp_path.name}")
    built = build_site({"index.md": "# Home\n", "a.md": plan}, options="review: false")
    assert built.error is None, built.messages
    assert "autumn" in built.raw("a/index.html").lower() and calls == []

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    cfg = load_config(str(built.root / "mkdocs.yml"))
    cfg.plugins.on_startup(command="serve", dirty=False)
    try:
        build(cfg)
        assert calls  # serve keeps its pages, with what they show
        assert "a.md" in cfg.plugins["planbook"].kept
    finally:
        cfg.plugins.on_shutdown()

    # MkDocs hands the same plugin object to the next load_config in this process: once
    # the serve session has shut down, a build without on_startup is a plain build
    cfg = load_config(str(built.root / "mkdocs.yml"))
    plugin = cfg.plugins["planbook"]
    assert plugin.kept.pages == {} and plugin.project is None
    calls.clear()
    build(cfg)
    assert calls == [] and plugin.kept.pages == {} and not plugin.is_serve


def test_serve_puts_every_thread_in_one_malloc_arena_and_build_does_not(monkeypatch):
    import sys

    from planbook.plugin import PlanbookPlugin
    from planbook.sources import memory

    calls: list[str] = []
    monkeypatch.setattr(memory, "one_arena", lambda: calls.append("one") or True)
    plugin = PlanbookPlugin()
    plugin.on_startup(command="build", dirty=False)
    assert calls == []
    plugin.on_startup(command="serve", dirty=False)
    assert calls == ["one"]
    monkeypatch.undo()
    # glibc here (the CI's Debian): mallopt accepts it; elsewhere it says it could not
    assert memory.one_arena() is sys.platform.startswith("linux")


def test_page_meta_copies_every_mapping_and_list_once_and_shares_the_rest() -> None:
    import copy
    from datetime import date

    shared = ["x", 1]
    data: dict = {"a": shared, "b": {"c": shared, "d": [date(2026, 9, 1), None, 1.5, "</script>"]}}
    data["self"] = data  # an alias of an ancestor
    out = frontmatter._containers_copied(data, {})
    assert repr(out) == repr(copy.deepcopy(data))  # deepcopy keeps aliases the same way
    assert out["a"] is out["b"]["c"] is not shared and out["self"] is out is not data
    assert out["b"]["d"] is not data["b"]["d"] and out["b"]["d"][3] is data["b"]["d"][3]
