"""A period's report written in Python (issue 12): the same bytes as
``sections/report.html`` renders from the same context, for every part a report may
have or lack, with hostile text and huge or missing numbers."""

from __future__ import annotations

import itertools
from types import SimpleNamespace as NS

import pytest
from bs4 import BeautifulSoup
from markupsafe import Markup

from planbook.views.render import Renderer, channel_cells
from planbook.views.render_env import environment
from planbook.views.report_html import write_report
from planbook.views.section_rows import channel_rows

XSS = "<script>alert('x')</script>"


def _kpi(kid: str, fmt: str = "number"):
    return NS(
        id=kid,
        format=fmt,
        measures=["spend", "clicks"] if kid == "cpc" else [kid],
        label=lambda language, kid=kid: f"{kid} <{language}>",
    )


def _channels(partial: bool, total: bool, columns: list):
    rows = [
        NS(key="sem", share=0.6, values={"spend": 1e300, "clicks": 10.0, "cpc": float("nan")}),
        NS(key=XSS, share=float("inf"), values={"spend": -0.0, "clicks": None, "cpc": 2.5}),
    ]
    return NS(
        columns=columns,
        rows=rows,
        total=NS(share=1.0, values={"spend": 1e300, "clicks": 10.0, "cpc": 2.5}) if total else None,
        partial={"cpc": (1, 1)} if partial else {},
    )


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_report_part_reads_as_the_template_renders_it(language):
    renderer = Renderer(language)
    fmt = renderer.formatter("CNY")
    template = environment().get_template("sections/report.html")
    registry = NS(get=lambda m: NS(label=lambda lang, m=m: f"{m} {XSS}"))
    view = NS(value_labels={"sem": f"百度 {XSS}"}, registry=registry, plan=NS(currency="CNY"))
    movers = [
        NS(
            channel="sem",
            metric="clicks",
            previous=1e19,
            value=float("nan"),
            delta=3.5,
            digits=1,
            shown_delta=3.5,
        ),
        NS(
            channel=XSS,
            metric="spend",
            previous=None,
            value=0.0,
            delta=-1e300,
            digits=0,
            shown_delta=-1e300,
        ),
        NS(channel="x", metric="x", previous=1.0, value=1.0, delta=0.0, digits=0, shown_delta=0.0),
    ]
    goal = NS(id="g", statement=f"{XSS}\n第二行")
    changes = [(goal, "on_track", "at_risk"), (goal, "no_data", "achieved")]
    recs = [NS(kind=XSS, message=lambda language: f"{language}: {XSS}")]
    all_columns = [_kpi("spend", "currency"), _kpi("clicks"), _kpi("cpc", "decimal")]
    seen = 0
    for has_data, channels, mov, chg, rec in itertools.product(
        (True, False),
        (None, "empty", "first", "all", "partial", "no-total"),
        (movers, []),
        (changes, []),
        (recs, []),
    ):
        b = None
        if channels == "empty":
            b = NS(columns=all_columns, rows=[], total=None, partial={})
        elif channels is not None:
            columns = all_columns[:1] if channels == "first" else all_columns
            b = _channels(channels == "partial", channels != "no-total", columns)
        report = NS(
            period=NS(key=f"2026-10{XSS}", label=lambda language: f"十月 {XSS}"),
            has_data=has_data,
            channels=b,
            movers=mov,
            status_changes=chg,
            recommendations=rec,
            view=view,
        )
        cells = channel_cells(b, b.columns, fmt) if b and b.rows else None
        context = {
            "report": report,
            "t": renderer.labels,
            "fmt": fmt,
            "language": language,
            "cells": cells,
            "channel_rows": channel_rows(b, cells, fmt, view.value_labels, table=False)
            if cells
            else None,
            "kpi_rows": Markup("<tr><td>ready</td></tr>\n") if has_data else "<tr>text</tr>",
        }
        if channels == "all" and mov:  # two of the channels not listed (100 in a report)
            context["hidden_rows"] = 2
        ours = write_report(**context)
        assert ours == template.render(**context)
        assert ("pb-more-rows" in ours) == ("hidden_rows" in context and bool(b and b.rows))
        assert "<script" not in ours
        soup = BeautifulSoup(ours, "html.parser")
        assert not soup.select("script")
        assert len(soup.select(".pb-movers li")) == len(mov)
        seen += 1
    assert seen == 2 * 6 * 2 * 2 * 2
