"""Message texts are formatted once per key, language and arguments (issue 12): the
kept text is the one the arguments give, never another call's."""

from __future__ import annotations

from planbook.messages import msg, say


def test_arguments_that_compare_equal_still_read_as_written() -> None:
    # 1, 1.0 and True are equal keys in a dict; each reads its own way.
    got = [msg("section.positional", name="kpi_table", got=v) for v in (1, 1.0, True)]
    assert [m.split("got ")[1] for m in got] == ["1", "1.0", "True"]
    assert [say(m, "zh").split("给了 ")[1] for m in got] == ["1 个", "1.0 个", "True 个"]
    zeros = [msg("section.positional", name="k", got=v) for v in (0.0, -0.0, 0.0)]
    assert [m.split("got ")[1] for m in zeros] == ["0.0", "-0.0", "0.0"]


def test_dates_and_datetimes_read_as_written() -> None:
    from datetime import date, datetime

    day = msg("section.positional", name="k", got=date(2026, 9, 1))
    moment = msg("section.positional", name="k", got=datetime(2026, 9, 1))
    assert day.endswith("got 2026-09-01") and moment.endswith("got 2026-09-01 00:00:00")


def test_a_message_argument_is_said_in_the_language_each_time() -> None:
    inner_a = msg("section.positional", name="a", got=2)
    inner_b = msg("section.positional", name="b", got=2)
    outer = [
        msg("shortcode/arguments.report-failed", name="report", problem=i)
        for i in (inner_a, inner_b)
    ]
    assert [say(m, "zh") for m in outer] == [
        say(msg("shortcode/arguments.report-failed", name="report", problem=inner_a), "zh"),
        say(msg("shortcode/arguments.report-failed", name="report", problem=inner_b), "zh"),
    ]
    assert "{{ a() }}" in say(outer[0], "zh") and "{{ b() }}" in say(outer[1], "zh")
    assert "不接受位置参数" in say(outer[0], "zh")


def test_lists_and_tuples_are_formatted_each_time() -> None:
    items = ["x"]
    first = msg("section.unknown-argument", name="t", unknown=items, allowed="a")
    items.append("y")
    second = msg("section.unknown-argument", name="t", unknown=items, allowed="a")
    assert "argument x (" in first and "argument x, y (" in second
    tup = msg("section.unknown-argument", name="t", unknown=("x", 1), allowed="a")
    tup_f = msg("section.unknown-argument", name="t", unknown=("x", 1.0), allowed="a")
    assert tup != tup_f
