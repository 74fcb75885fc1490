"""`trellis check --shard K/N`: which stacks a shard checks, and the user errors around it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.check.context import StackRef
from generator.check.shards import Shard, parse_shard, partition, select_shard
from generator.cli.main import cli
from generator.errors import UserError
from tests.check.conftest import context_for, copy_basic


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("0/2", "shard 0 does not exist, shards of 2 are numbered 1 to 2"),
        ("3/2", "shard 3 does not exist, shards of 2 are numbered 1 to 2"),
        ("x", "'x' is not a shard: expected K/N"),
        ("1/0", "asks for 0 shards"),
        ("1/2/3", "is not a shard"),
    ],
)
def test_bad_shard_is_a_user_error_naming_the_value(tmp_path: Path, value: str, said: str) -> None:
    """--shard 0/2, 3/2, x: exit 2, the option, the value and the fix; no traceback."""
    result = CliRunner().invoke(cli, ["check", str(tmp_path), "--shard", value])
    assert result.exit_code == 2, result.output
    assert "--shard" in result.stderr
    assert said in result.stderr
    assert "fix:" in result.stderr or "--shard K/" in result.stderr or "1/4" in result.stderr
    assert "Traceback" not in result.output


def test_shard_text_reads_as_index_and_count() -> None:
    """``2/4`` and `` 2 / 4 `` are shard 2 of 4; shard 1 is the one with the shared files."""
    assert parse_shard("2/4") == parse_shard(" 2 / 4 ") == Shard(2, 4)
    assert parse_shard("1/4").is_first and not Shard(2, 4).is_first
    with pytest.raises(UserError):
        parse_shard("-1/4")


def _stacks(root: Path, sizes: dict[str, int]) -> list[StackRef]:
    stacks = []
    for key, size in sorted(sizes.items()):
        env, name = key.split("/")
        folder = root / env / name
        folder.mkdir(parents=True)
        (folder / "main.tf").write_text("#" * size, encoding="utf-8")
        stacks.append(StackRef(env, name, folder))
    return stacks


def test_partition_is_balanced_complete_and_independent_of_input_order(tmp_path: Path) -> None:
    """Every stack lands in exactly one share, shares differ by at most the largest stack's
    cost, and shuffling the input does not move a stack (no hash(), no listing order)."""
    sizes = {f"dev/s{i:02d}": 100 + (i * 37) % 400 for i in range(23)}
    stacks = _stacks(tmp_path, sizes)
    shares = partition(stacks, 4)
    assert sorted(s for share in shares for s in share) == sorted(stacks)
    loads = [sum(sizes[s.key] for s in share) for share in shares]
    assert max(loads) - min(loads) <= max(sizes.values())
    assert partition(list(reversed(stacks)), 4) == tuple(
        tuple(sorted(share, key=list(reversed(stacks)).index)) for share in shares
    )
    assert all(list(share) == sorted(share) for share in shares)


def test_shard_one_carries_the_shared_files_so_it_gets_fewer_stacks(tmp_path: Path) -> None:
    """``first_load`` (the modules and workflows only shard 1 checks) counts against shard 1."""
    stacks = _stacks(tmp_path, {f"dev/s{i}": 100 for i in range(8)})
    first, second = partition(stacks, 2, first_load=300)
    assert (len(first), len(second)) == (3, 5)


def test_more_shards_than_stacks_leaves_some_shards_empty(tmp_path: Path) -> None:
    """Four shards over two stacks: two shards check no stack, none checks one twice."""
    stacks = _stacks(tmp_path, {"dev/a": 10, "dev/b": 20})
    shares = partition(stacks, 4)
    assert sorted(len(s) for s in shares) == [0, 0, 1, 1]


def test_only_shard_one_checks_files_of_no_stack(tmp_path: Path) -> None:
    """Modules and workflows are shard 1's; a stack's files belong to the shard that has it."""
    repo = copy_basic(tmp_path / "repo")
    context = context_for(repo)
    assert len(context.stacks) >= 2
    first = select_shard(context, Shard(1, 2))
    second = select_shard(context, Shard(2, 2))
    assert {s.key for s in first.stacks} | {s.key for s in second.stacks} == {
        s.key for s in context.stacks
    }
    assert not {s.key for s in first.stacks} & {s.key for s in second.stacks}
    for stack in context.stacks:
        file = f"{stack.key}/main.tf"
        assert first.checks_file(file) != second.checks_file(file)
    for shared in ("modules/queue/main.tf", ".github/workflows/trellis-pr.yml"):
        assert first.checks_file(shared) and not second.checks_file(shared)
        assert context.checks_file(shared)
    assert select_shard(context, Shard(1, 1)) == context


def test_report_option_must_be_format_equals_file(tmp_path: Path) -> None:
    """--report sarif (no file) or --report xml=a.xml: exit 2 naming --report and the value."""
    for value in ("sarif", "xml=a.xml", "sarif="):
        result = CliRunner().invoke(cli, ["check", str(tmp_path), "--report", value])
        assert result.exit_code == 2, result.output
        assert "--report" in result.stderr and repr(value) in result.stderr


def test_check_takes_one_repository_unless_merging(tmp_path: Path) -> None:
    """Two paths without --merge is bad input that points at --merge."""
    result = CliRunner().invoke(cli, ["check", str(tmp_path), str(tmp_path)])
    assert result.exit_code == 2
    assert "--merge" in result.stderr
