"""The symlink mirrors Terraform runs in: faithful to the rendered tree, fresh per stack,
and laid out in time linear in the number of stacks (the level holding the stacks once)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.offline_provider.mirror import MirrorTree
from generator.offline_provider.workspace import scan_stack


def _tree(root: Path, stacks: int) -> Path:
    """``build/`` with one module, one bundle and ``stacks`` stacks in ``dev/``."""
    build = root / "build"
    (build / "modules" / "queue").mkdir(parents=True)
    (build / "modules" / "queue" / "main.tf").write_text('resource "aws_sqs_queue" "q" {}\n')
    (build / "bundles").mkdir()
    (build / "bundles" / "x.zip").write_bytes(b"zip")
    for index in range(stacks):
        stack = build / "dev" / f"s{index:03d}"
        stack.mkdir(parents=True)
        (stack / "main.tf").write_text('module "q" {\n  source = "../../modules/queue"\n}\n')
        (stack / "variables.tf").write_text('variable "v" {}\n')
    return build


def _files(directory: Path) -> list[str]:
    return sorted(p.relative_to(directory).as_posix() for p in directory.rglob("*"))


def test_a_mirror_resolves_like_the_tree_and_writes_nothing_into_it(tmp_path: Path) -> None:
    build = _tree(tmp_path, 2)
    before = _files(build)
    tree = MirrorTree(tmp_path / "scratch")
    stack = build / "dev" / "s000"
    with tree.stack(stack, scan_stack(stack)) as mirror:
        assert mirror.stack.is_dir() and not mirror.stack.is_symlink()
        assert (mirror.stack / "main.tf").read_text() == (stack / "main.tf").read_text()
        assert (mirror.stack / "../../modules/queue/main.tf").is_file()
        assert (mirror.stack / "../../bundles/x.zip").read_bytes() == b"zip"
        assert (mirror.stack / "../s001/main.tf").is_file()  # a sibling resolves too
        (mirror.stack / ".terraform").mkdir()
        (mirror.stack / ".terraform" / "modules.json").write_text("{}")
        assert mirror.real_path("main.tf") == stack / "main.tf"
    assert _files(build) == before


def test_each_stack_starts_fresh_and_the_levels_above_are_kept(tmp_path: Path) -> None:
    build = _tree(tmp_path, 2)
    tree = MirrorTree(tmp_path / "scratch")
    first, second = build / "dev" / "s000", build / "dev" / "s001"
    with tree.stack(first, scan_stack(first)) as mirror:
        (mirror.stack / ".terraform").mkdir()
        level = mirror.stack.parent
    assert (level / "s000").is_symlink()  # put back as it was
    with tree.stack(second, scan_stack(second)) as mirror:
        assert mirror.stack.parent == level
        assert (level / "s000" / "main.tf").is_file()
    with tree.stack(first, scan_stack(first)) as mirror:
        assert not (mirror.stack / ".terraform").exists()


def test_a_stack_without_modules_is_its_own_root_and_still_fresh(tmp_path: Path) -> None:
    stack = tmp_path / "alone"
    stack.mkdir()
    (stack / "main.tf").write_text('resource "aws_sqs_queue" "q" {}\n')
    tree = MirrorTree(tmp_path / "scratch")
    for _ in range(2):
        with tree.stack(stack, scan_stack(stack)) as mirror:
            assert not (mirror.stack / "terraform.tfstate").exists()
            (mirror.stack / "terraform.tfstate").write_text("{}")
            assert (mirror.stack / "main.tf").is_file()


def test_laying_out_every_stack_is_linear_in_the_stacks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Links made for n stacks grow like n, not n² (each stack relinking its siblings)."""
    links = {"made": 0}
    original = Path.symlink_to

    def counted(self: Path, target: str | Path, target_is_directory: bool = False) -> None:
        links["made"] += 1
        original(self, target, target_is_directory)

    monkeypatch.setattr(Path, "symlink_to", counted)
    made = {}
    for count in (20, 80):
        build = _tree(tmp_path / str(count), count)
        tree = MirrorTree(tmp_path / str(count) / "scratch")
        links["made"] = 0
        for stack in sorted((build / "dev").iterdir()):
            with tree.stack(stack, scan_stack(stack)):
                pass
        made[count] = links["made"]
    assert made[80] / 80 <= 1.1 * made[20] / 20, made
