"""Which encoding a downloaded export is in, told from its bytes, or why it cannot be told.

Order of evidence:

1. A byte-order mark: UTF-8, UTF-16 LE/BE (Google Ads "Excel .csv"), UTF-32.
2. Valid UTF-8 (ASCII included).
3. Legacy encodings, from a sample: GB18030 when the decoded text stays inside
   GB2312 (the simplified characters every GBK export uses); Shift-JIS when it
   decodes and holds kana; Big5 when it decodes to CJK text that GB2312 does not
   explain; cp1252 when nothing CJK decodes and the text is Latin.
4. GB18030 when it is the only candidate that decodes at all (emoji and rare hanzi in
   campaign names take it outside GB2312, but Chinese Excel and WPS write it) and the
   text holds no unassigned, private-use or control characters.

Anything else is ambiguous: the caller gets the encodings that decode, never a guess.
"""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass

__all__ = ["CANDIDATES", "EncodingGuess", "detect", "display", "normalize"]

CANDIDATES = ("utf-8", "gb18030", "big5", "shift_jis", "cp1252")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "utf-16": "UTF-16",
    "utf-32": "UTF-32",
    "gb18030": "GB18030",
    "big5": "Big5",
    "shift_jis": "Shift-JIS",
    "cp1252": "cp1252",
}


def normalize(name: str) -> str | None:
    """Python's name for an encoding given in the options (``GBK`` -> ``gb18030``:
    GB18030 is a superset, so a GBK file always reads), or ``None`` if unknown."""
    try:
        found = codecs.lookup(name.strip()).name
    except LookupError:
        return None
    aliases = {"gbk": "gb18030", "gb2312": "gb18030", "cp936": "gb18030", "utf-16-le": "utf-16"}
    found = aliases.get(found, found)
    return "utf-8-sig" if found == "utf-8" else found


def display(name: str) -> str:
    return _NAMES.get(name, name)


@dataclass(frozen=True)
class EncodingGuess:
    """``encoding`` when told; else ``decodes`` lists the candidates that decode
    (empty: none does) and ``bad_line`` where the first of them stopped."""

    encoding: str | None
    decodes: tuple[str, ...] = ()
    bad_line: int | None = None


def _cut(sample: bytes, complete: bool) -> bytes:
    """The sample up to its last newline, so no multi-byte character is cut in two."""
    if complete:
        return sample
    end = sample.rfind(b"\n")
    return sample if end < 0 else sample[: end + 1]


def _decodes(sample: bytes, enc: str) -> str | None:
    try:
        return sample.decode(enc)
    except UnicodeDecodeError:
        return None


def _non_ascii(text: str) -> list[str]:
    return [c for c in text if ord(c) > 127]


def _simplified(c: str) -> bool:
    """A character GBK exports are made of: a GB2312 hanzi, or CJK / full-width
    punctuation. GB2312's kana, Greek, Cyrillic and box rows do not count: Big5 text
    read as GBK lands there."""
    if "\u4e00" <= c <= "\u9fff":
        try:
            c.encode("gb2312")
        except UnicodeEncodeError:
            return False
        return True
    return "\u3000" <= c <= "\u303f" or "\uff01" <= c <= "\uff5e" or c in "￥“”‘’…—·"


def _in_gb2312(chars: list[str]) -> float:
    if not chars:
        return 1.0
    cache: dict[str, bool] = {}
    inside = 0
    for c in chars:
        if c not in cache:
            cache[c] = _simplified(c)
        inside += cache[c]
    return inside / len(chars)


def _cjk(chars: list[str]) -> float:
    if not chars:
        return 0.0
    n = sum(
        1
        for c in chars
        if "\u4e00" <= c <= "\u9fff"
        or "\u3000" <= c <= "\u30ff"
        or "\uff01" <= c <= "\uff5e"
        or "\uffe0" <= c <= "\uffe6"
    )
    return n / len(chars)


def _plain(text: str) -> bool:
    """Whether no character is unassigned, private-use or a control other than line
    ends and tabs (what bytes that are not GB18030 text decode to)."""
    for c in set(_non_ascii(text)):
        if unicodedata.category(c) in ("Cn", "Co", "Cc", "Cs"):
            return False
    return True


_PUNCT = set("€£°·–—‘’“”…«»§©®™")


def _latin(text: str) -> bool:
    """Whether the non-ASCII characters read like Western European text: accented
    letters inside words (Café, Größe) and the usual typographic signs, in runs of
    at most two."""
    run = 0
    for i, c in enumerate(text):
        if ord(c) < 128:
            run = 0
            continue
        run += 1
        if run > 2:
            return False
        if c in _PUNCT:
            continue
        if not (unicodedata.category(c).startswith("L") and c <= "\u024f"):
            return False
        near = text[i - 1 : i] + text[i + 1 : i + 2]
        if not any(ch.isalpha() for ch in near):
            return False
    return True


def _utf16_le(sample: bytes) -> bool:
    """UTF-16 little-endian without its BOM (a re-save of Google Ads' or LinkedIn's
    "Excel" download by a tool that drops it): ASCII's zero bytes at every odd position
    (the headers, dates and numbers), none at the even ones, and it decodes. No other
    encoding Planbook reads writes a zero byte in text."""
    head = sample[: 4096 - 4096 % 2]
    odd, even = head[1::2], head[0::2]
    if len(odd) < 8 or odd.count(0) < 0.3 * len(odd) or even.count(0) > 0.02 * len(even):
        return False
    try:
        text = head.decode("utf-16-le")
    except UnicodeDecodeError:
        return False
    return "\n" in text


def detect(sample: bytes, *, complete: bool) -> EncodingGuess:
    """Tell the encoding from ``sample`` (the whole file when ``complete``)."""
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return EncodingGuess(name)
    if _utf16_le(sample):
        return EncodingGuess("utf-16")
    cut = _cut(sample, complete)
    if _decodes(cut, "utf-8") is not None:
        return EncodingGuess("utf-8")
    decoded = {enc: _decodes(cut, enc) for enc in CANDIDATES[1:]}
    gb = decoded["gb18030"]
    if gb is not None and _in_gb2312(_non_ascii(gb)) >= 0.9:
        return EncodingGuess("gb18030")
    sjis = decoded["shift_jis"]
    if sjis is not None and any("\u3040" <= c <= "\u30ff" for c in sjis):
        big5 = decoded["big5"]
        if big5 is None or _cjk(_non_ascii(big5)) < 0.9:
            return EncodingGuess("shift_jis")
    big5 = decoded["big5"]
    sjis_cjk = 0.0 if sjis is None else _cjk(_non_ascii(sjis))
    if big5 is not None and _cjk(_non_ascii(big5)) >= 0.9 and sjis_cjk < 0.9:
        return EncodingGuess("big5")
    cp = decoded["cp1252"]
    cjk_decodes = [e for e in ("gb18030", "big5", "shift_jis") if decoded[e] is not None]
    if cp is not None and not cjk_decodes and _latin(cp):
        return EncodingGuess("cp1252")
    # cp1252 decodes nearly any bytes: it is a candidate only where it reads as text.
    decodes = tuple(
        e
        for e in CANDIDATES[1:]
        if decoded[e] is not None and (e != "cp1252" or (cp is not None and _latin(cp)))
    )
    if decodes == ("gb18030",) and gb is not None and _plain(gb):
        return EncodingGuess("gb18030")
    bad_line = None
    if not decodes:
        furthest = 0
        for enc in CANDIDATES[:-1]:
            try:
                cut.decode(enc)
            except UnicodeDecodeError as e:
                furthest = max(furthest, e.start)
        bad_line = cut.count(b"\n", 0, furthest) + 1
    return EncodingGuess(None, decodes, bad_line)
