"""The Lambda runtime that trellis bundles into each function's zip.

It must never import from ``generator``: it runs inside AWS Lambda with only its own
code and its declared third-party dependencies.
"""
