"""A Weibo / Xiaohongshu topic opening a line of copy (`#话题# …`) is a heading to
Markdown: the page showed "话题# …" as a title, not the post (outside reading of the
example site, stop 30). The build warns on the line; `\\#话题#` publishes it as written."""

from __future__ import annotations

import logging

COPY = """---
title: 微博首发
review:
  channel: social
---
# 微博首发

#青岚Q3上市# 秋天第一缕风来了

\\#青岚Q3上市# 照原样发布
"""


def test_the_topic_line_is_warned_and_the_escaped_one_shown_as_written(build_site) -> None:
    built = build_site({"weibo.md": COPY}, strict=False)
    assert [m for m in built.logged(logging.WARNING) if "hashtag-heading" in m] == [
        "planbook: docs/weibo.md:8:1: 警告: 行首的 '#青岚Q3上市#' 会被 Markdown 当作标题显示，"
        "且去掉了 '#'；请写成 '\\#青岚Q3上市#'，话题才会照原样发布 [review/hashtag-heading]"
    ]
    soup = built.html("weibo/index.html")
    assert "#青岚Q3上市# 照原样发布" in [p.get_text() for p in soup.select("p")]
    assert "review/hashtag-heading" in soup.select_one(".pb-errors").get_text()


def test_a_site_packs_problem_names_it_relative_to_the_site(build_site) -> None:
    """Its path was printed absolute (/tmp/…/pack.yml) while pages are relative (outside
    test, stop 30)."""
    pack = "pack: acme\nrules:\n  - id: acme/x\n    patterns: ['(a+)+!']\n"
    built = build_site(
        {"weibo.md": COPY},
        {"pack.yml": pack},
        options="review_extra_packs: [data/pack.yml]",
        strict=False,
    )
    errors = [m for m in built.logged(logging.ERROR) if "review/pack" in m]
    assert errors and all(m.startswith("planbook: data/pack.yml:") for m in errors), errors
