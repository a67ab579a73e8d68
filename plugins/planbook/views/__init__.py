"""Evaluated plans -> HTML (and CSV downloads): the jinja environment, the sections and
their rows, charts, the shortcodes a page holds, one page through the engine
(:mod:`.pages`) and where its sections go (:mod:`.placing`).

Views read :mod:`planbook.metrics`, :mod:`planbook.review` and the leaves (format, i18n,
messages); the adapters (plugin, CLI, macros) and :mod:`planbook.project` read views, never
the other way round (``tests/unit/test_layout.py``).
"""
