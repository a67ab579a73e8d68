"""What changed between two versions of a site: plans, goals, budgets, risks, findings.

Plain Python, no MkDocs and no click. :func:`snapshot` reads one version of a site
through the engine (every page scanned, every plan evaluated, every page reviewed);
:func:`diff_sites` compares two snapshots; :func:`render_markdown` and
:func:`to_json` present the result. :func:`export_revision` puts the files of a git
revision into a folder without touching the user's checkout (``git archive``).

Plans are matched by ``plan.id`` (so a plan may move to another file), goals and
risks by id, allocations by item, personas by id, phases by name (and each phase's
goals by id). Review findings
are matched by page, rule and matched text, never by line, so moving text is not a
change.
"""

from .compare import Change, ItemDiff, PageDiff, PlanDiff, SiteDiff, diff_sites
from .git import RevisionError, export_revision, git_toplevel, has_file, resolve_revision
from .jsonout import to_json
from .markdown import render_markdown, summary_line
from .revision_config import UnsafeConfig, made_harmless
from .snapshot import FindingRecord, PlanSnapshot, SiteSnapshot, snapshot

__all__ = [
    "Change",
    "FindingRecord",
    "ItemDiff",
    "PageDiff",
    "PlanDiff",
    "PlanSnapshot",
    "RevisionError",
    "SiteDiff",
    "SiteSnapshot",
    "UnsafeConfig",
    "diff_sites",
    "export_revision",
    "git_toplevel",
    "has_file",
    "made_harmless",
    "render_markdown",
    "resolve_revision",
    "snapshot",
    "summary_line",
    "to_json",
]
