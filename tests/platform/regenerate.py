"""Regenerate the platform golden snapshots: ``python -m tests.platform.regenerate``.

Review the diff like code: a change in a workflow or a module interface is a change the
users' CI and root stacks will see.
"""

from __future__ import annotations

from generator.workflows import render_workflows
from tests.platform.samples import ENVIRONMENTS, MODULE_NAMES, SNAPSHOTS, STACKS, module_interface


def main() -> None:
    """Write every snapshot under tests/platform/snapshots/."""
    for path, content in render_workflows(ENVIRONMENTS, STACKS).items():
        target = SNAPSHOTS / "workflows" / path.rsplit("/", 1)[-1]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        print(f"wrote {target.relative_to(SNAPSHOTS.parent)}")
    for name in MODULE_NAMES:
        target = SNAPSHOTS / "modules" / f"{name}.interface.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(module_interface(name), encoding="utf-8")
        print(f"wrote {target.relative_to(SNAPSHOTS.parent)}")


if __name__ == "__main__":
    main()
