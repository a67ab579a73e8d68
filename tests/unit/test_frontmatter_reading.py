"""The front-matter reader's one pass over the composed nodes (issue 12 made it tighter):
the line of every key and list item, the data, and the exact message of every hostile
page stay what an independent reading says."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planbook.frontmatter import read_front_matter, split_front_matter


def _reference_lines(text: str) -> dict[tuple, int]:
    """path -> 1-based line in the page, from PyYAML's pure-Python composer (not ours)."""
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    out: dict[tuple, int] = {}

    def walk(n: yaml.Node, path: tuple) -> None:
        out.setdefault(path, n.start_mark.line + 2)  # the YAML starts on line 2
        if isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                child = (*path, k.value)
                out[child] = k.start_mark.line + 2
                if not isinstance(v, yaml.ScalarNode):
                    walk(v, child)
        elif isinstance(n, yaml.SequenceNode):
            for i, item in enumerate(n.value):
                out[(*path, i)] = item.start_mark.line + 2
                if not isinstance(item, yaml.ScalarNode):
                    walk(item, (*path, i))

    if node is not None:
        walk(node, ())
    return out


_keys = st.sampled_from(["id", "goals", "plan", "目标", "a-b", "x1", "owner", "2026"])
_scalars = st.one_of(
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.none(),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12),
)
_docs = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(_keys, inner, min_size=1, max_size=4)
    ),
    max_leaves=25,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=st.dictionaries(_keys, _docs, min_size=1, max_size=5), flow=st.booleans())
def test_lines_and_data_match_an_independent_reading(doc: dict[str, Any], flow: bool) -> None:
    body = yaml.safe_dump(doc, allow_unicode=True, default_flow_style=flow, sort_keys=False)
    front = read_front_matter(f"---\n{body}---\n# Page\n", "docs/p.md")
    assert front.data == yaml.safe_load(body) == doc
    reference = _reference_lines(body)
    assert front.locations.lines == {**reference, (): 2} or front.locations.lines == reference
    assert [d for d in front.diagnostics if d.rule != "yaml/full-width"] == []


def _said(text: str) -> list[str]:
    return [str(d) for d in read_front_matter(text, "docs/p.md").diagnostics]


DUP = "duplicate key '{0}' (first on line {1}); YAML would keep only the last one"
FW_COLON = (
    "full-width colon '：' (U+FF1A) after '{0}': YAML needs an ASCII ':' followed by a "
    "space ('{0}: …'); the front matter was not read"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "---\nplan:\n  id: a\n  goals:\n    - {id: g, id: h}\n---\n",
            [f"docs/p.md:5: error: plan.goals[0].id: {DUP.format('id', 5)} [yaml/duplicate-key]"],
            id="duplicate key in a flow mapping of a list",
        ),
        pytest.param(
            "---\nplan:\n  id: a\n  ~: x\n  owner: b\n  owner: c\n---\n",
            [
                "docs/p.md:4: error: plan.~: a field name is missing (`~:` or `null:`) "
                "[yaml/null-key]",
                f"docs/p.md:6: error: plan.owner: {DUP.format('owner', 5)} [yaml/duplicate-key]",
            ],
            id="null key and duplicate key",
        ),
        pytest.param(
            "---\nplan:\n\tid: a\n---\n",
            [
                "docs/p.md:3:1: error: invalid YAML: while scanning for the next token found "
                "character that cannot start any token [yaml/syntax]"
            ],
            id="tab indentation",
        ),
        pytest.param(
            "---\nplan:\n  budget: {total: " + "9" * 5000 + "}\n---\n",
            [
                f"docs/p.md:3:19: error: invalid YAML: '{'9' * 59}…' cannot be read as !!int "
                "[yaml/syntax]"
            ],
            id="a 5,000-digit number",
        ),
        pytest.param(
            "---\nx:\n" + "".join("  " * i + f"- k{i}:\n" for i in range(1, 80)) + "---\n",
            [
                "docs/p.md:34: error: front matter is nested more than 64 levels deep [yaml/too-large]"
            ],
            id="deep block nesting",
        ),
        pytest.param(
            "---\na: &a [x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b]\nd: *c\n---\n",
            ["docs/p.md:5:4: error: invalid YAML: found undefined alias [yaml/syntax]"],
            id="undefined alias",
        ),
        pytest.param(
            "---\nplan:\n  team:\n    - role： 分析师\n---\n",
            [f"docs/p.md:4:11: error: {FW_COLON.format('role')} [yaml/full-width]"],
            id="full-width colon in a list item",
        ),
        pytest.param(
            "---\nplan:\n  id： a\n  owner: b\n---\n",
            [f"docs/p.md:3:5: error: {FW_COLON.format('id')} [yaml/full-width]"],
            id="full-width colon after a key",
        ),
        pytest.param(
            "---\nplan:\n  channels: [抖音，小红书]\n---\n",
            [
                "docs/p.md:3:14: warning: full-width comma '，' (U+FF0C) in [抖音，小红书]: YAML "
                "reads it as one value; separate values with an ASCII ',' (or quote the value "
                "if the comma belongs to it) [yaml/full-width]"
            ],
            id="full-width comma",
        ),
    ],
)
def test_hostile_front_matter_keeps_its_file_line_and_field(text: str, expected: list) -> None:
    assert _said(text) == expected


def test_an_alias_bomb_stops_on_its_first_line_and_keeps_no_data() -> None:
    lines = ["---", "title: t", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 8)]
    front = read_front_matter("\n".join(lines) + "\n---\n# Page\n", "docs/p.md")
    assert front.data == {} and front.stamps is None
    (d,) = front.diagnostics
    assert (d.file, d.line, d.rule) == ("docs/p.md", 2, "yaml/too-large")


def test_a_key_after_many_aliases_keeps_its_own_line() -> None:
    text = "---\nbase: &b {x: 1, when: 2026-09-01}\nuse:\n  - *b\n  - *b\nlast: 3\n---\n"
    front = read_front_matter(text, "docs/p.md")
    assert front.data["use"] == [{"x": 1, "when": "2026-09-01"}] * 2
    assert front.locations.line(("last",)) == 6
    # an alias is its anchored node again: what is said about it points at the anchor
    assert front.locations.line(("use", 1)) == front.locations.line(("base",)) == 2
    assert front.stamps is None  # a date under an alias sits at two paths: PyYAML decides


def test_text_that_is_not_utf8_is_refused_by_the_reader_of_the_file(tmp_path) -> None:
    from planbook.project import Project, Settings

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "p.md").write_bytes("---\ntitle: 计划\n---\n".encode("gbk"))
    project = Project(Settings(root=tmp_path, docs_dir=tmp_path / "docs"))
    with pytest.raises(UnicodeDecodeError):
        project.scan()


def test_the_collector_waits_while_front_matter_is_read(monkeypatch) -> None:
    import gc

    from planbook import frontmatter

    page = "---\nplan:\n  goals:\n" + "".join(
        f"    - {{id: g{i}, x: [1, 2]}}\n" for i in range(300)
    )
    page += "---\n# Page\n"
    inside: list[bool] = []
    collections: list[int] = []
    read = frontmatter._read_yaml

    def reading(*args):  # the composing and the walk over the nodes
        inside.append(True)
        try:
            return read(*args)
        finally:
            inside.pop()

    def note(phase: str, info: dict) -> None:
        if phase == "start" and inside:
            collections.append(info["generation"])

    monkeypatch.setattr(frontmatter, "_read_yaml", reading)
    threshold = gc.get_threshold()
    gc.set_threshold(10)  # a collection every ten new objects, were the collector on
    gc.callbacks.append(note)
    try:
        front = read_front_matter(page, "docs/p.md")
        assert collections == [] and gc.isenabled()  # on again once read
        gc.disable()
        read_front_matter(page, "docs/p.md")
        assert not gc.isenabled()  # a caller's choice stays
    finally:
        gc.enable()
        gc.callbacks.remove(note)
        gc.set_threshold(*threshold)
    assert len(front.data["plan"]["goals"]) == 300
    assert front.locations.line(("plan", "goals", 299, "x", 1)) == 303
    # a page that cannot be read switches the collector back on too
    assert read_front_matter("---\na: [\n---\n", "docs/p.md").diagnostics
    assert gc.isenabled()


# ----------------------------------------------------------------------------- the split

# The front-matter split as one regex (what the reader used before issue 12 made it a
# search for the closing line): the reference the split is compared with.
_SPLIT = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n(.*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)


def _split_by_regex(text: str) -> tuple[str | None, str, int]:
    m = _SPLIT.match(text)
    if not m:
        return None, text, 1
    return m.group(1) or "", text[m.end() :], text.count("\n", 0, m.end()) + 1


_PIECES = ["---", "...", "\n", "\r\n", "\r", " ", "\t", "-", ".", "\ufeff", "a: 1", "# x", "--"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=16))
def test_the_split_finds_what_the_regex_found(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert split_front_matter(text) == _split_by_regex(text)


@pytest.mark.parametrize(
    "text",
    [
        "---\n---\n",  # empty front matter
        "---\n---\nbody\n---\n",  # the first closing line ends it: the body keeps its rule
        "---\n---x\n---\nbody",  # `---x` is YAML, not a closing line
        "---\na: 1\n... \t\r\nbody",  # `...` closes too, with blanks and CRLF
        "---\na: 1\n---",  # closing line at the end of the text
        "\ufeff---\r\na: 1\r\n---\r\n# T\r\n",
        "--- \na: 1\n",  # never closed: no front matter
        "---a\n---\n",  # no opening line
        "x\n---\na: 1\n---\n",  # not at the start
    ],
)
def test_the_split_of_edge_cases(text: str) -> None:
    assert split_front_matter(text) == _split_by_regex(text)


_SHARED_TEXT_CASES = [
    "---\nplan:\n  id: a\n  owner: b\n  channels: [抖音, x, '12']\n  start: 2026-09-01\n---\n# b\n",
    "\ufeff---\nbase: &b {owner: b, kpi: x}\nplan:\n  <<: *b\n  id: a\n---\n",  # merge key
    "---\ns: !!set {a, b}\nt: !!str 12\nu: !!binary aGk=\n---\n",  # tags: the constructor
    "---\na: &a {k: [x, 1e308, .inf, -0.0, 99999999999999999999999]}\nb: *a\n---\n",
    "---\n1: one\n~: null key\nx: y\nx: z\n2026-01-01: date key\n---\n",
    "---\n'</script>': \"<b>\\nbreak\"\nlist: [[[['deep']]]]\n---\n",
    "---\nplan:\n  channels: [抖音，小红书]\n  id： a\n---\n",
    "---\na: &a [x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b]\nd: *c\n---\n",
    "---\nplan:\n\tid: a\n---\n",
    "---\n- a\n- b\n---\n",
]


def _strs(value: Any, seen: set[int] | None = None) -> list[str]:
    """Every string in ``value``'s mappings (keys and values) and lists."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return []
    seen.add(id(value))
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _strs(k, seen) + _strs(v, seen)]
    if isinstance(value, list):
        return [s for v in value for s in _strs(v, seen)]
    return [value] if isinstance(value, str) else []


@pytest.mark.parametrize("text", _SHARED_TEXT_CASES)
def test_text_shared_as_it_is_read_reads_as_text_read_alone(text: str) -> None:
    """read_front_matter with a build's strings (issue 12: shared as the YAML is read,
    not by a second walk): the same data, lines, messages and dates as read alone, and
    every string in the data the object the strings' index holds, the index's earlier
    objects reused."""
    alone = read_front_matter(text, "docs/p.md")
    before = read_front_matter(text, "docs/q.md")
    earlier = {s: s for s in _strs(before.data)}
    for path in before.locations.lines:
        earlier.update((p, p) for p in path if isinstance(p, str))
    earlier_paths = {path: path for path in before.locations.lines}
    strings, paths = dict(earlier), dict(earlier_paths)
    shared = read_front_matter(text, "docs/p.md", strings, paths)
    assert repr(shared.data) == repr(alone.data)  # nan != nan: compared as text
    assert shared.locations.lines == alone.locations.lines
    assert shared.locations.default == alone.locations.default
    assert [str(d) for d in shared.diagnostics] == [str(d) for d in alone.diagnostics]
    assert shared.stamps == alone.stamps
    assert shared.body == alone.body and shared.body_line == alone.body_line
    for s in _strs(shared.data):
        assert strings[s] is s
        if s in earlier:
            assert s is earlier[s]
    for path in shared.locations.lines:  # the line map's paths and their text shared
        assert paths[path] is path
        assert path not in earlier_paths or path is earlier_paths[path]
        assert all(strings[p] is p for p in path if isinstance(p, str))


def test_libyamls_nesting_limit_is_said_in_chinese_and_an_alias_bomb_is_not_front_matter() -> None:
    """A rule pack (not front matter) nested past libyaml's limit, or expanding past ours,
    was told in English, or as "front matter" (outside test, stop 30)."""
    from planbook.frontmatter import parse_yaml
    from planbook.messages import say

    _, _, (d,) = parse_yaml("a: " + "[" * 2000 + "\n", "review/pack.yml")
    assert d.rule == "yaml/syntax"
    assert say(d.message, "zh") == "YAML 语法错误：增加嵌套层级时， 超过了最大嵌套深度"
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    _, _, (d,) = parse_yaml("\n".join(lines) + "\n", "review/pack.yml")
    assert say(d.message, "zh").startswith("YAML 展开后超过 20,000 个值")
    assert d.message.startswith("the YAML expands to more than 20,000 values")
