"""The IAM proof over the auth flow's own end-to-end tests.

The FAPI 2.0 and legacy login tests run once, in a subprocess, with the recorder in
handler-attribution mode: every AWS call the five handlers' code makes (through the local
adapter, as the providers drive the login) is recorded under ``auth.<function>``. For
each function, the role the generator's AuthFlow kind derives (one role per function,
its own parameters only; SecureStrings under a customer managed key, so ``kms:Decrypt``
through SSM) must allow every recorded call, and every granted action must be exercised.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import pytest

from generator.iam import DerivedRole, FunctionWiring, derive_role, load_wildcard_allowlist
from generator.kind_registry import plugin
from generator.kinds.auth_flow.resolve import auth_flow_resources
from generator.model.deployment import Deployment
from generator.pipeline import load_and_resolve
from tests.auth.support import MODULES, PARAMETERS
from tests.iam.proof import ProofResult, prove
from tests.plugins.aws_calls import RecordedCall
from tests.runtime.support import REGION

REPO = Path(__file__).parents[2]
SUITE = ("tests/auth/test_fapi2_login.py", "tests/auth/test_legacy_login.py")
KINDS = tuple(f"auth.{name}" for name in MODULES)
ACCOUNT = "123456789012"
PREFIX = "/trellis/dev/citizen-login"
KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"


@pytest.fixture(scope="module")
def suite_calls(tmp_path_factory: pytest.TempPathFactory) -> list[RecordedCall]:
    """Run the auth login tests once with the recorder; their recorded calls."""
    out = tmp_path_factory.mktemp("auth-suite") / "calls.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "AWS_"))}
    result = subprocess.run(
        [
            sys.executable, "-m", "pytest", "-q", "-p", "tests.plugins.aws_calls",
            f"--aws-calls-handlers={','.join('runtime.' + kind for kind in KINDS)}",
            f"--aws-calls-out={out}", "-p", "no:cacheprovider", "-p", "no:xdist", *SUITE,
        ],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return [RecordedCall(**record) for record in json.loads(out.read_text())]


def deployment() -> Deployment:
    """The example citizen-login in dev, moved to the moto account and region, its
    parameters named as the tests create them, the SecureStrings under a customer managed
    key."""
    _, deployments = load_and_resolve(REPO)
    example = next(d for d in deployments if d.key == "dev/citizen-login")
    names = {
        f"{key}_parameter": f"{PREFIX}/{key.replace('_', '-')}"
        for key in ("client_id", "signing_key", "encryption_key", "state_key", "public_jwks")
    }
    spec = example.spec.model_copy(update={**names, "parameters_kms_key_arn": KEY})
    target = replace(example.target, account_id=ACCOUNT, region=REGION)
    resources = auth_flow_resources(example.blueprint, spec, target)
    return replace(example, spec=spec, target=target, resources=resources)


def wiring(kind: str) -> FunctionWiring:
    """The wiring the generator's AuthFlow kind derives for one function."""
    found = deployment()
    purpose = kind.split(".", 1)[1]
    function = next(f for f in found.resources.functions if f.purpose == purpose)
    result = plugin("AuthFlow").wiring(found, function)
    assert result is not None
    return result


@pytest.fixture(scope="module")
def proofs(suite_calls: list[RecordedCall]) -> dict[str, tuple[DerivedRole, ProofResult]]:
    """One proof per auth function."""
    by_kind: dict[str, list[RecordedCall]] = defaultdict(list)
    for call in suite_calls:
        by_kind[call.function].append(call)
    assert not [k for k in by_kind if k not in KINDS], sorted(by_kind)
    allowlist = load_wildcard_allowlist()
    found = {}
    for kind in KINDS:
        role = derive_role(wiring(kind), allowlist)
        found[kind] = (role, prove(role, role.policy.to_json(), by_kind[kind]))
    return found


@pytest.mark.parametrize("kind", KINDS)
def test_auth_roles_are_exactly_what_the_handlers_call(
    proofs: dict[str, tuple[DerivedRole, ProofResult]],
    suite_calls: list[RecordedCall],
    kind: str,
) -> None:
    """Every recorded call is allowed and every granted action of the role is exercised."""
    _, result = proofs[kind]
    calls = sorted({(c.action, c.resource) for c in suite_calls if c.function == kind})
    print(f"\n{kind}: {len(calls)} distinct calls")
    for action, resource in calls:
        print(f"  {action:<20} {resource}")
    assert result.denied == ()
    assert sorted(result.idle) == []
    assert result.unexercised == ()


def test_each_function_reads_only_its_own_parameters(
    suite_calls: list[RecordedCall],
) -> None:
    """login, callback, session and jwks read exactly their parameters; logout reads none."""
    read: dict[str, set[str]] = defaultdict(set)
    for call in suite_calls:
        read[call.function].add(call.resource.rsplit("/", 1)[-1])
    expected = {
        f"auth.{function}": {key.replace("_", "-") for key in keys}
        for function, keys in PARAMETERS.items()
        if keys
    }
    assert dict(read) == expected


def test_mutation_removing_any_runtime_action_denies_a_call(
    proofs: dict[str, tuple[DerivedRole, ProofResult]], suite_calls: list[RecordedCall]
) -> None:
    """Removing ssm:GetParameter from any auth role denies one of its recorded calls."""
    for kind, (role, _) in proofs.items():
        calls = [c for c in suite_calls if c.function == kind]
        for grant in [g for g in role.grants if not g.platform]:
            document = role.policy.to_json()
            statements = [dict(s) for s in document["Statement"]]  # type: ignore[attr-defined]
            for statement in statements:
                statement["Action"] = [a for a in statement["Action"] if a != grant.action]
            document["Statement"] = [s for s in statements if s["Action"]]
            assert not prove(role, document, calls).ok, (kind, grant.action)
