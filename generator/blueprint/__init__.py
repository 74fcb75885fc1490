"""The load stage: strict YAML with positions → validated pydantic models of every file."""
