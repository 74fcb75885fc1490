"""The envelope every blueprint shares, the environment file and the common field types.

Each kind's own ``spec`` model lives in ``generator/kinds/<kind>/blueprint.py``.
"""
