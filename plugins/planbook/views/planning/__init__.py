"""The planning sections of a plan page: plan quality (SMART lint findings), the content
calendar and the cadence table. The engines are :mod:`planbook.metrics.lint`,
:mod:`planbook.metrics.targets` and :mod:`planbook.metrics.content`; this package renders them."""
