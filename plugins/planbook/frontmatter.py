"""Read YAML front matter safely, keeping the line of every node.

PyYAML's ``SafeLoader`` refuses ``!!python/object`` and friends; we compose the
node tree first so every mapping key and value can be traced back to its line,
and duplicate keys (which YAML silently collapses) are reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .diagnostics import Diagnostic, Severity
from .messages import msg

PathKey = tuple[str | int, ...]


# libyaml's parser when PyYAML was built with it (10x faster on front matter), else Python's.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc,valid-type]
    """Safe loader that leaves dates as text: pydantic parses them with a clear
    message, where PyYAML would crash on ``2026-13-01``."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_FRONT_MATTER = re.compile(
    r"\A(?:\ufeff)?---[ \t]*\r?\n(.*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S
)


UNREAD = frozenset({"yaml/syntax", "yaml/too-large", "yaml/not-a-mapping", "yaml/full-width"})
"""Rules of front matter that could not be read at all (nothing else is checked on it)."""

# `key：` with a full-width colon (U+FF1A), as a Chinese keyboard types it: a key in
# block style, optionally a list item, not inside quotes or a comment.
_FULL_WIDTH_KEY = re.compile(r"^(\s*(?:-\s+)?)([^\s#'\"：:][^#'\"：:]*?)\s*：(?:\s|$)")


def _full_width_colon(yaml_text: str, upto: int) -> tuple[int, int, str] | None:
    """The first line (0-based, at most ``upto``) whose key ends in a full-width colon:
    ``(line, column, key)``."""
    for i, line in enumerate(yaml_text.splitlines()[: upto + 1]):
        m = _FULL_WIDTH_KEY.match(line)
        if m:
            return i, m.end(2) + line[m.end(2) :].index("："), m.group(2)
    return None


_PROSE = re.compile(r"[\s。：；（）()“”\"'、!?！？]")


def _looks_like_values(text: str) -> bool:
    """``抖音，小红书``: short words joined by full-width commas (not a sentence such as
    ``获奖名单公示：张某，身份证号 …``, which a rule pack's example may well be)."""
    parts = [p.strip() for p in text.split("，")]
    return len(parts) > 1 and all(0 < len(p) <= 24 and not _PROSE.search(p) for p in parts)


_ASCII_KEY_FULL_WIDTH = re.compile(r"([A-Za-z_][\w-]*)\s*：(?:\s|$)")


def _full_width_key(node: yaml.Node, seen: set[int] | None = None) -> yaml.ScalarNode | None:
    """A plain list item that is a field name with a full-width colon (``- role： 分析师``
    reads as the text 'role： 分析师'): the first such node."""
    seen = set() if seen is None else seen
    if id(node) in seen:
        return None
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        return None
    if isinstance(node, yaml.SequenceNode) and not node.flow_style:
        for item in node.value:
            if (
                isinstance(item, yaml.ScalarNode)
                and not item.style
                and _ASCII_KEY_FULL_WIDTH.match(item.value)
            ):
                return item
    children = (
        [v for _, v in node.value] if isinstance(node, yaml.MappingNode) else list(node.value)
    )
    for child in children:
        found = _full_width_key(child, seen)
        if found is not None:
            return found
    return None


def _full_width_colon_error(file: str, line: int, column: int, key: str) -> Diagnostic:
    return Diagnostic(
        file,
        line,
        None,
        "yaml/full-width",
        Severity.ERROR,
        msg("yaml/full-width.colon", key=key),
        column=column,
    )


def _full_width_commas(
    node: yaml.Node, offset: int, seen: set[int] | None = None
) -> list[tuple[int, int, str]]:
    """Unquoted values inside ``[...]`` that hold a full-width comma (U+FF0C): YAML reads
    ``[抖音，小红书]`` as one value. ``(line, column, value)`` of each."""
    seen = set() if seen is None else seen
    if id(node) in seen:
        return []
    seen.add(id(node))
    out: list[tuple[int, int, str]] = []
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            if (
                node.flow_style
                and isinstance(item, yaml.ScalarNode)
                and not item.style  # plain (the C loader says "", Python None)
                and _looks_like_values(item.value)
            ):
                mark = item.start_mark
                out.append((mark.line + 1 + offset, mark.column + 1, item.value))
            else:
                out.extend(_full_width_commas(item, offset, seen))
    elif isinstance(node, yaml.MappingNode):
        for _, value in node.value:
            out.extend(_full_width_commas(value, offset, seen))
    return out


def format_path(path: PathKey) -> str:
    """``("plan", "goals", 2, "target")`` -> ``plan.goals[2].target``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass
class Locations:
    """Line numbers (1-based, in the whole file) of front-matter nodes by path."""

    lines: dict[PathKey, int] = field(default_factory=dict)
    default: int = 1

    def line(self, path: PathKey) -> int:
        """The line of ``path`` or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), self.default)

    def sub(self, prefix: PathKey) -> Locations:
        """Locations of the subtree under ``prefix``, with paths relative to it."""
        n = len(prefix)
        sub = {k[n:]: v for k, v in self.lines.items() if k[:n] == tuple(prefix)}
        return Locations(sub, self.line(prefix))


@dataclass
class FrontMatter:
    data: dict[str, Any]
    locations: Locations
    body: str
    body_line: int  # 1-based line of the first body line in the file
    diagnostics: list[Diagnostic]


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Return (yaml text or None, body, 1-based line where the body starts)."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return None, text, 1
    yaml_text = m.group(1) or ""
    body_line = text.count("\n", 0, m.end()) + 1
    return yaml_text, text[m.end() :], body_line


# Aliases are followed by whatever reads the data (the schema, the review), so a
# "billion laughs" page of a few hundred bytes (nine levels of `&a [*prev, ...]`) would
# take minutes and gigabytes. Front matter is small: bound what it may expand to.
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


def _key(node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return None if node.tag == "tag:yaml.org,2002:null" else node.value
    return str(node)


def _walk(
    node: yaml.Node,
    path: PathKey,
    offset: int,
    locs: dict[PathKey, int],
    problems: list[tuple[int, str, str]],
    seen_nodes: set[int] | None = None,
) -> None:
    locs.setdefault(path, node.start_mark.line + 1 + offset)
    # An alias is the anchored node again: its locations are the anchor's, walked once.
    seen_nodes = set() if seen_nodes is None else seen_nodes
    if id(node) in seen_nodes:
        return
    seen_nodes.add(id(node))
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = _key(key_node)
            line = key_node.start_mark.line + 1 + offset
            if key is None:
                problems.append((line, format_path((*path, "~")), msg("yaml/null-key")))
            elif key in seen:
                problems.append(
                    (
                        line,
                        format_path((*path, key)),
                        msg("yaml/duplicate-key", key=key, first=seen[key]),
                    )
                )
            seen[key] = line
            locs[(*path, key)] = line
            _walk(value_node, (*path, key), offset, locs, problems, seen_nodes)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            locs[(*path, i)] = item.start_mark.line + 1 + offset
            _walk(item, (*path, i), offset, locs, problems, seen_nodes)


def parse_yaml(
    yaml_text: str, file: str, first_line: int = 1, *, full_width_commas: bool = False
) -> tuple[Any, Locations, list[Diagnostic]]:
    """Parse YAML text that starts on ``first_line`` of ``file``.

    ``full_width_commas``: warn about ``[抖音，小红书]`` (front matter, where list items
    are values; a rule pack's lists hold example sentences).

    Returns the data (``None`` on error), the node locations, and diagnostics.
    """
    offset = first_line - 1
    diags: list[Diagnostic] = []
    loader = _Loader(yaml_text)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, Locations(default=first_line), diags
        size = _expanded_size(node, {})
        if size > MAX_NODES:
            raise TooLarge(
                node.start_mark.line + 1,
                msg("yaml/too-large", most=MAX_NODES),
            )
        locs: dict[PathKey, int] = {}
        problems: list[tuple[int, str, str]] = []
        _walk(node, (), offset, locs, problems)
        wrong_key = _full_width_key(node) if full_width_commas else None
        if wrong_key is not None:
            m = _ASCII_KEY_FULL_WIDTH.match(wrong_key.value)
            assert m is not None
            mark = wrong_key.start_mark
            column = mark.column + 1 + wrong_key.value.index("：")
            error = _full_width_colon_error(file, mark.line + 1 + offset, column, m.group(1))
            return None, Locations(default=first_line), [error]
        for line, col, value in _full_width_commas(node, offset) if full_width_commas else ():
            diags.append(
                Diagnostic(
                    file,
                    line,
                    None,
                    "yaml/full-width",
                    Severity.WARNING,
                    msg("yaml/full-width.comma", value=value),
                    column=col,
                )
            )
        data = loader.construct_document(node)
    except TooLarge as e:
        return (
            None,
            Locations(default=first_line),
            [Diagnostic(file, e.line + offset, None, "yaml/too-large", Severity.ERROR, e.message)],
        )
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 + offset if mark else first_line
        col = mark.column + 1 if mark else None
        found = _full_width_colon(yaml_text, mark.line if mark else len(yaml_text))
        if found is not None:
            at, column, key = found
            error = _full_width_colon_error(file, at + 1 + offset, column + 1, key)
            return None, Locations(default=first_line), [error]
        what = " ".join(p for p in (e.context, e.problem) if p)
        tag = "python/" in what or "could not determine a constructor" in what
        return (
            None,
            Locations(default=first_line),
            [
                Diagnostic(
                    file,
                    line,
                    None,
                    "yaml/syntax",
                    Severity.ERROR,
                    msg("yaml/syntax.tag" if tag else "yaml/syntax", what=what),
                    column=col,
                )
            ],
        )
    except yaml.YAMLError as e:  # pragma: no cover - unmarked errors are rare
        return (
            None,
            Locations(default=first_line),
            [
                Diagnostic(
                    file,
                    first_line,
                    None,
                    "yaml/syntax",
                    Severity.ERROR,
                    msg("yaml/syntax", what=e),
                )
            ],
        )
    finally:
        loader.dispose()
    for line, fpath, said in problems:
        rule = "yaml/null-key" if said.startswith("a field name") else "yaml/duplicate-key"
        diags.append(Diagnostic(file, line, fpath, rule, Severity.ERROR, said))
    return data, Locations(locs, first_line), diags


def read_front_matter(text: str, file: str) -> FrontMatter:
    """Split and parse a Markdown page's front matter."""
    yaml_text, body, body_line = split_front_matter(text)
    if yaml_text is None:
        return FrontMatter({}, Locations(), text, 1, [])
    data, locs, diags = parse_yaml(yaml_text, file, first_line=2, full_width_commas=True)
    if data is None:
        data = {}
    elif not isinstance(data, dict):
        diags.append(
            Diagnostic(
                file,
                2,
                None,
                "yaml/not-a-mapping",
                Severity.ERROR,
                msg("yaml/not-a-mapping", kind=type(data).__name__),
            )
        )
        data = {}
    return FrontMatter(data, locs, body, body_line, diags)
