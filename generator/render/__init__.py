"""The render stage: deployment models → files in memory (path → bytes)."""
