"""One jinja environment per template folder: compiled once, recompiled when a file changes."""

from __future__ import annotations

import os
from pathlib import Path

from planbook.views.render_env import environment, generation


def _touch(path: Path, text: str) -> None:
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, "utf-8")
    os.utime(path, ns=(before + 10**9, before + 10**9))  # a later mtime, whatever the clock


def test_the_environment_and_its_compiled_templates_are_reused(tmp_path: Path) -> None:
    folder = tmp_path / "overrides"
    (folder / "sections").mkdir(parents=True)
    _touch(folder / "sections/team.html", "one {{ x }}")
    env = environment(folder)
    template = env.get_template("sections/team.html")
    assert template.render(x="<b>") == "one &lt;b&gt;"  # autoescaped
    again = environment(folder)
    assert again is env and again.get_template("sections/team.html") is template
    assert generation(again) == generation(env)


def test_an_edited_template_is_compiled_again(tmp_path: Path) -> None:
    folder = tmp_path / "overrides"
    (folder / "sections").mkdir(parents=True)
    _touch(folder / "sections/team.html", "one")
    env = environment(folder)
    first = generation(env)
    assert env.get_template("sections/team.html").render() == "one"
    _touch(folder / "sections/team.html", "two")
    env = environment(folder)
    assert env.get_template("sections/team.html").render() == "two"
    assert generation(env) != first
    _touch(folder / "sections/risks.html", "mine")  # a new override shadows the shipped one
    env = environment(folder)
    assert env.get_template("sections/risks.html").render() == "mine"


def test_the_shipped_templates_without_a_site_folder() -> None:
    env = environment()
    assert environment() is env
    assert "sparkline" in env.globals
    assert env.get_template("errors.html") is env.get_template("errors.html")


# --------------------------------------------------------------- compiled templates on disk


def _fresh(folder: Path | None = None):
    """A new environment, as a new `mkdocs build` process makes it."""
    from planbook.views.render_env import _new_environment

    return _new_environment(folder)


def _count_compiles(monkeypatch) -> list[str]:
    import jinja2

    compiled: list[str] = []
    real = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return real(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return compiled


def _errors(env) -> str:
    return env.get_template("errors.html").render(diagnostics=[], t=lambda k: k, say=str)


EXPECTED = (
    '<div class="admonition failure planbook pb-errors" data-search-exclude>\n'
    '  <p class="admonition-title">errors.title</p>\n  <ul>\n  </ul>\n</div>'
)


def test_a_new_process_loads_compiled_templates_instead_of_compiling(tmp_path, monkeypatch):
    from planbook.views.render_env import bytecode_dir

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    compiled = _count_compiles(monkeypatch)
    first = _fresh().get_template("errors.html")
    assert compiled == ["errors.html"]
    folder = bytecode_dir()
    assert folder == tmp_path / "cache" / "planbook" / "jinja"
    assert folder.stat().st_mode & 0o777 == 0o700
    assert len(list(folder.glob("planbook-*.cache"))) == 1
    second = _fresh().get_template("errors.html")
    assert compiled == ["errors.html"]  # loaded, not compiled again
    assert second is not first
    assert second.render(diagnostics=[], t=lambda k: k, say=str) == EXPECTED


def test_an_edited_template_is_not_read_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "overrides"
    (folder / "sections").mkdir(parents=True)
    _touch(folder / "sections/team.html", "one {{ x }}")
    assert _fresh(folder).get_template("sections/team.html").render(x="<i>") == "one &lt;i&gt;"
    _touch(folder / "sections/team.html", "two {{ x }}")
    compiled = _count_compiles(monkeypatch)
    assert _fresh(folder).get_template("sections/team.html").render(x="<i>") == "two &lt;i&gt;"
    assert compiled == ["sections/team.html"]
    # the shipped template of the same name is its own entry
    assert "two" not in _fresh().get_template("sections/team.html").render(
        plan=type("P", (), {"team": []})(), t=lambda k: k
    )


def test_templates_compile_when_the_cache_cannot_be_used(tmp_path, monkeypatch):
    import jinja2.bccache

    from planbook.views.render_env import bytecode_dir

    # not a folder (a file where it should be): no cache, templates compile
    (tmp_path / "file").write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "file"))
    assert bytecode_dir() is None
    env = _fresh()
    assert env.bytecode_cache is None
    assert _errors(env) == EXPECTED
    # a folder others may write: not trusted
    shared = tmp_path / "shared"
    (shared / "planbook" / "jinja").mkdir(parents=True)
    (shared / "planbook" / "jinja").chmod(0o777)
    monkeypatch.setenv("XDG_CACHE_HOME", str(shared))
    assert bytecode_dir() is None
    # a read-only folder (writing refused) and a corrupt entry: compiled, no error
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "ro"))

    def refused(*args, **kwargs):
        raise PermissionError(13, "Read-only file system")

    # Jinja's own write refused, however that Jinja writes (3.1.0 opens the entry itself,
    # later ones write a temporary file and rename it; tests run as root, so a folder's
    # mode would not refuse anything)
    with monkeypatch.context() as m:
        m.setattr(jinja2.bccache.FileSystemBytecodeCache, "dump_bytecode", refused)
        assert _errors(_fresh()) == EXPECTED
    folder = bytecode_dir()
    assert folder is not None and not list(folder.iterdir())
    _fresh().get_template("errors.html")
    (entry,) = folder.iterdir()
    entry.write_bytes(entry.read_bytes()[:40])  # cut short
    compiled = _count_compiles(monkeypatch)
    assert _errors(_fresh()) == EXPECTED
    assert compiled == ["errors.html"]
    entry.unlink()
    entry.mkdir()  # a folder where the entry should be
    assert _errors(_fresh()) == EXPECTED


def test_entries_compiled_under_other_options_are_not_read(tmp_path, monkeypatch):
    import jinja2

    from planbook.views.render_env import _bytecode_cache, _options_tag

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "a.html").write_text("{% if x %}\n<b>{{ x }}</b>\n{% endif %}\n", "utf-8")
    ours = _fresh(folder)
    assert ours.get_template("a.html").render(x="<i>") == "<b>&lt;i&gt;</b>\n"
    other = jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), autoescape=False)
    assert _options_tag(other) != _options_tag(ours)
    other.bytecode_cache = _bytecode_cache(other)
    compiled = _count_compiles(monkeypatch)
    assert other.get_template("a.html").render(x="<i>") == "\n<b><i></b>\n"
    assert compiled == ["a.html"]  # compiled for its own options, not read from ours
    assert _options_tag(_fresh(folder)) == _options_tag(ours)
