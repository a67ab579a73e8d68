"""Diagnostics -> text, GitHub workflow commands, JSON or SARIF 2.1.0."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote

from . import __version__
from .diagnostics import Diagnostic, Severity
from .messages import line, say, visible

# Characters a file name keeps in a SARIF artifact URI (RFC 3986 path characters); the
# rest (a space, '#', '%', '?', quotes, line breaks) are percent-encoded.
_PATH_SAFE = "/,:;=@!$&'()*+~"

FORMATS: tuple[str, ...] = ("text", "github", "json", "sarif")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def format_diagnostics(
    diags: Iterable[Diagnostic],
    fmt: str,
    *,
    rules: Mapping[str, str] | None = None,
    language: str = "en",
) -> str:
    """Format ``diags`` as ``text``, ``github``, ``json`` or ``sarif``.

    Messages are in ``language`` (``en`` / ``zh``); rule ids stay as they are, and
    JSON and SARIF also carry the English text (``message_en``) for tools.
    ``rules`` optionally maps rule ids to a one-line description (SARIF's
    ``shortDescription``); the rule id is used otherwise.
    """
    items = list(diags)
    if fmt == "text":
        return "\n".join(line(d, language) for d in items)
    if fmt == "github":
        return "\n".join(github_command(d, language) for d in items)
    if fmt == "json":
        rows = [as_dict(d, language) for d in items]
        return json.dumps(
            {"version": 1, "diagnostics": rows, "summary": _summary(items)},
            ensure_ascii=False,
            indent=2,
            sort_keys=True,
        )
    if fmt == "sarif":
        return json.dumps(sarif(items, rules, language), ensure_ascii=False, indent=2)
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


# ------------------------------------------------------------------------------ json


def as_dict(d: Diagnostic, language: str = "en") -> dict[str, Any]:
    """A diagnostic as a JSON object with stable keys: ``message`` in ``language``,
    ``message_en`` in English, ``key`` the message's catalogue id (or null)."""
    return {
        "file": d.file,
        "line": d.line,
        "column": d.column,
        "end_line": d.end_line,
        "end_column": d.end_column,
        "field": d.field,
        "rule": d.rule,
        "severity": d.severity.value,
        "message": say(d.message, language),
        "message_en": str(d.message),
        "key": d.key,
        "extra": dict(d.extra),
    }


def _summary(items: list[Diagnostic]) -> dict[str, int]:
    return {s.value: sum(1 for d in items if d.severity is s) for s in Severity}


# ---------------------------------------------------------------------------- github


def escape_data(value: str) -> str:
    """Escape a workflow command's message (``%``, CR, LF); other control characters are
    written out (``\\x1b``): the Actions log would act on an escape sequence."""
    value = visible(value, keep="\t\r\n")
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a workflow command property (also ``:`` and ``,``)."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github_command(d: Diagnostic, language: str = "en") -> str:
    """``::error file=…,line=…,col=…,title=…::message`` for one diagnostic."""
    props = [f"file={escape_property(d.file)}"]
    if d.line is not None:
        props.append(f"line={d.line}")
        if d.end_line is not None:
            props.append(f"endLine={d.end_line}")
        if d.column is not None:
            props.append(f"col={d.column}")
            if d.end_column is not None and d.end_line == d.line:
                props.append(f"endColumn={d.end_column}")
    props.append(f"title={escape_property(d.rule)}")
    subject = f"{d.field}: " if d.field else ""
    said = escape_data(subject + say(d.message, language))
    return f"::{_GITHUB_LEVEL[d.severity]} {','.join(props)}::{said}"


# ----------------------------------------------------------------------------- sarif


def _describe(rid: str, sample: Diagnostic) -> str:
    """A rule's one-line description: its name from the finding, and its legal basis."""
    name = sample.message.split(":", 1)[0] if ":" in sample.message else rid
    basis = sample.get("basis")
    return f"{name} ({basis})" if basis else f"{name} [{rid}]"


def sarif(
    items: list[Diagnostic], rules: Mapping[str, str] | None = None, language: str = "en"
) -> dict[str, Any]:
    """A SARIF 2.1.0 log that GitHub code scanning accepts."""
    ids = sorted({d.rule for d in items})
    index = {rid: i for i, rid in enumerate(ids)}
    descriptors = []
    for rid in ids:
        sample = next(d for d in items if d.rule == rid)
        props: dict[str, Any] = {"tags": [rid.split("/")[0]]}
        if sample.get("basis"):
            props["basis"] = sample.get("basis")
        if sample.get("category"):
            props["category"] = sample.get("category")
        descriptors.append(
            {
                "id": rid,
                "name": rid.replace("/", "-"),
                "shortDescription": {"text": (rules or {}).get(rid) or _describe(rid, sample)},
                "defaultConfiguration": {"level": _SARIF_LEVEL[sample.severity]},
                "properties": props,
            }
        )
    results = []
    for d in items:
        said = say(d.message, language)
        region: dict[str, int] = {"startLine": max(1, d.line or 1)}
        if d.column is not None:
            region["startColumn"] = max(1, d.column)
        if d.end_line is not None:
            region["endLine"] = max(region["startLine"], d.end_line)
            if d.end_column is not None:
                region["endColumn"] = max(1, d.end_column)
        result: dict[str, Any] = {
            "ruleId": d.rule,
            "ruleIndex": index[d.rule],
            "level": _SARIF_LEVEL[d.severity],
            "message": {"text": f"{d.field}: {said}" if d.field else said},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {
                            # a URI reference: a space, '#', '%' or a line break in a
                            # file name percent-encoded (outside hostile test, finding 20)
                            "uri": quote(d.file.replace("\\", "/").lstrip("/"), safe=_PATH_SAFE),
                            "uriBaseId": "%SRCROOT%",
                        },
                        "region": region,
                    }
                }
            ],
        }
        props = dict(d.extra)
        if said != d.message:
            props["message_en"] = str(d.message)
        if props:
            result["properties"] = props
        results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "planbook",
                        "version": __version__,
                        "rules": descriptors,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
