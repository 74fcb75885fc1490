"""Regenerating the offline provider's protobuf modules (``python -m tools.proto.regenerate``)."""
