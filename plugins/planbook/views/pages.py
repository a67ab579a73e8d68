"""One page through the engine: shortcodes found, sections rendered, diagnostics gathered.

The MkDocs adapter calls :func:`prepare` on a page's Markdown and
:func:`planbook.views.placing.fill` on the
HTML that Markdown produced; ``planbook check`` calls :func:`prepare` alone. What
:func:`prepare` returns, and how its sections are packed, is :mod:`.prepared`.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic, Severity
from ..frontmatter import UNREAD
from ..i18n import Labels
from ..messages import msg
from ..metrics.evaluation import PlanView
from ..metrics.reports import Report, build_report, parse_period, report_pages_problem
from ..review import PageReview, review_front_matter
from ..review.engine import page_in_scope
from .analysis import views as analysis
from .arguments import NoArguments  # noqa: F401  (registers the shortcodes' schemas)
from .charts import CHARTS, check_chart_arguments
from .checklist import render_checklist
from .exports import EXPORTS, export_csv, export_name
from .page_language import copy_language
from .planning import views as planning
from .portfolio import last_changes, portfolio
from .prepared import MIN_DICTIONARY as MIN_DICTIONARY  # Prepared lives in prepared.py
from .prepared import WINDOW as WINDOW
from .prepared import Deflated as Deflated
from .prepared import Prepared
from .render import SECTIONS, Renderer, defined_sections
from .shortcodes import Shortcode, check_arguments, find

if TYPE_CHECKING:
    from ..project import Page, Project

REVIEW = "review_checklist"
REPORT = "report"
PORTFOLIO = "portfolio"
KNOWN = frozenset(
    {*SECTIONS, *CHARTS, REVIEW, REPORT, PORTFOLIO, *analysis.SHORTCODES, *planning.SHORTCODES}
)

UrlFor = Callable[[str], str]
HEAD = "__head__"


def _first_line(src: Page, markdown: str) -> int:
    """Line of the page file where the Markdown handed to us starts. MkDocs strips the
    front matter and the blank lines after it, except when its own YAML loader fails
    on the front matter: then the whole file comes through."""
    body = src.front.body
    if (
        src.front.body_line > 1
        and markdown.startswith("---")
        and not body.lstrip().startswith("---")
    ):
        return 1
    return src.front.body_line + (len(body) - len(body.lstrip("\n")))


def _no_plan(call: Shortcode, src: Page) -> str | None:
    """Why a plan shortcode cannot render here; None when the plan itself is broken
    (its errors are reported already, one more per shortcode would only bury them)."""
    if "plan" in src.front.data or any(d.rule in UNREAD for d in src.front.diagnostics):
        return None  # or the front matter could not be read at all: that is the error
    return msg("shortcode/arguments.no-plan", name=call.name)


@dataclass
class Outline:
    """A page's Markdown as :func:`prepare` leaves it, before any section is rendered:
    the shortcodes replaced by tokens and the sections not placed appended under their
    headings. It depends on the page's text, its plan's front matter and evaluation,
    and the site's options, never on a section's HTML: the build gives MkDocs this
    Markdown while the page worker renders the sections (page_workers.py, issue 12)."""

    markdown: str
    calls: list[Shortcode]  # every shortcode found, in order (those with problems too)
    kinds: dict[str, str]  # token -> shortcode name: placed, then appended, in order
    appended: list[tuple[str, str]]  # (token, name) of the sections appended
    placed: set[str]  # the section names the page shows


def outline(project: Project, renderer: Renderer, src: Page, markdown: str) -> Outline:
    """The page's :class:`Outline`: what :func:`prepare` does before it renders."""
    renderer = _page_renderer(renderer, src)
    nonce = _nonce(src)
    markdown, calls = find(
        markdown,
        KNOWN,
        file=src.file,
        first_line=_first_line(src, markdown),
        token_prefix=f"PBSLOT{nonce}N",
    )
    view = project.evaluate(src)
    kinds: dict[str, str] = {}
    placed: set[str] = set()
    for call in calls:
        if not call.diagnostics:
            call.diagnostics.extend(check_arguments(call, src.file))
        if call.diagnostics:
            continue
        placed.add(call.name)
        kinds[call.token] = call.name
    defined = set(defined_sections(view)) if view is not None else set()
    if view is not None:
        defined.update(planning.defined(view))
    if review_in_scope(project, src):
        defined.add(REVIEW)
    appended: list[tuple[str, str]] = []
    if defined and project.settings.auto_append:
        extra = []
        for name in project.settings.sections:
            if name in defined and name not in placed:
                token = f"PBSLOT{nonce}A{len(extra)}Z"
                kinds[token] = name
                appended.append((token, name))
                extra.append(f"## {renderer.labels('section.' + name)}\n\n{token}\n")
        if extra:
            markdown = markdown.rstrip("\n") + "\n\n" + "\n".join(extra)
            placed.update(n for n in project.settings.sections if n in defined)
    return Outline(markdown, calls, kinds, appended, placed)


def _page_renderer(renderer: Renderer, src: Page) -> Renderer:
    """The renderer in the page's language: its plan's, else its copy's (review market)."""
    if src.plan is not None:
        return renderer.for_language(src.plan.language)
    return renderer.for_language(copy_language(src))


def _nonce(src: Page) -> str:
    """What makes a page's tokens its own (the same in every build and process)."""
    return hashlib.sha1(src.src_uri.encode()).hexdigest()[:8].upper()


def review_in_scope(project: Project, src: Page) -> bool:
    """Whether the page has a review (:func:`_review`), without running its rules."""
    s = project.settings
    return s.review_enabled and page_in_scope(src.front.data, s.review)


def prepare(
    project: Project,
    renderer: Renderer,
    src: Page,
    markdown: str,
    *,
    url_for: UrlFor,
    summary: bool = True,
    previous: Prepared | None = None,
) -> Prepared:
    """Find shortcodes, render sections (placed and appended) and gather diagnostics.

    ``previous``: the same page's last rendering, from the same text, templates, options
    and site layout (`mkdocs serve` after a data edit, which evaluates the plan again).
    Its planning sections (cadence, calendar, plan quality) are reused where what they
    are drawn from is unchanged: the plan, its as-of date, its content items, its
    plan-quality findings; everything else renders again.
    """
    shape = outline(project, renderer, src, markdown)
    renderer = _page_renderer(renderer, src)
    nonce = _nonce(src)
    out = Prepared(shape.markdown, diagnostics=list(src.diagnostics), kinds=dict(shape.kinds))
    view = project.evaluate(src)
    out.view = view
    if view is not None:
        out.diagnostics.extend(view.diagnostics)
        out.diagnostics.extend(view.quality)  # plan-quality findings (SMART lint)
        problem = report_pages_problem(view)
        if problem is not None:
            path = ("plan", "reports", "every")
            out.diagnostics.append(
                Diagnostic(
                    src.file,
                    src.front.locations.line(path),
                    "plan.reports.every",
                    "plan/too-many-reports",
                    Severity.ERROR,
                    problem,
                )
            )
    review = _review(project, src)
    out.review = review
    if review is not None:
        out.diagnostics.extend(review.diagnostics)
    s = project.settings
    out.diagnostics.extend(planning.page_diagnostics(project, src, view, s.as_of or s.today))
    for call in shape.calls:
        out.diagnostics.extend(call.diagnostics)
        if call.diagnostics:
            continue
        if call.name == REVIEW:
            out.slots[call.token] = _render_review(renderer, call, review, src, out.diagnostics)
        elif call.name == REPORT:
            out.slots[call.token] = _render_report(project, renderer, call, src, out)
        elif call.name in CHARTS:
            out.slots[call.token] = _render_chart(
                renderer, call, view, src, f"pb-chart-{nonce.lower()}-{out.charts}", out.diagnostics
            )
            out.charts += bool(out.slots[call.token])
        elif call.name in planning.SHORTCODES:
            out.lists_copy |= call.name != "plan_quality"  # calendars list copy pages
            kept = _reused(project, previous, out, call.token, call.name, call.kwargs, view)
            out.slots[call.token] = (
                kept
                if kept is not None
                else _render_planning(project, renderer, call, view, src, url_for, out.diagnostics)
            )
        elif call.name in analysis.SHORTCODES:
            if "plan" in call.kwargs:
                out.uses.add(str(call.kwargs["plan"]))
            out.slots[call.token] = _render_analysis(
                project, renderer, call, view, src, out.diagnostics
            )
        elif call.name == PORTFOLIO:
            out.lists_site = True
            out.slots[call.token] = _render_portfolio(
                project,
                renderer,
                call,
                src,
                url_for,
                f"pb-chart-{nonce.lower()}-{out.charts}",
                out.diagnostics,
            )
            out.charts += bool(out.slots[call.token])
        else:
            out.slots[call.token] = _render_call(
                renderer, call, view, src, url_for, out.diagnostics
            )
    for token, name in shape.appended:
        if name == REVIEW:
            assert review is not None
            out.slots[token] = render_checklist(review, renderer.env, renderer.language)
        elif name in planning.SHORTCODES:
            assert view is not None
            out.lists_copy |= name != "plan_quality"
            kept = _reused(project, previous, out, token, name, {}, view)
            if kept is None:
                kept, _ = planning.render(project, renderer, name, view, {}, url_for)
            out.slots[token] = kept
        else:
            assert view is not None
            out.slots[token] = (
                "" if _unevaluated(view) else renderer.section(name, view, {}, url_for)
            )
    if view is not None:
        for name in EXPORTS:
            text = export_csv(view, name, renderer.language) if name in shape.placed else None
            if text is not None:
                out.exports[export_name(view, name)] = text
    head = ""
    if view is not None and summary:
        head += renderer.plan_summary(view)
    if src.persona is not None:
        head += renderer.for_language(src.persona.language).persona_card(src.persona)
    problems = out.shown + (view.data_problems if view is not None else [])
    out.head = renderer.errors(problems) + head
    return out


def _reused(
    project: Project,
    previous: Prepared | None,
    out: Prepared,
    token: str,
    name: str,
    kwargs: dict,
    view: PlanView | None,
) -> str | None:
    """A planning section's HTML from ``previous`` when it was drawn from the same inputs
    (recorded in ``out.inputs`` either way); None: render it. An empty section (it had a
    problem, reported with a diagnostic) always renders again."""
    if view is None:
        return None
    if name == "plan_quality":
        inputs: tuple = (name, view.page.digest, tuple(view.quality))
    else:
        items, _ = planning.plan_items(project, view)
        # the items themselves (an immutable tuple): no copy of every item per section
        inputs = (name, view.page.digest, planning.judged_at(view), items)
    inputs += (repr(sorted(kwargs.items())),)
    out.inputs[token] = inputs
    if (
        previous is None
        or previous.kinds.get(token) != name
        or previous.inputs.get(token) != inputs
        or not previous.slots.get(token)
    ):
        return None
    return previous.slots[token]


def _review(project: Project, src: Page) -> PageReview | None:
    """The page's review, once per build (the portfolio asks for every plan's)."""
    s = project.settings
    if not s.review_enabled:
        return None
    key = ("review", src.src_uri, src.digest)
    if key not in project.memo:
        project.memo[key] = _run_review(project, src)
    return project.memo[key]  # type: ignore[return-value]


def _run_review(project: Project, src: Page) -> PageReview:
    s = project.settings
    ruleset, _ = project.ruleset()
    config = s.review
    if src.plan is not None and src.plan.language == "en":
        # An English plan is English copy unless its review spec says otherwise.
        config = dataclasses.replace(config, market="en")
    return review_front_matter(
        src.front,
        file=src.file,
        ruleset=ruleset,
        config=config,
        today=s.today or s.as_of or date.min,
        plan_status=src.plan.status if src.plan is not None else None,
        utm=analysis.utm_taxonomy(project),
    )


def prepare_file(
    project: Project, renderer: Renderer, src: Page, *, summary: bool = True
) -> Prepared:
    """:func:`prepare` on a page read from disk, outside MkDocs (``planbook check``,
    ``planbook diff``): the body as MkDocs would hand it over, links left as written."""
    return prepare(
        project, renderer, src, src.front.body.lstrip("\n"), url_for=lambda u: u, summary=summary
    )


def _render_review(
    renderer: Renderer,
    call: Shortcode,
    review: PageReview | None,
    src: Page,
    diags: list[Diagnostic],
) -> str:
    problem = None
    if call.args or call.kwargs:
        problem = msg("shortcode/arguments.no-arguments", name=REVIEW)
    elif review is None or not review.in_scope:
        problem = msg("shortcode/arguments.review-scope", name=REVIEW)
    if problem is not None:
        diags.append(
            Diagnostic(src.file, call.line, None, "shortcode/arguments", Severity.ERROR, problem)
        )
        return ""
    assert review is not None
    return render_checklist(review, renderer.env, renderer.language)


def report_for(project: Project, plan_id: str, key: str) -> Report:
    """The report of plan ``plan_id`` for period ``key`` (raises ValueError with a message)."""
    page = project.plans.get(plan_id)
    if page is None and plan_id in project.broken_plans:
        raise ValueError(
            msg("report.broken-plan", id=plan_id, file=project.broken_plans[plan_id].file)
        )
    if page is None:
        known = ", ".join(sorted(project.plans)) or msg("none")
        raise ValueError(msg("report.unknown-plan", id=plan_id, known=known))
    view = project.evaluate(page)
    assert view is not None
    every = view.plan.reports.every if view.plan.reports else None
    period = parse_period(key, every, view.plan.first_weekday)
    spec = view.plan.reports
    s = project.settings
    return build_report(
        view,
        period,
        pacing=s.pacing,
        roi_threshold=spec.roi_threshold if spec else 0.0,
        shift_share=spec.shift_share if spec else 0.2,
        budget_tolerance=s.budget_tolerance,
        dimension=s.channel_dimension,
        language=view.plan.language or Labels(s.language).language,
    )


def _render_report(
    project: Project, renderer: Renderer, call: Shortcode, src: Page, out: Prepared
) -> str:
    diags = out.diagnostics
    kwargs = dict(call.kwargs)
    if call.args:
        kwargs.setdefault("period", call.args[0])
    plan_id = kwargs.pop("plan", src.plan.id if src.plan else None)
    key = kwargs.pop("period", None)
    problem = None
    if kwargs or len(call.args) > 1:
        problem = msg("shortcode/arguments.report-only", name=REPORT)
    elif not plan_id or not key:
        problem = msg("shortcode/arguments.report-needs", name=REPORT)
    if problem is None:
        try:
            report = report_for(project, str(plan_id), str(key))
        except ValueError as e:
            problem = msg("shortcode/arguments.report-failed", name=REPORT, problem=e.args[0])
    if problem is not None:
        diags.append(
            Diagnostic(src.file, call.line, None, "shortcode/arguments", Severity.ERROR, problem)
        )
        return ""
    renderer = renderer.for_language(report.view.plan.language)
    cadence = planning.report_cadence(
        project, renderer, report.view, report.period.start, report.period.end
    )
    out.uses.add(report.view.plan.id)
    out.lists_copy |= bool(cadence)  # the cadence counts the site's copy pages
    return renderer.report(report) + cadence


def _render_chart(
    renderer: Renderer,
    call: Shortcode,
    view: PlanView | None,
    src: Page,
    chart_id: str,
    diags: list[Diagnostic],
) -> str:
    if view is None:
        problem = _no_plan(call, src)
        if problem is None:
            return ""
    else:
        problem = check_chart_arguments(call.name, call.args, call.kwargs, view)
    if problem is not None:
        diags.append(
            Diagnostic(src.file, call.line, None, "shortcode/arguments", Severity.ERROR, problem)
        )
        return ""
    assert view is not None
    from .charts import render_chart  # the figure code loads with a site's first chart

    return render_chart(
        call.name,
        view,
        call.args,
        call.kwargs,
        env=renderer.env,
        language=renderer.language,
        chart_id=chart_id,
    )


def _render_analysis(
    project: Project,
    renderer: Renderer,
    call: Shortcode,
    view: PlanView | None,
    src: Page,
    diags: list[Diagnostic],
) -> str:
    if view is None and "plan" not in call.kwargs and _no_plan(call, src) is None:
        return ""  # the page's plan is broken: its errors are reported already
    return analysis.render(project, renderer, call, view, src, diags)


def _render_planning(
    project: Project,
    renderer: Renderer,
    call: Shortcode,
    view: PlanView | None,
    src: Page,
    url_for: UrlFor,
    diags: list[Diagnostic],
) -> str:
    problem = None
    if view is None:
        problem = _no_plan(call, src)
        if problem is None:
            return ""  # the page's plan is broken: its errors are reported already
    else:
        html, problem = planning.render(project, renderer, call.name, view, call.kwargs, url_for)
    if problem is not None:
        diags.append(
            Diagnostic(src.file, call.line, None, "shortcode/arguments", Severity.ERROR, problem)
        )
        return ""
    return html


def _render_portfolio(
    project: Project,
    renderer: Renderer,
    call: Shortcode,
    src: Page,
    url_for: UrlFor,
    chart_id: str,
    diags: list[Diagnostic],
) -> str:
    if call.args or set(call.kwargs) - {"status", "owner"}:
        diags.append(
            Diagnostic(
                src.file,
                call.line,
                None,
                "shortcode/arguments",
                Severity.ERROR,
                msg("shortcode/arguments.portfolio", name=PORTFOLIO),
            )
        )
        return ""
    key = ("git-last-change",)
    if key not in project.memo:
        files = [p.file for p in project.plans.values()]
        project.memo[key] = last_changes(project.settings.root, files)
    changes = project.memo[key]
    rows, totals = portfolio(project, lambda p: _review(project, p), changes)  # type: ignore[arg-type]
    from .charts import portfolio_figure, render_figures

    chart = render_figures(
        [portfolio_figure(rows, renderer.language)],
        env=renderer.env,
        language=renderer.language,
        chart_id=chart_id,
        kind="portfolio",
    )
    return renderer.portfolio(rows, totals, url_for, call.kwargs) + chart


def _render_call(
    renderer: Renderer,
    call: Shortcode,
    view: PlanView | None,
    src: Page,
    url_for: UrlFor,
    diags: list[Diagnostic],
) -> str:
    problem = renderer.check_arguments(call.name, call.args, call.kwargs)
    if problem is None and view is None:
        problem = _no_plan(call, src)
        if problem is None:
            return ""
    if problem is not None:
        diags.append(
            Diagnostic(src.file, call.line, None, "shortcode/arguments", Severity.ERROR, problem)
        )
        return ""
    if _unevaluated(view):
        return ""  # the page's error box says why; no section to draw from
    unknown = renderer.check_ids(call.name, view, call.kwargs)
    if unknown is not None:  # the section is drawn with the ids it knows
        diags.append(
            Diagnostic(src.file, call.line, None, "shortcode/arguments", Severity.ERROR, unknown)
        )
    return renderer.section(call.name, view, call.kwargs, url_for)


def _unevaluated(view: PlanView | None) -> bool:
    """A plan whose evaluation failed (``plan/internal-error``): its sections are empty."""
    return view is not None and any(d.rule == "plan/internal-error" for d in view.diagnostics)
