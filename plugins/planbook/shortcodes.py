"""Find ``{{ name(args) }}`` shortcodes in Markdown, outside code.

Only known names are taken; any other ``{{ … }}`` (an e-mail merge tag such as
``{{first_name}}``, a macros-plugin call) is left exactly as written. Fenced code
blocks, indented code blocks and inline code spans are never expanded. Arguments
are Python-style literals read with :func:`ast.literal_eval`; nothing is evaluated.
"""

from __future__ import annotations

import ast
import difflib
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from .diagnostics import Diagnostic, Severity

_CALL = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*(\((?:[^{}]|\{[^{}]*\})*?\))?\s*\}\}")
_OPEN = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)")
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


def parse_arguments(text: str) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """Parse ``("a", by="channel")`` as literals; raise ValueError with a readable reason."""
    try:
        node = ast.parse(f"f{text}", mode="eval").body
    except SyntaxError as e:
        raise ValueError(f"cannot read the arguments {text}: {e.msg}") from None
    assert isinstance(node, ast.Call)
    args = []
    for arg in node.args:
        args.append(_literal(arg))
    kwargs = {}
    for kw in node.keywords:
        if kw.arg is None:
            raise ValueError("**arguments are not allowed")
        kwargs[kw.arg] = _literal(kw.value)
    return tuple(args), kwargs


def _literal(node: ast.AST) -> Any:
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError):
        raise ValueError(
            f"argument {ast.unparse(node)!r} is not a literal; use quoted text, numbers, "
            'true/false lists such as ["a", "b"]'
        ) from None


def _code_mask(markdown: str) -> list[bool]:
    """For each line: is it inside a fenced code block (at any indentation, so fences
    inside admonitions and list items count)? Indented code blocks are not detected:
    in MkDocs content, indentation usually means a list item or an admonition body."""
    lines = markdown.split("\n")
    mask = [False] * len(lines)
    fence: str | None = None
    for i, line in enumerate(lines):
        m = _FENCE.match(line)
        if fence is not None:
            mask[i] = True
            closing = m and m.group("fence")[0] == fence[0] and len(m.group("fence")) >= len(fence)
            if closing and not line.strip().lstrip(fence[0]).strip():
                fence = None
            continue
        if m:
            fence = m.group("fence")
            mask[i] = True
    return mask


def find(
    markdown: str, known: Collection[str], *, file: str, first_line: int, token_prefix: str
) -> tuple[str, list[Shortcode]]:
    """Replace known shortcodes by unique tokens; return the new Markdown and the calls.

    A shortcode alone on its line becomes its own paragraph so the HTML that replaces
    it is not wrapped in ``<p>``.
    """
    lines = markdown.split("\n")
    mask = _code_mask(markdown)
    found: list[Shortcode] = []
    out: list[str] = []
    for i, line in enumerate(lines):
        if mask[i] or "{{" not in line:
            out.append(line)
            continue
        spans = [(m.start(), m.end()) for m in _INLINE_CODE.finditer(line)]

        def repl(m: re.Match[str], lineno: int = i, spans: list = spans) -> str:
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
                            f"unknown shortcode '{m.group(1)}' (did you mean "
                            f"'{close[0]}'?); it is left in the page as text",
                            column=m.start() + 1,
                        )
                    )
                    found.append(typo)
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
                        f"{{{{ {sc.name}(…) }}}}: {e}",
                        column=m.start() + 1,
                    )
                )
            sc.token = f"{token_prefix}{len(found)}Z"
            found.append(sc)
            return sc.token

        new = _CALL.sub(repl, line)
        for m in _OPEN.finditer(new):
            if m.group(1) in known and not any(a <= m.start() < b for a, b in spans):
                bad = Shortcode(m.group(1), (), {}, first_line + i, new[m.start() :])
                bad.diagnostics.append(
                    Diagnostic(
                        file,
                        bad.line,
                        None,
                        "shortcode/syntax",
                        Severity.ERROR,
                        f"malformed shortcode {new[m.start() :].strip()[:60]!r}; expected "
                        f"{{{{ {m.group(1)}(...) }}}} with balanced parentheses and braces",
                        column=m.start() + 1,
                    )
                )
                found.append(bad)
        if new != line and found and new.strip() == found[-1].token:
            indent = line[: len(line) - len(line.lstrip())]
            new = f"\n{indent}{new.strip()}\n"
        out.append(new)
    return "\n".join(out), found
