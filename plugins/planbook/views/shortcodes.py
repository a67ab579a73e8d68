"""Find ``{{ name(args) }}`` shortcodes in Markdown, outside code.

Only known names are taken; any other ``{{ … }}`` (an e-mail merge tag such as
``{{first_name}}``, a macros-plugin call) is left exactly as written. Fenced code
blocks, indented code blocks, inline code spans and HTML comments are never expanded. Arguments
are Python-style literals read with :func:`ast.literal_eval`; nothing is evaluated.
"""

from __future__ import annotations

import ast
import difflib
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict

from ..diagnostics import Diagnostic, Severity
from ..messages import CATALOGUE, msg

_CALL = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*(\((?:[^{}]|\{[^{}]*\})*?\))?\s*\}\}")
_OPEN = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)")
# What may stand before a shortcode on its line: a list item's or a quote's marker (a
# section is a block; beside text, in a heading, a link or an attribute, it is not
# expanded: outside hostile test, finding 16).
_LEAD = re.compile(r"^(?:[>\s]*(?:[-*+]|\d{1,9}[.)])?\s*)")
_FENCE = re.compile(r"^(?P<indent>[ \t>]*)(?P<fence>`{3,}|~{3,})")
_INLINE_CODE = re.compile(r"(`+)(?:.+?)(?<!`)\1(?!`)", re.S)


@dataclass
class Shortcode:
    name: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    line: int  # 1-based line in the page file
    text: str
    token: str = ""
    diagnostics: list[Diagnostic] = field(default_factory=list)


# --------------------------------------------------------------------------- argument schemas


class Arguments(BaseModel):
    """Base of a shortcode's argument schema: one field per argument, types strict (a
    number is not text, text is not a list), unknown names refused with a did-you-mean.
    The same pydantic machinery as the front matter, so the messages read the same."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)


@dataclass(frozen=True)
class Signature:
    """A shortcode's arguments: the schema and which fields may be given by position."""

    model: type[Arguments]
    positional: tuple[str, ...] = ()


SIGNATURES: dict[str, Signature] = {}


def register(name: str, model: type[Arguments], positional: tuple[str, ...] = ()) -> None:
    """Declare the arguments of shortcode ``name`` (every module that adds one calls this)."""
    SIGNATURES[name] = Signature(model, positional)


def check_arguments(call: Shortcode, file: str) -> list[Diagnostic]:
    """Diagnostics for a call whose arguments do not fit its registered schema."""
    from ..frontmatter import Locations
    from ..validation import validate

    sig = SIGNATURES.get(call.name)
    if sig is None:
        return []

    def problem(message: str) -> list[Diagnostic]:
        return [
            Diagnostic(
                file,
                call.line,
                None,
                "shortcode/arguments",
                Severity.ERROR,
                msg("shortcode/arguments", name=call.name, subject="", problem=message),
            )
        ]

    if len(call.args) > len(sig.positional):
        names = ", ".join(f"{n}=..." for n in sig.model.model_fields)
        hint = msg("shortcode/arguments.name-them", names=names)
        return problem(
            msg(
                "shortcode/arguments.positional", n=len(sig.positional), got=len(call.args), hint=""
            )
            if sig.positional
            else msg(
                "shortcode/arguments.no-positional", got=len(call.args), hint=hint if names else ""
            )
        )
    data = dict(zip(sig.positional, call.args, strict=False))
    for k, v in call.kwargs.items():
        if k in data:
            return problem(msg("shortcode/arguments.twice", name=k))
        data[k] = v
    _, diags = validate(
        sig.model, data, file=file, locations=Locations(default=call.line), prefix=()
    )
    out = []
    for d in diags:
        key = f"shortcode/arguments.{(d.key or '').removeprefix('schema.')}"
        message = msg(key, **d.args) if key in CATALOGUE else d.message
        value = data.get(d.field or "")
        if message.startswith("expected a list") and isinstance(value, str):
            message = msg("shortcode/arguments.list-of-one", problem=message, value=value)
        subject = f"{d.field}: " if d.field else ""
        out.append(
            Diagnostic(
                d.file,
                call.line,
                None,  # the argument is named in the message; `field` is a front-matter path
                "shortcode/arguments",
                d.severity,
                msg("shortcode/arguments", name=call.name, subject=subject, problem=message),
            )
        )
    return out


# Arguments are a few literals: ``goals=["a", "b"]`` nests five levels. Hundreds of unary
# minus signs, ``not`` chains or a 3,000-term sum would exhaust Python's recursion in
# ast.parse, literal_eval or unparse; they are refused before any of those recurse.
MAX_DEPTH = 32  # syntax-tree levels of the whole argument list


def _depth(tree: ast.AST, most: int) -> int:
    """Nesting depth of an AST, without recursion; stops counting past ``most``."""
    deepest = 0
    stack = [(tree, 1)]
    while stack and deepest <= most:
        node, d = stack.pop()
        deepest = max(deepest, d)
        stack.extend((child, d + 1) for child in ast.iter_child_nodes(node))
    return deepest


def parse_arguments(text: str) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """Parse ``("a", by="channel")`` as literals; raise ValueError with a readable reason."""
    try:
        tree = ast.parse(f"f{text}", mode="eval")
    except SyntaxError as e:
        shown = text if len(text) <= 60 else text[:59] + "…"
        raise ValueError(msg("shortcode/arguments.syntax", text=shown, error=e.msg)) from None
    except (RecursionError, MemoryError):  # the parser's own limit, past MAX_DEPTH anyway
        raise ValueError(msg("shortcode/arguments.depth", most=MAX_DEPTH)) from None
    if _depth(tree, MAX_DEPTH) > MAX_DEPTH:
        raise ValueError(msg("shortcode/arguments.depth", most=MAX_DEPTH))
    node = tree.body
    assert isinstance(node, ast.Call)
    args = []
    for arg in node.args:
        args.append(_literal(arg))
    kwargs = {}
    for kw in node.keywords:
        if kw.arg is None:
            raise ValueError(msg("shortcode/arguments.double-star"))
        if kw.arg in kwargs:  # Python refuses it too; the last would silently win
            raise ValueError(msg("shortcode/arguments.twice", name=kw.arg))
        kwargs[kw.arg] = _literal(kw.value)
    return tuple(args), kwargs


def _literal(node: ast.AST) -> Any:
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError):
        raise ValueError(msg("shortcode/arguments.not-literal", arg=ast.unparse(node))) from None


_CONTAINER = re.compile(r"^(?:[-*+][ \t]|\d{1,9}[.)][ \t]|(?:!!!|\?\?\?\+?|===!?)[ \t])")


def _indent(line: str) -> int:
    n = 0
    for ch in line:
        if ch == " ":
            n += 1
        elif ch == "\t":
            n += 4 - n % 4
        else:
            break
    return n


def _code_mask(markdown: str) -> list[bool]:
    """For each line: is it code? Fenced code blocks (at any indentation, so fences inside
    admonitions and list items count), and indented code blocks: four spaces more than
    the list item, admonition or tab the line belongs to, after a blank line."""
    lines = markdown.split("\n")
    mask = [False] * len(lines)
    fence: str | None = None
    containers: list[int] = []  # content indentation of open list items / admonitions
    blank_before = True
    in_code = False
    for i, line in enumerate(lines):
        m = _FENCE.match(line)
        if fence is not None:
            mask[i] = True
            closing = m and m.group("fence")[0] == fence[0] and len(m.group("fence")) >= len(fence)
            if closing and not line.strip().lstrip(fence[0]).strip():
                fence = None
            continue
        if not line.strip():
            blank_before = True
            continue
        indent = _indent(line)
        while containers and indent < containers[-1]:
            containers.pop()
        base = containers[-1] if containers else 0
        if indent >= base + 4 and (blank_before or in_code):
            mask[i] = in_code = True
            blank_before = False
            continue
        in_code = blank_before = False
        if m:
            fence = m.group("fence")
            mask[i] = True
        elif _CONTAINER.match(line.lstrip(" \t>")):
            containers.append(indent + 4)
    return mask


def _comment_spans(lines: list[str]) -> list[list[tuple[int, int]]]:
    """Per line, the character spans inside HTML comments (``<!-- … -->``, across lines)."""
    spans: list[list[tuple[int, int]]] = [[] for _ in lines]
    inside = False
    for i, line in enumerate(lines):
        pos = 0
        while pos <= len(line):
            if inside:
                end = line.find("-->", pos)
                if end < 0:
                    spans[i].append((pos, len(line)))
                    break
                spans[i].append((pos, end + 3))
                pos, inside = end + 3, False
            else:
                start = line.find("<!--", pos)
                if start < 0:
                    break
                pos, inside = start, True
                spans[i].append((start, start + 4))
                pos = start + 4
    return spans


def find(
    markdown: str, known: Collection[str], *, file: str, first_line: int, token_prefix: str
) -> tuple[str, list[Shortcode]]:
    """Replace known shortcodes by unique tokens; return the new Markdown and the calls.

    A shortcode alone on its line becomes its own paragraph so the HTML that replaces
    it is not wrapped in ``<p>``.
    """
    lines = markdown.split("\n")
    mask = _code_mask(markdown)
    comments = _comment_spans(lines) if "<!--" in markdown else [[] for _ in lines]
    found: list[Shortcode] = []
    out: list[str] = []
    for i, line in enumerate(lines):
        if mask[i] or "{{" not in line:
            out.append(line)
            continue
        spans = [(m.start(), m.end()) for m in _INLINE_CODE.finditer(line)] + comments[i]
        beside: list[int] = []  # shortcodes left as written (text beside them)

        def repl(
            m: re.Match[str],
            lineno: int = i,
            spans: list = spans,
            line: str = line,
            beside: list[int] = beside,
        ) -> str:
            if any(a <= m.start() < b for a, b in spans):
                return m.group(0)
            if m.group(1) not in known:
                close = difflib.get_close_matches(m.group(1), sorted(known), n=1, cutoff=0.75)
                if m.group(2) and close:
                    # Looks like one of ours, misspelt: say so rather than publish it as text.
                    typo = Shortcode(m.group(1), (), {}, first_line + lineno, m.group(0))
                    typo.diagnostics.append(
                        Diagnostic(
                            file,
                            typo.line,
                            None,
                            "shortcode/unknown",
                            Severity.WARNING,
                            msg("shortcode/unknown", name=m.group(1), close=close[0]),
                            column=m.start() + 1,
                        )
                    )
                    found.append(typo)
                return m.group(0)
            rest = (line[: m.start()] + line[m.end() :]).strip()
            if _LEAD.sub("", rest):  # text beside it: in a heading, a link, an attribute
                aside = Shortcode(m.group(1), (), {}, first_line + lineno, m.group(0))
                said = msg("shortcode/not-alone", name=m.group(1))
                aside.diagnostics.append(
                    Diagnostic(
                        file,
                        aside.line,
                        None,
                        "shortcode/not-alone",
                        Severity.WARNING,
                        said,
                        column=m.start() + 1,
                    )
                )
                found.append(aside)
                beside.append(m.start())  # (the line is unchanged: same positions)
                return m.group(0)
            sc = Shortcode(m.group(1), (), {}, first_line + lineno, m.group(0))
            try:
                sc.args, sc.kwargs = parse_arguments(m.group(2) or "()")
            except ValueError as e:
                sc.diagnostics.append(
                    Diagnostic(
                        file,
                        sc.line,
                        None,
                        "shortcode/arguments",
                        Severity.ERROR,
                        msg("shortcode/arguments.unreadable", name=sc.name, problem=e.args[0]),
                        column=m.start() + 1,
                    )
                )
            sc.token = f"{token_prefix}{len(found)}Z"
            found.append(sc)
            return sc.token

        new = _CALL.sub(repl, line)
        for m in _OPEN.finditer(new):
            if m.start() in beside:
                continue
            if m.group(1) in known and not any(a <= m.start() < b for a, b in spans):
                bad = Shortcode(m.group(1), (), {}, first_line + i, new[m.start() :])
                bad.diagnostics.append(
                    Diagnostic(
                        file,
                        bad.line,
                        None,
                        "shortcode/syntax",
                        Severity.ERROR,
                        msg(
                            "shortcode/syntax", text=new[m.start() :].strip()[:60], name=m.group(1)
                        ),
                        column=m.start() + 1,
                    )
                )
                found.append(bad)
        if new != line and found and new.strip() == found[-1].token:
            indent = line[: len(line) - len(line.lstrip())]
            new = f"\n{indent}{new.strip()}\n"
        out.append(new)
    return "\n".join(out), found
