"""The proof over the runtime's own functional tests (``tests/runtime``).

The runtime's functional suite runs once, in a subprocess, with the recording plugin in
handler-attribution mode: every AWS call the retrieval and processing handlers' code makes
is recorded with the function kind and the function's ``TRELLIS_*`` variables; calls made
by the tests themselves (creating queues, reading items back) are not. For each distinct
configuration a test used, the wiring the generator would build from the same settings is
derived into a policy and every call made under it must be allowed; across all tests,
every granted (statement, action) of a kind must be exercised by at least one of them.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from generator.iam import DerivedRole, FunctionWiring, arns, derive_role, load_wildcard_allowlist
from tests.iam.proof import ProofResult, prove
from tests.plugins.aws_calls import RecordedCall, resource_arns

REPO = Path(__file__).parents[2]
Proven = tuple[DerivedRole, ProofResult, list[RecordedCall]]
"""One configuration: the derived role, its proof, and the calls made under it."""
SUITE = (
    "tests/runtime/test_process.py",
    "tests/runtime/test_retrieve.py",
    "tests/runtime/test_retrieve_sources.py",
    "tests/runtime/test_resume.py",
)
HANDLERS = "runtime.ingest.retrieve,runtime.ingest.process"
MOTO_ACCOUNT = "123456789012"


@pytest.fixture(scope="module")
def suite_calls(tmp_path_factory: pytest.TempPathFactory) -> list[RecordedCall]:
    """Run the runtime's functional tests once with the recorder; their recorded calls."""
    missing = [path for path in SUITE if not (REPO / path).is_file()]
    assert not missing, f"the runtime's functional tests are missing: {missing}"
    out = tmp_path_factory.mktemp("suite") / "calls.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "AWS_"))}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "tests.plugins.aws_calls",
            f"--aws-calls-handlers={HANDLERS}",
            f"--aws-calls-out={out}",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:xdist",
            *SUITE,
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return [RecordedCall(**record) for record in json.loads(out.read_text())]


def wiring_from_environment(kind: str, environment: dict[str, str]) -> FunctionWiring:
    """The wiring the generator builds for the settings a test gave the function."""
    from runtime.ingest import process, retrieve

    region = environment["AWS_REGION"]
    name = f"{environment['TRELLIS_BLUEPRINT']}-{environment['TRELLIS_ENV']}-{kind.split('.')[-1]}"
    common = {
        "function_name": name,
        "kind": kind,
        "role_name": name,
        "account_id": MOTO_ACCOUNT,
        "region": region,
        "log_group_name": f"/aws/lambda/{name}",
    }
    where = {"partition": "aws", "region": region, "account": MOTO_ACCOUNT}
    if kind == "ingest.retrieve":
        from generator.kinds.ingestion.source import SourceAuth

        auth = json.loads(environment["TRELLIS_SOURCE"]).get("auth")
        # the parameters the generator grants for this auth section (derive.py reads them)
        names = SourceAuth.model_validate(auth).parameters if auth else ()
        state = environment.get("TRELLIS_STATE_TABLE", "")
        return FunctionWiring(
            capabilities=retrieve.CAPABILITIES,
            resources={
                "queue": resource_arns(
                    "sqs", {"QueueUrl": environment["TRELLIS_QUEUE_URL"]}, **where
                ),
                "parameter": tuple(
                    arns.parameter_arn("aws", region, MOTO_ACCOUNT, n) for n in names
                ),
                "table": (arns.table_arn("aws", region, MOTO_ACCOUNT, state),) if state else (),
                **{
                    role: (arns.parameter_arn("aws", region, MOTO_ACCOUNT, environment[variable]),)
                    for role, variable in (
                        ("checkpoint", "TRELLIS_CHECKPOINT_PARAMETER"),
                        ("stop_switch", "TRELLIS_STOP_PARAMETER"),
                    )
                    if environment.get(variable)
                },
            },
            **common,  # type: ignore[arg-type]
        )
    assert kind == "ingest.process", kind
    return FunctionWiring(
        capabilities=process.CAPABILITIES,
        resources={
            # the event source queue: the processing function learns it from each message's
            # eventSourceARN; the runtime tests' pipelines name it like their table
            "queue": (
                arns.queue_arn("aws", region, MOTO_ACCOUNT, environment["TRELLIS_TABLE_NAME"]),
            ),
            "table": (
                arns.table_arn("aws", region, MOTO_ACCOUNT, environment["TRELLIS_TABLE_NAME"]),
            ),
            "backup_objects": (
                arns.object_prefix_arn(
                    "aws",
                    environment["TRELLIS_BACKUP_BUCKET"],
                    environment["TRELLIS_BACKUP_PREFIX"],
                ),
            ),
        },
        **common,  # type: ignore[arg-type]
    )


@pytest.fixture(scope="module")
def proofs(suite_calls: list[RecordedCall]) -> dict[str, list[Proven]]:
    """One proof per (function kind, configuration) the suite used."""
    groups: dict[tuple[str, str], list[RecordedCall]] = defaultdict(list)
    for call in suite_calls:
        groups[(call.function, call.environment)].append(call)
    allowlist = load_wildcard_allowlist()
    found: dict[str, list[Proven]] = defaultdict(list)
    for (kind, environment), calls in sorted(groups.items()):
        assert not kind.startswith("unattributed"), calls[0]
        role = derive_role(wiring_from_environment(kind, json.loads(environment)), allowlist)
        found[kind].append((role, prove(role, role.policy.to_json(), calls), calls))
    return found


def test_suite_exercises_both_function_kinds(proofs: dict[str, list[object]]) -> None:
    """The runtime's suite invokes both handlers, under several configurations."""
    assert sorted(proofs) == ["ingest.process", "ingest.retrieve"]
    assert all(len(results) >= 2 for results in proofs.values())


@pytest.mark.parametrize("kind", ["ingest.retrieve", "ingest.process"])
def test_runtime_suite_stays_within_the_derived_policies(
    proofs: dict[str, list[Proven]],
    suite_calls: list[RecordedCall],
    kind: str,
) -> None:
    """Every call of every runtime test is allowed; every granted action is exercised."""
    results = proofs[kind]
    denied = [d for _, result, _ in results for d in result.denied]
    granted = set().union(*(result.granted for _, result, _ in results))
    exercised = set().union(*(result.granted - result.idle for _, result, _ in results))
    rows: dict[tuple[str, str], set[str]] = defaultdict(set)
    for call in suite_calls:
        if call.function == kind:
            # each test makes its own pipeline (p<10 hex>); the table shows the shape
            shape = re.sub(r"\bp[0-9a-f]{10}", "<pipeline>", call.resource)
            shape = re.sub(r"/raw/.+$", "/raw/<record>/<sha256>.json", shape)
            rows[(call.action, shape)].add(call.test.rsplit("::", 1)[-1].split("[")[0])
    print(f"\n{kind}: {len(results)} configurations in the runtime's functional tests")
    print(f"  {'action':<22} {'resource':<68} exercised by")
    for (action, resource), tests in sorted(rows.items()):
        print(f"  {action:<22} {resource:<68} {len(tests)} tests, e.g. {min(tests)}")
    assert denied == []
    assert sorted(granted - exercised) == []


@pytest.mark.parametrize("kind", ["ingest.retrieve", "ingest.process"])
def test_runtime_suite_mutation_check(
    proofs: dict[str, list[Proven]],
    kind: str,
) -> None:
    """Removing any runtime-granted action from the policies denies some test's call."""
    results = proofs[kind]
    actions = {g.action for role, _, _ in results for g in role.grants if not g.platform}
    survivors = []
    for action in sorted(actions):
        broken = False
        for role, _, calls in results:
            document = role.policy.to_json()
            statements = [dict(s) for s in document["Statement"]]  # type: ignore[attr-defined]
            for statement in statements:
                statement["Action"] = [a for a in statement["Action"] if a != action]
            document["Statement"] = [s for s in statements if s["Action"]]
            if not prove(role, document, calls).ok:
                broken = True
                break
        if not broken:
            survivors.append(action)
    assert len(actions) >= 2
    assert survivors == []
