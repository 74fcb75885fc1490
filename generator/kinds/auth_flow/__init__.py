"""The ``auth_flow`` kind: blueprint model, resolve, derive, render and graph (``plugin.py``)."""
