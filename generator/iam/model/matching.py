"""How IAM matches a pattern against an action, an ARN or a condition value.

One glob language serves all three: ``*`` stands for any run of characters (none
included), ``?`` for exactly one, every other character for itself. What differs is the
comparison around it:

- :func:`action_matches`: actions compare case-insensitively (``s3:Get*`` matches
  ``S3:getobject``), the whole action at once;
- :func:`arn_matches`: ARNs compare case-sensitively, segment by segment: a wildcard in the
  partition, service, region or account segment never spans a ``:``, while the resource
  part (the sixth segment, which may itself hold ``:`` and ``/``) matches as a whole. A
  pattern of ``*`` alone matches every ARN; a pattern starting ``arn:`` with fewer than six
  segments names nothing; any other pattern is matched as a plain glob;
- :func:`glob_matches`: the plain glob, for ``StringLike``-style condition values.

The text matched against is taken literally: its own ``*`` or ``?`` are ordinary
characters. So ``arn_matches("arn:aws:s3:::b/*", "arn:aws:s3:::b/logs/*")`` holds (every
object under ``logs/`` is an object of ``b``) and the reverse does not; the review uses
this to decide whether one grant covers another.

What can go wrong: nothing raises; a pattern with policy variables (``${aws:username}``)
is matched literally, so callers that must not guess (the evaluator) refuse them first.
"""

from __future__ import annotations

import re
from functools import lru_cache

WILDCARDS = frozenset("*?")
ARN_SEGMENTS = 6
"""``arn``, partition, service, region, account and the resource part."""


def has_wildcard(text: str) -> bool:
    """Whether an action, ARN or value uses an IAM wildcard (``*`` or ``?``)."""
    return "*" in text or "?" in text


@lru_cache(maxsize=8192)
def _compiled(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(body, (re.IGNORECASE if ignore_case else 0) | re.DOTALL)


def glob_matches(pattern: str, text: str, *, ignore_case: bool = False) -> bool:
    """Whether the glob ``pattern`` matches all of ``text``."""
    if pattern == text:
        return True
    if not has_wildcard(pattern):
        return pattern.lower() == text.lower() if ignore_case else False
    return _compiled(pattern, ignore_case).fullmatch(text) is not None


def action_matches(pattern: str, action: str) -> bool:
    """Whether an ``Action`` entry (``s3:Get*``, ``*``) matches ``action``, in any case."""
    return glob_matches(pattern, action, ignore_case=True)


def arn_matches(pattern: str, arn: str) -> bool:
    """Whether a ``Resource`` entry matches ``arn`` as IAM compares ARNs (see above)."""
    if pattern == "*" or pattern == arn:
        return True
    wanted = pattern.split(":", ARN_SEGMENTS - 1)
    actual = arn.split(":", ARN_SEGMENTS - 1)
    if len(wanted) != ARN_SEGMENTS or len(actual) != ARN_SEGMENTS:
        return not pattern.startswith("arn:") and glob_matches(pattern, arn)
    return all(glob_matches(w, a) for w, a in zip(wanted, actual, strict=True))
