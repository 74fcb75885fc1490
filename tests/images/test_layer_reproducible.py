"""The image context builds, daemonless and offline, into an application layer that holds
exactly the bundle's files, the same bytes every time.

Two builders, each onto a stand-in base made here as an OCI layout (never pulled):

* buildah from Debian's packages (``make install`` adds it when run as root with apt-get),
  vfs storage in a temporary directory, chroot isolation, ``--from oci:<stand-in>``;
  when it cannot run in this sandbox its tests are skipped with the reason buildah gave;
* the Python assembly of :mod:`tests.images.oci` (the same Dockerfile, read instruction by
  instruction), which always runs, so the layer's content and reproducibility are proven
  even where no builder runs.

skopeo and umoci (same Debian packages) inspect and unpack the results where installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from generator.bundle import Bundle
from generator.images import base_image, image_context
from generator.images.context import bundle_files
from tests.bundle.conftest import bundle, shared_dir, wheelhouse
from tests.images import buildah, oci

__all__ = ["bundle", "shared_dir", "wheelhouse"]

BASE_REF = "base"
ARCHITECTURE = "arm64"
SOURCE_DATE_EPOCH = 1_764_633_600  # a commit's date, as the deploy workflow passes it


def _write_context(bundle: Bundle, target: Path, mode: int = 0o644) -> Path:
    """The rendered context of a blueprint written like `trellis render` writes it."""
    base = base_image("python3.13", ARCHITECTURE)
    for path, data in image_context("orders", bundle.data, base, "app.handler").items():
        file = target / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(data)
        file.chmod(mode)
    return target / "images" / "orders"


def _touch_everything(context: Path, when: int) -> None:
    """Give every file another mtime, as a fresh checkout on another day would."""
    for path in context.rglob("*"):
        os.utime(path, (when, when))


@pytest.fixture(scope="module")
def stand_in_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny Lambda-shaped base (bootstrap, entrypoint, LAMBDA_TASK_ROOT) as an OCI layout."""
    layout = tmp_path_factory.mktemp("base") / "layout"
    oci.make_stand_in_base(layout, ARCHITECTURE, BASE_REF)
    return layout


def _expected_files(bundle: Bundle) -> dict[str, bytes]:
    return {f"var/task/{name}": data for name, data in bundle_files(bundle.data).items()}


def _app_layer(image: oci.Image) -> bytes:
    return image.layers[-1][1]


def _assert_layer_is_the_bundle(layer: bytes, bundle: Bundle, mtime: int) -> None:
    """Exactly the zip's files under /var/task (plus their directories), same bytes,
    0:0, dated ``mtime``, files 0644 and directories 0755."""
    assert oci.layer_files(layer) == _expected_files(bundle)
    entries = oci.layer_entries(layer)
    directories = {name for name, info in entries.items() if info.isdir()}
    assert set(entries) - directories == set(_expected_files(bundle))
    assert all(name == "var" or name.startswith("var/task") for name in directories)
    for name, info in entries.items():
        assert (info.uid, info.gid, int(info.mtime)) == (0, 0, mtime), name
        permissions = info.mode & 0o7777  # buildah also writes the type bits
        assert permissions == (0o755 if info.isdir() else 0o644), (name, oct(info.mode))
        assert info.type in (tarfile.DIRTYPE, tarfile.REGTYPE), name


def test_python_assembly_layer_holds_exactly_the_bundle_files(
    bundle: Bundle, stand_in_base: Path, tmp_path: Path
) -> None:
    """The assembled application layer is the zip's file list and bytes under /var/task."""
    context = _write_context(bundle, tmp_path / "build")
    oci.assemble_image(
        context, stand_in_base, BASE_REF, tmp_path / "out", "orders", SOURCE_DATE_EPOCH
    )
    image = oci.read_image(tmp_path / "out", "orders")
    _assert_layer_is_the_bundle(_app_layer(image), bundle, SOURCE_DATE_EPOCH)
    base = oci.read_image(stand_in_base, BASE_REF)
    assert [d for d, _ in image.layers[:-1]] == [d for d, _ in base.layers]
    assert image.config["config"]["Cmd"] == ["app.handler"]
    assert image.config["architecture"] == ARCHITECTURE


def test_python_assembly_twice_gives_the_same_layer_config_and_manifest(
    bundle: Bundle, stand_in_base: Path, tmp_path: Path
) -> None:
    """Two checkouts (other mtimes, other file modes on disk) assemble to identical digests."""
    first = _write_context(bundle, tmp_path / "one")
    second = _write_context(bundle, tmp_path / "two", mode=0o664)
    _touch_everything(second, 2_000_000_000)
    digests = [
        oci.assemble_image(ctx, stand_in_base, BASE_REF, tmp_path / f"out{i}", "orders", 0)
        for i, ctx in enumerate((first, second))
    ]
    one, two = (oci.read_image(tmp_path / f"out{i}", "orders") for i in range(2))
    assert one.layers[-1][0] == two.layers[-1][0]
    assert one.config_digest == two.config_digest
    assert digests[0] == digests[1] == one.manifest_digest


def test_python_assembly_refuses_what_the_dockerfile_would_run(
    bundle: Bundle, stand_in_base: Path, tmp_path: Path
) -> None:
    """A RUN (network, builder-dependent output) is not silently skipped: DockerfileError."""
    context = _write_context(bundle, tmp_path / "build")
    dockerfile = context / "Dockerfile"
    dockerfile.write_text(dockerfile.read_text("utf-8") + "RUN pip install x\n", "utf-8")
    with pytest.raises(oci.DockerfileError, match="RUN is not assembled"):
        oci.assemble_image(context, stand_in_base, BASE_REF, tmp_path / "out", "orders")


@pytest.fixture(scope="module")
def buildah_ready() -> None:
    """buildah can build here; otherwise the test is skipped with buildah's own reason."""
    reason = buildah.unavailable()
    if reason is not None:
        pytest.skip(reason)


def _buildah(context: Path, base: Path, out: Path, work: Path, timestamp: int) -> oci.Image:
    buildah.build(
        context, base, BASE_REF, out, "orders",
        platform=f"linux/{ARCHITECTURE}", work=work, timestamp=timestamp,
    )  # fmt: skip
    return oci.read_image(out, "orders")


@pytest.mark.usefixtures("buildah_ready")
def test_buildah_layer_holds_exactly_the_bundle_files(
    bundle: Bundle, stand_in_base: Path, tmp_path: Path
) -> None:
    """buildah's application layer is the zip's files under /var/task, dated --timestamp."""
    context = _write_context(bundle, tmp_path / "build")
    image = _buildah(context, stand_in_base, tmp_path / "out", tmp_path / "work", 0)
    layer = _app_layer(image)
    # buildah keeps the modes the checkout gave the files (git: 0644), dates them 0.
    _assert_layer_is_the_bundle(layer, bundle, 0)
    assert image.config["architecture"] == ARCHITECTURE
    assert image.config["config"]["Cmd"] == ["app.handler"]
    assert len(image.layers) == len(oci.read_image(stand_in_base, BASE_REF).layers) + 1


@pytest.mark.usefixtures("buildah_ready")
def test_buildah_twice_gives_the_same_layer_and_image_digest(
    bundle: Bundle, stand_in_base: Path, tmp_path: Path
) -> None:
    """Two builds from two checkouts (other mtimes) and fresh storage: same digests."""
    first = _write_context(bundle, tmp_path / "one")
    second = _write_context(bundle, tmp_path / "two")
    _touch_everything(second, 2_000_000_000)
    one = _buildah(first, stand_in_base, tmp_path / "out1", tmp_path / "work1", 0)
    two = _buildah(second, stand_in_base, tmp_path / "out2", tmp_path / "work2", 0)
    assert one.layers[-1][0] == two.layers[-1][0]
    assert one.config_digest == two.config_digest
    assert one.manifest_digest == two.manifest_digest


@pytest.mark.usefixtures("buildah_ready")
def test_skopeo_and_umoci_read_the_buildah_image(
    bundle: Bundle, stand_in_base: Path, tmp_path: Path
) -> None:
    """skopeo inspects the built layout; umoci unpacks it: /var/task is the bundle, the
    stand-in base's runtime is underneath."""
    for tool in ("skopeo", "umoci"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (Debian package {tool}; make install adds it)")
    context = _write_context(bundle, tmp_path / "build")
    image = _buildah(context, stand_in_base, tmp_path / "out", tmp_path / "work", 0)
    inspected = subprocess.run(
        ["skopeo", "inspect", f"oci:{tmp_path / 'out'}:orders"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert f'"Digest": "{image.manifest_digest}"' in inspected
    assert '"Architecture": "arm64"' in inspected
    unpacked = tmp_path / "unpacked"
    subprocess.run(
        ["umoci", "unpack", "--image", f"{tmp_path / 'out'}:orders", str(unpacked)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    rootfs = unpacked / "rootfs"
    task = {
        path.relative_to(rootfs).as_posix(): path.read_bytes()
        for path in sorted((rootfs / "var" / "task").rglob("*"))
        if path.is_file() and path.name != ".keep"
    }
    assert task == _expected_files(bundle)
    assert (rootfs / "var" / "runtime" / "bootstrap").is_file()
