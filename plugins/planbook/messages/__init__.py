"""Diagnostic messages in the site's language.

A message is written once, in the catalogue (``messages/<area>.py``): its key (the
rule id, or ``rule.variant`` where one rule says several things), an English
template and a Chinese one, both with named arguments. A call site says
``msg("data/bad-date", expected=..., got=cell)``: that returns a :class:`Message`,
a ``str`` holding the English text (so ``Diagnostic.message``, JSON, SARIF and
every English test keep working) that also carries the key and the arguments.
:func:`say` turns it into another language when the diagnostic is shown.

Arguments are raw values (the cell's text, a count, line numbers); how they read
is decided per language by a format spec in the template:

``{x:q}`` / ``{x:q40}``  a value quoted ('abc' in English, “abc” in Chinese), on one
                         line, cut at 60 (40) characters
``{x:shown}``            a front-matter value: quoted text, "a list", "a mapping"
``{x:list}``             a sequence joined with ", " (Chinese "、")
``{n:~row}``             a count with its noun, plural in English ("3 rows"; ``~entry/entries``)
``{x:lines}``            a :class:`Lines`: "lines 3, 5 and 2 more" / "第 3、5 行等 4 行"
``{x:or}``               alternatives: "a, b or c" / "a、b 或 c"
``{x:and}``              "a and b" / "a、b"
``{x:semi}``             "a; b" / "a；b" (reasons, each a message)
``{x:phrases-yaml}``     another library's English with its known phrases translated
``{x:pair}``             an (English, Chinese) pair of texts written elsewhere (a rule pack's
                         ``message_en`` / ``message``): the one of the language
``{x:code}``             a value as a Markdown code span it cannot break out of, on one line
                         (``planbook diff``'s pull-request comment)

A :class:`Message` given as an argument is said in the same language.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..diagnostics import Diagnostic

LANGUAGES: tuple[str, ...] = ("en", "zh")
LIST_LINES = 5  # line numbers shown before "and N more"


@dataclass(frozen=True, slots=True)
class Lines:
    """Line numbers of rows a message is about, and how many there are in all."""

    lines: tuple[int, ...]
    total: int


class Message(str):
    """The English text of a catalogued message, carrying its key and arguments."""

    __slots__ = ("args", "key")
    key: str
    args: tuple[tuple[str, Any], ...]


# key -> (English template, Chinese template); filled by the area modules below.
CATALOGUE: dict[str, tuple[str, str]] = {}
# Text written by another library (PyYAML's description of a syntax error): known English
# phrases and their Chinese, replaced inside the value by ``{x:phrases-<name>}``.
PHRASES: dict[str, dict[str, str]] = {}


def register(entries: Mapping[str, tuple[str, str]]) -> None:
    for key, value in entries.items():
        if key in CATALOGUE:
            raise ValueError(f"message {key!r} is catalogued twice")
        CATALOGUE[key] = value


# Texts already formatted, by (key, language, arguments with their types): pages say the
# same messages again and again (a finding on every plan page, then in the log), and
# string.Formatter is pure Python. Arguments are keys by type and value (1, 1.0 and True
# print differently); a Message argument by its key and arguments (what its text is
# made of, in every language); anything else is formatted every time. Started again when
# full: a page says its messages again soon after it first said them (its section, then
# the log), and plans written alike say the same few; plans that differ say ~8 messages
# of their own each (plan-quality findings quoting their goals), and a 1,000-plan build
# kept ~8,500 of them, ~9 MB of keys and texts, to its end under a bound of 50,000
# (issue 12).
_SAID: dict[tuple, str] = {}
_SAID_MAX = 2048
_PLAIN = frozenset({str, int, float, bool, type(None), Lines, date, datetime})
_NOT_PLAIN = object()


def _key(value: Any, depth: int = 0) -> Any:
    """``value`` as a hashable key that says how it prints, or ``_NOT_PLAIN``."""
    kind = type(value)
    if kind is float:
        return (kind, repr(value))  # -0.0 == 0.0, but it prints "-0.0"
    if kind in _PLAIN:
        return (kind, value)
    if depth > 3:
        return _NOT_PLAIN
    if kind is Message:
        args = _frozen(value.args, depth + 1)
        return _NOT_PLAIN if args is None else (kind, value.key, args)
    if kind is tuple or kind is list:
        parts = tuple(_key(v, depth + 1) for v in value)
        return _NOT_PLAIN if any(p is _NOT_PLAIN for p in parts) else (kind, parts)
    return _NOT_PLAIN


def _frozen(args: Iterable[tuple[str, Any]], depth: int = 0) -> tuple | None:
    """``args`` as a cache key, or None when one of them is not a value :func:`_key`
    knows how it prints."""
    out = []
    for name, value in args:
        key = _key(value, depth)
        if key is _NOT_PLAIN:
            return None
        out.append((name, key))
    return tuple(out)


def _formatted(
    key: str, lang: str, template: str, args: Mapping[str, Any], frozen: tuple | None
) -> str:
    if frozen is None:
        return _Formatter(lang).vformat(template, (), args)
    memo = (key, lang, frozen)
    try:
        return _SAID[memo]
    except KeyError:
        pass
    if len(_SAID) >= _SAID_MAX:
        _SAID.clear()
    text = _SAID[memo] = _Formatter(lang).vformat(template, (), args)
    return text


def msg(key: str, /, **args: Any) -> Message:
    """The catalogued message ``key`` with ``args``: English text that knows its key."""
    en = CATALOGUE[key][0]
    out = Message(_formatted(key, "en", en, args, _frozen(args.items())))
    out.key = key
    out.args = tuple(args.items())
    return out


def say(message: str, language: str | None) -> str:
    """``message`` in ``language`` (``zh`` / ``en``); English when it has no translation."""
    lang = _lang(language)
    if lang == "en" or not isinstance(message, Message):
        return str(message)
    template = CATALOGUE[message.key][1]
    return _formatted(message.key, lang, template, dict(message.args), _frozen(message.args))


def translated(message: str) -> bool:
    """Whether ``message`` can be said in every language (it is catalogued)."""
    return isinstance(message, Message)


def text(d: Diagnostic, language: str | None) -> str:
    """A diagnostic's message in ``language``, on one line."""
    return one_line(say(d.message, language))


_SEVERITY = {"zh": {"error": "错误", "warning": "警告", "info": "提示"}}


def line(d: Diagnostic, language: str | None) -> str:
    """``file:line: severity: field: message [rule]`` in ``language``, on one line
    (``str(d)`` in English); the rule id stays as it is."""
    lang = _lang(language)
    severity = _SEVERITY.get(lang, {}).get(d.severity.value, d.severity.value)
    subject = f"{one_line(d.field)}: " if d.field else ""
    return f"{one_line(d.location)}: {severity}: {subject}{text(d, lang)} [{d.rule}]"


def one_line(value: str) -> str:
    """Line breaks (a value from a hostile file) shown as ``⏎`` so one message stays one
    line, and every other control character as :func:`visible` shows it."""
    if any(c in value for c in "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"):
        value = "⏎".join(value.splitlines())
    return visible(value)


# What a terminal or a CI log would act on rather than show: C0 controls (ESC starts the
# sequences that clear the screen, colour the text or set the window title; BEL ends
# one), DEL, C1 controls (U+009B is a one-character CSI), and the bidirectional
# embeddings, overrides and isolates that reorder how the rest of a line reads.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def visible(value: str, keep: str = "\t") -> str:
    """``value`` with each control character but those in ``keep`` written out as its
    escape (``\\x1b``, ``\\u202e``): text from a CSV cell, a file name or a KPI name goes
    to the terminal and the build log as text, never as a terminal command."""
    if not _CONTROL.search(value):
        return value
    return _CONTROL.sub(lambda m: m[0] if m[0] in keep else _escape(m[0]), value)


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def to_json(message: str) -> Any:
    """``message`` as JSON data that :func:`from_json` turns back into the same message
    (a cache on disk keeps a finding sayable in every language); plain text stays text."""
    if not isinstance(message, Message):
        return str(message)
    return {"key": message.key, "args": {k: _encode(v) for k, v in message.args}}


def from_json(data: Any) -> str:
    """The message :func:`to_json` wrote (a key no longer catalogued gives its text)."""
    if isinstance(data, dict) and data.get("key") in CATALOGUE:
        return msg(data["key"], **{k: _decode(v) for k, v in data.get("args", {}).items()})
    return str(data)


def _encode(value: Any) -> Any:
    if isinstance(value, Message):
        return {"message": to_json(value)}
    if isinstance(value, Lines):
        return {"lines": list(value.lines), "total": value.total}
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)  # dates, exceptions: their text is all a template uses


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and "message" in value:
        return from_json(value["message"])
    if isinstance(value, dict) and "lines" in value:
        return Lines(tuple(value["lines"]), int(value["total"]))
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def _lang(language: str | None) -> str:
    return "zh" if language and language.lower().startswith("zh") else "en"


# ----------------------------------------------------------------------------- format


def quote(value: Any, limit: int, lang: str) -> str:
    text = " ".join(str(value).split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"“{text}”" if lang == "zh" else repr(text)


def shown(value: Any, lang: str) -> str:
    """A front-matter value as an error message shows it."""
    zh = lang == "zh"
    if isinstance(value, str):
        if zh:
            return quote(value, 60, lang)
        return repr(value) if len(value) <= 60 else repr(value[:57] + "...")
    if isinstance(value, dict):
        return "一个映射" if zh else "a mapping"
    if isinstance(value, list):
        return "一个列表" if zh else "a list"
    if value is None:
        return "空值" if zh else "nothing"
    if isinstance(value, bool) and zh:
        return str(value).lower()
    return repr(value)


def _join(items: Iterable[Any], lang: str, last: str | None = None) -> str:
    parts = [say(i, lang) for i in items]
    sep = "、" if lang == "zh" else ", "
    if last is None or len(parts) < 2:
        return sep.join(parts)
    word = " 或 " if lang == "zh" else " or "
    return sep.join(parts[:-1]) + word + parts[-1]


def _lines(value: Lines | Sequence[int], lang: str) -> str:
    if not isinstance(value, Lines):
        value = Lines(tuple(value), len(value))
    shown_lines = value.lines[:LIST_LINES]
    more = value.total - len(shown_lines)
    if lang == "zh":
        head = f"第 {'、'.join(str(n) for n in shown_lines)} 行"
        return head + (f"等 {value.total} 行" if more > 0 else "")
    word = "line" if value.total == 1 else "lines"
    return f"{word} {', '.join(str(n) for n in shown_lines)}" + (
        f" and {more} more" if more > 0 else ""
    )


# The longest a value written into a message without a quoting spec may be (a pasted
# file as a goal id, a 400-digit number): cut, with "…" (outside hostile test, finding
# 18: messages of 100,000 characters on the page, in the log and twice in JSON).
LONGEST = 300


class _Formatter(string.Formatter):
    def __init__(self, lang: str) -> None:
        self.lang = lang

    def get_field(self, field_name: str, args: Any, kwargs: Any) -> Any:
        value, used = super().get_field(field_name, args, kwargs)
        if isinstance(value, str) and not isinstance(value, Message) and len(value) > LONGEST:
            # (a catalogued message as a value is cut by its own values, and said in
            # the reader's language: a cut one would stay English)
            value = value[: LONGEST - 1] + "…"
        elif isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 996:
            # over ~300 digits (and past Python's own limit of 4,300 for str()): the
            # first digits and the power of ten
            digits = int(value.bit_length() * 0.30103) + 1
            head = str(abs(value) // 10 ** max(digits - 12, 0))[:12]
            value = f"{'-' if value < 0 else ''}{head[0]}.{head[1:]}…e{digits - 1}"
        return value, used

    def format_field(self, value: Any, format_spec: str) -> str:
        lang = self.lang
        if format_spec == "pair":
            if isinstance(value, list | tuple):
                value = value[0] if lang == "en" else value[1]
            format_spec = ""
        if isinstance(value, Message):
            value = say(value, lang)
        if format_spec.startswith("q"):
            return quote(value, int(format_spec[1:] or 60), lang)
        if format_spec == "shown":
            return shown(value, lang)
        if format_spec == "list":
            return _join(value, lang)
        if format_spec.startswith("phrases-"):
            text = str(value)
            if lang == "zh":
                for en, zh in PHRASES[format_spec.removeprefix("phrases-")].items():
                    text = text.replace(en, zh)
            return text
        if format_spec == "code":
            from ..mdtext import code

            return code(str(value))
        if format_spec == "semi":
            return ("; " if lang == "en" else "；").join(say(v, lang) for v in value)
        if format_spec == "and":
            return (" and " if lang == "en" else "、").join(str(v) for v in value)
        if format_spec == "or":
            return _join(value, lang, "or")
        if format_spec == "lines":
            return _lines(value, lang)
        if format_spec.startswith("~"):
            # a count with its noun: "{n:~row}" -> "1 row" / "3 rows" (Chinese templates
            # write their own measure word)
            if lang == "zh":
                return str(value)
            one, _, many = format_spec[1:].partition("/")
            return f"{value} {one if value == 1 else (many or one + 's')}"
        return super().format_field(value, format_spec)


# The catalogue, one module per area.
from . import charts as _charts  # noqa: E402,F401
from . import content as _content  # noqa: E402,F401
from . import data as _data  # noqa: E402,F401
from . import diff as _diff  # noqa: E402,F401
from . import kpis as _kpis  # noqa: E402,F401
from . import lint as _lint  # noqa: E402,F401
from . import options as _options  # noqa: E402,F401
from . import pages as _pages  # noqa: E402,F401
from . import plan as _plan  # noqa: E402,F401
from . import regex as _regex  # noqa: E402,F401
from . import review as _review  # noqa: E402,F401
from . import shortcodes as _shortcodes  # noqa: E402,F401
from . import sources as _sources  # noqa: E402,F401
from . import yaml as _yaml  # noqa: E402,F401
