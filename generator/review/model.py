"""The review as data: stacks, changes and findings, before any rendering.

Everything here is plain, frozen and sorted so that the Markdown and JSON renderers (and
the workflows that call :func:`generator.review.review_plans` as a library) read the same
facts. Values that came from the plan are already made safe: sensitive values are replaced
by :data:`SENSITIVE` and unknown ones by :data:`UNKNOWN` before they reach this model, so
no renderer can leak a secret by accident.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

SENSITIVE = "(sensitive value)"
UNKNOWN = "(known after apply)"


class Action(StrEnum):
    """What Terraform will do to one resource instance, replace orders folded together."""

    CREATE = "create"
    UPDATE = "update"
    REPLACE = "replace"
    DELETE = "delete"
    READ = "read"
    FORGET = "forget"
    NO_OP = "no-op"


ACTION_ORDER: tuple[Action, ...] = tuple(Action)


@dataclass(frozen=True, order=True)
class AttributeChange:
    """One leaf attribute that differs, already masked (``SENSITIVE``/``UNKNOWN``)."""

    path: str
    before: str
    after: str


@dataclass(frozen=True, order=True)
class Change:
    """One resource instance in the plan with an action other than ``no-op``.

    ``raw_actions`` is Terraform's list (``["create", "delete"]`` is a replace that creates
    the new object first). ``attributes`` lists the changed leaves of an update or replace
    (a create or delete lists none: everything changes); ``more_attributes`` counts the
    ones left out when a resource changes more leaves than a reviewer can read.
    """

    stack: str
    address: str
    type: str
    action: Action
    raw_actions: tuple[str, ...]
    mode: str = "managed"
    reason: str | None = None
    replace_paths: tuple[str, ...] = ()
    attributes: tuple[AttributeChange, ...] = ()
    more_attributes: int = 0


@dataclass(frozen=True, order=True)
class Destruction:
    """A delete or replace; ``blocking`` when it loses something and no one allowed it.

    ``holds`` is the type's kind in the reviewed classification (``data``, ``key``,
    ``disposable`` or ``unknown``, see :mod:`generator.review.holdings`) and ``lost`` says
    what goes with it ("messages in flight and the queue URL that producers use").
    """

    stack: str
    address: str
    type: str
    action: Action
    raw_actions: tuple[str, ...]
    holds: str
    lost: str
    allowed: bool

    @property
    def stateful(self) -> bool:
        """True when destroying it loses data, key material, or something unclassified."""
        return self.holds != "disposable"

    @property
    def blocking(self) -> bool:
        """True when this change must stop the pipeline."""
        return self.stateful and not self.allowed

    @property
    def order(self) -> str:
        """How a replace happens, in words a reviewer knows from ``terraform plan``."""
        if self.raw_actions == ("create", "delete"):
            return "create before destroy"
        if self.raw_actions == ("delete", "create"):
            return "destroy then create"
        return "destroy"


@dataclass(frozen=True, order=True)
class ResourceWidening:
    """A resource pattern granted after the change that no earlier pattern covered.

    ``kind`` is ``wildcard`` (a new ``*`` or ``?``), ``wider`` (covers an earlier, narrower
    ARN listed in ``replaces``), ``new`` (an unrelated resource), ``unknown`` (known after
    apply: pending) or ``swapped`` (a resource policy following its own resource to a new
    ARN of the same kind and scope: not wider).
    """

    resource: str
    kind: str
    actions: tuple[str, ...]
    replaces: tuple[str, ...] = ()


@dataclass(frozen=True, order=True)
class PrincipalChange:
    """A principal that may now (``added``) or may no longer (``removed``) use a statement."""

    principal: str
    change: str
    actions: tuple[str, ...]


@dataclass(frozen=True, order=True)
class ConditionChange:
    """A condition key whose values changed between before and after.

    ``widened`` is True when the condition now lets through everything it did before and
    more (a value replaced by a wildcard that covers it, or the condition dropped);
    ``narrowed`` when it lets through only part of what it did (a new condition, or values
    that earlier values cover); ``swapped`` when each new value replaces an old one of the
    same kind and scope (one SNS topic of the account for another). A change that is
    none of these lets someone else in.
    """

    condition: str
    before: tuple[str, ...]
    after: tuple[str, ...]
    widened: bool = False
    narrowed: bool = False
    swapped: bool = False
    pending: bool = False
    """A new value is known only after apply: nothing can be said until then."""

    @property
    def widens(self) -> bool:
        """True when the change may let in someone it did not let in before."""
        return self.widened or not (self.narrowed or self.swapped or self.pending)


@dataclass(frozen=True, order=True)
class IamChange:
    """How one policy document changes what a role, user, group or resource allows.

    ``kind`` is ``identity`` (what a principal may do), ``trust`` (who may assume a role)
    or ``resource`` (a bucket, queue or key policy). ``document`` names the attribute
    (``policy``, ``assume_role_policy``, ``inline_policy[name]``). ``unknown`` is set when
    the document is only known after apply; ``source`` then names where it comes from
    (a ``data.aws_iam_policy_document``) when the configuration says so. ``notes`` carry
    facts that need no table: a removed permissions boundary, a new ``NotAction``, a
    sensitive document that cannot be shown.
    """

    stack: str
    address: str
    type: str
    document: str
    kind: str
    action: Action
    actions_added: tuple[str, ...] = ()
    actions_removed: tuple[str, ...] = ()
    resources_widened: tuple[ResourceWidening, ...] = ()
    resources_removed: tuple[str, ...] = ()
    principals: tuple[PrincipalChange, ...] = ()
    conditions: tuple[ConditionChange, ...] = ()
    notes: tuple[str, ...] = ()
    unknown: bool = False
    source: str | None = None

    @property
    def widens(self) -> bool:
        """True when the change, as far as the plan shows it, gives someone more access.

        What is known only after apply is :attr:`pending`, not widening; a deleted
        document only narrows.
        """
        if self.action is Action.DELETE:
            return False
        return bool(
            any(a != UNKNOWN for a in self.actions_added)
            or any(w.kind not in ("unknown", "swapped") for w in self.resources_widened)
            or any(p.change == "added" and p.principal != UNKNOWN for p in self.principals)
            or any(c.widens for c in self.conditions)
            or any(not n.startswith(("narrows", "pending")) for n in self.notes)
        )

    @property
    def pending(self) -> bool:
        """True when what it allows is known only after apply and nothing known widens."""
        return (
            not self.widens
            and self.action is not Action.DELETE
            and (self.unknown or any(n.startswith("pending") for n in self.notes))
        )


@dataclass(frozen=True, order=True)
class PostureChange:
    """A security-relevant attribute turned weaker (``rule`` names which, e.g. ``pitr-off``)."""

    stack: str
    address: str
    type: str
    rule: str
    title: str
    attribute: str
    before: str
    after: str


@dataclass(frozen=True, order=True)
class Hint:
    """Something a reviewer should be told (``rule`` names which, e.g. ``missing-moved``).

    ``suggestion`` is text to act on, such as the ``moved`` block to add.
    """

    stack: str
    address: str
    rule: str
    message: str
    suggestion: str = ""


@dataclass(frozen=True, order=True)
class CheckovError:
    """A checkov check that did not run on a resource (it raised), with checkov's error."""

    stack: str
    check_id: str
    resource: str
    error: str


@dataclass(frozen=True, order=True)
class CheckovFailure:
    """One failed checkov check on a planned resource."""

    stack: str
    check_id: str
    resource: str
    check_name: str
    guideline: str = ""


@dataclass(frozen=True, order=True)
class DeployedImage:
    """The container image a function of the plan runs: its repository and digest.

    ``origin`` says where the digest came from: the images job's pushed digest
    (``var.image_digest`` in CI) or, for ``trellis plan --offline``, a stand-in derived
    from the image context ("offline stand-in, not a pushed image").
    """

    stack: str
    address: str
    function_name: str
    repository: str
    digest: str
    origin: str


@dataclass(frozen=True)
class StackReview:
    """Everything the review found in one plan file (one root stack)."""

    name: str
    plan_file: str
    terraform_version: str
    counts: dict[Action, int]
    changes: tuple[Change, ...]
    destructions: tuple[Destruction, ...]
    iam: tuple[IamChange, ...]
    posture: tuple[PostureChange, ...]
    checkov: tuple[CheckovFailure, ...] = ()
    hints: tuple[Hint, ...] = ()
    images: tuple[DeployedImage, ...] = ()

    @property
    def summary(self) -> dict[str, int]:
        """Terraform's own ``Plan: N to add, N to change, N to destroy`` for this plan.

        A replace counts as one to add and one to destroy, as Terraform counts it; data
        sources read during apply are not changes and are counted apart (``read``).
        """
        replaced = self.counts.get(Action.REPLACE, 0)
        return {
            "add": self.counts.get(Action.CREATE, 0) + replaced,
            "change": self.counts.get(Action.UPDATE, 0),
            "destroy": self.counts.get(Action.DELETE, 0) + replaced,
            "forget": self.counts.get(Action.FORGET, 0),
            "read": self.counts.get(Action.READ, 0),
        }


@dataclass(frozen=True)
class Review:
    """The review of one or more plans, in the order the renderers present it.

    ``checkov_ran`` is False when the caller turned checkov off (``--no-checkov``), so a
    reader can tell "no failed checks" from "not checked". ``unused_allowances`` lists
    ``--allow-destroy`` addresses that matched nothing: usually a typo worth a warning.
    """

    stacks: tuple[StackReview, ...]
    checkov_ran: bool
    unused_allowances: tuple[str, ...] = field(default=())
    checkov_skipped: int = 0
    """Failed checkov checks left out because the reviewed skips table covers them."""
    checkov_undecided: int = 0
    """Encryption checks left out: their KMS key is created by this plan (unknown yet)."""
    checkov_skipped_checks: tuple[CheckovFailure, ...] = ()
    """The failed checks the reviewed skips cover, one by one (what ``checkov_skipped`` counts)."""
    checkov_errors: tuple[CheckovError, ...] = ()
    """Checks that raised instead of passing or failing: they did not run."""
    checkov_missing: str | None = None
    """Why checkov, though wanted, could not run, with the fix; the review is then
    incomplete and exits 1."""

    @property
    def blocking(self) -> tuple[Destruction, ...]:
        """Destructive changes on stateful resources nobody allowed: the exit-1 reasons."""
        return tuple(d for s in self.stacks for d in s.destructions if d.blocking)

    @property
    def exit_code(self) -> int:
        """0 when nothing blocks and every check ran, 1 otherwise (bad input never gets this
        far: it is 2)."""
        return 1 if self.blocking or self.checkov_missing else 0
