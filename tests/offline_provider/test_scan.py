"""Scanning many stacks reads each module once, and finds what a lone scan finds."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.offline_provider.workspace import StackScanner, scan_stack


def _build(root: Path, stacks: int) -> list[Path]:
    (root / "modules" / "queue").mkdir(parents=True)
    (root / "modules" / "queue" / "main.tf").write_text(
        'resource "aws_sqs_queue" "q" {}\nmodule "alarm" {\n  source = "../alarm"\n}\n'
    )
    (root / "modules" / "alarm").mkdir()
    (root / "modules" / "alarm" / "main.tf").write_text(
        'resource "aws_cloudwatch_metric_alarm" "a" {}\ndata "aws_region" "here" {}\n'
    )
    paths = []
    for index in range(stacks):
        stack = root / "dev" / f"s{index}"
        stack.mkdir(parents=True)
        (stack / "main.tf").write_text(
            f'module "q" {{\n  source = "../../modules/queue"\n}}\n'
            f'resource "aws_s3_bucket" "b{index}" {{}}\n'
        )
        paths.append(stack)
    return paths


def test_a_shared_scanner_finds_what_a_lone_scan_finds(tmp_path: Path) -> None:
    stacks = _build(tmp_path, 3)
    scanner = StackScanner()
    for stack in stacks:
        shared, alone = scanner.scan(stack), scan_stack(stack)
        assert shared == alone
        assert shared.resources == {"aws_s3_bucket", "aws_sqs_queue", "aws_cloudwatch_metric_alarm"}
        assert shared.data_sources == {"aws_region"}
        assert [p.name for p in shared.module_dirs] == ["alarm", "queue"]
        assert shared.content_hash(stack) == alone.content_hash(stack)
    assert len({scanner.scan(s).content_hash(s) for s in stacks}) == 3  # their own texts differ


def test_a_changed_module_changes_the_content_hash(tmp_path: Path) -> None:
    stack = _build(tmp_path, 1)[0]
    before = scan_stack(stack).content_hash(stack)
    (tmp_path / "modules" / "alarm" / "main.tf").write_text("# changed\n")
    assert scan_stack(stack).content_hash(stack) != before


def test_each_module_file_is_read_once_for_many_stacks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stacks = _build(tmp_path, 20)
    reads: list[str] = []
    original = Path.read_bytes

    def counted(self: Path) -> bytes:
        reads.append(self.parent.name)
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", counted)
    scanner = StackScanner()
    for stack in stacks:
        scanner.scan(stack)
    assert reads.count("queue") == 1 and reads.count("alarm") == 1
    assert len(reads) == 22
