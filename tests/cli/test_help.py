"""Every command's --help ends with its examples, after the options."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from generator.cli.lazy import LazyGroup
from generator.cli.main import cli


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix]
    loaded = group.all_commands() if isinstance(group, LazyGroup) else group.commands
    for name, command in sorted(loaded.items()):
        if isinstance(command, click.Group):
            found += _commands(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


COMMANDS = _commands(cli)


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(("trellis", *p)))
def test_help_ends_with_examples(path: tuple[str, ...]) -> None:
    """The last block of --help is 'Examples:' followed only by trellis command lines."""
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    text = result.output.rstrip("\n")
    head, _, examples = text.rpartition("\n  Examples:\n")
    assert head, text
    assert "Options:" in head
    lines = examples.splitlines()
    assert lines, text
    assert all(line.startswith("    trellis ") for line in lines), examples


def test_every_command_is_covered() -> None:
    """The table covers the group, every command and every subcommand."""
    assert {" ".join(p) for p in COMMANDS} >= {
        "",
        "validate",
        "render",
        "check",
        "plan",
        "review",
        "schema",
        "init",
        "graph",
        "iam",
        "iam lint",
        "iam skeleton",
    }
