"""Repository settings (``trellis.yaml``): how the generated CI installs trellis."""

from __future__ import annotations

from generator.settings.loader import collect_settings, load_settings
from generator.settings.model import FILE_NAME, CiSettings, GitSource, Settings, TrellisSource

__all__ = [
    "FILE_NAME",
    "CiSettings",
    "GitSource",
    "Settings",
    "TrellisSource",
    "collect_settings",
    "load_settings",
]
