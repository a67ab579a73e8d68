"""The YAML of front matter as composed nodes: a safe loader that leaves dates as text,
and one pass over the nodes (:class:`Reading`) that notes each path's line, bounds what
aliases expand to and how deep the document nests, and builds the data of plain YAML.

:mod:`.frontmatter` splits a page, runs this, and turns what it noted into diagnostics.
"""

from __future__ import annotations

import functools
import re
from datetime import date
from typing import Any

import yaml

from .messages import msg

__all__ = [
    "ASCII_KEY_FULL_WIDTH",
    "MAX_DEPTH",
    "MAX_NODES",
    "Loader",
    "PathKey",
    "Reading",
    "TooLarge",
    "format_path",
]

PathKey = tuple[str | int, ...]


# libyaml's parser when PyYAML was built with it (10x faster on front matter), else Python's.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# The safe loader's implicit tags without timestamps: pydantic parses dates with a clear
# message, where PyYAML would crash on ``2026-13-01``.
_IMPLICIT = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


# What the full safe loader (MkDocs' own front-matter reader) makes a date of.
_TIMESTAMP = next(
    rx
    for tag, rx in yaml.SafeLoader.yaml_implicit_resolvers["0"]
    if tag == "tag:yaml.org,2002:timestamp"
)
_DIGITS = frozenset("0123456789")


class _Tags(yaml.resolver.BaseResolver):
    """The tag of an untagged node, by kind and text."""

    yaml_implicit_resolvers = _IMPLICIT


# The parser asks for the tag of every node (86,000 times for 200 plan pages): a C-level
# cache answers the repeated ones (keys, ids, channel names) without a Python call.
_tag_of = functools.lru_cache(maxsize=4096)(_Tags().resolve)


class Loader(_Base):  # type: ignore[misc,valid-type]
    """Safe loader that leaves dates as text (see ``_IMPLICIT``)."""

    yaml_implicit_resolvers = _IMPLICIT

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.resolve = _tag_of
        if not self.yaml_path_resolvers:
            # No path resolvers: the parser's calls around each node need do nothing.
            # ``slice(parent, index)`` and ``tuple()`` are C callables that accept those
            # arguments, so no Python frame is made for them.
            self.descend_resolver = slice
            self.ascend_resolver = tuple


_PROSE = re.compile(r"[\s。：；（）()“”\"'、!?！？]")


def _looks_like_values(text: str) -> bool:
    """``抖音，小红书``: short words joined by full-width commas (not a sentence such as
    ``获奖名单公示：张某，身份证号 …``, which a rule pack's example may well be)."""
    parts = [p.strip() for p in text.split("，")]
    return len(parts) > 1 and all(0 < len(p) <= 24 and not _PROSE.search(p) for p in parts)


ASCII_KEY_FULL_WIDTH = re.compile(r"([A-Za-z_][\w-]*)\s*：(?:\s|$)")


def format_path(path: PathKey) -> str:
    """``("plan", "goals", 2, "target")`` -> ``plan.goals[2].target``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


MAX_NODES = 20_000  # values after alias expansion
MAX_DEPTH = 64  # nesting of mappings and lists


class TooLarge(Exception):
    """Front matter that expands (through aliases or nesting) beyond the limits."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def _expanded_size(node: yaml.Node, sizes: dict[int, int], depth: int = 0) -> int:
    """How many values ``node`` stands for once aliases are expanded (memoised per node,
    so the count is linear in the document, never in what it expands to)."""
    known = sizes.get(id(node))
    if known is not None:
        return known
    if depth > MAX_DEPTH:
        raise TooLarge(
            node.start_mark.line + 1,
            msg("yaml/too-large.depth", most=MAX_DEPTH),
        )
    sizes[id(node)] = 1  # an alias of an ancestor (a cycle) counts once
    total = 1
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            total += _expanded_size(k, sizes, depth + 1) + _expanded_size(v, sizes, depth + 1)
            if total > MAX_NODES:
                break
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            total += _expanded_size(item, sizes, depth + 1)
            if total > MAX_NODES:
                break
    sizes[id(node)] = total
    return total


_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_PLAIN_SCALARS = frozenset({_STR, _NULL, _BOOL, _INT, _FLOAT})


class Reading:
    """One pass over the composed nodes of a document (each node once, an alias being
    its anchored node again). It counts what the document expands to and how deep it
    nests (:class:`TooLarge` beyond ``MAX_DEPTH``; the caller compares the count with
    ``MAX_NODES``), notes each path's line, duplicate and null keys, keys and lists
    written with full-width punctuation, and builds the data of plain YAML: text,
    numbers, booleans, null, lists and mappings. Anything else (merge keys ``<<``,
    tags such as ``!!set``, a list as a key) clears :attr:`plain`: PyYAML's
    constructor then builds the data, with its own errors."""

    def __init__(
        self,
        loader: Any,
        offset: int,
        full_width: bool,
        strings: dict[str, str] | None,
        paths: dict[PathKey, PathKey] | None,
    ) -> None:
        self.loader = loader
        # one object for equal text and for equal paths: the caller's (a build's pages)
        # or this document's
        self.strings: dict[str, str] = {} if strings is None else strings
        self.paths: dict[PathKey, PathKey] = {} if paths is None else paths
        self.offset = offset
        self.full_width = full_width
        self.locs: dict[PathKey, int] = {}
        self.problems: list[tuple[int, str, str]] = []  # (line, field, message)
        self.commas: list[tuple[int, int, str]] = []  # (line, column, value)
        self.wrong_key: yaml.ScalarNode | None = None
        self.unreadable: yaml.ScalarNode | None = None  # `!!int abc`, a 5,000-digit number
        self.plain = True
        self.sizes: dict[int, int] = {}  # id(node) -> values it expands to
        self.data: dict[int, Any] = {}  # id(node) -> its list or dict
        # plain dates (text here, dates to PyYAML's safe loader) by path; None once the
        # data differs from that loader's in a way a path cannot mend
        self.stamps: dict[PathKey, Any] | None = {}

    def stamp(self, node: yaml.ScalarNode, path: PathKey) -> None:
        """Note a plain scalar kept as text that the full safe loader reads as a date."""
        if node.style or not _TIMESTAMP.match(node.value) or self.stamps is None:
            return
        try:
            value = node.value
            # `2026-09-01` (the pattern allows no other ten characters): the date PyYAML
            # makes, without its Python-level parse
            self.stamps[path] = (
                date.fromisoformat(value)
                if len(value) == 10
                else self.loader.construct_yaml_timestamp(node)
            )
        except ValueError:  # `2026-13-01`: that loader fails on the whole document
            self.stamps = None

    def scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag
        if tag == _STR:
            value = node.value
            return self.strings.setdefault(value, value)
        if tag == _NULL:
            return None
        if tag in _PLAIN_SCALARS:
            try:
                if tag == _BOOL:
                    return self.loader.bool_values[node.value.lower()]
                if tag == _INT:
                    return self.loader.construct_yaml_int(node)
                return self.loader.construct_yaml_float(node)
            except (KeyError, ValueError):  # int() refuses over 4,300 digits
                if self.unreadable is None:
                    self.unreadable = node
        self.plain = False
        return None

    def visit(self, node: yaml.Node, path: PathKey, depth: int) -> tuple[int, Any]:
        """``(values node expands to, its data)``."""
        self.locs.setdefault(path, node.start_mark.line + 1 + self.offset)
        key = id(node)
        known = self.sizes.get(key)
        if known is not None:
            if isinstance(node, yaml.ScalarNode):
                value = self.scalar(node)
                if node.tag == _STR and value[:1] in _DIGITS:
                    self.stamp(node, path)
                return known, value
            self.stamps = None  # an alias of a list or mapping: its dates are at two paths
            return known, self.data[key]
        if depth > MAX_DEPTH:
            raise TooLarge(node.start_mark.line + 1, msg("yaml/too-large.depth", most=MAX_DEPTH))
        if isinstance(node, yaml.ScalarNode):
            self.sizes[key] = 1
            value = self.scalar(node)
            if node.tag == _STR and value[:1] in _DIGITS:
                self.stamp(node, path)
            return 1, value
        self.sizes[key] = 1  # an alias of an ancestor (a cycle) counts once
        if isinstance(node, yaml.MappingNode):
            total, value = self._mapping(node, path, depth)
        else:
            total, value = self._sequence(node, path, depth)
        self.sizes[key] = total
        return total, value

    def _mapping(self, node: yaml.MappingNode, path: PathKey, depth: int) -> tuple[int, Any]:
        mapping: dict[Any, Any] = {}
        self.data[id(node)] = mapping
        if node.tag != _MAP:
            self.plain = False
        seen: dict[Any, int] = {}
        total = 1
        offset = self.offset
        locs = self.locs
        strings = self.strings
        paths = self.paths
        too_deep = depth + 1 > MAX_DEPTH  # a scalar key or value here nests too deep
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1 + offset
            if isinstance(key_node, yaml.ScalarNode):
                if too_deep:
                    raise TooLarge(line - offset, msg("yaml/too-large.depth", most=MAX_DEPTH))
                total += 1
                tag = key_node.tag
                if tag == _STR:  # most keys: text, no call
                    name = key = key_node.value
                    name = key = strings.setdefault(key, key)
                    if key[:1] in _DIGITS and _TIMESTAMP.match(key):
                        self.stamps = None  # a date as a key (unless quoted: one cannot tell)
                else:
                    name = None if tag == _NULL else key_node.value
                    if name is not None:
                        name = strings.setdefault(name, name)
                    if tag not in _PLAIN_SCALARS:
                        self.plain = False  # `<<` (merge) and `=` (value) keys
                    key = self.scalar(key_node)
            else:
                total += _expanded_size(key_node, self.sizes, depth + 1)
                name = str(key_node)
                key = None
                self.plain = False  # a list or mapping as a key
            if name is None:
                self.problems.append((line, format_path((*path, "~")), msg("yaml/null-key")))
            elif name in seen:
                self.problems.append(
                    (
                        line,
                        format_path((*path, name)),
                        msg("yaml/duplicate-key", key=name, first=seen[name]),
                    )
                )
            seen[name] = line
            child = (*path, name)
            child = paths.setdefault(child, child)
            locs[child] = line
            if isinstance(value_node, yaml.ScalarNode):  # most values: no call
                if too_deep:
                    raise TooLarge(line - offset, msg("yaml/too-large.depth", most=MAX_DEPTH))
                total += 1
                if value_node.tag == _STR:
                    value = value_node.value
                    value = strings.setdefault(value, value)
                    if value[:1] in _DIGITS:
                        self.stamp(value_node, child)
                else:
                    value = self.scalar(value_node)
            else:
                size, value = self.visit(value_node, child, depth + 1)
                total += size
                if total > MAX_NODES:
                    break
            if self.plain:
                mapping[key] = value
        return total, mapping

    def _sequence(self, node: yaml.SequenceNode, path: PathKey, depth: int) -> tuple[int, Any]:
        items: list[Any] = []
        self.data[id(node)] = items
        if node.tag != _SEQ:
            self.plain = False
        flow = node.flow_style
        if self.full_width and not flow and self.wrong_key is None:
            # `- role： 分析师` in a block list reads as the text 'role： 分析师'
            for item in node.value:
                if (
                    isinstance(item, yaml.ScalarNode)
                    and not item.style
                    and ASCII_KEY_FULL_WIDTH.match(item.value)
                ):
                    self.wrong_key = item
                    break
        total = 1
        offset = self.offset
        locs = self.locs
        commas = self.full_width and flow
        strings = self.strings
        paths = self.paths
        too_deep = depth + 1 > MAX_DEPTH
        for i, item in enumerate(node.value):
            child = (*path, i)
            child = paths.setdefault(child, child)
            locs[child] = item.start_mark.line + 1 + offset
            if (
                commas
                and isinstance(item, yaml.ScalarNode)
                and not item.style  # plain (the C loader says "", Python None)
                and _looks_like_values(item.value)
            ):
                mark = item.start_mark
                self.commas.append((mark.line + 1 + offset, mark.column + 1, item.value))
            if isinstance(item, yaml.ScalarNode):
                if too_deep:
                    line = item.start_mark.line + 1
                    raise TooLarge(line, msg("yaml/too-large.depth", most=MAX_DEPTH))
                total += 1
                if item.tag == _STR:
                    value = item.value
                    value = strings.setdefault(value, value)
                    if value[:1] in _DIGITS:
                        self.stamp(item, child)
                else:
                    value = self.scalar(item)
            else:
                size, value = self.visit(item, child, depth + 1)
                total += size
            if total > MAX_NODES:
                break
            items.append(value)
        return total, items
