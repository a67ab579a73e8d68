"""What a plan's numbers say, from the daily cube (:mod:`planbook.cube`) and the plan's
typed front matter (:mod:`planbook.model`): KPIs and their formulas, pacing and
forecast, phased targets, budget, channel breakdown, one plan evaluated
(:mod:`.evaluation`), periodic reports, plan lint, what a plan reads of its sources
(:mod:`.plan_scope`), content rhythm (:mod:`.content`) and analysis (:mod:`.analysis`).

Plain values in, plain values out: nothing here writes HTML or imports :mod:`planbook.views`,
:mod:`planbook.project` or an adapter (``tests/unit/test_layout.py``).
"""
