"""The ``trellis`` command line: a thin click group, one file per command."""
