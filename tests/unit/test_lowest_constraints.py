"""tools/lowest_constraints.py: every requirement has a floor, and the constraints pin it."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import lowest_constraints as lc  # noqa: E402


def test_every_requirement_of_the_project_has_a_floor() -> None:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    pins = dict(lc.lower_bounds(data, ["test"]))
    assert pins["pandas"] == "3.1" and pins["numpy"] == "2.0.2" and pins["click"] == "8.2"
    assert "python-calamine" in pins and "pytest" in pins


def test_constraints_pin_the_lower_bound() -> None:
    data = {
        "project": {
            "dependencies": ["Foo>=1.2,<2", "bar[x]>=0.3.1", "baz==4"],
            "optional-dependencies": {"test": ["qux>=5,!=5.1"]},
        }
    }
    assert lc.lower_bounds(data, ["test"]) == [
        ("foo", "1.2"),
        ("bar", "0.3.1"),
        ("baz", "4"),
        ("qux", "5"),
    ]


def test_a_requirement_without_a_floor_is_an_error() -> None:
    with pytest.raises(lc.MissingFloor, match=r"'foo<2' has no lower bound"):
        lc.lower_bounds({"project": {"dependencies": ["foo<2"]}}, [])
    with pytest.raises(KeyError, match="no optional dependencies 'docs'"):
        lc.lower_bounds({"project": {"dependencies": []}}, ["docs"])
