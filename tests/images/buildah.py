"""buildah from Debian's packages, run daemonless: vfs storage in a temporary directory,
chroot isolation, the base image replaced by a local OCI layout (``--from``), nothing
pulled.

The rendered Dockerfile has no ``RUN``, so no process runs during the build and no
network namespace is needed: buildah 1.28 refuses ``--network none`` together with
``--isolation chroot`` ("cannot set --network other than host with --isolation chroot"),
and with no ``RUN`` there is nothing the flag would isolate. The only network access a
build of these contexts could make is the base image pull, which ``--from oci:...``
replaces with the stand-in.

:func:`unavailable` says why buildah cannot build here (not installed, or a probe build of
an empty image fails in this sandbox), so a test can state the reason instead of failing.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

ISOLATION = "chroot"


def _storage(root: Path) -> list[str]:
    return [
        "--root", str(root / "storage"), "--runroot", str(root / "run"),
        "--storage-driver", "vfs",
    ]  # fmt: skip


def unavailable() -> str | None:
    """Why buildah cannot build in this sandbox, or None when it can."""
    if shutil.which("buildah") is None:
        return (
            "buildah is not installed (make install adds it from Debian's packages when it "
            "runs as root with apt-get; otherwise the Python assembly is the proof)"
        )
    with tempfile.TemporaryDirectory(prefix="trellis-buildah-probe-") as work:
        root = Path(work)
        done = subprocess.run(
            ["buildah", *_storage(root), "from", "--name", "probe", "scratch"],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            return f"buildah cannot create a container here: {done.stderr.strip()[-500:]}"
        subprocess.run(
            ["buildah", *_storage(root), "rm", "probe"], capture_output=True, check=False
        )
    return None


def build(
    context: Path,
    base_layout: Path,
    base_ref: str,
    out_layout: Path,
    ref: str,
    *,
    platform: str,
    work: Path,
    timestamp: int = 0,
) -> subprocess.CompletedProcess[str]:
    """``buildah build`` of ``context`` onto the local base, into the OCI layout
    ``out_layout`` as ``ref``; storage under ``work``. Raises CalledProcessError with
    buildah's output when the build fails."""
    command = [
        "buildah", *_storage(work), "build",
        "--isolation", ISOLATION,
        "--timestamp", str(timestamp),
        "--platform", platform,
        "--from", f"oci:{base_layout}:{base_ref}",
        "--file", str(context / "Dockerfile"),
        "--tag", f"oci:{out_layout}:{ref}",
        str(context),
    ]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, check=True)
