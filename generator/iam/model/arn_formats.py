"""Can a policy's resource (an ARN with ``*``/``?`` wildcards) name a resource of a type?

The catalogue gives each resource type as an ARN format with variables
(``arn:${Partition}:s3:::${BucketName}/${ObjectName}``). A policy resource matches the type
when at least one concrete ARN is matched by both: the intersection of the two patterns
is not empty. ``arn:aws:logs:r:a:log-group:g:*`` therefore matches the ``log-stream``
type (``*`` can stand for ``log-stream:s``), while ``arn:aws:s3:::bucket`` does not
match ``object`` (an object ARN needs a ``/`` after the bucket).

What a variable may contain follows AWS naming rules closely enough to tell resource
types apart: partition, region and account never contain ``:`` or ``/``; bucket, table,
queue, key and function names never contain ``/``; the last variable of a format may
contain anything (an object key, a log stream name); any other variable may contain
``/`` but not ``:``; a name "without leading slash" does not start with ``/``.

The policy resource's wildcards follow :func:`~generator.iam.model.matching.arn_matches`:
in the partition, service, region and account segments they never span a ``:``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from generator.iam.model.matching import ARN_SEGMENTS

_VARIABLE = re.compile(r"\$\{([^}]+)\}")
_NO_SLASH = frozenset(
    {
        "Partition",
        "Region",
        "Account",
        "BucketName",
        "TableName",
        "QueueName",
        "KeyId",
        "FunctionName",
        "RoleName",
        "RoleNameWithPath",
        "StreamLabel",
        "IndexName",
    }
)


@dataclass(frozen=True)
class _Token:
    """One position: a literal character, any one character, or a run of characters.

    ``excluded`` lists the characters the position may not take (empty: any). ``star``
    marks zero-or-more repetition.
    """

    literal: str | None = None
    excluded: frozenset[str] = frozenset()
    star: bool = False

    def accepts(self, char: str) -> bool:
        if self.literal is not None:
            return char == self.literal
        return char not in self.excluded


def _glob_tokens(resource: str) -> tuple[_Token, ...]:
    segments = resource.split(":", ARN_SEGMENTS - 1)
    # In an ARN-shaped pattern the characters before the fifth ":" are the scope segments.
    scope_end = len(resource) - len(segments[-1]) if len(segments) == ARN_SEGMENTS else 0
    tokens: list[_Token] = []
    for position, char in enumerate(resource):
        excluded = frozenset(":") if position < scope_end else frozenset()
        if char == "*":
            tokens.append(_Token(excluded=excluded, star=True))
        elif char == "?":
            tokens.append(_Token(excluded=excluded))
        else:
            tokens.append(_Token(literal=char))
    return tuple(tokens)


def _format_tokens(arn_format: str) -> tuple[_Token, ...]:
    tokens: list[_Token] = []
    parts = _VARIABLE.split(arn_format)
    # split() alternates literal text and variable names: even indexes are literals.
    last_variable = len(parts) - 2 if len(parts) > 1 else -1
    for index, part in enumerate(parts):
        if index % 2 == 0:
            tokens.extend(_Token(literal=char) for char in part)
            continue
        if part in _NO_SLASH:
            excluded = frozenset(":/")
        elif index == last_variable and not parts[-1]:
            excluded = frozenset()
        else:
            excluded = frozenset(":")
        # A name "WithoutLeadingSlash" (SSM parameters) cannot start with "/": the ARN of
        # the parameter "/a/b" is "parameter/a/b", and "parameter//a/b" names nothing.
        first = excluded | {"/"} if "WithoutLeadingSlash" in part else excluded
        tokens.append(_Token(excluded=first))
        tokens.append(_Token(excluded=excluded, star=True))
    return tuple(tokens)


def _intersect(a: tuple[_Token, ...], b: tuple[_Token, ...]) -> bool:
    @functools.cache
    def walk(i: int, j: int) -> bool:
        if i == len(a) and j == len(b):
            return True
        if i < len(a) and a[i].star and walk(i + 1, j):
            return True
        if j < len(b) and b[j].star and walk(i, j + 1):
            return True
        if i == len(a) or j == len(b):
            return False
        left, right = a[i], b[j]
        if left.literal is not None and not right.accepts(left.literal):
            return False
        if right.literal is not None and not left.accepts(right.literal):
            return False
        if left.literal is None and right.literal is None:
            pass  # two classes over an unbounded alphabet always share a character
        next_i = i if left.star else i + 1
        next_j = j if right.star else j + 1
        if left.star and right.star:
            return False  # both kept: covered by dropping one of the stars above
        return walk(next_i, next_j)

    return walk(0, 0)


def resource_matches_format(resource: str, arn_format: str) -> bool:
    """Whether some ARN of ``arn_format`` is matched by the policy resource ``resource``.

    Matching is case-sensitive, as it is for ARNs in IAM.
    """
    return _intersect(_glob_tokens(resource), _format_tokens(arn_format))
