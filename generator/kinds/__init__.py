"""The blueprint kinds, one folder each (listed in :mod:`generator.kind_registry`)."""
