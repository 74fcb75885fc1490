"""Third-party actions the workflows use, pinned by full commit SHA.

Each SHA was read from the action's repository as the commit its release tag points to;
the tag is written beside the pin as a comment. Updating an action is editing one line
here and regenerating the golden snapshots.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PinnedAction:
    """An action reference ``owner/repo[/path]@sha`` with the release it corresponds to."""

    name: str
    sha: str
    version: str

    @property
    def ref(self) -> str:
        """The value of a step's ``uses:``."""
        return f"{self.name}@{self.sha}"


CHECKOUT = PinnedAction("actions/checkout", "3d3c42e5aac5ba805825da76410c181273ba90b1", "v7.0.1")
SETUP_PYTHON = PinnedAction(
    "actions/setup-python", "5fda3b95a4ea91299a34e894583c3862153e4b97", "v7.0.0"
)
SETUP_TERRAFORM = PinnedAction(
    "hashicorp/setup-terraform", "dfe3c3f87815947d99a8997f908cb6525fc44e9e", "v4.0.1"
)
SETUP_NODE = PinnedAction(
    "actions/setup-node", "820762786026740c76f36085b0efc47a31fe5020", "v7.0.0"
)
CACHE = PinnedAction("actions/cache", "27d5ce7f107fe9357f9df03efb73ab90386fccae", "v5.0.5")
CONFIGURE_AWS_CREDENTIALS = PinnedAction(
    "aws-actions/configure-aws-credentials", "e6de054238d6b7531b4efff3b6587d9aade6a06c", "v6.2.3"
)
UPLOAD_ARTIFACT = PinnedAction(
    "actions/upload-artifact", "bbbca2ddaa5d8feaa63e36b76fdaad77386f024f", "v7.0.0"
)
DOWNLOAD_ARTIFACT = PinnedAction(
    "actions/download-artifact", "3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c", "v8.0.1"
)
UPLOAD_SARIF = PinnedAction(
    "github/codeql-action/upload-sarif", "8aad20d150bbac5944a9f9d289da16a4b0d87c1e", "v4.36.2"
)

ALL = (
    CHECKOUT,
    SETUP_PYTHON,
    SETUP_NODE,
    CACHE,
    SETUP_TERRAFORM,
    CONFIGURE_AWS_CREDENTIALS,
    UPLOAD_ARTIFACT,
    DOWNLOAD_ARTIFACT,
    UPLOAD_SARIF,
)
