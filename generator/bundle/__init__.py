"""Lambda bundles: the runtime package and its dependencies in one deterministic zip.

Public face: :func:`build_runtime_bundle` returns a :class:`Bundle` (named by content
hash, with the base64 SHA-256 Terraform's ``source_code_hash`` wants); :data:`HANDLERS`
names the handler string of each function that runs from it.
"""

from generator.bundle.build import HANDLERS, Bundle, BundleBuildError, build_runtime_bundle

__all__ = ["HANDLERS", "Bundle", "BundleBuildError", "build_runtime_bundle"]
