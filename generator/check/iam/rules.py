"""Organisation IAM rules: small YAML files in the repository's ``policies/iam/``.

Every ``*.yaml``/``*.yml`` file there except ``wildcard-resources.yaml`` is a rules file::

    apiVersion: trellis/v1
    kind: IamRules
    rules:
      - id: ORG_IAM_NO_DELETE            # becomes the finding's check id
        description: Pipelines never delete; retention is the bucket's lifecycle rule.
        severity: error                  # error (default) | warning | note
        actions: ["s3:Delete*", "dynamodb:DeleteItem"]   # which actions (globs, any case)
        forbid: true                     # ...may not be granted at all
      - id: ORG_IAM_KMS_VIA_SERVICE
        description: KMS keys are used only through the services that own the data.
        actions: ["kms:*"]
        require_conditions: [kms:ViaService]             # ...only with these condition keys
      - id: ORG_IAM_OWN_ACCOUNT
        description: Grants stay in the environment's account and partition.
        resources_must_match:                            # ...only on these resources (globs)
          - "arn:${partition}:*:${region}:${account_id}:*"
          - "arn:${partition}:s3:::*"
          - "*"

A rule applies to the actions matching ``actions`` (default: every action) and does
exactly one of ``forbid``, ``require_conditions`` or ``resources_must_match``. In
resource patterns ``${account_id}``, ``${region}`` and ``${partition}`` are the values of
the environment the policy was rendered for. Patterns match as IAM matches them
(:mod:`generator.iam.model.matching`): actions in any case, resources segment by segment.

What can go wrong: an unreadable or malformed file, an unknown key, a rule that does none
or more than one thing, an id used twice (across files too), or a file of another
``kind``: each is a :class:`~generator.errors.UserError` naming file, line and field.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from generator.check.iam.checks.base import LintEnv, Violation
from generator.errors import Diagnostic, UserError
from generator.iam.model import Statement, action_matches, arn_matches
from generator.iam.policyfiles import display_path, load_model
from generator.iam.wildcards import WILDCARD_FILE_NAME
from generator.policy.findings import Severity

RULES_KIND = "IamRules"


class OrgRule(BaseModel):
    """One organisation rule (see the module docstring for the fields)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[A-Z][A-Z0-9_]{2,63}$")
    description: str = Field(min_length=5)
    severity: Literal["error", "warning", "note"] = "error"
    actions: tuple[str, ...] = ("*",)
    forbid: bool = False
    require_conditions: tuple[str, ...] = ()
    resources_must_match: tuple[str, ...] = ()

    @field_validator("actions")
    @classmethod
    def _actions_shape(cls, patterns: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in patterns:
            if pattern != "*" and ":" not in pattern:
                raise ValueError(f"{pattern!r} must be service:Action (globs allowed) or '*'")
        return patterns

    @model_validator(mode="after")
    def _one_effect(self) -> OrgRule:
        chosen = [
            name
            for name, value in (
                ("forbid", self.forbid),
                ("require_conditions", self.require_conditions),
                ("resources_must_match", self.resources_must_match),
            )
            if value
        ]
        if len(chosen) != 1:
            raise ValueError(
                "a rule must set exactly one of forbid: true, require_conditions or "
                f"resources_must_match (found: {', '.join(chosen) or 'none'})"
            )
        return self

    def applies_to(self, action: str) -> bool:
        """Whether ``action`` matches one of the rule's action patterns (any case)."""
        return any(action_matches(pattern, action) for pattern in self.actions)


class _RulesFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    api_version: Literal["trellis/v1"] = Field(alias="apiVersion")
    kind: Literal["IamRules"]
    rules: tuple[OrgRule, ...] = Field(min_length=1)


def load_org_rules(directory: Path, *, root: Path | None = None) -> tuple[OrgRule, ...]:
    """Every rule from the rules files in ``directory`` (none when it does not exist).

    Raises :class:`UserError` as described in the module docstring.
    """
    if not directory.is_dir():
        return ()
    rules: list[OrgRule] = []
    first_seen: dict[str, str] = {}
    diagnostics: list[Diagnostic] = []
    files = sorted(
        p
        for p in directory.iterdir()
        if p.suffix in {".yaml", ".yml"} and p.name != WILDCARD_FILE_NAME
    )
    for path in files:
        try:
            parsed = load_model(path, _RulesFile, kind=RULES_KIND, root=root)
        except UserError as err:
            diagnostics.extend(err.diagnostics)
            continue
        shown = display_path(path, root)
        for index, rule in enumerate(parsed.rules):
            if rule.id in first_seen:
                diagnostics.append(
                    Diagnostic(
                        file=shown,
                        line=None,
                        column=None,
                        path=f"rules.{index}.id",
                        message=f"rule id {rule.id} is already used in {first_seen[rule.id]}",
                        value=rule.id,
                        hint="give every rule its own id",
                        code="duplicate",
                    )
                )
                continue
            first_seen[rule.id] = shown
            rules.append(rule)
    if diagnostics:
        raise UserError(diagnostics)
    return tuple(rules)


def _substitute(pattern: str, placeholders: Mapping[str, str]) -> str:
    for name, value in placeholders.items():
        pattern = pattern.replace("${" + name + "}", value)
    return pattern


class OrgRuleCheck:
    """Runs one :class:`OrgRule` over statements, like a built-in check."""

    def __init__(self, rule: OrgRule) -> None:
        self.rule = rule
        self.check_id = rule.id
        self.description = rule.description
        self.severity = Severity(rule.severity)
        self.fix = f"see the organisation rule {rule.id}: {rule.description}"

    def scan(self, statement: Statement, env: LintEnv) -> Iterator[Violation]:
        """Violations of the rule in one Allow statement."""
        if not statement.allows:
            return
        rule = self.rule
        matching = [action for action in statement.actions if rule.applies_to(action)]
        if rule.forbid:
            for action in matching:
                yield Violation(f"is forbidden by {rule.id}: {rule.description}", action)
        elif rule.require_conditions:
            present = statement.condition_keys()
            missing = [key for key in rule.require_conditions if key.lower() not in present]
            if missing:
                for action in matching:
                    yield Violation(
                        f"needs the condition key(s) {', '.join(missing)} ({rule.id}: "
                        f"{rule.description})",
                        action,
                    )
        else:
            patterns = [_substitute(p, env.placeholders) for p in rule.resources_must_match]
            for action in matching:
                for resource in statement.resources:
                    if not any(arn_matches(pattern, resource) for pattern in patterns):
                        yield Violation(
                            f"is granted on {resource!r}, which matches none of "
                            f"{', '.join(patterns)} ({rule.id}: {rule.description})",
                            action,
                            resource,
                        )
