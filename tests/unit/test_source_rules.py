"""Rules about the source itself that no linter here checks.

- Engine first, adapters last: only the MkDocs / CLI / macros adapters (and the MkDocs
  config schema they share) import mkdocs, click or Material, at any depth, also inside
  functions.
- A class or module never defines the same name twice. ruff does not flag a method
  redefined in a class body (F811 looks at module scope); a clean textual merge of two
  branches once left two ``on_shutdown`` methods in the plugin, and the second silently hid
  the first.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "plugins" / "planbook"
ADAPTERS = {"plugin.py", "cli.py", "macros.py", "config.py"}
FRAMEWORKS = ("mkdocs", "click", "material")


def _sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _imported(tree: ast.AST) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.extend((node.lineno, a.name) for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.append((node.lineno, node.module))
    return out


def _framework_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return [
        f"{path.relative_to(PACKAGE)}:{line}: {name}"
        for line, name in _imported(tree)
        if name.split(".")[0] in FRAMEWORKS
    ]


def _engine_modules() -> list[Path]:
    return [p for p in _sources() if not (p.parent == PACKAGE and p.name in ADAPTERS)]


def test_the_package_has_engine_modules_and_every_adapter() -> None:
    names = {p.name for p in _sources() if p.parent == PACKAGE}
    assert names >= ADAPTERS
    assert len(_engine_modules()) > 50


def test_only_the_adapters_import_mkdocs_click_or_material() -> None:
    found = [hit for p in _engine_modules() for hit in _framework_imports(p)]
    assert found == []


def test_the_adapters_check_finds_a_nested_framework_import(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text(
        "import os\n"
        "def f():\n"
        "    from mkdocs.structure.pages import Page\n"
        "    import click.testing\n"
        "    from . import mkdocs\n",
        encoding="utf-8",
    )
    names = [name for _, name in _imported(ast.parse(probe.read_text(encoding="utf-8")))]
    assert names == ["os", "mkdocs.structure.pages", "click.testing"]


def _decorator_names(node: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    names: set[str] = set()
    for d in node.decorator_list:
        target = d.func if isinstance(d, ast.Call) else d
        if isinstance(target, ast.Attribute):
            names.add(target.attr)
        elif isinstance(target, ast.Name):
            names.add(target.id)
    return names


# ``@x.setter`` / ``@x.deleter`` redefine a property on purpose; ``@overload`` stubs and
# ``@singledispatch`` ``register`` implementations (named ``_``) repeat a name by design.
_ALLOWED = {"setter", "deleter", "overload", "register"}


def _redefined(body: list[ast.stmt], where: str) -> list[str]:
    seen: dict[str, int] = {}
    out: list[str] = []
    for node in body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and (
                _decorator_names(node) & _ALLOWED
            ):
                continue
            if node.name in seen:
                out.append(f"{where}:{node.lineno}: {node.name} (first at line {seen[node.name]})")
            seen.setdefault(node.name, node.lineno)
        if isinstance(node, ast.ClassDef):
            out.extend(_redefined(node.body, where))
    return out


def redefinitions(text: str, where: str) -> list[str]:
    """Functions, methods and classes defined twice in one module or class body."""
    return _redefined(ast.parse(text, where).body, where)


@pytest.mark.parametrize("root", ["plugins", "tests", "tools", "bench"])
def test_no_function_method_or_class_is_defined_twice(root: str) -> None:
    base = PACKAGE.parents[1] / root
    assert base.is_dir(), base
    found: list[str] = []
    for path in sorted(base.rglob("*.py")):
        if ".venv" in path.parts or "out" in path.relative_to(base).parts[:1]:
            continue
        found += redefinitions(path.read_text(encoding="utf-8"), str(path.relative_to(base)))
    assert found == []


def test_a_method_defined_twice_is_found() -> None:
    text = (
        "class Plugin:\n"
        "    def on_shutdown(self):\n"
        "        pass\n"
        "    @property\n"
        "    def value(self):\n"
        "        return 1\n"
        "    @value.setter\n"
        "    def value(self, v):\n"
        "        pass\n"
        "    def on_shutdown(self):\n"
        "        pass\n"
        "def helper():\n"
        "    pass\n"
        "def helper():\n"
        "    pass\n"
    )
    assert redefinitions(text, "p.py") == [
        "p.py:10: on_shutdown (first at line 2)",
        "p.py:14: helper (first at line 12)",
    ]
