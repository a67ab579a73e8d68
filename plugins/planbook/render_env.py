"""The jinja2 environment every HTML fragment is rendered with.

One environment per template folder and process: `mkdocs serve` rebuilds reuse the
compiled templates instead of compiling every template again. A template whose file
changed is compiled again, and a change in the site's own template folder (a file
added, removed or edited) starts a new environment.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import jinja2

_HERE = Path(__file__).resolve().parent
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
    from .sparkline import sparkline

    env.globals["sparkline"] = sparkline
    env.globals["planbook_generation"] = next(_GENERATION)
    return env


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
