"""One object for equal values that every plan page repeats (issue 12).

A site's plan pages repeat most of their text: mapping keys (``id``, ``kpi``,
``statement``), channel names, metric ids, owners, statuses. The YAML reader and
pydantic make a new string for each occurrence, and pydantic gives every model its
own set of the fields it was given. A 1,000-plan site held ~70 KB of these per plan
from the reading of its pages to the end of the build (front matter, ``page.meta``,
the plan model), under the cube as it is built and under every page's HTML.

:class:`Shared` makes equal strings one object, in the front matter's mappings and
lists (in place: same containers, same order, same aliases), in its line map's and
dates' paths, and in validated models (their dates too), and gives frozen models with
the same set of given fields one set. Nothing a reader can tell changes: equal
strings, paths and dates (immutable), equal sets that nobody mutates (a frozen model
refuses assignment and its copies copy the set).
"""

from __future__ import annotations

from array import array
from datetime import date
from typing import Any

from pydantic import BaseModel

from .frontmatter import FrontMatter, Locations, PathKey, intern_strings, read_front_matter

_set_fields_set = object.__setattr__  # pydantic keeps the set in a slot of the model

# Keys of None and the booleans: one tuple each (they equal 0 and 1, so they are tagged).
_NONE = (type(None), None)
_TRUE = (bool, True)
_FALSE = (bool, False)


class SharedLines(Locations):
    """A line map whose paths, in their order, other pages have too: the paths are held
    once, in ``layout`` (path -> position, shared), and the page holds its line numbers
    only (an array in the layout's order). The same lines as the map it was made from;
    ``lines`` makes that map again for the rare reader that wants it whole."""

    def __init__(self, layout: dict[PathKey, int], numbers: array, default: int) -> None:
        self.layout = layout
        self.numbers = numbers
        self.default = default

    @property  # type: ignore[override]
    def lines(self) -> dict[PathKey, int]:
        return dict(zip(self.layout, self.numbers, strict=True))

    def has(self, path: PathKey) -> bool:
        """Whether ``path`` itself has a line, without making the map again."""
        return tuple(path) in self.layout

    def line(self, path: PathKey) -> int:
        """The line of ``path`` or of its nearest ancestor that has one."""
        layout = self.layout
        path = tuple(path)
        while path:
            at = layout.get(path)
            if at is not None:
                return self.numbers[at]
            path = path[:-1]
        at = layout.get(())
        return self.numbers[at] if at is not None else self.default


class Shared:
    """Equal strings and field sets made one, across the pages read in a build.

    ``forget_text`` lets go of the strings' index (not of the strings: the pages hold
    them), so a site of unique text pays for the index only while it reads its pages.
    """

    def __init__(self) -> None:
        self._text: dict[str, str] = {}
        self._paths: dict[tuple, tuple] = {}
        self._dates: dict[date, date] = {}
        self._layouts: dict[tuple, dict[PathKey, int]] = {}
        self._models: dict[tuple, BaseModel] = {}  # sub-models read, by what they hold
        # id of each model in _models -> its key in other keys: an object of its own, one
        # per model instead of a (type, id) pair per reference to it
        self._shareable: dict[int, object] = {}
        # given fields -> (that frozenset, the set models share); the frozenset is the
        # models' keys' part, one object for the models that were given the same fields
        self._fields: dict[frozenset[str], tuple[frozenset[str], set[str]]] = {}
        self._names: dict[tuple[str, ...], tuple[str, ...]] = {}  # models' field names

    def forget_text(self) -> None:
        if self._text or self._paths or self._dates or self._layouts or self._models:
            self._text = {}
            self._paths = {}
            self._dates = {}
            self._layouts = {}
            self._models = {}
            self._shareable = {}
            self._names = {}

    def clear(self) -> None:
        self.forget_text()
        self._fields = {}

    def text(self, value: str) -> str:
        """The build's one string equal to ``value`` (``value`` itself the first time)."""
        return self._text.setdefault(value, value)

    def data(self, value: Any) -> None:
        """Share the strings in front-matter ``value`` (mappings and lists, in place;
        a container reached twice through a YAML alias is walked once)."""
        intern_strings(value, self._text)

    def front_matter(self, text: str, file: str) -> FrontMatter:
        """A page's front matter read with its text and line map's paths shared as they
        are read (not by a walk after the reading, issue 12), its line map as
        :class:`SharedLines` and its dates' paths and dates shared: what
        ``read_front_matter``, :meth:`data`, :meth:`locations` and :meth:`paths` give."""
        front = read_front_matter(text, file, self._text, self._paths)
        front.locations = self._layout(front.locations)
        if front.stamps:
            self.paths(front.stamps)
        return front

    def paths(self, by_path: dict[tuple, Any]) -> None:
        """Share the paths of a mapping by front-matter path, in place: a line map
        (``Locations.lines``) or the dates PyYAML would read (``FrontMatter.stamps``),
        whose dates are shared too. Plans written alike have the same paths
        (``("plan", "goals", 0, "kpi")``), each a tuple of its own (~27 KB per plan page
        with their keys' text)."""
        paths, text, dates = self._paths, self._text, self._dates
        pairs = []
        for path, value in by_path.items():
            shared = paths.get(path)
            if shared is None:
                shared = paths[path] = tuple(
                    text.setdefault(p, p) if type(p) is str else p for p in path
                )
            if type(value) is date:
                value = dates.setdefault(value, value)
            pairs.append((shared, value))
        by_path.clear()
        by_path.update(pairs)

    def locations(self, locations: Locations) -> Locations:
        """``locations`` as :class:`SharedLines` over the build's layout of its paths
        (~9 KB of mapping per plan page becomes ~1 KB of numbers when plans are written
        alike). Its paths are shared first (:meth:`paths`). Only a plain
        :class:`Locations` is converted; any other is returned as it is."""
        if type(locations) is not Locations:
            return locations
        self.paths(locations.lines)
        return self._layout(locations)

    def _layout(self, locations: Locations) -> Locations:
        """:meth:`locations` of a line map whose paths are shared."""
        if type(locations) is not Locations:
            return locations
        lines = locations.lines
        order = tuple(lines)
        layout = self._layouts.get(order)
        if layout is None:
            layout = self._layouts[order] = {path: i for i, path in enumerate(order)}
        try:
            numbers = array("I", lines.values())
        except OverflowError:  # a line number past 4,294,967,295: keep the mapping
            return locations
        return SharedLines(layout, numbers, locations.default)

    def model(self, model: BaseModel) -> None:
        """Share the strings and dates of a validated, frozen model, its sets of given
        fields, and its sub-models: a sub-model equal to one read before (same type,
        same given fields, equal values of the same types) is replaced by that one
        (plans written alike have the same allocations, phases, team, cadence...).
        ``model`` itself stays the object it is."""
        if not model.model_config.get("frozen"):
            raise TypeError(f"{type(model).__name__} is not frozen: its fields set may change")
        self._model(model)

    def _model(self, model: BaseModel) -> BaseModel:
        """``model`` with its parts shared; the equal model read before, if any."""
        fields = model.__pydantic_fields_set__
        fields_key = frozenset(fields)
        found_fields = self._fields.get(fields_key)
        if found_fields is None:
            found_fields = self._fields[fields_key] = (fields_key, fields)
        else:
            fields_key = found_fields[0]  # the index's keys hold one frozenset
        if found_fields[1] is not fields:
            _set_fields_set(model, "__pydantic_fields_set__", found_fields[1])
        values = model.__dict__
        parts = []
        comparable = not (model.__pydantic_extra__ or model.__pydantic_private__)
        text = self._text
        # A model's key holds its values' keys in its fields' order, and that order (one
        # tuple per order) instead of a (name, value) pair each: the index of 1,000 plans'
        # models was ~20 MB of small tuples, freed only after they were interleaved with
        # what the pages keep (issue 12).
        for name, v in values.items():
            kind = type(v)
            if kind is str:  # most fields: no call
                shared_v = text.setdefault(v, v)
                if shared_v is not v:
                    values[name] = shared_v  # same key: the mapping keeps its size
                part: Any = shared_v
            elif v is None:
                part = _NONE
            elif kind is bool:
                part = _TRUE if v else _FALSE
            elif kind is int:
                part = (kind, v)
            elif kind is float:
                part = (kind, v if v and v == v else v.hex())  # 0.0 is not -0.0; nan
            else:
                shared_v, part = self._share(v)
                if shared_v is not v:
                    values[name] = shared_v
            if part is None:
                comparable = False
            parts.append(part)
        if not comparable:
            return model  # a value of a kind not compared here: not shared
        names = tuple(values)
        names = self._names.setdefault(names, names)
        key = (type(model), fields_key, names, *parts)
        found = self._models.get(key)
        if found is None:
            self._models[key] = model
            self._shareable[id(model)] = object()
            return model
        return found

    def _share(self, v: Any) -> tuple[Any, Any]:
        """``v`` with its parts shared (a list or mapping in place), and what tells it
        apart, as a hashable (None: not compared). Types count (``1`` is not ``1.0`` nor
        ``True``), and so does a zero's sign. One walk for both (issue 12).

        Text and dates are their own keys: a string equals only a string, a date only a
        date (every other key is a tuple); numbers, booleans and None are tagged with
        their type, as they equal one another (``1 == 1.0 == True``); a list, tuple or
        mapping is one tuple, its type then its items' keys (a mapping's key then value);
        a model in the index is an object of its own (:attr:`_shareable`)."""
        kind = type(v)
        if kind is str:
            v = self._text.setdefault(v, v)
            return v, v
        if v is None:
            return v, _NONE
        if kind is bool:
            return v, (_TRUE if v else _FALSE)
        if kind is int:
            return v, (kind, v)
        if kind is float:
            return v, (kind, v if v and v == v else v.hex())
        if kind is date:
            v = self._dates.setdefault(v, v)
            return v, v
        if isinstance(v, BaseModel):
            if not v.model_config.get("frozen"):
                return v, None
            v = self._model(v)
            # held by the index (its id stays its own): the object that stands for it
            return v, self._shareable.get(id(v))
        if kind is list:
            keys = []
            for i, item in enumerate(v):
                shared, k = self._share(item)
                if shared is not item:
                    v[i] = shared
                keys.append(k)
            return v, (None if None in keys else (kind, *keys))
        if kind is tuple:
            pairs = [self._share(item) for item in v]
            items = tuple(p[0] for p in pairs)
            keys = tuple(p[1] for p in pairs)
            same = all(a is b for a, b in zip(items, v, strict=True))
            return (v if same else items), (None if None in keys else (kind, *keys))
        if kind is dict:
            text = self._text
            entries = []
            keyed: list[Any] = []  # each key's key then its value's, in one tuple
            for k, x in v.items():
                if type(k) is str:
                    k = k_key = text.setdefault(k, k)
                else:
                    k_key = self._key(k)
                shared, x_key = self._share(x)
                entries.append((k, shared))
                keyed.append(k_key)
                keyed.append(x_key)
            v.clear()
            v.update(entries)
            return v, (None if None in keyed else (kind, *keyed))
        return v, None

    def _key(self, v: Any) -> Any:
        """What tells ``v`` (a mapping's key other than a string: hashable, so never a
        list or a mapping) apart, as a hashable; None: not compared."""
        kind = type(v)
        if kind is str or kind is date:
            return v  # as _share keys them
        if v is None:
            return _NONE
        if kind is bool:
            return _TRUE if v else _FALSE
        if kind is int:
            return (kind, v)
        if kind is float:
            return (kind, v if v and v == v else v.hex())
        if kind is tuple:
            parts = tuple(self._key(item) for item in v)
            return None if None in parts else (kind, *parts)
        if isinstance(v, BaseModel):
            return self._shareable.get(id(v))
        return None
