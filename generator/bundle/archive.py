"""Deterministic zip archives: the same files give the same bytes on every machine.

Entries are sorted by name, every timestamp is 1980-01-01 00:00:00 (the zip epoch), every
file is a regular file with mode 0644 made on "Unix", compression is deflate level 9, and
no directory entries or extra fields are written. What can still differ between machines
is the deflate output itself if a machine's zlib is not the reference zlib (zlib-ng, for
example); CI and the benchmark compare builds to catch that.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping

__all__ = ["FIXED_DATE", "deterministic_zip"]

FIXED_DATE = (1980, 1, 1, 0, 0, 0)
_REGULAR_FILE_0644 = 0o100644 << 16
_UNIX = 3


def deterministic_zip(files: Mapping[str, bytes]) -> bytes:
    """A zip of ``files`` (archive name → content) with fixed metadata.

    Raises:
        ValueError: a name is absolute, contains ``..`` or a backslash.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            if name.startswith("/") or "\\" in name or ".." in name.split("/"):
                raise ValueError(f"unsafe archive name {name!r}")
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
            info.external_attr = _REGULAR_FILE_0644
            info.create_system = _UNIX
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[name], compresslevel=9)
    return buffer.getvalue()
