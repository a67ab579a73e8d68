"""`planbook diff`: a revision's ``mkdocs.yml`` read without running its code.

MkDocs loads a configuration with PyYAML's full loader (a ``!!python/object/apply`` tag
calls any function) and imports the files its ``hooks:`` name. Loading the
``mkdocs.yml`` of a revision under review so would run that revision's code on the
reviewer's machine, just to compare its plans. So the copy of the revision that
``git archive`` wrote (a temporary folder, never the checkout) is made harmless before
MkDocs reads it: its ``hooks:`` are dropped (they change how MkDocs builds, not what
Planbook reads), in the file and in every file it ``INHERIT``\\ s, and a file with a tag
that constructs a Python object is not loaded at all (the diff says so). MkDocs' own
tags (``!ENV``, ``!relative``) and ``!!python/name:`` references to installed code (the
usual ``pymdownx.emoji`` setting) stay: they run nothing from the revision.
"""

from __future__ import annotations

from pathlib import Path

import yaml

__all__ = ["UnsafeConfig", "made_harmless"]

# Tags whose construction calls code (PyYAML's full loader): refused.
_CALLS = ("tag:yaml.org,2002:python/object", "tag:yaml.org,2002:python/module")
_MAX_INHERITS = 8  # INHERIT chains in a revision (a loop is refused, not followed)


class UnsafeConfig(ValueError):
    """A revision's configuration that cannot be read without running its code; the
    message names the file and the tag."""


def made_harmless(config: Path, top: Path) -> None:
    """Rewrite ``config`` (a revision's copy, inside ``top``) and the files it inherits
    so that loading them runs nothing of the revision's. Raises :class:`UnsafeConfig`."""
    seen: set[Path] = set()
    path: Path | None = config
    while path is not None:
        if path in seen or len(seen) >= _MAX_INHERITS:
            raise UnsafeConfig(f"{path.name}: INHERIT goes round in a loop or too deep")
        seen.add(path)
        path = _harmless(path, top)


def _harmless(path: Path, top: Path) -> Path | None:
    """Make one file harmless; the file it inherits (inside ``top``), if any."""
    try:
        text = path.read_text(encoding="utf-8-sig")
        root = yaml.compose(text, Loader=yaml.SafeLoader)  # nodes only: nothing constructed
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None  # MkDocs reads it and says what is wrong, running nothing
    for node in _nodes(root):
        if node.tag.startswith(_CALLS):
            raise UnsafeConfig(f"{path.name}: {node.tag.split(':', 2)[-1]}")
    if not isinstance(root, yaml.MappingNode):
        return None
    inherit = None
    kept = []
    for key, value in root.value:
        name = key.value if isinstance(key, yaml.ScalarNode) else None
        if name == "hooks":
            continue
        if name == "INHERIT" and isinstance(value, yaml.ScalarNode):
            inherit = (path.parent / value.value).resolve()
        kept.append((key, value))
    if len(kept) != len(root.value):
        root.value = kept
        path.write_text(yaml.serialize(root, allow_unicode=True), encoding="utf-8")
    if inherit is None or not inherit.is_file() or not inherit.is_relative_to(top.resolve()):
        return None
    return inherit


def _nodes(root: yaml.Node | None) -> list[yaml.Node]:
    """Every node of a document, without recursion (aliases are the same node objects:
    each is visited once)."""
    out: list[yaml.Node] = []
    todo = [root] if root is not None else []
    seen: set[int] = set()
    while todo:
        node = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        out.append(node)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                todo.extend((key, value))
        elif isinstance(node, yaml.SequenceNode):
            todo.extend(node.value)
    return out
