"""The package's layout: arrows point one way, and no module grows past a bound.

DESIGN.md ("Where the package is going"): the flow is visible as folders, ``sources/`` ->
the cube -> ``metrics/`` -> ``views/`` -> the adapters, and arrows point from the adapters
to the views to the metrics to the cube to the sources, never back. Every module of
``plugins/planbook`` has a layer (:data:`LAYERS`, low to high); a module may import its own
layer and the layers below. Every import counts, also inside functions; imports under
``if TYPE_CHECKING:`` do not (they never run). An arrow that must point back for now is in
:data:`ALLOWED`, with why.

DESIGN asks for modules of about 600 lines at most; a few hold 600-700 today, so the bound
enforced here is 700 (:data:`MAX_LINES`), and a module already past it is in
:data:`LONG`, capped at its size today.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "plugins" / "planbook"

# Low to high. A name is a module or a package (the package's modules share its layer).
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    (
        "leaves",  # usable from every layer: they import only each other
        (
            "planbook",  # __init__: the version and the public names
            "planbook.diagnostics",
            "planbook.fields",  # the id and text types every front-matter model uses
            "planbook.validation",  # front matter into a model, its errors as diagnostics
            "planbook.messages",
            "planbook.format",  # the one number formatter (metrics' messages use it too)
            "planbook.i18n",
            "planbook.mdtext",
            "planbook.columns",
            "planbook.yaml_nodes",
            "planbook.frontmatter",
            "planbook.sharing",
            "planbook.regex_guard",  # a site's regular expressions checked before use
        ),
    ),
    ("sources", ("planbook.sources",)),
    ("cube", ("planbook.cube", "planbook.grouping", "planbook.data")),
    # The typed plan and what is computed from it are one layer: the model reads the
    # front-matter fields that live beside their engines (metrics.analysis.spec,
    # metrics.content.spec) and checks phased targets (metrics.targets); the metrics read
    # the model's types.
    ("model/metrics", ("planbook.model", "planbook.metrics")),
    ("review", ("planbook.review",)),
    ("views", ("planbook.views",)),
    # The engine's entry point: one site's pages and data loaded, evaluated and reviewed,
    # which the adapters drive; it reads views only for a UTM helper (distinct_text).
    ("project", ("planbook.project",)),
    (
        "adapters",  # and what only they use: the CLI's output, scaffolds, diffs, schemas
        (
            "planbook.plugin",
            "planbook.build_log",  # how the plugin logs diagnostics (no mkdocs import)
            "planbook.config",  # mkdocs' Config schema; builds project.Settings
            "planbook.cli",
            "planbook.checking",  # what `planbook check` reports (no click)
            "planbook.macros",
            "planbook.workers",
            "planbook.page_workers",
            "planbook.serve_cache",
            "planbook.serve_wake",  # `mkdocs serve`: a data edit rebuilds at once
            "planbook.diffing",  # `planbook diff`: snapshots read through project and pages
            "planbook.output",  # `planbook check`'s text / GitHub / JSON / SARIF
            "planbook.scaffold",  # `planbook new`
            "planbook.starter",  # `planbook init`
            "planbook.schema",  # `planbook schema`
        ),
    ),
]

# (importer, imported) -> why the arrow points back for now.
ALLOWED: dict[tuple[str, str], str] = {}

MAX_LINES = 700
# Modules over MAX_LINES today, capped at their size: split them, do not grow them.
LONG: dict[str, int] = {
    "plugin.py": 715,  # the MkDocs adapter's events: split it, do not grow it
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES: dict[str, Path] = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def layer_of(module: str) -> int | None:
    """The index of the module's layer in :data:`LAYERS` (longest matching name)."""
    best: tuple[int, int] | None = None
    for rank, (_, names) in enumerate(LAYERS):
        for name in names:
            inside = module == name or (name != "planbook" and module.startswith(name + "."))
            if inside and (best is None or len(name) > best[0]):
                best = (len(name), rank)
    return None if best is None else best[1]


def _is_type_checking(node: ast.AST) -> bool:
    test = node.test if isinstance(node, ast.If) else None
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement that can run: at any depth, but not under TYPE_CHECKING."""
    out: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.Import | ast.ImportFrom):
            out.append(node)
        if _is_type_checking(node):
            assert isinstance(node, ast.If)
            children: list[ast.AST] = [node.test, *node.orelse]
        else:
            children = list(ast.iter_child_nodes(node))
        for child in children:
            visit(child)

    visit(tree)
    return out


def _existing(name: str, modules: set[str]) -> str:
    while name not in modules and "." in name:
        name = name.rsplit(".", 1)[0]
    return name


def imported_modules(
    module: str, is_package: bool, text: str, modules: set[str]
) -> list[tuple[int, str]]:
    """(line, planbook module) for each runtime import of ``module`` (its source ``text``)."""
    found: list[tuple[int, str]] = []
    for node in _runtime_imports(ast.parse(text, module)):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names if a.name.split(".")[0] == "planbook"]
        elif node.level:
            base = module.split(".")
            if not is_package:
                base.pop()
            base = base[: len(base) - (node.level - 1)]
            pkg = ".".join(base + ([node.module] if node.module else []))
            targets = [f"{pkg}.{a.name}" for a in node.names]
        elif node.module and node.module.split(".")[0] == "planbook":
            targets = [f"{node.module}.{a.name}" for a in node.names]
        else:
            continue
        for target in targets:
            found.append((node.lineno, _existing(target, modules)))
    return found


def back_arrows(
    module: str, is_package: bool, text: str, modules: set[str] | None = None
) -> list[str]:
    """The imports of ``module`` that point to a higher layer, as messages."""
    modules = set(MODULES) if modules is None else modules
    here = layer_of(module)
    out = []
    for line, target in dict.fromkeys(imported_modules(module, is_package, text, modules)):
        there = layer_of(target)
        if here is None or there is None or there <= here or (module, target) in ALLOWED:
            continue
        out.append(
            f"{module}:{line} imports {target}: layer '{LAYERS[here][0]}' may not import "
            f"layer '{LAYERS[there][0]}' (arrows point from adapters to views to metrics to "
            "the cube to sources, never back; see tests/unit/test_layout.py)"
        )
    return out


def test_every_module_has_a_layer() -> None:
    assert [m for m in MODULES if layer_of(m) is None] == []


def test_no_arrow_points_back() -> None:
    found = [
        message
        for module, path in MODULES.items()
        for message in back_arrows(
            module, path.name == "__init__.py", path.read_text(encoding="utf-8")
        )
    ]
    assert found == [], "\n".join(found)


def test_every_allowed_arrow_is_still_there() -> None:
    """An exception that is no longer needed leaves the list."""
    arrows = {
        (module, target)
        for module, path in MODULES.items()
        for _, target in imported_modules(
            module, path.name == "__init__.py", path.read_text(encoding="utf-8"), set(MODULES)
        )
    }
    assert [pair for pair in ALLOWED if pair not in arrows] == []


@pytest.mark.parametrize(
    ("module", "is_package", "text", "expected"),
    [
        # a function-level import of a view from the metrics
        (
            "planbook.metrics.kpis",
            False,
            "def f():\n    from ..views.render import Renderer\n",
            ["planbook.metrics.kpis:2 imports planbook.views.render"],
        ),
        # absolute, and through a package's submodule
        (
            "planbook.sources.files",
            False,
            "import planbook.cube\nfrom planbook.metrics import kpis\n",
            [
                "planbook.sources.files:1 imports planbook.cube",
                "planbook.sources.files:2 imports planbook.metrics.kpis",
            ],
        ),
        # from a package's __init__ (one dot is the package itself)
        ("planbook.review", True, "from ..project import Project\n", ["planbook.review:1"]),
        # type-only imports and downward ones are fine
        (
            "planbook.metrics.evaluation",
            False,
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..project import Page\n"
            "from ..cube import MetricFrame\nfrom . import formula\n",
            [],
        ),
    ],
)
def test_a_back_arrow_is_found(module: str, is_package: bool, text: str, expected: list) -> None:
    modules = set(MODULES) | {module}
    found = back_arrows(module, is_package, text, modules)
    assert len(found) == len(expected), found
    for message, start in zip(found, expected, strict=True):
        assert message.startswith(start), message
        assert "may not import layer" in message


def test_no_module_is_too_long() -> None:
    long = {}
    for path in MODULES.values():
        name = str(path.relative_to(PACKAGE))
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > LONG.get(name, MAX_LINES):
            long[name] = lines
    assert long == {}, f"over {MAX_LINES} lines (DESIGN: about 600; split by responsibility)"


def test_every_long_module_is_still_long() -> None:
    """A module split below the bound leaves :data:`LONG`."""
    sizes = {
        name: len((PACKAGE / name).read_text(encoding="utf-8").splitlines())
        for name in LONG
        if (PACKAGE / name).is_file()
    }
    assert [name for name in LONG if sizes.get(name, 0) <= MAX_LINES] == []
