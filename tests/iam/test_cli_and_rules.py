"""`trellis iam lint` exit codes and output, and organisation rules files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.check.iam import load_org_rules
from generator.cli.main import cli
from generator.errors import UserError
from generator.iam import derive_role, load_wildcard_allowlist, review_file
from tests.iam.wirings import process_wiring, retrieve_wiring

ORG_RULES = Path(__file__).parents[2] / "policies" / "iam" / "organisation.yaml"


def _repo(tmp_path: Path) -> Path:
    allowlist = load_wildcard_allowlist()
    for env in ("dev", "prd"):
        for wiring in (retrieve_wiring(), process_wiring()):
            relative, content = review_file(derive_role(wiring, allowlist), env, "orders")
            (tmp_path / "build" / relative).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / "build" / relative).write_bytes(content)
    (tmp_path / "policies" / "iam").mkdir(parents=True)
    shutil.copy(ORG_RULES, tmp_path / "policies" / "iam" / ORG_RULES.name)
    return tmp_path


def test_clean_build_exits_zero(tmp_path: Path) -> None:
    """Derived policies pass the built-in checks and the example organisation rules."""
    result = CliRunner().invoke(cli, ["iam", "lint", str(_repo(tmp_path))])
    assert result.exit_code == 0, result.output
    assert result.output == "0 findings in 4 policies (2 stacks).\n"


def test_missing_build_exits_two(tmp_path: Path) -> None:
    """No build/ directory: tell the user to render first, exit 2, no traceback."""
    result = CliRunner().invoke(cli, ["iam", "lint", str(tmp_path)])
    assert result.exit_code == 2
    assert "run `trellis render" in result.output
    assert "Traceback" not in result.output


def test_unknown_env_exits_two(tmp_path: Path) -> None:
    """--env naming an environment that was not rendered is a user error."""
    result = CliRunner().invoke(cli, ["iam", "lint", str(_repo(tmp_path)), "--env", "stg"])
    assert result.exit_code == 2
    assert "rendered environments: dev, prd" in result.output


def test_organisation_rule_finding_exits_one(tmp_path: Path) -> None:
    """A KMS grant without kms:ViaService breaks ORG_IAM_KMS_VIA_SERVICE; --env filters."""
    repo = _repo(tmp_path)
    path = repo / "build/prd/orders/iam/orders-dev-process.json"
    path.write_text(path.read_text().replace('"kms:ViaService"', '"kms:CallerAccount"'))
    result = CliRunner().invoke(cli, ["iam", "lint", str(repo), "--env", "prd"])
    assert result.exit_code == 1
    assert result.output.count(": error ORG_IAM_KMS_VIA_SERVICE ") == 3
    assert result.output.endswith("3 findings in 2 policies (1 stacks).\n")
    assert "orders-dev-process [prd/orders] statement KmsViaSqs, action kms:Decrypt" in (
        result.output
    )
    clean = CliRunner().invoke(cli, ["iam", "lint", str(repo), "--env", "dev"])
    assert clean.exit_code == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "apiVersion: trellis/v1\nkind: IamRules\nrules:\n  - id: ORG_X\n"
            "    description: nothing chosen\n",
            "exactly one of forbid",
        ),
        (
            "apiVersion: trellis/v1\nkind: IamRules\nrules:\n  - id: ORG_X\n"
            "    description: typo here\n    forbidd: true\n",
            "rules.0.forbidd",
        ),
        ("apiVersion: trellis/v1\nkind: IamRule\nrules: []\n", "must be 'IamRules'"),
        ("apiVersion: trellis/v1\nkind: IamRules\nrules: [\n", "4:1: did not find expected node"),
    ],
)
def test_bad_rules_file_is_a_user_error(tmp_path: Path, text: str, expected: str) -> None:
    """Malformed rules files raise UserError naming file, line and field."""
    (tmp_path / "org.yaml").write_text(text)
    with pytest.raises(UserError) as caught:
        load_org_rules(tmp_path, root=tmp_path)
    rendered = str(caught.value)
    assert rendered.startswith("org.yaml:")
    assert expected in rendered


def test_bad_rules_file_exits_two_from_the_cli(tmp_path: Path) -> None:
    """The CLI prints the rules file's mistake and exits 2."""
    repo = _repo(tmp_path)
    (repo / "policies/iam/extra.yaml").write_text(
        "apiVersion: trellis/v1\nkind: IamRules\nrules:\n  - id: bad id\n    description: x y z\n"
        "    forbid: true\n"
    )
    result = CliRunner().invoke(cli, ["iam", "lint", str(repo)])
    assert result.exit_code == 2
    assert "policies/iam/extra.yaml:4:9: rules.0.id 'bad id' does not match" in result.output


def test_skeleton_is_a_valid_rules_file_and_never_overwrites(tmp_path: Path) -> None:
    """`trellis iam skeleton` writes rules that load; a second run exits 2."""
    first = CliRunner().invoke(cli, ["iam", "skeleton", str(tmp_path)])
    assert first.exit_code == 0, first.output
    rules = load_org_rules(tmp_path / "policies" / "iam", root=tmp_path)
    assert [r.id for r in rules] == [
        "ORG_IAM_NO_DELETE",
        "ORG_IAM_KMS_VIA_SERVICE",
        "ORG_IAM_OWN_ACCOUNT",
    ]
    second = CliRunner().invoke(cli, ["iam", "skeleton", str(tmp_path)])
    assert second.exit_code == 2
    assert "already exists" in second.output
