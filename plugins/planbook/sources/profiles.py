"""Export profiles: one declarative YAML file per platform report.

A profile says how one platform's download looks: the headers that identify it,
the column mapping, the date format, which columns are the export's own rates
(never summed), which counts are not additive across days, and how the export
marks its totals rows. Profiles ship in ``profiles/`` beside this module; a site
adds its own folder with the ``profiles_dir`` option. The format is documented
in the README ("Adding an export profile").
"""

from __future__ import annotations

import fnmatch
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from ..messages import msg
from ..regex_guard import regex_problem

__all__ = [
    "Profile",
    "ProfileError",
    "Registry",
    "load_registry",
    "normalize_header",
    "slugify",
    "strip_unit",
]

SHIPPED = Path(__file__).resolve().parent / "profiles"
# libyaml's safe loader when PyYAML has it: the 24 shipped profiles load in 0.03 s
# instead of 0.3 s, on every build.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
ROLES = ("ignore",)

_BRACKETS = str.maketrans({"【": "[", "】": "]", "〔": "(", "〕": ")"})
# Traditional characters of report headers (Taiwan and Hong Kong interfaces, Big5
# files: 曝光次數, 點擊次數, 花費, 廣告名稱) as their simplified forms, so that the aliases
# and profiles written in simplified Chinese find them. Headers only: values stay as
# written.
_TRADITIONAL = str.maketrans(
    "廣稱數點擊費轉換額單價銷訂無計劃組實現際總體覽瀏閱讀戶帳號優預購買訪問鏈標題狀態"
    "發時間週億萬與來類區關鍵詞動營級產邊觸達頻據報錶幣種權獲當設備內傳廳門範圍線導註"
    "冊網頁應開啟裝載顯觀眾幀條項從蓋廠庫貨訊聯絡結論場檔電視會員積紅壽齡別歲縣鎮職業"
    "興",
    "广称数点击费转换额单价销订无计划组实现际总体览浏阅读户账号优预购买访问链标题状态"
    "发时间周亿万与来类区关键词动营级产边触达频据报表币种权获当设备内传厅门范围线导注"
    "册网页应开启装载显观众帧条项从盖厂库货讯联络结论场档电视会员积红寿龄别岁县镇职业"
    "兴",
)
_NON_ALNUM = re.compile(r"[^\w]+|_+")
_UNIT = re.compile(r"\s*[(\[][^()\[\]]*[)\]]\s*$")


def strip_unit(header: str) -> str:
    """A normalised header without its trailing unit: ``spend (cny)`` -> ``spend``."""
    return _UNIT.sub("", header)


@lru_cache(maxsize=4096)
def normalize_header(header: str) -> str:
    """Header as compared with aliases and profiles: :func:`_folded`, traditional
    characters simplified (:data:`_TRADITIONAL`). Kept per text: detection compares
    every profile's patterns with each file's headers (600 calls, 6 ms a file)."""
    return _folded(header).translate(_TRADITIONAL)


def _folded(header: str) -> str:
    """NFKC (full-width spaces, brackets, letters and digits become ASCII), BOM removed,
    whitespace collapsed, lower-case."""
    h = unicodedata.normalize("NFKC", header.replace("\ufeff", "")).translate(_BRACKETS)
    return " ".join(h.split()).lower()


def slugify(header: str) -> str:
    """``"Video Plays (3s)"`` -> ``"video_plays_3s"``; Chinese letters are kept as
    written (a plan names an unknown column as its file does: 廣告活動)."""
    return _NON_ALNUM.sub("_", _folded(header)).strip("_")


class ProfileError(ValueError):
    """A profile file that cannot be used (the message names the file and the field)."""


@dataclass(frozen=True)
class _Patterns:
    """Normalised header patterns (``*`` wildcards) -> a value."""

    exact: dict[str, str] = field(default_factory=dict)
    wild: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, mapping: Mapping[str, str | None]) -> _Patterns:
        exact: dict[str, str] = {}
        wild: list[tuple[str, str]] = []
        for k, v in mapping.items():
            key = normalize_header(str(k))
            value = "" if v is None else str(v)
            if "*" in key:
                wild.append((key, value))
            else:
                exact[key] = value
        return cls(exact, tuple(wild))

    def get(self, header: str) -> str | None:
        h = normalize_header(header)
        for candidate in (h, strip_unit(h)):
            if candidate in self.exact:
                return self.exact[candidate]
        for pattern, value in self.wild:
            if fnmatch.fnmatchcase(h, pattern):
                return value
        return None

    def __contains__(self, header: str) -> bool:
        return self.get(header) is not None


@dataclass(frozen=True)
class Profile:
    """One platform report, as read from ``profiles/<id>.yml``."""

    id: str
    platform: str
    report: str
    columns: _Patterns
    rates: _Patterns
    non_additive: _Patterns
    detect_all: tuple[str, ...] = ()
    detect_any: tuple[str, ...] = ()
    detect_preamble: tuple[re.Pattern[str], ...] = ()
    detect_delimiter: str | None = None
    date_format: str | None = None
    date_order: str | None = None
    totals_labels: tuple[re.Pattern[str], ...] = ()
    blank_summary: bool = False
    # Measures (canonical names) this export leaves empty when they are zero (Meta's
    # Purchases on a day without purchases): read as 0, not as a gap.
    blank_is_zero: tuple[str, ...] = ()
    encodings: tuple[str, ...] = ()
    source: str = ""
    # Headers of measure columns that are amounts of money besides spend and revenue
    # (never added across currencies, :mod:`.currency`).
    money: _Patterns = field(default_factory=_Patterns)

    @property
    def name(self) -> str:
        return f"{self.platform} ({self.report})" if self.report else self.platform

    def matches(self, headers: Sequence[str], preamble: Sequence[str], delimiter: str = ",") -> int:
        """How specifically this profile matches (0: it does not)."""
        if not self.detect_all and not self.detect_any:
            return 0
        if self.detect_delimiter is not None and delimiter != self.detect_delimiter:
            return 0
        present = _Patterns.of({h: h for h in headers})
        normed = [normalize_header(h) for h in headers]

        def has(pattern: str) -> bool:
            p = normalize_header(pattern)
            if "*" in p:
                return any(fnmatch.fnmatchcase(h, p) for h in normed)
            return p in present

        if not all(has(p) for p in self.detect_all):
            return 0
        if self.detect_any and not any(has(p) for p in self.detect_any):
            return 0
        if self.detect_preamble and not any(
            r.search(line) for r in self.detect_preamble for line in preamble
        ):
            return 0
        return (
            10 * len(self.detect_all)
            + sum(has(p) for p in self.detect_any)
            + (5 if self.detect_preamble else 0)
        )


def _list(raw: object, where: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str):
        return (raw,)
    if not isinstance(raw, list) or not all(isinstance(x, str | int) for x in raw):
        raise ProfileError(msg("profile.list", where=where))
    return tuple(str(x) for x in raw)


def _mapping(raw: object, where: str) -> dict[str, str | None]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ProfileError(msg("profile.mapping-header", where=where))
    return {str(k): (None if v is None else str(v)) for k, v in raw.items()}


def _regexes(raw: object, where: str) -> tuple[re.Pattern[str], ...]:
    """A profile's regular expressions, each compiled, and refused when it can take
    exponential time (:mod:`planbook.regex_guard`: it runs on every text cell)."""
    out = []
    for i, r in enumerate(_list(raw, where)):
        try:
            compiled = re.compile(r, re.IGNORECASE)
        except re.error as e:
            raise ProfileError(msg("profile.regex", where=where, i=i, error=e)) from e
        slow = regex_problem(r, re.IGNORECASE)
        if slow is not None:
            raise ProfileError(msg("profile.slow-regex", where=where, i=i, problem=slow))
        out.append(compiled)
    return tuple(out)


def _delimiter(raw: object, where: str) -> str | None:
    names = {",": ",", "comma": ",", "\t": "\t", "tab": "\t", ";": ";", "semicolon": ";"}
    if raw is None:
        return None
    if raw not in names:
        raise ProfileError(msg("profile.delimiter", where=where, got=raw))
    return names[str(raw)]


_KEYS = {
    "id",
    "platform",
    "report",
    "detect",
    "encodings",
    "date_format",
    "date_order",
    "columns",
    "rates",
    "non_additive",
    "totals",
    "blank_is_zero",
    "money",
    "notes",
}


def _profile(path: Path, raw: object) -> Profile:
    where = path.name
    if not isinstance(raw, dict):
        raise ProfileError(msg("profile.mapping", where=where))
    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        raise ProfileError(msg("profile.unknown", where=where, fields=[str(u) for u in unknown]))
    pid = raw.get("id")
    if not isinstance(pid, str) or not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", pid):
        raise ProfileError(msg("profile.id", where=where, got=pid))
    detect = raw.get("detect") or {}
    if not isinstance(detect, dict):
        raise ProfileError(msg("profile.field-mapping", where=where, field="detect"))
    totals = raw.get("totals") or {}
    if not isinstance(totals, dict):
        raise ProfileError(msg("profile.field-mapping", where=where, field="totals"))
    order = raw.get("date_order")
    if order not in (None, "mdy", "dmy"):
        raise ProfileError(msg("profile.date-order", where=where, got=order))
    return Profile(
        id=pid,
        platform=str(raw.get("platform") or pid),
        report=str(raw.get("report") or ""),
        columns=_Patterns.of(_mapping(raw.get("columns"), f"{where}: columns")),
        rates=_Patterns.of(_mapping(raw.get("rates"), f"{where}: rates")),
        non_additive=_Patterns.of(_mapping(raw.get("non_additive"), f"{where}: non_additive")),
        detect_all=_list(detect.get("all"), f"{where}: detect.all"),
        detect_any=_list(detect.get("any"), f"{where}: detect.any"),
        detect_preamble=_regexes(detect.get("preamble"), f"{where}: detect.preamble"),
        detect_delimiter=_delimiter(detect.get("delimiter"), f"{where}: detect.delimiter"),
        date_format=raw.get("date_format") or None,
        date_order=order,
        totals_labels=_regexes(totals.get("labels"), f"{where}: totals.labels"),
        blank_summary=bool(totals.get("blank_summary", False)),
        blank_is_zero=_list(raw.get("blank_is_zero"), f"{where}: blank_is_zero"),
        encodings=_list(raw.get("encodings"), f"{where}: encodings"),
        source=str(path),
        money=_Patterns.of({h: h for h in _list(raw.get("money"), f"{where}: money")}),
    )


@dataclass(frozen=True)
class Registry:
    """Every known profile, by id, and detection over them."""

    profiles: dict[str, Profile]
    errors: tuple[str, ...] = ()

    def get(self, pid: str) -> Profile | None:
        return self.profiles.get(pid)

    def detect(
        self, headers: Sequence[str], preamble: Sequence[str], delimiter: str = ","
    ) -> Profile | None:
        """The most specific profile whose ``detect`` rules the file meets."""
        best: tuple[int, str] | None = None
        for p in self.profiles.values():
            score = p.matches(headers, preamble, delimiter)
            if score and (best is None or (score, p.id) > best):
                best = (score, p.id)
        return None if best is None else self.profiles[best[1]]

    def date_headers(self) -> set[str]:
        """Normalised headers that some profile maps to ``date`` (to find header rows)."""
        out: set[str] = set()
        for p in self.profiles.values():
            out.update(k for k, v in p.columns.exact.items() if v == "date")
        return out


@lru_cache(maxsize=8)
def _load_dir(folder: str, mtimes: tuple[tuple[str, int], ...]) -> tuple[list[Profile], list[str]]:
    profiles: list[Profile] = []
    errors: list[str] = []
    for name, _ in mtimes:
        path = Path(folder) / name
        try:
            raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
            profiles.append(_profile(path, raw))
        except (OSError, UnicodeDecodeError, yaml.YAMLError, ProfileError) as e:
            errors.append(
                msg("prefixed", pre=f"{path}: ", problem=str(e))
                if not isinstance(e, ProfileError)
                else msg("prefixed", pre=f"{folder}/", problem=e.args[0])
            )
    return profiles, errors


def _scan(folder: Path) -> tuple[list[Profile], list[str]]:
    if not folder.is_dir():
        return [], [msg("profile.folder", folder=folder)]
    files = tuple(
        sorted((p.name, p.stat().st_mtime_ns) for p in folder.glob("*.yml") if p.is_file())
    )
    return _load_dir(str(folder), files)


def load_registry(extra: Path | None = None) -> Registry:
    """The shipped profiles plus a site's own folder (same id: the site's wins)."""
    profiles: dict[str, Profile] = {}
    errors: list[str] = []
    for folder in (SHIPPED, extra):
        if folder is None:
            continue
        found, errs = _scan(folder)
        errors.extend(errs)
        for p in found:
            profiles[p.id] = p
    return Registry(profiles, tuple(errors))
