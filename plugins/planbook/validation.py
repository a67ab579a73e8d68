"""Front matter validated into a pydantic model, its errors as located diagnostics: one
message per field, worded for the author (``goals[2].target: expected a number, got
'abc'``, did-you-mean on unknown keys), at the line the field is written on. Every
front-matter model goes through :func:`validate` (plans, personas, review specs,
``publish:``, shortcode arguments); the models themselves are :mod:`.model`'s and their
engines' own."""

from __future__ import annotations

import difflib
import re
from typing import Any

from pydantic import BaseModel, ValidationError

from .diagnostics import Diagnostic, Severity
from .frontmatter import Locations, PathKey, format_path
from .messages import Message, msg


def _fields_of(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The field names allowed at ``loc`` (for did-you-mean on unknown keys)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int) or not (
            isinstance(current, type) and issubclass(current, BaseModel)
        ):
            continue
        info = current.model_fields.get(part)
        if info is None:
            return []
        current = _inner_model(info.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _inner_model(annotation: Any) -> Any:
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    meta = getattr(annotation, "__metadata__", None)
    if meta is not None:
        return _inner_model(annotation.__origin__)
    return None


def _clean_loc(loc: tuple[Any, ...]) -> tuple[str | int, ...]:
    # pydantic adds union member tags such as 'Persona' or 'function-before[...]'.
    out: list[str | int] = []
    for part in loc:
        if isinstance(part, str) and (
            part[:1].isupper() or "[" in part or part in {"str", "int", "float", "constrained-str"}
        ):
            continue
        out.append(part)
    return tuple(out)


_EXPECT = {  # pydantic error type -> what the field expects (messages/plan.py EXPECTED)
    "float_parsing": "number",
    "float_type": "number",
    "finite_number": "finite",
    "int_parsing": "whole",
    "int_type": "whole",
    "int_from_float": "whole",
    "bool_parsing": "bool",
    "bool_type": "bool",
    "string_type": "text",
    "date_parsing": "date",
    "date_from_datetime_parsing": "date",
    "date_type": "date",
    "list_type": "list",
    "dict_type": "mapping",
    "model_type": "mapping",
    "model_attributes_type": "mapping",
}


def _message(err: dict[str, Any], model: type[BaseModel], loc: tuple[Any, ...]) -> str:
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return msg("schema.missing")
    if kind == "extra_forbidden":
        key = loc[-1] if loc else "?"
        allowed = _fields_of(model, loc[:-1])
        close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
        if close:
            return msg("schema.unknown-field.close", key=key, close=close[0])
        if allowed:
            return msg("schema.unknown-field.known", key=key, known=allowed)
        return msg("schema.unknown-field", key=key)
    if kind == "literal_error":
        choices = re.split(r", | or ", str(ctx.get("expected", "?")))
        return msg("schema.one-of", choices=choices, got=value)
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        if "a-z0-9" in pattern:
            return msg("schema.expected", what=msg("expect.slug"), got=value)
        if "A-Z]{3}" in pattern:
            return msg("schema.expected", what=msg("expect.currency"), got=value)
        return msg("schema.pattern", pattern=pattern, got=value)
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        limit = next(iter(ctx.values()), "?")
        return msg("schema.bound", bound=msg(f"bound.{kind}"), limit=limit, got=value)
    if kind in _EXPECT:
        return msg("schema.expected", what=msg(f"expect.{_EXPECT[kind]}"), got=value)
    if kind == "value_error":
        error = ctx.get("error")
        if error is not None and error.args and isinstance(error.args[0], Message):
            return error.args[0]
        return str(ctx.get("error", err.get("msg")))
    return msg("schema.other", detail=err.get("msg", kind), got=value)


def validate(
    model: type[BaseModel], data: Any, *, file: str, locations: Locations, prefix: PathKey
) -> tuple[Any, list[Diagnostic]]:
    """Validate ``data`` (found at ``prefix`` in the front matter) into ``model``."""
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        diags: list[Diagnostic] = []
        seen: set[tuple[Any, ...]] = set()
        for err in exc.errors(include_url=False):
            if err["type"] == "invalid_key" and err.get("input") is None:
                continue  # a null key: the YAML reader reports it on its own line
            loc = _clean_loc(err["loc"])
            if loc in seen:  # one message per field (unions report each member)
                continue
            seen.add(loc)
            full = (*prefix, *loc)
            diags.append(
                Diagnostic(
                    file,
                    locations.line(full),
                    format_path(full),
                    "schema",
                    Severity.ERROR,
                    _message(err, model, loc),
                )
            )
        return None, diags
