"""Equal strings and field sets of the pages read made one object (issue 12), with
nothing a reader can tell changed: same values, same order, same aliases."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict

from planbook.frontmatter import read_front_matter
from planbook.model import Plan, validate
from planbook.project import Project, Settings
from planbook.sharing import Shared
from tests.unit.test_model import GOOD as _GOOD

# (longer than the short strings pydantic-core keeps one of on its own)
GOOD = _GOOD.replace("statement: s", "statement: " + "官网日均访问量三个月内提升 20%，" * 8)


def _plan(text: str) -> Plan:
    front = read_front_matter(text, "docs/p.md")
    plan, diags = validate(
        Plan, front.data["plan"], file="docs/p.md", locations=front.locations, prefix=("plan",)
    )
    assert diags == [] and plan is not None
    return plan


def test_front_matter_text_is_shared_in_place_with_order_and_aliases_kept() -> None:
    text = "---\nb: &x [kol, seo]\na: {k: kol, 2: v}\nc: *x\nd: 1.5\n---\n"
    one = read_front_matter(text, "docs/a.md").data
    two = read_front_matter(text, "docs/b.md").data
    before = copy.deepcopy(two)
    containers = (id(two), id(two["a"]), id(two["b"]))
    assert two["b"][0] is not one["b"][0]  # the reader's own strings
    shared = Shared()
    shared.data(one)
    shared.data(two)
    assert two == before and list(two) == ["b", "a", "c", "d"] and list(two["a"]) == ["k", 2]
    assert (id(two), id(two["a"]), id(two["b"])) == containers  # the same containers
    assert two["c"] is two["b"]  # an alias is still one list
    assert two["b"][0] is one["b"][0] is two["a"]["k"]
    assert next(iter(two["a"])) is next(iter(one["a"]))  # keys too


def test_a_mapping_that_holds_itself_is_walked_once() -> None:
    loop: dict = {"name": "x"}
    loop["self"] = loop
    items: list = ["y"]
    items.append(items)
    Shared().data({"loop": loop, "items": items})  # returns: no endless walk
    assert loop["self"] is loop and items[1] is items


def test_models_share_text_and_field_sets_and_stay_equal() -> None:
    one, two = _plan(GOOD), _plan(GOOD.replace("id: spring", "id: autumn"))
    reference = _plan(GOOD.replace("id: spring", "id: autumn"))
    assert two.goals[0].statement is not one.goals[0].statement
    shared = Shared()
    shared.model(one)
    shared.model(two)
    assert two == reference and two.model_dump() == reference.model_dump()
    assert two.goals[0].statement is one.goals[0].statement and two.id == "autumn"
    a, b = one.budget.allocations, two.budget.allocations  # type: ignore[union-attr]
    assert a[0].model_fields_set == {"item", "share"} == b[0].model_fields_set
    assert a[0].__pydantic_fields_set__ is b[0].__pydantic_fields_set__
    assert b[3].model_fields_set == {"item", "amount"}
    # a copy with an update has its own set: the shared one does not change
    changed = b[0].model_copy(update={"cap": 5.0})
    assert "cap" in changed.model_fields_set and a[0].model_fields_set == {"item", "share"}
    with pytest.raises(Exception, match="frozen"):
        b[0].item = "other"  # type: ignore[misc]
    assert a[0].model_fields_set == {"item", "share"}


def test_a_model_that_may_change_is_refused() -> None:
    class Loose(BaseModel):
        model_config = ConfigDict(frozen=False)
        name: str

    with pytest.raises(TypeError, match="not frozen"):
        Shared().model(Loose(name="x"))


def key_b_deadline(page) -> tuple:  # type: ignore[no-untyped-def]
    """The line map's own path object for the first goal's deadline."""
    return next(k for k in page.front.locations.lines if k == ("plan", "goals", 0, "deadline"))


def test_pages_read_by_a_project_share_their_plans_text(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    texts = {"a.md": GOOD, "b.md": GOOD.replace("id: spring", "id: autumn")}
    project = Project(Settings(root=tmp_path, docs_dir=docs))
    a, b = (project.read_page(uri, text) for uri, text in texts.items())
    assert a.plan is not None and b.plan is not None
    assert b.plan == _plan(texts["b.md"]) and a.plan == _plan(texts["a.md"])
    assert a.plan.goals[0].statement is b.plan.goals[0].statement
    ga, gb = a.front.data["plan"]["goals"][0], b.front.data["plan"]["goals"][0]
    assert ga["statement"] is gb["statement"] is b.plan.goals[0].statement and ga == gb
    # their line maps: the same lines, by the same path objects
    reference = read_front_matter(texts["b.md"], "docs/b.md").locations.lines
    lines_a, lines_b = a.front.locations.lines, b.front.locations.lines
    assert lines_b == reference and list(lines_b) == list(reference)
    path = ("plan", "goals", 0, "statement")
    assert b.front.locations.line(path) == reference[path] == 7
    key_a = next(k for k in lines_a if k == path)
    assert next(k for k in lines_b if k == path) is key_a
    # and the keys' text is the front matter's own
    assert key_a[0] is next(iter(b.front.data)) and key_a[0] == "plan"
    # the dates PyYAML would read (page.meta) and the models' dates: one object each
    assert a.front.stamps is not None and b.front.stamps is not None
    assert b.front.stamps == read_front_matter(texts["b.md"], "docs/b.md").stamps
    deadline = ("plan", "goals", 0, "deadline")
    assert a.front.stamps[deadline] is b.front.stamps[deadline]
    assert a.plan.goals[0].deadline is b.plan.goals[0].deadline == b.front.stamps[deadline]
    assert next(k for k in b.front.stamps if k == deadline) is key_b_deadline(b)
    # once the plans are evaluated the index goes, the shared strings stay
    project.evaluate(a)
    assert (project.shared._text, project.shared._paths, project.shared._dates) == ({}, {}, {})
    assert a.plan.goals[0].statement is b.plan.goals[0].statement


def test_a_page_read_again_this_build_is_known_by_its_hash_not_its_text(
    tmp_path: Path,
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    project = Project(Settings(root=tmp_path, docs_dir=docs))
    page = project.read_page("a.md", GOOD)
    assert project.read_page("a.md", str(GOOD)) is page  # MkDocs hands it over again
    assert project._read["a.md"] == (len(GOOD), hash(GOOD), page)  # the text is not held
    changed = project.read_page("a.md", GOOD.replace("id: spring", "id: autumn"))
    assert changed is not page and changed.plan is not None and changed.plan.id == "autumn"


def test_shared_lines_answer_as_the_line_map_they_were_made_from() -> None:
    from planbook.sharing import SharedLines

    texts = [
        GOOD,
        GOOD.replace("id: spring", "id: autumn"),
        GOOD.replace("  goals:\n", "  x: 1\n  goals:\n"),
    ]
    fronts = [read_front_matter(t, "docs/p.md") for t in texts]
    plain = [copy.deepcopy(f.locations) for f in fronts]
    shared = Shared()
    made = [shared.locations(f.locations) for f in fronts]
    assert all(isinstance(m, SharedLines) for m in made)
    assert made[0].layout is made[1].layout  # same paths in the same order: one layout
    assert made[2].layout is not made[0].layout  # one more key: a layout of its own
    for m, p in zip(made, plain, strict=True):
        assert m.lines == p.lines and list(m.lines) == list(p.lines) and m.default == p.default
        asked = [*p.lines, ("plan", "goals", 0, "nope", 3), ("nope",), ("plan", "budget", "x")]
        for path in asked:
            assert m.line(path) == p.line(path), path
            assert m.has(path) == p.has(path) == (path in p.lines), path
            assert (
                m.sub(path).lines == p.sub(path).lines
                and m.sub(path).default == p.sub(path).default
            )
        assert m.line(()) == p.line(())
    # no root line: the default answers
    from planbook.frontmatter import Locations

    bare = shared.locations(Locations({("a",): 3}, default=7))
    assert (bare.line(("b",)), bare.line(("a", "x")), bare.line(())) == (7, 3, 7)
    assert (bare.has(("a",)), bare.has(("a", "x")), bare.has(())) == (True, False, False)
    calls: list[int] = []

    class Counting(SharedLines):
        @property  # type: ignore[override]
        def lines(self) -> dict:
            calls.append(1)
            return super().lines

    counted = Counting(made[0].layout, made[0].numbers, made[0].default)
    assert counted.has(("plan", "goals")) and not counted.has(("nope",))
    assert calls == []  # asked without making the whole map again (data.gather asks per source)
    # a line number an array cannot hold keeps its mapping; a released map stays as it is
    huge = Locations({("a",): 2**40}, default=1)
    assert shared.locations(huge) is huge


def test_a_released_pages_lines_are_read_again_as_before(tmp_path: Path) -> None:
    from planbook.frontmatter import ReleasedLocations
    from planbook.sharing import SharedLines

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text(GOOD, encoding="utf-8")
    project = Project(Settings(root=tmp_path, docs_dir=docs))
    page = project.read_page("a.md", GOOD)
    assert isinstance(page.front.locations, SharedLines)
    before = page.front.locations.lines
    project.release_page("a.md")
    assert isinstance(page.front.locations, ReleasedLocations)
    assert page.front.locations.lines == before


def test_equal_sub_models_of_plans_read_are_one_and_unequal_ones_stay_apart() -> None:
    texts = {
        "a": GOOD,
        "b": GOOD.replace("id: spring", "id: autumn"),
        # the same figures but for a zero's sign, and a field given as its default
        "c": GOOD.replace("baseline: 0.03", "baseline: -0.0").replace(
            "{item: ads, share: 0.4}", "{item: ads, share: 0.4, cap: null}"
        ),
        "d": GOOD.replace("baseline: 0.03", "baseline: 0.0"),
    }
    shared = Shared()
    plans = {k: _plan(t) for k, t in texts.items()}
    for plan in plans.values():
        shared.model(plan)
    a, b, c, d = plans["a"], plans["b"], plans["c"], plans["d"]
    assert a is not b and a.id == "spring" and b.id == "autumn"  # the plans stay their own
    assert b.goals[0] is a.goals[0] and b.budget is a.budget and b.period is a.period
    for key, plan in plans.items():  # every plan reads as its own text validated alone
        alone = _plan(texts[key])
        assert plan == alone and plan.model_dump() == alone.model_dump()
        assert plan.model_dump(exclude_unset=True) == alone.model_dump(exclude_unset=True)
    assert c.goals[0] is not d.goals[0] and str(c.goals[0].baseline) == "-0.0"
    assert c.budget is not a.budget and "cap" in c.budget.allocations[0].model_fields_set  # type: ignore[union-attr]
    assert c.budget.allocations[1] is a.budget.allocations[1]  # type: ignore[union-attr]


def test_hostile_front_matter_is_shared_without_a_crash(tmp_path: Path) -> None:
    deep = "[" * 60 + "x" + "]" * 60
    text = (
        "---\ntitle: '</script><b>'\nnest: " + deep + "\n"
        "a: &a {k: [1e308, .inf, .nan, -0.0, 99999999999999999999999]}\nb: *a\n"
        "'</script>': \"line\\nbreak\"\n---\n# T\n"
    )
    docs = tmp_path / "docs"
    docs.mkdir()
    project = Project(Settings(root=tmp_path, docs_dir=docs))
    page = project.read_page("p.md", text)
    reference = read_front_matter(text, "docs/p.md")
    assert repr(page.front.data) == repr(reference.data)  # nan != nan: compared as text
    assert page.front.data["b"] is page.front.data["a"]
    assert page.front.locations.line(("nest",)) == reference.locations.line(("nest",)) == 3


_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, 1, 1.0, True, "1", "</script>", "预热期\n"]),
    st.text(max_size=3),
    st.dates(),
    st.datetimes(),
)
_VALUES = st.recursive(
    _LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(st.one_of(st.text(max_size=2), st.integers(0, 3)), inner, max_size=3),
    ),
    max_leaves=12,
)


def _walked_key(shared: Shared, v: Any) -> Any:
    """The key of a value walked on its own (as Shared once did beside its sharing walk):
    lists and mappings part by part, the rest (mapping keys) as Shared._key keys them."""
    kind = type(v)
    if kind is list or kind is tuple:
        parts = tuple(_walked_key(shared, item) for item in v)
        return None if None in parts else (kind, *parts)
    if kind is dict:
        flat = tuple(
            part for k, x in v.items() for part in (shared._key(k), _walked_key(shared, x))
        )
        return None if None in flat else (kind, *flat)
    return shared._key(v)


def _typed(v: Any) -> Any:
    """``v`` as text that tells types apart (``1``, ``1.0``, ``True``, ``-0.0``, a date
    and a datetime), for comparing what equal keys stand for."""
    kind = type(v)
    if kind is list or kind is tuple:
        return (kind.__name__, [_typed(item) for item in v])
    if kind is dict:
        return ("dict", [(_typed(k), _typed(x)) for k, x in v.items()])
    if kind is float:
        return ("float", v.hex())
    return (kind.__name__, repr(v))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_VALUES, min_size=1, max_size=4))
def test_one_walk_shares_and_keys_a_value_as_the_two_walks_did(values) -> None:
    """Shared._share: the value shared in place and its key in one walk; the key is the
    one a separate key walk gives the shared value, and the value equals it."""
    shared = Shared()
    for v in values:
        before = copy.deepcopy(v)
        out, key = shared._share(v)
        assert repr(out) == repr(before)
        assert key == _walked_key(shared, out)
        assert (key is None) == (_walked_key(shared, before) is None)
        if key is not None:
            assert shared._share(copy.deepcopy(before))[1] == key  # equal values, equal keys


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_VALUES, _VALUES)
def test_equal_keys_stand_for_values_of_the_same_types_and_text(a: Any, b: Any) -> None:
    """Shared._share's keys (text and dates bare, numbers tagged with their type): two
    values have equal keys only when they are the same, type for type (a model whose key
    matched another's would be replaced by it), and equal values have equal keys."""
    shared = Shared()
    key_a = shared._share(copy.deepcopy(a))[1]
    key_b = shared._share(copy.deepcopy(b))[1]
    if key_a is not None and key_b is not None:
        assert (key_a == key_b) == (_typed(a) == _typed(b))


def test_keys_tell_text_numbers_booleans_none_and_dates_apart() -> None:
    shared = Shared()
    leaves = [1, 1.0, True, 0, 0.0, -0.0, False, None, "1", "True", "None", date(2026, 1, 1)]
    keys = [shared._share(v)[1] for v in leaves]
    assert all(k is not None for k in keys)
    assert len(set(keys)) == len(leaves)
    nested = [[1], [1.0], [True], {"a": 1}, {"a": True}, {1: "a"}, {True: "a"}, ("a",), ["a"]]
    nested += [[1, 2], [[1], 2], [[1, 2]], {"a": "b"}, ["a", "b"], [0.0], [-0.0], [float("inf")]]
    nested_keys = [shared._share(v)[1] for v in nested]
    assert len(set(nested_keys)) == len(nested)


def test_the_model_index_holds_one_set_of_fields_and_names_per_kind(tmp_path: Path) -> None:
    """Shared's model index (issue 12: ~20 MB of small tuples on 1,000 plans): the models'
    keys hold the one frozenset of given fields and the one tuple of field names that the
    models with those fields share, not one of their own each; the keys hold no
    (name, value) pairs."""
    docs = tmp_path / "docs"
    docs.mkdir()
    project = Project(Settings(root=tmp_path, docs_dir=docs))
    for n in range(3):
        text = _GOOD.replace("  id: spring\n", f"  id: plan-{n}\n")
        assert f"plan-{n}" in text
        project.read_page(f"p{n}.md", text)
    shared = project.shared
    keys = list(shared._models)
    assert keys
    field_sets = {id(k[1]) for k in keys}
    assert len(field_sets) == len({k[1] for k in keys}) == len(shared._fields)
    assert len({id(k[2]) for k in keys}) == len({k[2] for k in keys})
    for key in keys:
        assert len(key) == 3 + len(key[2])  # one part per field, the names held apart
