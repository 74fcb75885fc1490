"""Lambda bundles: the runtime package and its dependencies in one deterministic zip.

Public face: :func:`build_runtime_bundle` returns a :class:`Bundle` (named by content
hash, with the base64 SHA-256 Terraform's ``source_code_hash`` wants); :data:`HANDLERS`
names the handler string of each function that runs from it; :func:`build_auth_bundle`
and :data:`AUTH_HANDLERS` are the same for the AuthFlow functions.
"""

from generator.bundle.build import (
    AUTH_HANDLERS,
    HANDLERS,
    Bundle,
    BundleBuildError,
    build_auth_bundle,
    build_runtime_bundle,
)

__all__ = [
    "AUTH_HANDLERS",
    "HANDLERS",
    "Bundle",
    "BundleBuildError",
    "build_auth_bundle",
    "build_runtime_bundle",
]
