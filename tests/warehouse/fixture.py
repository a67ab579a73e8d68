"""One plan and its metric rows, written as CSV, Parquet, a DuckDB table and a
PostgreSQL table: every source must give the same sections."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

START = dt.date(2026, 9, 1)
DAYS = 45
CHANNELS = ("sem", "social", "email")
CAMPAIGNS = ("launch", "always-on")


def rows() -> pd.DataFrame:
    """Daily rows per channel and campaign. Values are multiples of 1/4 so that every
    sum is exact in any order (the engines add them up in different orders)."""
    out = []
    for d in range(DAYS):
        day = START + dt.timedelta(days=d)
        for c, channel in enumerate(CHANNELS):
            for k, campaign in enumerate(CAMPAIGNS):
                seed = d * 7 + c * 3 + k
                out.append(
                    {
                        "date": day,
                        "channel": channel,
                        "campaign": campaign,
                        "impressions": 1000 + 37 * seed % 900,
                        "clicks": None if (d, c, k) == (3, 1, 0) else 40 + 11 * seed % 60,
                        "spend": 100 + (13 * seed % 80) * 0.25,
                        "conversions": 2 + seed % 7,
                        "revenue": 300 + (17 * seed % 120) * 0.5,
                    }
                )
    frame = pd.DataFrame(out)
    frame["date"] = pd.to_datetime(frame["date"])
    frame["clicks"] = frame["clicks"].astype("Float64")
    return frame


def csv_text(frame: pd.DataFrame) -> str:
    f = frame.copy()
    f["date"] = f["date"].dt.strftime("%Y-%m-%d")
    return f.to_csv(index=False, na_rep="")


def write_parquet(frame: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    f = frame.copy()
    f["date"] = f["date"].dt.date
    f.to_parquet(path, index=False)


def write_duckdb(frame: pd.DataFrame, path: Path, table: str = "marts.ads_daily") -> None:
    import duckdb

    con = duckdb.connect(str(path))
    try:
        schema = table.split(".")[0] if "." in table else None
        if schema:
            con.execute(f"create schema if not exists {schema}")
        import pyarrow as pa

        con.register("frame_view", pa.Table.from_pandas(frame, preserve_index=False))
        con.execute(
            f"create or replace table {table} as select cast(date as date) as date, channel, "
            "campaign, cast(impressions as bigint) as impressions, cast(clicks as bigint) as "
            "clicks, cast(spend as decimal(12, 2)) as spend, cast(conversions as integer) as "
            "conversions, cast(revenue as double) as revenue from frame_view"
        )
    finally:
        con.close()


PLAN = """\
---
title: Warehouse plan
plan:
  id: wh-plan
  period: {start: 2026-09-01, end: 2026-12-31}
  currency: CNY
  metrics: [METRICS]
  goals:
    - {id: clicks, statement: Clicks, kpi: clicks, baseline: 0, target: 20000, deadline: 2026-12-31}
    - {id: sem-ctr, statement: SEM CTR, kpi: ctr, baseline: 0.03, target: 0.06, deadline: 2026-12-31, filter: {channel: sem}}
    - {id: roas, statement: ROAS, kpi: roas, baseline: 1, target: 3, deadline: 2026-12-31}
  budget:
    total: 100000
    by: channel
    allocations:
      - {item: sem, share: 0.5}
      - {item: social, share: 0.3}
      - {item: email, share: 0.2}
---

# Warehouse plan

{{ kpi_table() }}

{{ budget_table() }}
"""


def write_postgres(frame: pd.DataFrame, url: str, table: str = "marts.ads_daily") -> None:
    import psycopg

    schema, name = table.split(".")
    with psycopg.connect(url, autocommit=True) as con:
        con.execute(f"create schema if not exists {schema}")
        con.execute(f"drop table if exists {schema}.{name}")
        con.execute(
            f"create table {schema}.{name} (date date, channel text, campaign text, "
            "impressions bigint, clicks bigint, spend numeric(12, 2), conversions integer, "
            "revenue double precision)"
        )
        with con.cursor() as cur, cur.copy(f"copy {schema}.{name} from stdin") as copy:
            for r in frame.itertuples(index=False):
                copy.write_row(
                    (
                        r.date.date(),
                        r.channel,
                        r.campaign,
                        int(r.impressions),
                        None if pd.isna(r.clicks) else int(r.clicks),
                        r.spend,
                        int(r.conversions),
                        float(r.revenue),
                    )
                )
