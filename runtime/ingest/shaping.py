"""Shaping: a raw source record becomes the item stored, close to the source.

Each output field is read from the raw record by a dot path (``amount.total``; a numeric
segment indexes a list, ``lines.0.sku``). A field whose path is absent is stored as
``null``; the key field must be present and a string or an integer, because it becomes
the DynamoDB partition key (always stored as a string).
"""

from __future__ import annotations

from dataclasses import dataclass

from runtime.core.settings import ShapeSettings
from runtime.ingest.change_hash import change_hash
from runtime.ingest.exceptions import MalformedRecordError
from runtime.ingest.paths import MISSING, dot_path

__all__ = ["ShapedRecord", "Shaper"]


@dataclass(frozen=True)
class ShapedRecord:
    """A shaped record: its key, its fields and the hash of its meaningful content."""

    key: str
    fields: dict[str, object]
    change_hash: str


class Shaper:
    """Applies one blueprint's ``spec.shape`` to raw records."""

    def __init__(self, shape: ShapeSettings) -> None:
        self.shape = shape

    def shape_record(self, raw: object) -> ShapedRecord:
        """Shape ``raw``.

        Raises:
            MalformedRecordError: ``raw`` is not a JSON object, or its key is missing,
                null, empty, or not a string or integer.
        """
        if not isinstance(raw, dict):
            raise MalformedRecordError(f"record is a JSON {type(raw).__name__}, not an object")
        fields: dict[str, object] = {}
        for name, path in self.shape.fields:
            value = dot_path(raw, path)
            fields[name] = None if value is MISSING else value
        key = fields[self.shape.key]
        key_path = dict(self.shape.fields)[self.shape.key]
        if isinstance(key, bool) or not isinstance(key, str | int) or key == "":
            raise MalformedRecordError(
                f"key field {self.shape.key!r} (path {key_path!r}) is {key!r}; "
                "it must be a non-empty string or an integer"
            )
        fields[self.shape.key] = str(key)
        return ShapedRecord(
            key=str(key),
            fields=fields,
            change_hash=change_hash(fields, self.shape.ignore_for_change),
        )
