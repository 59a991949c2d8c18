"""A second path for the parts nearly every return consists of, kept for speed alone.

``reader/sheet.py`` and ``reader/strings.py`` are *the* parsers: they read every part,
decide every refusal and are the rule. For a worksheet part or shared-strings table written
the way spreadsheet applications write them, this package reads the same thing about twice
as fast (benchmarks/README.md, "One reader"): it checks the part well-formed with expat
and reads it with regular expressions, and declines — having changed nothing — whenever a
piece is not in the shape it knows; the caller then hands the part to the parser.

``read_xlsx(path, fast=False)`` reads without this package.
``tests/test_reader_accel.py`` compares the two, part by part (cells, merges, protection,
validations, every count of the budget), over the hostile corpus, returns saved by
LibreOffice and in Excel's style, and unusual and randomly edited parts.
"""
