"""What `planbook diff` says in its pull-request comment beyond its labels: notes about a
revision it could not read, and the wording of changes inside a goal.

Values from a revision (its name, file names, plan ids, a configuration error) are given
raw and shown with ``{x:code}``: a code span they cannot break out of, so no markup, link,
image, tag or @mention of theirs reaches the comment."""

from __future__ import annotations

from . import register

register(
    {
        "diff/no-config": (
            "{label:code} has no {file:code}: no plans are read there, so every plan counts "
            "as added or deleted.",
            "{label:code} 没有 {file:code}：那里不读取计划，所以每个计划都算作新增或删除。",
        ),
        "diff/no-plugin": (
            "{label:code} does not use the planbook plugin in {file:code}: no plans are read "
            "there, so every plan counts as added or deleted.",
            "{label:code} 的 {file:code} 没有使用 planbook 插件：那里不读取计划，所以每个计划"
            "都算作新增或删除。",
        ),
        "diff/unloadable": (
            "{label:code}: {file:code} could not be loaded: {detail:code}; its plans and review "
            "findings are not compared.",
            "{label:code}：{file:code} 无法加载：{detail:code}；其中的计划和审核问题不作比较。",
        ),
        "diff/cut": (
            "The rest of the diff ({n:~line}) is left out: a pull-request comment holds "
            "65,536 characters. `planbook diff` run locally, or with `--format json`, shows "
            "all of it.",
            "差异的其余部分（{n:,} 行）未列出：拉取请求的评论最多 65,536 个字符。在本地运行 "
            "`planbook diff`，或使用 `--format json`，可看到全部内容。",
        ),
        "diff/unsafe-config": (
            "{label:code}: {file:code} is not loaded: it constructs a Python object "
            "({detail:code}), which would run that revision's code here; its plans and review "
            "findings are not compared.",
            "{label:code}：{file:code} 未加载：其中构造了 Python 对象（{detail:code}），加载它会在本机运行"
            "该版本的代码；其中的计划和审核问题不作比较。",
        ),
        "diff/unloadable.plan": (
            "{file:code} · was **{status}**; not compared: {config:code} could not be loaded "
            "at {head:code}.",
            "{file:code} · 原为 **{status}**；未作比较：{head:code} 的 {config:code} 无法加载。",
        ),
        "diff/unloadable.heading": (" (not compared)", "（未作比较）"),
        "diff/duplicate-id": (
            "{label:code}: plan id {id:code} is used by {first:code} and {file:code}; only the "
            "first is compared.",
            "{label:code}：计划 id {id:code} 同时用于 {first:code} 和 {file:code}；只比较第一个。",
        ),
        # A goal's milestones (matched by name, else by their date or phase): ``what`` is the
        # milestone's name in emphasis, else its date or phase; values are already Markdown.
        "diff/goal-milestone": ("milestone {what} {changes}", "里程碑 {what} {changes}"),
        "diff/goal-milestone.added": (
            "milestone {what} added ({when}: {target})",
            "里程碑 {what}（{when}：{target}）新增",
        ),
        "diff/goal-milestone.removed": (
            "milestone {what} removed (was {when}: {target})",
            "里程碑 {what} 已删除（原为 {when}：{target}）",
        ),
        "diff/goal-milestone.target": ("target {old} → {new}", "目标值 {old} → {new}"),
        "diff/goal-milestone.name": ("name {old} → {new}", "名称 {old} → {new}"),
        "diff/goal-milestone.when": ("date {old} → {new}", "日期 {old} → {new}"),
        "diff/goal-milestone.owner": ("owner {old} → {new}", "负责人 {old} → {new}"),
    }
)
