"""The blueprint kinds: one module per ``kind``, each a pydantic model of its ``spec``."""
