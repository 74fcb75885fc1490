"""The image context of a package: image blueprint: bundle files + a pinned Dockerfile."""

from __future__ import annotations

from pathlib import PurePosixPath

from generator.bundle.archive import deterministic_zip
from generator.images import base_image, context_digest, image_context
from generator.images.context import bundle_files
from tests.render.support import fixed_bundle, render_repo

ORDERS = PurePosixPath("images/orders")


def _context(tree: dict[PurePosixPath, bytes]) -> dict[str, bytes]:
    return {
        path.relative_to(ORDERS).as_posix(): data
        for path, data in tree.items()
        if path.is_relative_to(ORDERS)
    }


def test_render_writes_bundle_files_and_dockerfile_for_the_image_blueprint() -> None:
    """orders (package: image) gets build/images/orders/ = app/<zip files> + Dockerfile."""
    bundle = fixed_bundle()
    context = _context(render_repo().tree)
    expected = {f"app/{name}" for name in bundle_files(bundle.data)} | {"Dockerfile"}
    assert set(context) == expected
    for name, data in bundle_files(bundle.data).items():
        assert context[f"app/{name}"] == data


def test_only_image_blueprints_get_a_context() -> None:
    """Zip blueprints (events, tickets) render no image context."""
    contexts = {p.parts[1] for p in render_repo().tree if p.parts[0] == "images"}
    assert contexts == {"orders"}


def test_dockerfile_pins_the_reviewed_base_by_digest_with_platform_and_handler() -> None:
    """FROM --platform=linux/arm64 <image>@<reviewed digest>, COPY app/, CMD the process handler."""
    dockerfile = _context(render_repo().tree)["Dockerfile"].decode()
    base = base_image("python3.13", "arm64")
    instructions = [line for line in dockerfile.splitlines() if not line.startswith("#")]
    assert instructions == [
        f"FROM --platform=linux/arm64 {base.image}@{base.digest}",
        "COPY app/ ${LAMBDA_TASK_ROOT}/",
        'CMD ["runtime.ingest.process.handler"]',
    ]
    assert "RUN" not in dockerfile.split()
    assert "latest" not in dockerfile


def test_rendering_twice_gives_byte_identical_contexts() -> None:
    """Two renders give the same context bytes, and so the same stand-in digest."""
    one, two = _context(render_repo().tree), _context(render_repo().tree)
    assert one == two
    assert context_digest(one) == context_digest(two)


def test_a_changed_bundle_changes_the_context_and_its_digest() -> None:
    """One changed runtime byte changes app/ and the stand-in digest; the Dockerfile stays."""
    base = base_image("python3.13", "arm64")
    zip_one = deterministic_zip({"runtime/a.py": b"1"})
    zip_two = deterministic_zip({"runtime/a.py": b"2"})
    one = image_context("orders", zip_one, base, "runtime.h")
    two = image_context("orders", zip_two, base, "runtime.h")
    assert one[ORDERS / "Dockerfile"] == two[ORDERS / "Dockerfile"]
    rel = {str(p): d for p, d in one.items()}
    rel_two = {str(p): d for p, d in two.items()}
    assert context_digest(rel) != context_digest(rel_two)
