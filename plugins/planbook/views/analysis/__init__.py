"""The analysis sections (A/B tests, attribution, RFM / CLV): the shortcodes and their
labels. The computations are :mod:`planbook.metrics.analysis`."""
