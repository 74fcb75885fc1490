"""Item 7: Lambda environment variables use Lambda's key; roles decrypt only via services.

The decision: the variables hold settings, never secrets, so the customer managed key is
dropped there (CKV_TRL_11 keeps it so). The IAM proof (tests/iam/test_proof*.py) proves each
function role's grants equal the runtime's calls plus the declared platform grants; these
tests pin the two facts that make that proof sufficient: no function carries a customer key
for its variables, and every KMS grant a function role gets is limited to one service.
"""

from __future__ import annotations

from pathlib import Path

import hcl2

from generator.derive import derive_stack_roles
from generator.pipeline import load_and_resolve

ROOT = Path(__file__).resolve().parents[2]


def test_the_function_module_sets_no_customer_key_for_variables() -> None:
    """aws_lambda_function in modules/lambda_function has no kms_key_arn."""
    parsed = hcl2.load((ROOT / "generator/modules/lambda_function/main.tf").open())
    (function,) = [
        body
        for block in parsed["resource"]
        for kind, named in block.items()
        if kind.strip('"') == "aws_lambda_function"
        for body in named.values()
    ]
    assert "kms_key_arn" not in function


def test_every_kms_grant_of_a_function_role_is_through_a_service() -> None:
    """Each KMS statement of every example function role carries kms:ViaService."""
    _, deployments = load_and_resolve(ROOT, ())
    kms_statements = [
        statement
        for deployment in deployments
        for _, role in derive_stack_roles(deployment).roles
        for statement in role.statements
        if any(a.startswith("kms:") for a in statement.actions)
    ]
    assert kms_statements, "the examples grant no KMS at all"
    for statement in kms_statements:
        variables = {c.variable for c in statement.conditions}
        assert "kms:ViaService" in variables, statement.sid
