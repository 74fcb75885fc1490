"""Regenerating the compact ``hashicorp/aws`` schema (``python -m tools.schema.extract``)."""
