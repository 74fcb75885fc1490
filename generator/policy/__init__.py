"""The vocabulary that checking, rendering and reviewing share, below all three.

``findings`` (the one :class:`Finding` type and its severities), ``skips`` (the reviewed
table of checkov skips and the module-block addresses they name) and ``sources`` (where
the built-in, organisation and ``--policies`` checks live, and the checkov executable).
"""
