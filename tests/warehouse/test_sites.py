"""Real `mkdocs build`s of one plan over the same rows from a CSV file, a Parquet file,
a DuckDB table and a PostgreSQL table: the sections must be byte-identical."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from planbook.cli import main
from tests.conftest import Built
from tests.warehouse.fixture import (
    PLAN,
    csv_text,
    rows,
    write_duckdb,
    write_parquet,
    write_postgres,
)

CONNECTIONS = "connections: {warehouse: {url_env: PLANBOOK_TEST_WAREHOUSE_URL}}"
TABLE = "{connection: warehouse, table: marts.ads_daily}"
SQL = (
    '{connection: warehouse, sql: "select date, channel, campaign, impressions, clicks, '
    'spend, conversions, revenue from marts.ads_daily"}'
)


def _sections(built: Built) -> str:
    """The page's content with the query note taken out (it names the source)."""
    assert built.error is None, built.messages
    soup = built.html("index.html")
    article = soup.select_one("article")
    assert article is not None
    for note in article.select(".pb-queries"):
        note.decompose()
    return str(article)


def _note(built: Built) -> str:
    note = built.html("index.html").select_one(".pb-queries")
    return "" if note is None else note.get_text(" ", strip=True)


@pytest.fixture(scope="module")
def csv_sections(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The sections built from the CSV file (once for the module)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from tests.conftest import write_site

    root = write_site(
        tmp_path_factory.mktemp("csv"),
        {"index.md": PLAN.replace("METRICS", "data/x.csv")},
        {"x.csv": csv_text(rows())},
    )
    cfg = load_config(str(root / "mkdocs.yml"), strict=True)
    cfg.plugins.on_startup(command="build", dirty=False)
    try:
        build(cfg)
    finally:
        cfg.plugins.on_shutdown()
    return _sections(Built(root, [], None))


def test_parquet_gives_the_same_sections_as_csv(
    build_site: Callable[..., Built], tmp_path: Path, csv_sections: str
) -> None:
    write_parquet(rows(), tmp_path / "data" / "x.parquet")
    built = build_site({"index.md": PLAN.replace("METRICS", "data/x.parquet")})
    assert _sections(built) == csv_sections
    assert _note(built) == ""  # a file, not a query


@pytest.mark.parametrize("source", [TABLE, SQL], ids=["table", "sql"])
def test_duckdb_gives_the_same_sections_as_csv(
    build_site: Callable[..., Built],
    tmp_path: Path,
    csv_sections: str,
    source: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write_duckdb(rows(), tmp_path / "warehouse.duckdb")
    monkeypatch.setenv("PLANBOOK_TEST_WAREHOUSE_URL", "duckdb://warehouse.duckdb")
    built = build_site({"index.md": PLAN.replace("METRICS", source)}, options=CONNECTIONS)
    assert _sections(built) == csv_sections
    label = "marts.ads_daily" if source == TABLE else "sql "
    assert _note(built).startswith(f"查询结果: warehouse: {label}")
    assert "取数于 20" in _note(built)


@pytest.mark.parametrize("source", [TABLE, SQL], ids=["table", "sql"])
def test_postgres_gives_the_same_sections_as_csv(
    build_site: Callable[..., Built],
    csv_sections: str,
    postgres_url: str,
    source: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write_postgres(rows(), postgres_url)
    monkeypatch.setenv("PLANBOOK_TEST_WAREHOUSE_URL", postgres_url)
    built = build_site({"index.md": PLAN.replace("METRICS", source)}, options=CONNECTIONS)
    assert _sections(built) == csv_sections
    assert "warehouse: " in _note(built)


def test_missing_variable_is_an_error_in_the_build_and_on_the_page(
    build_site: Callable[..., Built], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PLANBOOK_TEST_WAREHOUSE_URL", raising=False)
    built = build_site(
        {"index.md": PLAN.replace("METRICS", TABLE)},
        options=CONNECTIONS,
        strict=False,
        language="en",  # an English site logs in English
    )
    message = (
        "connection 'warehouse' reads its URL from the environment variable "
        "PLANBOOK_TEST_WAREHOUSE_URL, which is not set; set it in the shell or the CI secrets "
        "(e.g. postgresql://user:password@host:5432/analytics). Credentials are never read "
        "from files in the repository"
    )
    assert (
        f"docs/index.md:7: error: plan.metrics[0]: {message} [warehouse/missing-credentials]"
        in ("\n".join(built.logged(40)))
    )
    page = built.html("index.html").get_text(" ", strip=True)
    assert "PLANBOOK_TEST_WAREHOUSE_URL, which is not set" in page


def test_check_reports_the_missing_variable_and_offline_skips_the_query(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import write_site

    monkeypatch.delenv("PLANBOOK_TEST_WAREHOUSE_URL", raising=False)
    write_site(tmp_path, {"index.md": PLAN.replace("METRICS", TABLE)}, options=CONNECTIONS)
    config = str(tmp_path / "mkdocs.yml")
    runner = CliRunner()
    online = runner.invoke(main, ["check", "-f", config])
    assert online.exit_code == 1
    assert "[warehouse/missing-credentials]" in online.output
    offline = runner.invoke(main, ["check", "-f", config, "--offline", "--lang", "en"])
    assert offline.exit_code == 0, offline.output
    assert (
        "docs/index.md:7: info: plan.metrics[0]: warehouse: marts.ads_daily: not queried "
        "(--offline) and no cached result; checks that need its rows were skipped "
        "[warehouse/offline]"
    ) in offline.output


def test_offline_check_uses_the_cached_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import write_site

    write_site(
        tmp_path,
        {"index.md": PLAN.replace("METRICS", TABLE).replace("target: 20000", "target: 2")},
        options=CONNECTIONS,
    )
    write_duckdb(rows(), tmp_path / "warehouse.duckdb")
    monkeypatch.setenv("PLANBOOK_TEST_WAREHOUSE_URL", "duckdb://warehouse.duckdb")
    config = str(tmp_path / "mkdocs.yml")
    runner = CliRunner()
    first = runner.invoke(main, ["check", "-f", config])
    assert first.exit_code == 0, first.output
    assert list((tmp_path / ".cache" / "planbook" / "queries").glob("*.parquet"))
    (tmp_path / "warehouse.duckdb").unlink()  # the warehouse is out of reach
    monkeypatch.delenv("PLANBOOK_TEST_WAREHOUSE_URL")
    offline = runner.invoke(main, ["check", "-f", config, "--offline"])
    assert offline.exit_code == 0, offline.output
    assert "warehouse/offline" not in offline.output


def test_hostile_values_from_a_table_stay_text(
    build_site: Callable[..., Built], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    frame = rows()
    frame.loc[frame["channel"] == "email", "channel"] = "</script><b>x</b>\n"
    write_duckdb(frame, tmp_path / "warehouse.duckdb")
    monkeypatch.setenv("PLANBOOK_TEST_WAREHOUSE_URL", "duckdb://warehouse.duckdb")
    plan = PLAN.replace("METRICS", TABLE).replace("{{ budget_table() }}", "{{ budget_table() }}")
    built = build_site({"index.md": plan}, options=CONNECTIONS, strict=False)
    raw = built.raw("index.html")
    assert "</script><b>x</b>" not in raw
    assert "&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;" in raw


def test_password_never_reaches_a_message(
    build_site: Callable[..., Built], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        "PLANBOOK_TEST_WAREHOUSE_URL", "postgresql://u:s3cr3t-pw@127.0.0.1:1/nowhere"
    )
    built = build_site(
        {"index.md": PLAN.replace("METRICS", TABLE)}, options=CONNECTIONS, strict=False
    )
    logged = "\n".join(built.logged(40))
    assert "[warehouse/connect-failed]" in logged
    assert "s3cr3t-pw" not in logged
    assert "s3cr3t-pw" not in built.raw("index.html")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            "connections: {warehouse: {url: 'postgresql://u:p@h/db'}}",
            "planbook: connections.warehouse.url: a URL (and its password) must not be written "
            "in mkdocs.yml; put it in an environment variable and name it with `url_env`",
        ),
        (
            "connections: {warehouse: {url_env: 'not a name'}}",
            "planbook: connections.warehouse.url_env: expected the name of an environment "
            "variable such as PLANBOOK_WAREHOUSE_URL, got 'not a name'",
        ),
        (
            "connections: {warehouse: {url_env: X, refresh: soon}}",
            "planbook: connections.warehouse.refresh: expected a duration such as 15m, 1h or "
            "1d, got 'soon'",
        ),
    ],
)
def test_bad_connection_options(
    build_site: Callable[..., Built], options: str, message: str
) -> None:
    built = build_site({"index.md": "# x\n"}, options=options, language="en")  # English text
    assert built.error is not None
    assert message in str(built.error) or message in "\n".join(built.messages)


def test_fetched_time_comes_from_the_adapters_clock() -> None:
    from planbook.sources.warehouse import QueryRecord

    record = QueryRecord("w", "w: t", datetime(2026, 11, 2, 3, 4, tzinfo=UTC), 10, False)
    assert record.fetched == "2026-11-02 03:04 UTC"
    _ = BeautifulSoup  # the note itself is asserted through real builds above


def test_hostile_text_in_a_message_stays_text(
    build_site: Callable[..., Built], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_duckdb(rows(), tmp_path / "warehouse.duckdb")
    monkeypatch.setenv("PLANBOOK_TEST_WAREHOUSE_URL", "duckdb://warehouse.duckdb")
    source = (
        "{connection: warehouse, sql: \"select '</script><img src=x onerror=alert(1)>' as date, "
        'channel, clicks from marts.ads_daily"}'
    )
    built = build_site(
        {"index.md": PLAN.replace("METRICS", source)}, options=CONNECTIONS, strict=False
    )
    logged = "\n".join(built.logged(30))
    assert "列 'date' 中应为日期（例如 2026-09-01），实际为 “</script><img" in logged
    raw = built.raw("index.html")
    assert "<img src=x" not in raw
    assert "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in raw
