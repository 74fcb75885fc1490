"""The reviewed skips table, stack discovery and module following."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.check.stacks import discover_stacks, local_module_dirs
from generator.errors import UserError
from generator.policy.skips import Skip, load_skips
from tests.check.conftest import BASIC

ROOT = Path(__file__).parents[2]


def test_project_skips_table_loads() -> None:
    """policies/skips.yaml is valid and every entry has a one-line reason."""
    skips = load_skips(ROOT)
    assert {s.id for s in skips} >= {"CKV_AWS_117", "CKV_AWS_272"}
    assert all(s.reason and "\n" not in s.reason for s in skips)


def test_skip_comment_is_what_the_renderer_writes() -> None:
    """Skip.comment() is checkov's suppression comment with the reviewed reason."""
    skip = Skip("CKV_AWS_117", "no VPC resources", ("lambda_function/aws_lambda_function.this",))
    assert skip.comment() == "#checkov:skip=CKV_AWS_117:no VPC resources"


@pytest.mark.parametrize(
    ("file", "address", "covered"),
    [
        ("modules/lambda_function/main.tf", "module.process.aws_lambda_function.this", True),
        ("modules/lambda_function/main.tf", "module.a.module.b.aws_lambda_function.this[0]", True),
        ("modules/other_module/main.tf", "module.x.aws_lambda_function.this", False),
        ("modules/lambda_function/main.tf", "module.process.aws_lambda_function.other", False),
        ("dev/orders/main.tf", "aws_lambda_function.this", False),
    ],
)
def test_skip_covers_only_the_named_module_block(file: str, address: str, covered: bool) -> None:
    """A skip names a block of a module: the same type elsewhere is still checked."""
    skip = Skip("CKV_AWS_117", "r", ("lambda_function/aws_lambda_function.this",))
    assert skip.covers(file, address) is covered


def test_skip_for_data_source_matches_checkov_address() -> None:
    """checkov names data sources without `data.`; a `data.` block in the table matches."""
    skip = Skip("CKV_AWS_111", "r", ("kms_key/data.aws_iam_policy_document.key",))
    assert skip.covers("modules/kms_key/policy.tf", "module.kms.aws_iam_policy_document.key")
    assert not skip.covers("modules/kms_key/policy.tf", "module.kms.aws_iam_policy_document.x")


def test_root_stack_scope_covers_blocks_outside_modules() -> None:
    """`stack/<address>` names a block written in a root stack (hand-written trees)."""
    skip = Skip("CKV_AWS_111", "r", ("stack/data.aws_iam_policy_document.key",))
    assert skip.covers("dev/orders/main.tf", "aws_iam_policy_document.key")
    assert skip.blocks() == []


BAD_TABLES = [
    (
        "unknown key",
        "skips:\n  - id: CKV_AWS_1\n    reason: r\n    resource: [m/aws_s3_bucket.this]\n",
        [
            ("skips.0.resources", 2, "add resources: <value>"),
            ("skips.0.resource", 4, "did you mean 'resources'?"),
        ],
    ),
    (
        "missing reason",
        "skips:\n  - id: CKV_AWS_1\n    resources: [m/aws_s3_bucket.this]\n",
        [("skips.0.reason", 2, "add reason: <value>")],
    ),
    (
        "our own policy",
        "skips:\n  - id: CKV_TRL_3\n    reason: r\n    resources: [m/aws_s3_bucket.this]\n",
        [
            (
                "skips.0.id",
                2,
                "fix the template or module so the rendered output satisfies the policy",
            )
        ],
    ),
    (
        "malformed id",
        "skips:\n  - id: ckv_aws_1\n    reason: r\n    resources: [m/aws_s3_bucket.this]\n",
        [("skips.0.id", 2, "copy the id from the finding, e.g. CKV_AWS_117")],
    ),
    (
        "duplicate",
        "skips:\n  - id: CKV_AWS_1\n    reason: a\n    resources: [m/aws_s3_bucket.this]\n"
        "  - id: CKV_AWS_1\n    reason: b\n    resources: [m/aws_s3_bucket.this]\n",
        [("skips.1.id", 5, "merge the two entries into one")],
    ),
    (
        "resources not blocks",
        "skips:\n  - id: CKV_AWS_1\n    reason: r\n    resources: [aws_s3_bucket]\n",
        [
            (
                "skips.0.resources.0",
                4,
                "for example [lambda_function/aws_lambda_function.this, "
                "kms_key/data.aws_iam_policy_document.key]",
            ),
        ],
    ),
    (
        "no blocks",
        "skips:\n  - id: CKV_AWS_1\n    reason: r\n    resources: []\n",
        [
            (
                "skips.0.resources",
                4,
                "for example [lambda_function/aws_lambda_function.this, "
                "kms_key/data.aws_iam_policy_document.key]",
            ),
        ],
    ),
    (
        "reason on two lines",
        "skips:\n  - id: CKV_AWS_1\n    reason: |\n      a\n      b\n"
        "    resources: [m/aws_s3_bucket.this]\n",
        [("skips.0.reason", 3, "say why the check does not apply to what trellis renders")],
    ),
]


@pytest.mark.parametrize(("case", "text", "expected"), BAD_TABLES, ids=[c[0] for c in BAD_TABLES])
def test_bad_skips_table_is_a_user_error(
    tmp_path: Path, case: str, text: str, expected: list[tuple[str, int, str]]
) -> None:
    """Each mistake in policies/skips.yaml names the field path, the line and a fix."""
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "skips.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as caught:
        load_skips(tmp_path)
    got = [(d.path, d.line, d.hint) for d in caught.value.diagnostics]
    assert got == expected
    assert all(d.file == "policies/skips.yaml" for d in caught.value.diagnostics)


def test_discover_stacks_finds_every_env_and_blueprint() -> None:
    """Stacks are build/<env>/<name> directories with .tf files; modules are not stacks."""
    stacks = discover_stacks(BASIC / "build")
    assert [s.key for s in stacks] == ["dev/orders", "prd/orders"]
    assert [s.key for s in discover_stacks(BASIC / "build", ["prd"])] == ["prd/orders"]


def test_unknown_environment_is_a_user_error() -> None:
    """--env naming an environment with no stacks says which environments exist."""
    with pytest.raises(UserError) as caught:
        discover_stacks(BASIC / "build", ["stg"])
    assert "dev, prd" in (caught.value.diagnostics[0].hint or "")


def test_missing_build_directory_is_a_user_error(tmp_path: Path) -> None:
    """Checking a tree that was never rendered tells the user to render first."""
    with pytest.raises(UserError) as caught:
        discover_stacks(tmp_path / "build")
    assert "trellis render" in (caught.value.diagnostics[0].hint or "")


def test_local_modules_are_followed_transitively(tmp_path: Path) -> None:
    """A stack's modules include modules that its modules call."""
    build = tmp_path / "build"
    for path, text in {
        "dev/app/main.tf": 'module "a" {\n  source = "../../modules/a"\n}\n',
        "modules/a/main.tf": 'module "b" {\n  source = "../b"\n}\n',
        "modules/b/main.tf": 'module "r" {\n  source = "hashicorp/x/aws"\n}\n',
        "modules/unused/main.tf": "",
    }.items():
        (build / path).parent.mkdir(parents=True, exist_ok=True)
        (build / path).write_text(text, encoding="utf-8")
    found = local_module_dirs(build / "dev" / "app")
    assert [p.name for p in found] == ["a", "b"]
