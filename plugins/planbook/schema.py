"""JSON Schemas of plan-page front matter and of the plugin's options, for editors.

The schemas come from the same pydantic models the validators use, with the shorthand
forms those models accept before validation written out (pydantic's own schema shows
only the validated form): numbers written as in the exports (``2.5%``, ``70万``,
``¥1,000,000``), text fields given a number, ``metrics: [path]``, ``filter: {channel:
sem}`` and other one-value lists. Cross-field rules (``share`` or ``amount``, dates
inside the period, ids that must exist) are checked by ``planbook check`` only.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue

from . import model
from .fields import scalar_text

SCHEMA_ID = "https://planbook.invalid/schema"
DIALECT = "https://json-schema.org/draft/2020-12/schema"

# Text that sources.values.parse_numbers reads as a number: an optional sign, currency
# and parentheses, digits (ASCII or full-width) with thousands separators, a decimal
# part, an exponent, and a %, 万 or 亿 suffix.
_DIGIT = "[0-9\uff10-\uff19]"
NUMBER_TEXT = (
    r"^\s*\(?\s*[-+\uff0b\uff0d]?\s*"
    r"(?:(?i:cn¥|us\$|hk\$|a\$|rmb|cny|usd|eur|hkd|gbp|jpy)|[¥￥$＄€£元])?\s*[-+]?\s*"
    rf"(?:{_DIGIT}[0-9\uff10-\uff19,\uff0c'’ ]*(?:[.\uff0e]{_DIGIT}*)?|[.\uff0e]{_DIGIT}+)"
    r"(?:[eE][-+]?[0-9]+)?\s*(?:[%\uff05]|万|亿)?\s*(?:元)?\s*\)?\s*$"
)


class _Shorthand(GenerateJsonSchema):
    """pydantic's generator, with the input that ``BeforeValidator`` functions accept."""

    def function_before_schema(self, schema: Any) -> JsonSchemaValue:
        inner = self.generate_inner(schema["schema"])
        name = getattr(schema["function"]["function"], "__name__", "")
        if name == "_number":
            return {"anyOf": [inner, {"type": "string", "pattern": NUMBER_TEXT}]}
        if schema["function"]["function"] is scalar_text:  # every model's text fields
            return {"anyOf": [inner, {"type": "number"}]}
        if name == "_day":
            return {"type": "string", "format": "date"}
        if name == "_count":
            return inner
        if name == "_source":  # `path` for `{path: path}`
            return {"anyOf": [{"type": "string"}, inner]}
        if name == "_sources":  # one path or mapping, or a list of them
            item = inner["items"]
            one = {"anyOf": [{"type": "string"}, item]}
            return {"anyOf": [one, {"type": "array", "items": one}]}
        if name == "_state":  # `done` for `{state: done}`
            from .review.spec import ChecklistState

            state = _schema(ChecklistState.model_fields["state"].annotation)
            return {"anyOf": [state, inner]}
        if inner.get("type") == "array" and "items" in inner:
            return {"anyOf": [inner["items"], inner]}  # one value or a list of them
        return inner

    def function_after_schema(self, schema: Any) -> JsonSchemaValue:
        # Field(ge=…, le=…) on an annotated type: pydantic wraps the type in partials of
        # its comparison validators (older versions leave no schema hint for them).
        inner = self.generate_inner(schema["schema"])
        function = schema["function"]["function"]
        bounds = {k: v for k, v in getattr(function, "keywords", {}).items() if k in _BOUNDS}
        if bounds:
            inner = dict(inner)
            inner.update(bounds)
            return _bounds(inner)
        return inner


def _schema(tp: Any) -> dict[str, Any]:
    from pydantic import TypeAdapter

    schema = TypeAdapter(tp).json_schema(mode="validation", schema_generator=_Shorthand)
    return _bounds(schema)


_BOUNDS = {"ge": "minimum", "le": "maximum", "gt": "exclusiveMinimum", "lt": "exclusiveMaximum"}


def _bounds(node: Any) -> Any:
    """pydantic leaves ``ge``/``le`` beside an ``anyOf`` it did not build: move them
    into the number branches as JSON Schema's ``minimum``/``maximum``."""
    if isinstance(node, list):
        return [_bounds(n) for n in node]
    if not isinstance(node, dict):
        return node
    node = {k: _bounds(v) for k, v in node.items()}
    found = {k: node.pop(k) for k in list(node) if k in _BOUNDS}
    if found:
        targets = [b for b in node.get("anyOf", [node]) if b.get("type") in ("number", "integer")]
        for branch in targets:
            branch.update({_BOUNDS[k]: v for k, v in found.items()})
    return node


def front_matter_schema() -> dict[str, Any]:
    """The schema of a page's front matter: ``plan``, ``persona`` and ``review`` are
    checked; other keys (``title``, MkDocs' and Material's own) are left alone."""
    from .review.spec import ReviewSpec

    defs: dict[str, Any] = {}
    properties: dict[str, Any] = {"title": {"type": ["string", "number"]}}
    for key, tp in (("plan", model.Plan), ("persona", model.Persona), ("review", ReviewSpec)):
        sub = _schema(tp)
        defs.update(sub.pop("$defs", {}))
        properties[key] = sub
    return {
        "$schema": DIALECT,
        "$id": f"{SCHEMA_ID}/front-matter.json",
        "title": "Planbook page front matter",
        "type": "object",
        "properties": properties,
        "additionalProperties": True,
        "$defs": defs,
    }


def options_schema(options: list[tuple[str, Any]]) -> dict[str, Any]:
    """The schema of ``mkdocs.yml`` as far as the planbook plugin goes: its options under
    ``plugins: [- planbook: {...}]``. ``options`` are ``(name, description, json type)``
    rows from the adapter (which owns the MkDocs option classes)."""
    props = {name: spec for name, spec in options}
    plugin = {
        "type": "object",
        "properties": {
            "planbook": {
                "type": ["object", "null"],
                "properties": props,
                "additionalProperties": False,
            }
        },
        "required": ["planbook"],
    }
    return {
        "$schema": DIALECT,
        "$id": f"{SCHEMA_ID}/mkdocs-options.json",
        "title": "Planbook plugin options in mkdocs.yml",
        "type": "object",
        "properties": {
            "plugins": {
                "type": "array",
                "items": {
                    "if": {"type": "object", "required": ["planbook"]},
                    "then": plugin,
                },
            }
        },
    }


FILES = {"front-matter": "front-matter.schema.json", "options": "mkdocs-options.schema.json"}
"""File name of each schema in a site's ``.planbook/`` folder."""


def all_schemas(options: list[tuple[str, Any]]) -> dict[str, dict[str, Any]]:
    """Both schemas by kind (``front-matter``, ``options``)."""
    return {"front-matter": front_matter_schema(), "options": options_schema(options)}


def write(folder: Path, schemas: dict[str, dict[str, Any]]) -> list[Path]:
    """Write ``schemas`` into ``folder`` as :data:`FILES`; returns the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for kind, schema in schemas.items():
        path = folder / FILES[kind]
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        out.append(path)
    return out
