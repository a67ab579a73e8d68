"""Write a pip constraints file that pins every dependency to its declared lower bound.

    python tools/lowest_constraints.py [--extra test] > constraints-lowest.txt
    pip install -c constraints-lowest.txt -e '.[test]'

Each requirement in ``pyproject.toml`` (``[project] dependencies`` and the chosen
optional extras) must carry a ``>=`` lower bound; this prints ``name==bound`` for each.
``make test-lowest`` and the CI job "lowest versions" install with it and run the suite,
so the floors in ``pyproject.toml`` are the versions that are tested, not a guess.
A requirement without a lower bound is an error (exit status 2): it would be untested.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent


class MissingFloor(Exception):
    """A requirement has no ``>=`` lower bound."""


def lower_bounds(pyproject: dict, extras: list[str]) -> list[tuple[str, str]]:
    """``(name, version)`` of each requirement's ``>=`` bound, in declaration order."""
    project = pyproject["project"]
    reqs = list(project.get("dependencies", []))
    optional = project.get("optional-dependencies", {})
    for extra in extras:
        if extra not in optional:
            raise KeyError(f"pyproject.toml has no optional dependencies '{extra}'")
        reqs.extend(optional[extra])
    pins: dict[str, str] = {}
    for text in reqs:
        req = Requirement(text)
        floors = [s.version for s in req.specifier if s.operator in (">=", "==", "~=")]
        if not floors:
            raise MissingFloor(f"'{text}' has no lower bound (>=): its lowest version is untested")
        pins.setdefault(req.name.lower(), max(floors, key=_key))
    return list(pins.items())


def _key(version: str) -> tuple[int, ...]:
    from packaging.version import Version

    return Version(version).release


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--extra", action="append", default=[], help="optional extra to include")
    parser.add_argument("--pyproject", type=Path, default=ROOT / "pyproject.toml")
    args = parser.parse_args(argv)
    data = tomllib.loads(args.pyproject.read_text(encoding="utf-8"))
    try:
        pins = lower_bounds(data, args.extra)
    except (MissingFloor, KeyError) as e:
        print(f"lowest_constraints: {e}", file=sys.stderr)
        return 2
    sys.stdout.write("".join(f"{name}=={version}\n" for name, version in pins))
    return 0


if __name__ == "__main__":
    sys.exit(main())
