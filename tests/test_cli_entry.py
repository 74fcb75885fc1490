"""The trellis entry point: version and help."""

from click.testing import CliRunner

from generator import __version__
from generator.cli.main import cli


def test_version_prints_the_package_version() -> None:
    """`trellis --version` prints the version from generator/__init__.py."""
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_help_lists_the_exit_codes() -> None:
    """`trellis --help` teaches the exit codes."""
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "Exit codes" in result.output
