"""Maintainer tools of the plan review (not packaged): the holdings table's proposals."""
