"""The planning sections of a plan page: plan quality (SMART lint findings), the content
calendar and the cadence table. The engines are :mod:`planbook.lint`,
:mod:`planbook.targets` and :mod:`planbook.content`; this package renders them."""
