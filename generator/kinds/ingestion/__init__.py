"""The ``ingestion`` kind: blueprint model, resolve, derive, render and graph (``plugin.py``)."""
