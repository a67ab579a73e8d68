"""The plugin's options (``plugins: - planbook: ...`` in mkdocs.yml), their messages in the
site's language, and the engine's settings made from them (:func:`settings_from`, which
the plugin, the CLI and the macros module share)."""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError

from .i18n import language_of
from .messages import msg, say, translated
from .metrics.kpis import PacingConfig
from .project import DEFAULT_SECTIONS, Settings
from .review import (
    BUILTIN_PACKS,
    CHANNELS,
    DEFAULT_CHECKLIST,
    MARKETS,
    ChecklistItemDef,
    ReviewConfig,
)
from .review.utm import UtmOptions
from .sources.warehouse import parse_connections

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig


class Number(c.BaseConfigOption[float]):
    """A finite number in ``[low, high]``: YAML's ``0`` and ``1`` are numbers too, ``true``
    is not."""

    def __init__(self, default: float, *, low: float, high: float, integer: bool = False) -> None:
        super().__init__()
        self.default = default
        self.low, self.high, self.integer = low, high, integer

    def run_validation(self, value: object) -> float:
        key = "options/number.whole" if self.integer else "options/number"
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise c.ValidationError(msg(key, value=value))
        if self.integer and not float(value).is_integer():
            raise c.ValidationError(msg(key, value=value))
        if not math.isfinite(value) or not self.low <= value <= self.high:
            ranged = "options/number.whole-range" if self.integer else "options/number.range"
            raise c.ValidationError(msg(ranged, low=self.low, high=self.high, value=value))
        return int(value) if self.integer else float(value)


class Workers(c.BaseConfigOption[Any]):
    """``auto`` or how many processes `mkdocs build` may prepare pages in (1: none more)."""

    def __init__(self) -> None:
        super().__init__()
        self.default = "auto"
        self.number = Number(1, low=1, high=64, integer=True)

    def run_validation(self, value: object) -> str | int:
        if value == "auto":
            return "auto"
        return int(self.number.run_validation(value))


class IsoDate(c.BaseConfigOption[Any]):
    """An ISO date, written quoted or not (YAML reads an unquoted one as a date)."""

    def run_validation(self, value: object) -> str | None:
        if value is None:
            return None
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip()).isoformat()
            except ValueError:
                pass
        raise c.ValidationError(msg("options/date", value=value))


class ReviewPage(c.BaseConfigOption[Any]):
    """Where the site-wide review page goes: a new Markdown page inside ``docs_dir``, a
    relative ``/``-separated path ending in ``.md`` (``review.md``, ``quality/review.md``).
    An absolute path was written outside the site, ``../`` gave no page, ``x.html`` was
    published as raw Markdown; a page that exists is refused in :func:`settings_from`,
    which knows ``docs_dir``."""

    def run_validation(self, value: object) -> str | None:
        if value is None:
            return None
        text = value if isinstance(value, str) else ""
        path = PurePosixPath(text)
        if (
            not text.strip()
            or text != text.strip()
            or any(ch in text for ch in '\\:*?"<>|')
            or any(ord(ch) < 32 or 127 <= ord(ch) < 160 for ch in text)
            or path.is_absolute()
            or ".." in path.parts
            or path.suffix != ".md"
            or path.name.startswith(".")
        ):
            raise c.ValidationError(msg("options/review-page", value=value))
        return path.as_posix()


class ValueColours(c.BaseConfigOption[dict]):
    """``{value: slot}``: a slot 1-12 of the chart palette (a colour for each of the light
    and dark schemes) or a ``#rrggbb`` colour used in both."""

    def run_validation(self, value: object) -> dict[str, int | str]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise c.ValidationError(msg("options/colours", value=value))
        out: dict[str, int | str] = {}
        for key, colour in value.items():
            if isinstance(colour, int) and not isinstance(colour, bool) and 1 <= colour <= 12:
                out[str(key)] = colour
            elif isinstance(colour, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
                out[str(key)] = colour.lower()
            else:
                raise c.ValidationError(msg("options/colour", key=key, colour=colour))
        return out


class RuleLevels(c.BaseConfigOption[dict]):
    """``{rule id: off | info | warning | error}`` for the plan-quality (lint) rules."""

    def __init__(self) -> None:
        super().__init__()
        self.default = {}

    def run_validation(self, value: object) -> dict[str, str]:
        import difflib

        from .metrics.lint import LEVELS, RULES

        if value is None:
            return {}
        if not isinstance(value, dict):
            raise c.ValidationError(msg("options/rule-levels", value=value))
        out: dict[str, str] = {}
        for rule, level in value.items():
            if rule not in RULES:
                close = difflib.get_close_matches(str(rule), list(RULES), n=1, cutoff=0.6)
                hint = msg("options/did-you-mean", close=close[0]) if close else ""
                raise c.ValidationError(
                    msg(
                        "options/rule-levels.unknown",
                        rule=str(rule)[:60],
                        hint=hint,
                        rules=list(RULES),
                    )
                )
            if isinstance(level, bool) and not level:
                level = "off"  # YAML reads a bare `off` as false
            if level not in LEVELS:
                raise c.ValidationError(
                    msg(
                        "options/rule-levels.level",
                        rule=rule,
                        levels=list(LEVELS),
                        level=level,
                    )
                )
            out[rule] = str(level)
        return out


class ChecklistItem(base.Config):
    id = c.Type(str)
    label_zh = c.Type(str)
    label_en = c.Type(str)
    required = c.Type(bool, default=True)
    role = c.Optional(c.Type(str))


class PlanbookConfig(base.Config):
    enabled = c.Type(bool, default=True)
    """Turn the plugin off without removing it (plan pages then render as plain Markdown)."""

    # Data
    data_dir = c.Type(str, default="data")
    """Folder of metric CSV files, relative to mkdocs.yml. Plans may only read files inside it."""
    columns = c.Type(dict, default={})
    """Extra header aliases, ``{"展示次数": "impressions"}``, on top of the built-in table."""
    encoding = c.Optional(
        c.Choice(("utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "big5", "shift_jis", "cp1252"))
    )
    """Force one encoding for every CSV (default: detected; a source's `encoding` wins)."""
    profiles_dir = c.Optional(c.Dir(exists=True))
    """Folder of the site's own export profiles (YAML, same format as the shipped ones)."""
    max_file_mb = Number(512, low=0.001, high=1_000_000)
    """Largest CSV / xlsx file read, in MB (10^6 bytes): a larger one is refused with an
    error that points to Parquet or a warehouse source (reading takes up to 3x its size)."""
    connections = c.Type(dict, default={})
    """Named databases for `{connection: NAME, table: ...}` sources: `{warehouse: {url_env:
    PLANBOOK_WAREHOUSE_URL, refresh: 1h}}`; the URL and its credentials come from that
    environment variable only."""
    cache_dir = c.Type(str, default=".cache/planbook")
    """Folder (relative to mkdocs.yml) where database query results are kept between builds."""
    as_of = IsoDate()
    """ISO date to evaluate every plan at (default: the latest date in each goal's data)."""

    # Pacing and budget
    pacing_on_track = Number(0.95, low=0, high=1)
    """A goal is on track when its progress is at least this share of the progress expected by now."""
    pacing_at_risk = Number(0.80, low=0, high=1)
    """... at risk down to this share; below it, off track (at most `pacing_on_track`)."""
    forecast_days = Number(28, low=2, high=3660, integer=True)
    """Days of recent data the deadline forecast is fitted on."""
    budget_tolerance = Number(0.10, low=0, high=10)
    """Spend may run this much ahead of the elapsed share of the period before it is flagged."""

    # Rendering
    language = c.Optional(c.Choice(("zh", "en")))
    """Label language; defaults to the theme's ``language``."""
    sections = c.ListOfItems(c.Choice(DEFAULT_SECTIONS), default=list(DEFAULT_SECTIONS))
    """Order in which sections that a plan defines but does not place are appended."""
    auto_append = c.Type(bool, default=True)
    """Append sections a plan defines but does not place with a shortcode."""
    summary = c.Type(bool, default=True)
    """Show a one-line plan summary (status, period, owner, budget, as-of) under the title."""
    value_labels = c.Type(dict, default={})
    """Display names of dimension values in tables and charts: ``{sem: 百度 SEM, douyin: 抖音}``."""
    value_colors = ValueColours()
    """Chart colour of a dimension value on every page: ``{wechat: 2, douyin: "#fe2c55"}``
    (a palette slot 1-12, or a hex colour). Values not listed get a colour derived from the
    value itself (their place in ``value_labels``, else a hash), the same on every page."""
    workers = Workers()
    """`mkdocs build` only: processes that prepare pages. ``auto`` (default): 2 on a machine
    with 2 or more CPUs when the site has at least 20 plans, else 1; ``1``: none besides
    the build's own; 2 or more: one more process (Planbook uses at most 2 for now)."""
    search_sections = c.Type(bool, default=True)
    """Let the search index the text sections (personas, phases, team, risks, review)
    and the goals' statements; number tables and charts are never indexed. Off: faster
    builds of large sites."""
    custom_templates = c.Optional(c.Dir(exists=True))
    """Folder of templates that override the shipped ones (same relative names)."""

    # Plan quality
    lint = c.Type(bool, default=True)
    """Check every plan's goals against SMART (plan quality section, `planbook check`)."""
    lint_rules = RuleLevels()
    """Per rule: `off`, `info`, `warning` or `error` (default: each rule's own level)."""

    # Review and compliance
    review = c.Type(bool, default=True)
    """Run the review rule packs and the manual checklist."""
    review_market = c.Choice(MARKETS, default="cn")
    """Default market of a page's copy (a page's `review.market` overrides it)."""
    review_channel = c.Choice(CHANNELS, default="web")
    """Default channel of a page's copy (plan pages are `plan`)."""
    review_packs = c.ListOfItems(c.Type(str), default=list(BUILTIN_PACKS))
    """Built-in rule packs to run."""
    review_extra_packs = c.ListOfItems(c.File(exists=True), default=[])
    """The site's own rule packs (YAML files, same format as the shipped ones)."""
    review_own_domains = c.ListOfItems(c.Type(str), default=[])
    """The brand's domains: role addresses there (service@, marketing@) are not personal data."""
    review_all_pages = c.Type(bool, default=False)
    """Review every page, not only pages with `plan:` or `review:` front matter."""
    review_alt_text = c.Type(bool, default=True)
    """Review image alt text (Markdown `![alt]` and `<img alt>`) as copy."""
    review_checklist = c.Optional(c.ListOfItems(c.SubConfig(ChecklistItem)))
    """Manual checklist items (default: copyright, accuracy, brand tone, legal, privacy)."""
    review_date = IsoDate()
    """ISO date waivers' expiry is checked against (default: the day of the build, in UTC)."""
    review_page = ReviewPage()
    """Path of the generated site-wide review page, e.g. `review.md` (off when unset)."""

    # UTM discipline
    utm_check = c.Type(bool, default=True)
    """Check links in copy pages for utm_source, utm_medium and utm_campaign (review rule pack `utm`)."""
    utm_domains = c.ListOfItems(c.Type(str), default=[])
    """Domains whose links must be tagged (default: review_own_domains); links already
    carrying a utm_ parameter are checked wherever they point."""
    utm_sources = c.ListOfItems(c.Type(str), default=[])
    """Allowed utm_source values on top of the plans' channels, sources and budget items."""
    utm_mediums = c.ListOfItems(c.Type(str), default=[])
    """Allowed utm_medium values (default: cpc, cpm, display, paid_social, social, kol, affiliate, email, sms, push, referral, qr, organic)."""
    utm_campaigns = c.ListOfItems(c.Type(str), default=[])
    """Allowed utm_campaign values on top of the plan ids and the slug-like campaign names of the data."""


# ----------------------------------------------------------------- JSON Schema (editors)


def option_json_schema(option: c.BaseConfigOption[Any]) -> dict[str, Any]:
    """The JSON Schema of one option: what its ``run_validation`` accepts."""
    if isinstance(option, c.Optional):
        inner = option_json_schema(option.option)
        return {"anyOf": [inner, {"type": "null"}]}
    if isinstance(option, c.Type):
        kinds = option._type if isinstance(option._type, tuple) else (option._type,)
        names = {bool: "boolean", str: "string", dict: "object", list: "array", int: "integer"}
        types = [names.get(k, "string") for k in kinds]
        return {"type": types[0] if len(types) == 1 else types}
    if isinstance(option, c.Choice):
        return {"enum": list(option.choices)}
    if isinstance(option, c.ListOfItems):
        return {"type": "array", "items": option_json_schema(option.option_type)}
    if isinstance(option, c.SubConfig):
        props = {k: option_json_schema(v) for k, v in option.config_class._schema}
        required = [k for k, v in option.config_class._schema if v.required]
        return {
            "type": "object",
            "properties": props,
            "required": required,
            "additionalProperties": False,
        }
    if isinstance(option, Number):
        kind = "integer" if option.integer else "number"
        return {"type": kind, "minimum": option.low, "maximum": option.high}
    if isinstance(option, IsoDate):
        return {"type": "string", "format": "date"}
    if isinstance(option, ReviewPage):
        return {"anyOf": [{"type": "string", "pattern": r"^[^/\\].*\.md$"}, {"type": "null"}]}
    if isinstance(option, ValueColours):
        slot = {"type": "integer", "minimum": 1, "maximum": 12}
        colour = {"type": "string", "pattern": "^#[0-9a-fA-F]{6}$"}
        return {"type": "object", "additionalProperties": {"anyOf": [slot, colour]}}
    if isinstance(option, RuleLevels):
        from .metrics.lint import LEVELS, RULES

        level = {"enum": [*LEVELS, False]}
        return {
            "type": "object",
            "propertyNames": {"enum": list(RULES)},
            "additionalProperties": level,
        }
    if isinstance(option, c.Dir | c.File):
        return {"type": "string"}
    return {}


def option_docs() -> dict[str, str]:
    """Each option's docstring (the string under its assignment in :class:`PlanbookConfig`)."""
    import ast
    import inspect
    import itertools
    import textwrap

    tree = ast.parse(textwrap.dedent(inspect.getsource(PlanbookConfig)))
    body = tree.body[0].body  # type: ignore[attr-defined]
    docs: dict[str, str] = {}
    for node, after in itertools.pairwise(body):
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.targets[0], ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            docs[node.targets[0].id] = " ".join(after.value.value.split())
    return docs


def options_json_schema_rows() -> list[tuple[str, dict[str, Any]]]:
    """``(option, schema with its description and default)`` for every plugin option."""
    docs = option_docs()
    rows = []
    for name, option in PlanbookConfig._schema:
        spec = option_json_schema(option)
        if name in docs:
            spec["description"] = docs[name]
        default = getattr(option, "default", None)
        if default is not None and not callable(default):
            spec["default"] = default
        rows.append((name, spec))
    return rows


def config_file_language(config_file: str | None) -> str | None:
    """The site's language from ``theme.language`` in the configuration file, read again
    (the plugin's options are validated without the rest of the configuration); ``None``
    when the file cannot be read."""
    if not config_file:
        return None
    try:
        from mkdocs.utils.yaml import yaml_load

        with open(config_file, "rb") as f:
            data = yaml_load(f)
    except Exception:  # any unreadable file: the message is said in both languages
        return None
    theme = data.get("theme") if isinstance(data, dict) else None
    return language_of(theme.get("language") if isinstance(theme, dict) else None)


def option_error_in(error: Exception, language: str | None) -> Exception:
    """An option error in ``language``; without one, in Chinese, then English after ' / '."""
    from mkdocs.config.base import ValidationError

    message = error.args[0] if error.args else str(error)
    if not translated(message):
        return error
    if language is None:
        return ValidationError(f"{say(message, 'zh')} / {message}")
    return ValidationError(say(message, language))


def _now() -> datetime:
    """The adapter's clock: when a database result was fetched."""
    return datetime.now(UTC)


def settings_from(options: PlanbookConfig, config: MkDocsConfig) -> Settings:
    """Engine settings from the plugin options and the MkDocs configuration."""
    root = Path(config.config_file_path or ".").resolve().parent
    theme_language = config.theme.get("language") if config.theme else None
    language = options.language or language_of(theme_language)
    try:
        as_of = date.fromisoformat(options.as_of) if options.as_of else None
    except ValueError:
        raise PluginError(
            say(msg("options/date.field", option="as_of", value=options.as_of), language)
        ) from None
    try:
        # The one clock of a build: waivers expire against `review_date`, else the day of
        # the build in UTC, so a commit passes or fails the same in every time zone.
        today = (
            date.fromisoformat(options.review_date)
            if options.review_date
            else datetime.now(UTC).date()
        )
    except ValueError:
        raise PluginError(
            say(
                msg("options/date.field", option="review_date", value=options.review_date), language
            )
        ) from None
    if options.pacing_at_risk > options.pacing_on_track:
        pacing = msg(
            "options/pacing", at_risk=options.pacing_at_risk, on_track=options.pacing_on_track
        )
        raise PluginError(say(pacing, language))
    if options.review_page and (Path(config.docs_dir) / options.review_page).exists():
        page = msg("options/review-page.exists", page=options.review_page)
        raise PluginError(say(page, language))
    checklist = DEFAULT_CHECKLIST
    if options.review_checklist:
        checklist = tuple(
            ChecklistItemDef(i.id, i.label_zh, i.label_en, i.required, i.role)
            for i in options.review_checklist
        )
    config_file = Path(config.config_file_path or "mkdocs.yml").name
    review = ReviewConfig(
        market=options.review_market,
        channel=options.review_channel,
        packs=tuple(options.review_packs),
        extra_packs=tuple(Path(p) for p in options.review_extra_packs),
        checklist=checklist,
        own_domains=tuple(options.review_own_domains),
        all_pages=options.review_all_pages,
        alt_text=options.review_alt_text,
        config_file=config_file,
        root=root,
        utm=UtmOptions(
            enabled=options.utm_check,
            sources=tuple(options.utm_sources),
            mediums=tuple(options.utm_mediums) or None,
            campaigns=tuple(options.utm_campaigns),
            domains=tuple(options.utm_domains),
        ),
    )
    try:
        connections = parse_connections(options.connections)
    except ValueError as e:
        error = e.args[0] if e.args else str(e)  # a catalogued message, said in the language
        raise PluginError(say(msg("options/plugin", error=error), language)) from None
    return Settings(
        root=root,
        docs_dir=Path(config.docs_dir),
        data_dir=options.data_dir,
        language=language,
        columns=dict(options.columns),
        encoding=options.encoding,
        profiles_dir=Path(options.profiles_dir) if options.profiles_dir else None,
        max_file_mb=options.max_file_mb,
        connections=connections,
        cache_dir=root / options.cache_dir,
        clock=_now,
        as_of=as_of,
        pacing=PacingConfig(options.pacing_on_track, options.pacing_at_risk, options.forecast_days),
        budget_tolerance=options.budget_tolerance,
        sections=tuple(options.sections),
        auto_append=options.auto_append,
        value_labels={
            str(k): {str(lang): str(t) for lang, t in v.items()} if isinstance(v, dict) else str(v)
            for k, v in options.value_labels.items()
        },
        value_colors=dict(options.value_colors),
        review=review,
        review_enabled=options.review,
        today=today,
        lint=options.lint,
        lint_rules=dict(options.lint_rules),
    )
