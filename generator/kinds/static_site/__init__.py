"""The ``static_site`` kind: blueprint model, resolve, derive, render and graph (``plugin.py``)."""
