"""Read YAML front matter safely, keeping the line of every node.

PyYAML's ``SafeLoader`` refuses ``!!python/object`` and friends; we compose the
node tree first so every mapping key and value can be traced back to its line,
and duplicate keys (which YAML silently collapses) are reported.
"""

from __future__ import annotations

import functools
import gc
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import yaml

from .diagnostics import Diagnostic, Severity
from .messages import msg

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


class _Loader(_Base):  # type: ignore[misc,valid-type]
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


# Front matter: an opening `---` line, then the first closing `---` or `...` line. The
# opening line and the closing line are matched where they can be; the closing line is
# searched for at line starts (a regex scanning the YAML with a lazy `.*?` spent ~50 us a
# page trying the closing line after every character; tests compare the two).
_OPENING = re.compile(r"(?:\ufeff)?---[ \t]*\r?\n")
_CLOSING = re.compile(r"(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)")
_CLOSING_AFTER_LINE = re.compile(r"\n((?:---|\.\.\.)[ \t]*(?:\r?\n|\Z))")


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

    def has(self, path: PathKey) -> bool:
        """Whether ``path`` itself has a line (not only an ancestor of it)."""
        return tuple(path) in self.lines

    def sub(self, prefix: PathKey) -> Locations:
        """Locations of the subtree under ``prefix``, with paths relative to it."""
        n = len(prefix)
        sub = {k[n:]: v for k, v in self.lines.items() if k[:n] == tuple(prefix)}
        return Locations(sub, self.line(prefix))


class ReleasedLocations(Locations):
    """Locations let go of after the page is rendered (`mkdocs build`, issue 12: ~23 KB
    per plan page): read again from the page's file when a later page asks for a line
    (``reload`` gives the line map, or ``None`` when the file has changed since)."""

    def __init__(self, reload: Callable[[], dict[PathKey, int] | None], default: int) -> None:
        self.default = default
        self._reload: Callable[[], dict[PathKey, int] | None] | None = reload
        self._lines: dict[PathKey, int] = {}

    @property  # type: ignore[override]
    def lines(self) -> dict[PathKey, int]:
        if self._reload is not None:
            reload, self._reload = self._reload, None
            self._lines = reload() or {}
        return self._lines


@dataclass
class FrontMatter:
    data: dict[str, Any]
    locations: Locations
    body: str
    body_line: int  # 1-based line of the first body line in the file
    diagnostics: list[Diagnostic]
    # The values PyYAML's safe loader gives where this reader keeps text (plain dates),
    # by path; ``None`` when the data cannot be turned into that loader's (see `safe_meta`).
    stamps: dict[PathKey, Any] | None = None
    released: bool = False  # body and line map let go of (see ``release``)

    def release(self, reload: Callable[[], dict[PathKey, int] | None]) -> None:
        """`mkdocs build`, once the page is rendered: let go of the body (only the page's
        own rendering reads it) and of the line map (read again by ``reload`` if a later
        page words a diagnostic about this one)."""
        if self.released:
            return
        self.released = True
        self.body = ""
        self.stamps = None  # page.meta is made before the page renders
        self.locations = ReleasedLocations(reload, self.locations.line(()))


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Return (yaml text or None, body, 1-based line where the body starts)."""
    opening = _OPENING.match(text)
    if opening is None:
        return None, text, 1
    start = opening.end()
    # The YAML is the shortest run of whole lines before a closing line; none at all
    # only when no closing line follows a line of it.
    closing = _CLOSING_AFTER_LINE.search(text, start)
    if closing is not None:
        yaml_text, end = text[start : closing.start() + 1], closing.end()
    else:
        closing = _CLOSING.match(text, start)
        if closing is None:
            return None, text, 1
        yaml_text, end = "", closing.end()
    body_line = text.count("\n", 0, end) + 1
    return yaml_text, text[end:], body_line


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


_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_PLAIN_SCALARS = frozenset({_STR, _NULL, _BOOL, _INT, _FLOAT})


class _Reading:
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
                    and _ASCII_KEY_FULL_WIDTH.match(item.value)
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


def parse_yaml(
    yaml_text: str, file: str, first_line: int = 1, *, full_width_commas: bool = False
) -> tuple[Any, Locations, list[Diagnostic]]:
    """Parse YAML text that starts on ``first_line`` of ``file``.

    ``full_width_commas``: warn about ``[抖音，小红书]`` (front matter, where list items
    are values; a rule pack's lists hold example sentences).

    Returns the data (``None`` on error), the node locations, and diagnostics.
    """
    data, locations, diags, _ = _parse_yaml(yaml_text, file, first_line, full_width_commas)
    return data, locations, diags


def _parse_yaml(
    yaml_text: str,
    file: str,
    first_line: int,
    full_width_commas: bool,
    strings: dict[str, str] | None = None,
    paths: dict[PathKey, PathKey] | None = None,
) -> tuple[Any, Locations, list[Diagnostic], dict[PathKey, Any] | None]:
    """:func:`parse_yaml`, and the dates PyYAML's safe loader would make (``FrontMatter.stamps``).

    The collector waits meanwhile: the node tree (hundreds of objects a page, no cycles)
    lives just long enough to be walked, so each collection it set off found nothing to
    free, and every node it moved to the oldest generation brought the next full
    collection of the whole build's heap closer (200 plans: about a third of the reading)."""
    if not gc.isenabled():
        return _read_yaml(yaml_text, file, first_line, full_width_commas, strings, paths)
    gc.disable()
    try:
        return _read_yaml(yaml_text, file, first_line, full_width_commas, strings, paths)
    finally:
        gc.enable()


def _read_yaml(
    yaml_text: str,
    file: str,
    first_line: int,
    full_width_commas: bool,
    strings: dict[str, str] | None,
    paths: dict[PathKey, PathKey] | None,
) -> tuple[Any, Locations, list[Diagnostic], dict[PathKey, Any] | None]:
    offset = first_line - 1
    diags: list[Diagnostic] = []
    loader = _Loader(yaml_text)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, Locations(default=first_line), diags, None
        reading = _Reading(loader, offset, full_width_commas, strings, paths)
        size, data = reading.visit(node, (), 0)
        if size > MAX_NODES:
            raise TooLarge(
                node.start_mark.line + 1,
                msg("yaml/too-large", most=MAX_NODES),
            )
        wrong_key = reading.wrong_key
        if wrong_key is not None:
            m = _ASCII_KEY_FULL_WIDTH.match(wrong_key.value)
            assert m is not None
            mark = wrong_key.start_mark
            column = mark.column + 1 + wrong_key.value.index("：")
            error = _full_width_colon_error(file, mark.line + 1 + offset, column, m.group(1))
            return None, Locations(default=first_line), [error], None
        for line, col, value in reading.commas:
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
        bad = reading.unreadable
        if bad is not None:
            mark = bad.start_mark
            what = msg("yaml/syntax.value", value=bad.value, tag=bad.tag.rsplit(":", 1)[-1])
            error = Diagnostic(
                file,
                mark.line + 1 + offset,
                None,
                "yaml/syntax",
                Severity.ERROR,
                what,
                column=mark.column + 1,
            )
            return None, Locations(default=first_line), [error], None
        if not reading.plain:
            try:
                data = loader.construct_document(node)
                if strings is not None:
                    intern_strings(data, strings)
            except (ValueError, TypeError, OverflowError) as e:  # `!!timestamp 2026-13-01`
                what = msg("yaml/syntax", what=e)
                error = Diagnostic(file, first_line, None, "yaml/syntax", Severity.ERROR, what)
                return None, Locations(default=first_line), [error], None
    except TooLarge as e:
        return (
            None,
            Locations(default=first_line),
            [Diagnostic(file, e.line + offset, None, "yaml/too-large", Severity.ERROR, e.message)],
            None,
        )
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 + offset if mark else first_line
        col = mark.column + 1 if mark else None
        found = _full_width_colon(yaml_text, mark.line if mark else len(yaml_text))
        if found is not None:
            at, column, key = found
            error = _full_width_colon_error(file, at + 1 + offset, column + 1, key)
            return None, Locations(default=first_line), [error], None
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
            None,
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
            None,
        )
    finally:
        loader.dispose()
    for line, fpath, said in reading.problems:
        rule = "yaml/null-key" if said.startswith("a field name") else "yaml/duplicate-key"
        diags.append(Diagnostic(file, line, fpath, rule, Severity.ERROR, said))
    stamps = reading.stamps if reading.plain else None
    return data, Locations(reading.locs, first_line), diags, stamps


def read_front_matter(
    text: str,
    file: str,
    strings: dict[str, str] | None = None,
    paths: dict[PathKey, PathKey] | None = None,
) -> FrontMatter:
    """Split and parse a Markdown page's front matter.

    ``strings``: the text already read (value -> that object), which the front matter's
    text is made one with, as it is read, and added to (a build's pages: see
    ``sharing.Shared``, issue 12); ``paths``: the same for the line map's paths (whose
    text must be ``strings``' objects: they are made of the keys read)."""
    yaml_text, body, body_line = split_front_matter(text)
    if yaml_text is None:
        return FrontMatter({}, Locations(), text, 1, [])
    data, locs, diags, stamps = _parse_yaml(yaml_text, file, 2, True, strings, paths)
    if data is None:
        data = {}
    elif not isinstance(data, dict):
        stamps = None
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
    return FrontMatter(data, locs, body, body_line, diags, stamps)


def intern_strings(value: Any, strings: dict[str, str]) -> None:
    """Make the text in ``value`` (mappings and lists, in place: the same containers,
    their keys in the same order; a container reached twice through an alias is walked
    once) the objects ``strings`` holds for it, adding those it does not hold."""
    _interned(value, strings, set())


def _interned(value: Any, strings: dict[str, str], seen: set[int]) -> None:
    kind = type(value)
    if (kind is not dict and kind is not list) or id(value) in seen:
        return
    seen.add(id(value))
    if kind is dict:
        pairs = []
        for k, v in value.items():
            if type(k) is str:
                k = strings.setdefault(k, k)
            if type(v) is str:
                v = strings.setdefault(v, v)
            elif type(v) is dict or type(v) is list:
                _interned(v, strings, seen)
            pairs.append((k, v))
        value.clear()  # the same mapping (aliases, stamps), its keys in the same order
        value.update(pairs)
    else:
        for i, v in enumerate(value):
            if type(v) is str:
                value[i] = strings.setdefault(v, v)
            elif type(v) is dict or type(v) is list:
                _interned(v, strings, seen)


def safe_meta(front: FrontMatter) -> dict[str, Any] | None:
    """The front matter as PyYAML's safe loader reads it (what MkDocs makes ``page.meta``
    of): a fresh copy of the data, dates as dates; ``None`` when that cannot be told from
    this reading (see ``FrontMatter.stamps``). The caller also checks the text for tags."""
    if front.stamps is None:
        return None
    meta = _containers_copied(front.data, {})
    for path, value in front.stamps.items():
        target: Any = meta
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value
    return meta


def _containers_copied(value: Any, memo: dict[int, Any]) -> Any:
    """``value`` with its mappings and lists copied (a list or mapping that appears twice
    is copied once, as YAML's aliases are) and its text and numbers shared: they cannot
    change, and MkDocs keeps every page's ``page.meta`` to the end of the build (a copy of
    the text too held ~18 KB more per plan page; issue 12)."""
    kind = type(value)
    if kind is not dict and kind is not list:
        return value
    found = memo.get(id(value))
    if found is not None:
        return found
    copied: Any = {} if kind is dict else []
    memo[id(value)] = copied  # in the memo first: an alias may hold itself
    # Text, numbers and dates (most values) as they are, without a call each.
    if kind is dict:
        for k, v in value.items():
            t = type(v)
            copied[k] = _containers_copied(v, memo) if t is dict or t is list else v
    else:
        for v in value:
            t = type(v)
            copied.append(_containers_copied(v, memo) if t is dict or t is list else v)
    return copied
