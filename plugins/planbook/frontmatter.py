"""Read YAML front matter safely, keeping the line of every node.

PyYAML's ``SafeLoader`` refuses ``!!python/object`` and friends; we compose the
node tree first so every mapping key and value can be traced back to its line,
and duplicate keys (which YAML silently collapses) are reported.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml

from .diagnostics import Diagnostic, Severity
from .messages import msg
from .yaml_nodes import ASCII_KEY_FULL_WIDTH, MAX_NODES, Loader, Reading, TooLarge
from .yaml_nodes import PathKey as PathKey
from .yaml_nodes import format_path as format_path

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
    loader = Loader(yaml_text)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, Locations(default=first_line), diags, None
        reading = Reading(loader, offset, full_width_commas, strings, paths)
        size, data = reading.visit(node, (), 0)
        if size > MAX_NODES:
            raise TooLarge(
                node.start_mark.line + 1,
                msg("yaml/too-large", most=MAX_NODES),
            )
        wrong_key = reading.wrong_key
        if wrong_key is not None:
            m = ASCII_KEY_FULL_WIDTH.match(wrong_key.value)
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
