"""The jinja2 environment every HTML fragment is rendered with.

One environment per template folder and process: `mkdocs serve` rebuilds reuse the
compiled templates instead of compiling every template again. A template whose file
changed is compiled again, and a change in the site's own template folder (a file
added, removed or edited) starts a new environment.

Compiled templates are also kept on disk between builds (:func:`bytecode_dir`), so a cold
``mkdocs build`` loads them instead of compiling them (about 0.2 s for the templates a
plan site uses). Jinja keys each entry by the template's name and file and checks it
against the source's checksum, its own version and Python's: an edited template is
compiled again. A folder that cannot be made, is not the user's own or cannot be
written only means compiling as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from jinja2.bccache import Bucket

_HERE = Path(__file__).resolve().parent.parent  # the package folder (templates/ in a wheel)
_KEEP = 8  # environments kept (one per site template folder; tests make many)
_ENVS: dict[str | None, tuple[jinja2.Environment, tuple]] = {}
_GENERATION = itertools.count(1)


def shipped_templates() -> Path:
    """The templates shipped with the package (a wheel), or the repository's ``templates/``."""
    installed = _HERE / "templates"
    if installed.is_dir():
        return installed
    return _HERE.parent.parent / "templates"


def _listing(folder: Path | None) -> tuple:
    """What a site's template folder holds, and when each file last changed."""
    if folder is None or not folder.is_dir():
        return ()
    out = []
    for path in sorted(folder.rglob("*")):
        try:
            st = path.stat()
        except OSError:
            continue
        out.append((path.as_posix(), st.st_mtime_ns, st.st_size))
    return tuple(out)


def bytecode_dir() -> Path | None:
    """The per-user folder of compiled templates (``$XDG_CACHE_HOME/planbook/jinja``,
    default ``~/.cache/planbook/jinja``), made if missing; ``None`` when it cannot be
    made, or is not a folder only this user can write (no one else's bytecode is run)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(base) / "planbook" / "jinja"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = folder.lstat()
    except (OSError, RuntimeError):  # RuntimeError: no home folder to expand
        return None
    uid = getattr(os, "getuid", lambda: st.st_uid)()
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != uid or st.st_mode & 0o022:
        return None
    return folder


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja's file cache, quiet about a folder it cannot read or write (read-only,
    removed during the build, full): the template is compiled as without it."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # unreadable, cut short (pickle or marshal data truncated)
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _options_tag(env: jinja2.Environment) -> str:
    """A digest of the options that shape compiled code (its syntax, whitespace control,
    autoescaping, extensions): entries compiled under other options are never read."""
    shaping = (
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        env.autoescape,
        env.optimized,
        env.finalize is not None,
        env.is_async,
        sorted(env.extensions),
    )
    return hashlib.sha1(repr(shaping).encode()).hexdigest()[:12]


def _bytecode_cache(env: jinja2.Environment) -> jinja2.BytecodeCache | None:
    folder = bytecode_dir()
    if folder is None:
        return None
    return _BytecodeCache(str(folder), f"planbook-{_options_tag(env)}-%s.cache")


def _new_environment(custom_dir: Path | None) -> jinja2.Environment:
    paths = [str(custom_dir)] if custom_dir else []
    paths.append(str(shipped_templates()))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(paths),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=False,  # checked once per environment() call, not per get_template
    )
    env.bytecode_cache = _bytecode_cache(env)
    from .sparkline import sparkline
    from .tables_html import FIRST_COLUMNS

    env.globals["sparkline"] = sparkline
    env.globals["first_columns"] = FIRST_COLUMNS  # the channel tables' first columns
    env.globals["planbook_generation"] = next(_GENERATION)
    return env


def overridden(env: jinja2.Environment, name: str) -> bool:
    """Whether template ``name`` is a site's own (its ``custom_templates`` folder has it):
    then the template renders, else the part may be written in Python (the same markup).
    Looked up once per environment: a file added to or removed from the site's folder
    starts a new one (:func:`environment`)."""
    found: dict[str, bool] = env.globals.setdefault("planbook_overridden", {})
    if name not in found:
        loader = env.loader
        if isinstance(loader, jinja2.FileSystemLoader):
            shipped = shipped_templates().resolve()
            found[name] = any(
                (Path(folder) / name).is_file()
                for folder in loader.searchpath
                if Path(folder).resolve() != shipped
            )
        else:  # a loader we do not know: its templates render
            found[name] = True
    return found[name]


def render(
    env: jinja2.Environment, name: str, writer: Callable[..., str], context: dict[str, Any]
) -> str:
    """Template ``name`` rendered with ``context`` when the site has its own, else
    ``writer(**context)``: the shipped template's markup, written in Python."""
    if overridden(env, name):
        return env.get_template(name).render(**context)
    return writer(**context)


def generation(env: jinja2.Environment) -> int:
    """A number that changes whenever a template of ``env`` changed (cache keys)."""
    return int(env.globals.get("planbook_generation", 0))


def environment(custom_dir: Path | None = None) -> jinja2.Environment:
    """Autoescaping environment; a site's ``custom_dir`` overrides any shipped template.

    Call it once per build: it returns the environment of the last call for the same
    folder, with the templates whose files changed since dropped from its cache.
    """
    key = str(custom_dir.resolve()) if custom_dir else None
    listing = _listing(custom_dir)
    kept = _ENVS.pop(key, None)
    if kept is not None and kept[1] == listing:
        env = kept[0]
        assert env.cache is not None
        stale = [name for name, template in env.cache.items() if not template.is_up_to_date]
        for name in stale:
            del env.cache[name]
        if stale:
            env.globals["planbook_generation"] = next(_GENERATION)
    else:
        env = _new_environment(custom_dir)
    _ENVS[key] = (env, listing)  # most recent last
    while len(_ENVS) > _KEEP:
        del _ENVS[next(iter(_ENVS))]
    return env
