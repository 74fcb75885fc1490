"""trellis: declarative YAML blueprints rendered into deployable AWS infrastructure.

The generator is a one-way pipeline (load → resolve → derive → render → write → check);
each stage lives in its own subpackage. See ``docs/architecture.md``.
"""

__version__ = "0.1.0"
