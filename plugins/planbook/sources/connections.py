"""Named database connections, as the plugin's ``connections`` option declares them: each
names the environment variable that holds its URL (a URL written in the option is
refused: credentials come from the environment only) and how long a result stays fresh
(``refresh``: ``15m``, ``1h``, ``2d``). Also what a ``metrics:`` entry's ``table`` may
be. :mod:`.warehouse` queries the connections and caches their results."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..messages import msg

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|min|h|d)?\s*$", re.IGNORECASE)
_UNITS = {"s": 1, "m": 60, "min": 60, "h": 3600, "d": 86400, None: 1}
_TABLE = re.compile(r"^[A-Za-z_][\w$]*(?:\.[A-Za-z_][\w$]*){0,2}$")


def parse_refresh(value: object) -> float:
    """Seconds from ``15m``, ``1h``, ``2d``, ``30s`` or a number of seconds (``0``:
    query on every build)."""
    if isinstance(value, bool):
        raise ValueError(msg("schema.refresh", got=value))
    if isinstance(value, int | float):
        if value < 0 or value != value or value == float("inf"):
            raise ValueError(msg("schema.refresh", got=value))
        return float(value)
    m = _DURATION.match(str(value))
    if not m:
        raise ValueError(msg("schema.refresh", got=str(value)[:40]))
    unit = m.group(2).lower() if m.group(2) else None
    return float(m.group(1)) * _UNITS[unit]


def valid_table_name(name: str) -> bool:
    """``table``, ``schema.table`` or ``catalog.schema.table`` of plain identifiers."""
    return bool(_TABLE.match(name))


@dataclass(frozen=True)
class Connection:
    """A named database: the environment variable holding its URL, and how long a
    result stays fresh when the engine cannot tell (seconds)."""

    name: str
    url_env: str
    refresh: float = 3600.0


_ENV = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def parse_connections(raw: object) -> dict[str, Connection]:
    """The plugin's ``connections`` option -> :class:`Connection` by name (``ValueError``
    naming the entry and the field on bad input). A URL written in the option is refused:
    credentials come from the environment only."""
    if not isinstance(raw, dict):
        raise ValueError(msg("options/connections", got=type(raw).__name__))
    out: dict[str, Connection] = {}
    for name, spec in raw.items():
        where = f"connections.{name}"
        if not isinstance(name, str) or not _NAME.match(name):
            raise ValueError(msg("options/connections.name", name=str(name)[:40]))
        if not isinstance(spec, dict):
            raise ValueError(
                msg(
                    "options/connections.mapping",
                    where=where,
                    example=f"PLANBOOK_{name.upper()}_URL",
                )
            )
        unknown = sorted(set(map(str, spec)) - {"url_env", "refresh"})
        if "url" in unknown:
            raise ValueError(msg("options/connections.url", where=where))
        if unknown:
            raise ValueError(msg("options/connections.unknown", where=where, key=unknown[0]))
        env = spec.get("url_env")
        if not isinstance(env, str) or not _ENV.match(env):
            raise ValueError(msg("options/connections.env", where=where, env=env))
        try:
            refresh = parse_refresh(spec.get("refresh", "1h"))
        except ValueError as e:
            error = e.args[0] if e.args else str(e)  # the catalogued duration message
            raise ValueError(msg("options/connections.refresh", where=where, error=error)) from None
        out[name] = Connection(name, env, refresh)
    return out
