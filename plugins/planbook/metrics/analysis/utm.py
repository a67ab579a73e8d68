"""UTM discipline: build tagged links, find links in copy, check them against a taxonomy.

A link must carry ``utm_source``, ``utm_medium`` and ``utm_campaign`` when it points
at one of the site's tracked domains (the ``utm_domains`` option, default the
brand's ``review_own_domains``) or already carries any ``utm_`` parameter. Values
are lower-case (``Weibo`` and ``weibo`` split one source in two in every analytics
tool) and, where the taxonomy lists values for a parameter, one of them.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from ...messages import msg

REQUIRED: tuple[str, ...] = ("utm_source", "utm_medium", "utm_campaign")
OPTIONAL: tuple[str, ...] = ("utm_term", "utm_content")
DEFAULT_MEDIUMS: tuple[str, ...] = (
    "cpc",
    "cpm",
    "display",
    "paid_social",
    "social",
    "kol",
    "affiliate",
    "email",
    "sms",
    "push",
    "referral",
    "qr",
    "organic",
)
_VALUE = re.compile(r"^[a-z0-9][a-z0-9._~-]*$")
# Links in Markdown: [text](url "title"), <url>, and bare URLs.
_URL = re.compile(r"""https?://[^\s<>"'()\[\]{}，。！？、；：）（]+""", re.I)


@dataclass(frozen=True)
class Taxonomy:
    """Allowed values per parameter; an empty set allows any well-formed value."""

    sources: frozenset[str] = frozenset()
    mediums: frozenset[str] = frozenset(DEFAULT_MEDIUMS)
    campaigns: frozenset[str] = frozenset()
    domains: tuple[str, ...] = ()

    def allowed(self, param: str) -> frozenset[str]:
        return {
            "utm_source": self.sources,
            "utm_medium": self.mediums,
            "utm_campaign": self.campaigns,
        }.get(param, frozenset())

    def tracked(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        return any(host == d or host.endswith("." + d) for d in self.domains)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a link: ``kind`` is missing, unknown, case or malformed."""

    kind: str
    param: str
    value: str
    message: str
    suggestion: str | None = None


@dataclass(frozen=True)
class Link:
    url: str
    start: int
    end: int
    problems: tuple[Problem, ...] = field(default=())


class UtmError(ValueError):
    """A link or a UTM value that cannot be used."""


def normalise_value(value: str) -> str:
    """Lower-case, trimmed, inner spaces as ``_``."""
    return re.sub(r"\s+", "_", value.strip().lower())


def build_url(
    url: str,
    *,
    source: str,
    medium: str,
    campaign: str,
    term: str | None = None,
    content: str | None = None,
) -> str:
    """``url`` with the UTM parameters set (others kept, in order; fragment kept)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UtmError(f"expected an http(s) URL such as https://example.com/page, got {url!r}")
    values = {"utm_source": source, "utm_medium": medium, "utm_campaign": campaign}
    if term is not None:
        values["utm_term"] = term
    if content is not None:
        values["utm_content"] = content
    for key, value in values.items():
        if "\n" in value or "\r" in value:
            raise UtmError(f"{key}: a value cannot contain a line break")
        if not value.strip():
            raise UtmError(f"{key}: the value is empty")
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in values]
    query += list(values.items())
    return urlunsplit(
        (parts.scheme, parts.netloc, parts.path, urlencode(query, quote_via=quote), parts.fragment)
    )


def check_url(url: str, taxonomy: Taxonomy) -> list[Problem]:
    """What is wrong with ``url`` (nothing when it is untracked or correctly tagged)."""
    parts = urlsplit(url)
    params: dict[str, str] = {}
    for k, v in parse_qsl(parts.query, keep_blank_values=True):
        params.setdefault(k.lower(), v)
    has_utm = any(k.startswith("utm_") for k in params)
    if not has_utm and not taxonomy.tracked(parts.hostname or ""):
        return []
    problems: list[Problem] = []
    missing = [p for p in REQUIRED if not params.get(p, "").strip()]
    if missing:
        problems.append(
            Problem(
                "missing",
                ",".join(missing),
                "",
                msg("utm.missing", missing=missing),
                "planbook utm URL --source … --medium … --campaign …",
            )
        )
    for param in (*REQUIRED, *OPTIONAL):
        value = params.get(param)
        if value is None or not value.strip():
            continue
        lowered = normalise_value(value)
        if value != value.lower():
            problems.append(
                Problem(
                    "case",
                    param,
                    value,
                    msg("utm.case", param=param, value=value),
                    f"{param}={lowered}",
                )
            )
        elif not _VALUE.match(value):
            problems.append(
                Problem(
                    "malformed",
                    param,
                    value,
                    msg("utm.malformed", param=param, value=value),
                    f"{param}={lowered}",
                )
            )
        allowed = taxonomy.allowed(param)
        if allowed and lowered not in allowed:
            close = difflib.get_close_matches(lowered, sorted(allowed), n=1, cutoff=0.6)
            hint = msg("hint.close", close=close[0]) if close else ""
            shown = ", ".join(sorted(allowed)[:12]) + (" …" if len(allowed) > 12 else "")
            problems.append(
                Problem(
                    "unknown",
                    param,
                    value,
                    msg("utm.unknown", param=param, value=value, hint=hint, shown=shown),
                    f"{param}={close[0]}" if close else None,
                )
            )
    return problems


def find_links(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, url) of every http(s) URL in ``text`` (code is the caller's to mask)."""
    for m in _URL.finditer(text):
        url = m.group(0).rstrip(".,;:!?")
        yield m.start(), m.start() + len(url), url


def taxonomy_from(
    *,
    sources: Iterable[str] = (),
    mediums: Iterable[str] | None = None,
    campaigns: Iterable[str] = (),
    domains: Iterable[str] = (),
) -> Taxonomy:
    """A taxonomy with every value normalised (lower-case, spaces as ``_``)."""

    def norm(values: Iterable[str]) -> frozenset[str]:
        return frozenset(normalise_value(str(v)) for v in values if str(v).strip())

    return Taxonomy(
        sources=norm(sources),
        mediums=norm(mediums) if mediums is not None else frozenset(DEFAULT_MEDIUMS),
        campaigns=norm(campaigns),
        domains=tuple(sorted({d.strip().lower().lstrip(".") for d in domains if d.strip()})),
    )


def plan_values(dimensions: Mapping[str, Iterable[str]]) -> tuple[set[str], set[str]]:
    """(sources, campaigns) a plan's data names: channel and source values; campaign values
    that are valid UTM values already."""
    sources = {normalise_value(v) for key in ("channel", "source") for v in dimensions.get(key, ())}
    campaigns = {
        normalise_value(v) for v in dimensions.get("campaign", ()) if _VALUE.match(v.lower())
    }
    return {s for s in sources if s}, {c for c in campaigns if c}
