"""Every reviewed YAML file type, malformed, through the command a user runs: one loader,
so the same positioned error (file, line, field, value, fix), exit 2 and no traceback."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.blueprint.reviewed_yaml import load_reviewed_yaml
from generator.cli.main import cli
from generator.errors import UserError
from generator.iam.wildcards import load_wildcard_allowlist
from generator.settings.model import Settings
from tests.blueprint.repo import edit, example_repository


@dataclass(frozen=True)
class Malformed:
    """A reviewed file written wrongly, the command that reads it, and the error expected."""

    id: str
    file: str
    text: str
    command: tuple[str, ...]
    location: str
    """``file:line:column: field`` as printed."""
    value: str
    fix: str


_RULES = "apiVersion: trellis/v1\nkind: IamRules\nrules:\n  - id: ORG_X\n"
CASES = [
    Malformed(
        "blueprint",
        "blueprints/orders.yaml",
        "",  # an edit of the example, below
        ("validate",),
        "blueprints/orders.yaml:25:16: spec.retrieval.memory_mb",
        "64 must be at least 128",
        "fix: make it at least 128",
    ),
    Malformed(
        "environment",
        "environments/dev.yaml",
        "",
        ("validate",),
        "environments/dev.yaml:10:10: log.level",
        "'debug' is not one of the allowed values",
        "fix: did you mean 'DEBUG'?",
    ),
    Malformed(
        "trellis.yaml",
        "trellis.yaml",
        "ci:\n  trellis:\n    version: 0.2\n",
        ("validate",),
        "trellis.yaml:3:14: ci.trellis.version",
        "0.2 is a number; expected a string",
        'fix: quote it: "0.2"',
    ),
    Malformed(
        "policies/skips.yaml",
        "policies/skips.yaml",
        "skips:\n  - id: ckv_aws_1\n    reason: r\n    resources: [m/aws_s3_bucket.this]\n",
        ("render",),
        "policies/skips.yaml:2:9: skips.0.id",
        "'ckv_aws_1' is not a checkov check id",
        "fix: copy the id from the finding, e.g. CKV_AWS_117",
    ),
    Malformed(
        "policies/iam rules",
        "policies/iam/organisation.yaml",
        _RULES + "    description: typo here\n    actions: ['s3:*']\n    forbidd: true\n",
        ("iam", "lint"),
        "policies/iam/organisation.yaml:7:5: rules.0.forbidd",
        "unknown field 'forbidd'",
        "fix: did you mean 'forbid'?",
    ),
]
_EDITS = {
    "blueprint": (
        "memory_mb: 256\n    timeout_seconds: 300",
        "memory_mb: 64\n    timeout_seconds: 300",
    ),
    "environment": ("level: DEBUG", "level: debug"),
}


def _write(repo: Path, case: Malformed) -> None:
    if case.id in _EDITS:
        edit(repo / case.file, *_EDITS[case.id])
        return
    (repo / case.file).parent.mkdir(parents=True, exist_ok=True)
    (repo / case.file).write_text(case.text, encoding="utf-8")
    if case.command == ("iam", "lint"):
        (repo / "build" / "dev").mkdir(parents=True)  # something to lint; the rules come first


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_each_reviewed_file_reports_file_line_field_value_and_fix(
    tmp_path: Path, case: Malformed
) -> None:
    """A malformed reviewed file: exit 2, file:line:column, field, value and fix, no traceback,
    and nothing written."""
    repo = example_repository(tmp_path)
    _write(repo, case)
    result = CliRunner().invoke(cli, [*case.command, str(repo)])
    output = result.output
    assert result.exit_code == 2, output
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), output
    assert "Traceback" not in output
    assert f"{case.location} {case.value}" in output
    assert case.fix in output
    assert not (repo / "build" / "modules").exists()


def test_wildcard_allowlist_errors_read_like_every_other_file(tmp_path: Path) -> None:
    """policies/iam/wildcard-resources.yaml goes through the same loader and messages."""
    path = tmp_path / "policies" / "iam" / "wildcard-resources.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(
        "apiVersion: trellis/v1\nkind: IamWildcardResources\nactions:\n"
        "  - action: xray:PutTraceSegments\n    reason: too short\n",
        encoding="utf-8",
    )
    with pytest.raises(UserError) as caught:
        load_wildcard_allowlist(path, root=tmp_path)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.render() == (
        "policies/iam/wildcard-resources.yaml:5:13: actions.0.reason 'too short' must be at "
        "least 20 characters long\n    allowed: at least 20 characters long\n"
        "    fix: make it at least 20 characters long"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b"ci: {}\nci: {}\n", "trellis.yaml:2:1: duplicate key 'ci' (first defined at line 1)"),
        (
            b"ci: &a {}\nx: *a\n",
            "trellis.yaml:1:5: anchors and aliases (&name, *name) are not allowed",
        ),
        (b"", "trellis.yaml: file is empty"),
        (b"ci:\n\tx: 1\n", "trellis.yaml:2:1: tab character in indentation"),
    ],
)
def test_the_strict_reader_guards_every_reviewed_file(
    tmp_path: Path, text: bytes, message: str
) -> None:
    """The blueprints' strict YAML rules hold for any reviewed file read by the loader."""
    path = tmp_path / "trellis.yaml"
    path.write_bytes(text)
    with pytest.raises(UserError) as caught:
        load_reviewed_yaml(path, Settings, file="trellis.yaml")
    assert str(caught.value).startswith(message)


def test_a_file_of_another_kind_gets_one_error(tmp_path: Path) -> None:
    """Naming the wrong kind is one error at `kind`, not every field the kind lacks."""
    path = tmp_path / "rules.yaml"
    path.write_text("apiVersion: trellis/v1\nkind: IamRule\nrules: []\n", encoding="utf-8")
    with pytest.raises(UserError) as caught:
        load_reviewed_yaml(path, Settings, file="rules.yaml", kind="IamRules")
    (diagnostic,) = caught.value.diagnostics
    assert (diagnostic.line, diagnostic.column, diagnostic.path) == (2, 7, "kind")
    assert diagnostic.message == "'IamRule' must be 'IamRules'"


def test_a_dangling_symlink_is_named_with_its_target(tmp_path: Path) -> None:
    """An unreadable reviewed file is a user error that says why and how to fix it."""
    path = tmp_path / "trellis.yaml"
    path.symlink_to(tmp_path / "gone.yaml")
    with pytest.raises(UserError) as caught:
        load_reviewed_yaml(path, Settings, file="trellis.yaml")
    (diagnostic,) = caught.value.diagnostics
    assert "which does not exist" in diagnostic.message
    assert diagnostic.hint == "point the link at an existing file, or remove it"
