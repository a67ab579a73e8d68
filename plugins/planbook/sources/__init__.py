"""Reading metric sources: encodings, layout, readers, xlsx, export profiles, values.

The flow for one file: :mod:`.encoding` tells the encoding, :mod:`.layout` finds the
header below any preamble, :mod:`.reader` reads the body (pyarrow fast path or the
exact ``csv`` path; :mod:`.xlsx` for workbooks), :mod:`.profiles` names the export
and maps its columns, and :mod:`.convert` applies the row rules. The entry point is
:class:`planbook.data.DataStore`.
"""
