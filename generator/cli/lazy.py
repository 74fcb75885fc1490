"""A click group that imports a command's module only when that command is needed.

``trellis check`` imports ``generator/cli/commands/check.py`` and nothing of the other
commands; ``trellis --help`` imports every command module (it shows their summaries), so
command modules keep their own heavy imports (pydantic models, checkov, boto3, jinja2)
inside the command body. A command is the ``command`` attribute of the module named like
it; modules without one (``tools_install``, a helper of ``tools``) are not commands.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

import click


class LazyGroup(click.Group):
    """A group whose commands are the modules of one package, imported on first use.

    ``prepare`` is applied once to each command when it is first loaded (the CLI uses it
    to move ``Examples:`` to the end of the help).
    """

    def __init__(
        self,
        *args: object,
        package: str,
        prepare: Callable[[click.Command], None] = lambda command: None,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._package = package
        self._prepare = prepare

    def _module_names(self) -> list[str]:
        """Command module names from the package folder, without importing any of them."""
        folder = Path(importlib.import_module(self._package).__file__ or "").parent
        return sorted(
            path.stem
            for path in folder.iterdir()
            if path.suffix == ".py" and not path.name.startswith("_")
        )

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command name; helper modules are dropped by :meth:`get_command`."""
        return sorted({*super().list_commands(ctx), *self._module_names()})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command ``cmd_name``, importing its module the first time it is asked for."""
        known = super().get_command(ctx, cmd_name)
        if known is not None or cmd_name not in self._module_names():
            return known
        module = importlib.import_module(f"{self._package}.{cmd_name}")
        command = getattr(module, "command", None)
        if not isinstance(command, click.Command) or command.name != cmd_name:
            return None
        self._prepare(command)
        self.add_command(command)
        return command

    def all_commands(self) -> dict[str, click.Command]:
        """Every command, loaded: for tests and documentation that walk the whole CLI."""
        with click.Context(self) as ctx:
            found = {name: self.get_command(ctx, name) for name in self.list_commands(ctx)}
        return {name: command for name, command in found.items() if command is not None}
