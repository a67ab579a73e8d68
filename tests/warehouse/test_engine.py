"""The warehouse engine without MkDocs: row checks on query results (exact messages),
the query cache (freshness, refresh interval, disk, offline), source validation."""

from __future__ import annotations

import textwrap
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pytest

from planbook.data import DataStore
from planbook.frontmatter import read_front_matter
from planbook.model import MetricSource, Plan, validate
from planbook.sources.warehouse import Connection, Needs, parse_connections, parse_refresh
from tests.warehouse.fixture import rows, write_duckdb, write_parquet, write_postgres

NEEDS = Needs(("channel",), date(2024, 1, 1), date(2026, 12, 31))
URL_ENV = "PLANBOOK_TEST_WAREHOUSE_URL"


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def store(root: Path, url: str, clock: Clock | None = None, **kw) -> DataStore:
    return DataStore(
        root,
        connections={"wh": Connection("wh", URL_ENV, kw.pop("refresh", 3600.0))},
        clock=clock,
        cache_dir=kw.pop("cache_dir", None),
        offline=kw.pop("offline", False),
        environ={URL_ENV: url} if url else {},
        **kw,
    )


def query(s: DataStore, needs: Needs = NEEDS, **source):
    source.setdefault("connection", "wh")
    src = MetricSource.model_validate(source)
    return s.queries.source(src, needs, file="docs/p.md", line=7, fld="plan.metrics[0]")


ODD = """
create table odd as select * from (values
  (timestamp '2026-09-01 10:30', 'sem', '12', 1.5, 0.1, 7, 'a'),
  (timestamp '2026-09-01 23:59', 'sem', '8', 2.5, 0.2, 7, 'b'),
  (null, 'sem', '5', 1.0, 0.1, 7, 'c'),
  (timestamp '2026-09-02 00:00', null, '3', 1.0, 0.1, 7, 'd'),
  (timestamp '2026-09-02 00:00', 'sem', 'abc', 1.0, 0.1, 7, 'e'),
  (timestamp '2026-09-02 00:00', 'sem', '', 1.0, 0.1, 7, 'f'),
  (timestamp '2026-09-03 00:00', 'social', '4', 'infinity'::double, 0.1, 7, 'g'),
  (timestamp '2026-09-03 00:00', '合计', '99', 9.0, 0.1, 7, 'h'),
  (timestamp '2026-09-04 00:00', '</script><b>x</b>', '1', 'nan'::double, 0.1, 7, 'i')
) v(day, channel, clicks, spend, ctr, users, note)
"""


@pytest.fixture
def odd_db(tmp_path: Path) -> str:
    con = duckdb.connect(str(tmp_path / "odd.duckdb"))
    con.execute(ODD)
    con.execute("alter table odd add column tags varchar[]")
    con.close()
    return "duckdb://odd.duckdb"


def test_row_checks_on_a_query_result(tmp_path: Path, odd_db: str) -> None:
    table, diags = query(store(tmp_path, odd_db), table="odd")
    assert [str(d) for d in diags] == [
        "docs/p.md:7: info: plan.metrics[0]: wh: odd: 'ctr' not summed: an export's own "
        "rates are never added up; KPIs are computed from the summed measures [data/rate-column]",
        "docs/p.md:7: info: plan.metrics[0]: wh: odd: 'users' not read: counts of distinct "
        "people or running totals cannot be summed across rows; compute them per day in `sql:` "
        "[data/non-additive]",
        "docs/p.md:7: info: plan.metrics[0]: wh: odd: columns not read (neither a date, a "
        "dimension nor a number): 'tags' (array<string>) [data/column-type]",
        "docs/p.md:7: warning: plan.metrics[0]: wh: odd: 1 row excluded: no date (NULL in "
        "column 'day') [data/missing-date]",
        "docs/p.md:7: warning: plan.metrics[0]: wh: odd: 1 row excluded: expected a number in "
        "column 'clicks', got 'abc' [data/bad-number]",
        "docs/p.md:7: error: plan.metrics[0]: wh: odd: 1 row excluded: column 'spend' holds an "
        "infinite value, not a finite number [data/non-finite]",
        "docs/p.md:7: info: plan.metrics[0]: wh: odd: 1 row excluded: '合计' is a total, not a "
        "day's data [data/totals-row]",
    ]
    assert table is not None
    f = table.frame
    assert list(f.columns) == ["date", "channel", "clicks", "spend"]
    assert f["channel"].dtype == "str"

    # Timestamps truncated to the day; NULL channel is "" like an empty cell; a blank
    # number is missing for that measure only; NaN is missing, not an error.
    def value(v: float) -> float | None:
        return None if np.isnan(v) else v

    got = {(str(r.date.date()), r.channel, value(r.clicks), value(r.spend)) for r in f.itertuples()}
    assert got == {
        ("2026-09-01", "sem", 20.0, 4.0),
        ("2026-09-02", "", 3.0, 1.0),
        ("2026-09-02", "sem", None, 1.0),
        ("2026-09-04", "</script><b>x</b>", 1.0, None),
    }
    assert table.query.rows == 9


def test_dimensions_the_plan_does_not_use_are_not_grouped(tmp_path: Path) -> None:
    write_duckdb(rows(), tmp_path / "w.duckdb")
    s = store(tmp_path, "duckdb://w.duckdb")
    by_channel, _ = query(s, table="marts.ads_daily")
    assert by_channel.dimensions == ("channel",)
    assert len(by_channel.frame) == 45 * 3 + 1  # one row holds a NULL click count apart
    both, _ = query(s, table="marts.ads_daily", dimensions=["campaign"])
    assert both.dimensions == ("channel", "campaign")
    only_sem, _ = query(s, table="marts.ads_daily", where={"channel": "sem"})
    assert set(only_sem.frame["channel"]) == {"sem"}
    days, _ = query(
        s, Needs(("channel",), date(2026, 9, 1), date(2026, 9, 10)), table="marts.ads_daily"
    )
    assert days.frame["date"].max() == np.datetime64("2026-09-10")


def test_where_on_a_missing_column(tmp_path: Path) -> None:
    write_duckdb(rows(), tmp_path / "w.duckdb")
    _, diags = query(
        store(tmp_path, "duckdb://w.duckdb"), table="marts.ads_daily", where={"region": "north"}
    )
    assert [d.message for d in diags] == [
        "wh: marts.ads_daily: `where` names 'region', which is not a text column of the result "
        "(columns: 'date', 'channel', 'campaign', 'impressions', 'clicks', 'spend', "
        "'conversions', 'revenue')"
    ]


def test_no_date_column_and_bad_sql(tmp_path: Path) -> None:
    write_duckdb(rows(), tmp_path / "w.duckdb")
    s = store(tmp_path, "duckdb://w.duckdb")
    _, diags = query(s, sql="select channel, clicks from marts.ads_daily")
    assert [(d.rule, d.message) for d in diags] == [
        (
            "data/no-date-column",
            "wh: sql 8cdbb9f1: no date column among the columns ('channel', 'clicks'); name it "
            "'date' (or alias it in `sql:`), or map it to 'date' with the `columns` option",
        )
    ]
    _, diags = query(s, table="marts.nope")
    assert diags[0].rule == "warehouse/query-failed"
    assert diags[0].message.startswith(
        "wh: marts.ads_daily".replace("ads_daily", "nope") + ": cannot read table 'marts.nope': "
    )


def test_unknown_connection(tmp_path: Path) -> None:
    _, diags = query(store(tmp_path, ""), connection="crm", table="t")
    assert [str(d) for d in diags] == [
        "docs/p.md:7: error: plan.metrics[0]: no connection named 'crm' in the plugin's "
        "`connections` option (known: wh) [warehouse/unknown-connection]"
    ]


def test_text_dates_are_parsed_like_a_files(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "t.duckdb"))
    con.execute(
        "create table t as select * from (values ('20260901', 'sem', 3), ('2026-09-02', 'sem', 4),"
        " ('soon', 'sem', 5), ('2019-01-01', 'sem', 6)) v(event_date, channel, clicks)"
    )
    con.close()
    table, diags = query(
        store(tmp_path, "duckdb://t.duckdb", aliases={"event_date": "date"}),
        Needs(("channel",), date(2026, 1, 1), date(2026, 12, 31)),
        table="t",
    )
    assert [d.message for d in diags] == [
        "wh: t: 1 row excluded: expected a date such as 2026-09-01 in column 'event_date', "
        "got 'soon'",
        "wh: t: 1 row dated outside 2026-01-01 – 2026-12-31 not read",
    ]
    assert table.frame["clicks"].tolist() == [3.0, 4.0]


# --------------------------------------------------------------------------- cache


def test_duckdb_results_are_reused_until_the_file_changes(tmp_path: Path) -> None:
    write_duckdb(rows(), tmp_path / "w.duckdb")
    s = store(tmp_path, "duckdb://w.duckdb", Clock(), refresh=0)
    first, _ = query(s, table="marts.ads_daily")
    s.begin_build()
    again, _ = query(s, table="marts.ads_daily")
    assert s.queries.query_count == 1 and again.query.cached
    frame = rows()
    frame["clicks"] = 1
    write_duckdb(frame, tmp_path / "w.duckdb")
    s.begin_build()
    changed, _ = query(s, table="marts.ads_daily")
    assert s.queries.query_count == 2
    assert changed.frame["clicks"].sum() != first.frame["clicks"].sum()


def test_refresh_interval_where_the_engine_cannot_tell_freshness(
    tmp_path: Path, postgres_url: str
) -> None:
    write_postgres(rows(), postgres_url)
    clock = Clock()
    s = store(tmp_path, postgres_url, clock, refresh=parse_refresh("15m"))
    query(s, table="marts.ads_daily")
    s.begin_build()
    clock.now += timedelta(minutes=14)
    cached, _ = query(s, table="marts.ads_daily")
    assert s.queries.query_count == 1
    assert cached.query.fetched == "2026-11-24 09:30 UTC" and cached.query.cached
    s.begin_build()
    clock.now += timedelta(minutes=2)
    fresh, _ = query(s, table="marts.ads_daily")
    assert s.queries.query_count == 2
    assert fresh.query.fetched == "2026-11-24 09:46 UTC" and not fresh.query.cached
    s.begin_build()
    query(s, table="marts.ads_daily", refresh="0")  # the source's own interval wins
    assert s.queries.query_count == 3


def test_disk_cache_survives_the_process_and_serves_offline(tmp_path: Path) -> None:
    write_duckdb(rows(), tmp_path / "w.duckdb")
    cache = tmp_path / ".cache"
    first = store(tmp_path, "duckdb://w.duckdb", Clock(), cache_dir=cache)
    table, _ = query(first, table="marts.ads_daily")
    second = store(tmp_path, "duckdb://w.duckdb", Clock(), cache_dir=cache)
    again, _ = query(second, table="marts.ads_daily")
    assert second.queries.query_count == 0
    assert again.frame.equals(table.frame)
    assert again.query.fetched == "2026-11-24 09:30 UTC"
    other_db = store(tmp_path, "duckdb://elsewhere.duckdb", Clock(), cache_dir=cache)
    _, diags = query(other_db, table="marts.ads_daily")
    assert diags[0].rule == "warehouse/connect-failed"  # another URL: not the cached result
    offline = store(tmp_path, "", Clock(), cache_dir=cache, offline=True)
    cached, diags = query(offline, table="marts.ads_daily")
    assert offline.queries.query_count == 0 and diags == []
    assert cached.frame.equals(table.frame)


def test_a_result_is_queried_once_per_build_however_many_plans_use_it(tmp_path: Path) -> None:
    write_duckdb(rows(), tmp_path / "w.duckdb")
    s = store(tmp_path, "duckdb://w.duckdb", refresh=0)
    for _ in range(5):
        query(s, table="marts.ads_daily")
    assert s.queries.query_count == 1
    assert [r.label for r in s.queries.used()] == ["wh: marts.ads_daily"]


def test_parquet_is_cached_by_size_and_mtime(tmp_path: Path) -> None:
    path = tmp_path / "data" / "x.parquet"
    write_parquet(rows(), path)
    s = DataStore(tmp_path)
    t1 = s.load_parquet(path, NEEDS)
    t2 = s.load_parquet(path, NEEDS)
    assert s.queries.query_count == 1 and t1.digest == t2.digest
    assert t1.path == "data/x.parquet" and t1.diagnostics == ()
    whole = s.load(path)  # on its own: by day and every dimension column
    assert whole.dimensions == ("channel", "campaign") and len(whole.frame) == len(rows())


def test_broken_parquet_file_is_reported_against_the_file(tmp_path: Path) -> None:
    path = tmp_path / "data" / "x.parquet"
    path.parent.mkdir()
    path.write_bytes(b"PAR1 not really")
    table = DataStore(tmp_path).load_parquet(path, NEEDS)
    (d,) = table.diagnostics
    assert (d.file, d.rule, d.severity.value) == ("data/x.parquet", "data/unreadable", "error")
    assert d.message.startswith("cannot read the Parquet file: ")


# --------------------------------------------------------------------------- options


PLAN = """\
---
plan:
  id: p
  period: {start: 2026-09-01, end: 2026-12-31}
  metrics:
    - data/a.csv
    - SOURCE
---
"""


def source_messages(source: str) -> list[str]:
    fm = read_front_matter(textwrap.dedent(PLAN.replace("SOURCE", source)), "docs/p.md")
    _, diags = validate(
        Plan, fm.data["plan"], file="docs/p.md", locations=fm.locations, prefix=("plan",)
    )
    return [str(d) for d in diags]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            "{connection: wh, table: t, sql: select 1}",
            "docs/p.md:7: error: plan.metrics[1]: expected exactly one of `path`, `table` or "
            "`sql`, got `table` and `sql` [schema]",
        ),
        (
            "{table: marts.ads}",
            "docs/p.md:7: error: plan.metrics[1]: `table` needs `connection`: the name of a "
            "connection in the planbook plugin's `connections` option [schema]",
        ),
        (
            "{path: data/x.csv, connection: wh}",
            "docs/p.md:7: error: plan.metrics[1]: `connection` applies to a database source "
            "(`table` or `sql`), not to a file [schema]",
        ),
        (
            "{connection: wh, sql: 'select 1', encoding: gbk}",
            "docs/p.md:7: error: plan.metrics[1]: `encoding` applies to files, not to a "
            "database source [schema]",
        ),
        (
            '{connection: wh, table: "ads; drop table x"}',
            "docs/p.md:7: error: plan.metrics[1].table: expected a table name such as "
            "'marts.ads_daily' (letters, digits, _ and up to two dots), got 'ads; drop table x'; "
            "write anything else as `sql:` [schema]",
        ),
        (
            "{connection: wh, table: t, refresh: later}",
            "docs/p.md:7: error: plan.metrics[1].refresh: expected a duration such as 15m, 1h "
            "or 1d, got 'later' [schema]",
        ),
    ],
)
def test_source_validation(source: str, message: str) -> None:
    assert source_messages(source) == [message]


def test_connections_option() -> None:
    parsed = parse_connections({"warehouse": {"url_env": "WH", "refresh": "30m"}})
    assert parsed == {"warehouse": Connection("warehouse", "WH", 1800.0)}
    with pytest.raises(ValueError, match=r"^connections: 'Bad Name' is not a connection name"):
        parse_connections({"Bad Name": {"url_env": "X"}})
    with pytest.raises(ValueError, match=r"^connections.w: unknown key 'host'; expected url_env"):
        parse_connections({"w": {"url_env": "X", "host": "h"}})
    assert [parse_refresh(v) for v in ("30s", "15m", "2h", "1d", 0, "90")] == [
        30.0,
        900.0,
        7200.0,
        86400.0,
        0.0,
        90.0,
    ]
    for bad in (float("inf"), -1, True, "1w"):
        with pytest.raises(ValueError, match="expected a duration"):
            parse_refresh(bad)


def test_ibis_deprecation_of_duckdb_stays_out_of_the_log(tmp_path: Path) -> None:
    """Ibis 12 calls DuckDB's deprecated fetch_arrow_table(): that warning (and its
    traceback) printed into every build's log with a DuckDB or Parquet source. Only it
    is ignored: another deprecation raised from Ibis still shows."""
    import warnings

    write_duckdb(rows(), tmp_path / "w.duckdb")
    write_parquet(rows(), tmp_path / "data" / "x.parquet")
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        got, _ = query(store(tmp_path, "duckdb://w.duckdb"), table="marts.ads_daily")
        table = DataStore(tmp_path).load_parquet(tmp_path / "data" / "x.parquet", NEEDS)
        warnings.warn_explicit(
            "something else is deprecated",
            DeprecationWarning,
            "ibis/backends/duckdb/__init__.py",
            1,
            module="ibis.backends.duckdb",
        )
    assert len(got.frame) and len(table.frame)
    assert [str(w.message) for w in seen] == ["something else is deprecated"]
