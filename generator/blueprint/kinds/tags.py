"""Organisation tags (``metadata.tags``, an environment's ``tags``) and ``namespace``.

Tags follow AWS's tag rules, checked here so that a bad tag fails validate rather than an
apply: keys of 1-128 and values of 0-256 characters, letters, digits, spaces and
``_ . : / = + - @`` only, no ``aws:`` prefix on either, at most 50 tags on a resource.
The keys trellis sets itself (:data:`OWN_TAG_KEYS`) cannot be set by hand: they carry the
team, blueprint and environment the deploy roles and the reviews rely on.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field, WithJsonSchema

from generator.blueprint.kinds.common import rule_error

MAX_KEY_LENGTH = 128
MAX_VALUE_LENGTH = 256
MAX_TAGS_PER_RESOURCE = 50
TAG_PUNCTUATION = "_.:/=+-@ "

OWN_TAG_KEYS = ("blueprint", "env", "managed-by", "team", "approval", "trellis:component")
"""Every key trellis itself puts on a resource (provider default tags and module tags)."""
TEAM_TAG = "team"
"""In an environment's ``tags``, the team of its bootstrap stack (default ``platform``);
each blueprint's stacks carry the blueprint's own ``metadata.team``."""
MAX_USER_TAGS = MAX_TAGS_PER_RESOURCE - len(OWN_TAG_KEYS)

_NAMESPACE_RE = re.compile(r"^[a-z][a-z0-9]{1,11}$")
_TAG_CHARS = r"[^!\"#$%&'()*,;<>?\[\\\]^`{|}~\t\n\r]"
"""For editors: every character but the ASCII punctuation AWS refuses (the validator also
refuses other non-alphanumeric symbols)."""
_TAG_PATTERN = f"^{_TAG_CHARS}*$"


def _tag_text(value: str, what: str, limit: int) -> str:
    if len(value) > limit:
        raise rule_error(
            f"tag {what} {value[:40]!r}… is {len(value)} characters; AWS allows {limit}",
            allowed=f"at most {limit} characters",
            hint=f"shorten it to {limit} characters",
        )
    bad = sorted({c for c in value if not (c.isalnum() or c in TAG_PUNCTUATION)})
    if bad:
        raise rule_error(
            f"tag {what} {value!r} contains {', '.join(map(repr, bad))}, which AWS tags do "
            "not allow",
            allowed="letters, digits, spaces and _ . : / = + - @",
            hint=f"use {''.join(c if c not in bad else '-' for c in value)!r}",
        )
    if value.lower().startswith("aws:"):
        raise rule_error(
            f"tag {what} {value!r} starts with 'aws:', which AWS reserves",
            allowed="any prefix but aws:",
            hint=f"use {value[4:] or 'a name'!r} or your organisation's prefix",
        )
    return value


def _tag_key(value: str) -> str:
    if not value:
        raise rule_error("a tag key is empty", allowed="1-128 characters")
    _tag_text(value, "key", MAX_KEY_LENGTH)
    if value.startswith("trellis:"):
        raise rule_error(
            f"tag key {value!r} starts with 'trellis:', which trellis reserves",
            allowed="any prefix but aws: and trellis:",
            hint=f"use {value.removeprefix('trellis:')!r}",
        )
    return value


def _tag_value(value: str) -> str:
    return _tag_text(value, "value", MAX_VALUE_LENGTH)


def _namespace(value: str) -> str:
    if not _NAMESPACE_RE.match(value):
        cleaned = re.sub(r"[^a-z0-9]", "", value.lower())[:12]
        raise rule_error(
            f"{value!r} is not 2-12 lowercase letters and digits starting with a letter",
            allowed="^[a-z][a-z0-9]{1,11}$ (it starts every resource name, so it is short)",
            hint=f"try {cleaned if _NAMESPACE_RE.match(cleaned) else 'acme'!r}",
        )
    if value.startswith("aws"):
        raise rule_error(
            f"{value!r} starts with 'aws'; the namespace becomes a tag key prefix, and AWS "
            "reserves aws:",
            allowed="a namespace not starting with aws",
            hint=f"try {'x' + value[3:] if len(value) > 3 else 'acme'!r}",
        )
    return value


_KEY_SCHEMA = {
    "type": "string",
    "minLength": 1,
    "maxLength": MAX_KEY_LENGTH,
    "pattern": f"^(?![aA][wW][sS]:)(?!trellis:){_TAG_CHARS}+$",
    "description": "AWS tag key: 1-128 letters, digits, spaces, _ . : / = + - @; "
    "not aws: or trellis:",
}
_VALUE_SCHEMA = {
    "type": "string",
    "maxLength": MAX_VALUE_LENGTH,
    "pattern": _TAG_PATTERN,
    "description": "AWS tag value: 0-256 letters, digits, spaces, _ . : / = + - @",
}
TagKey = Annotated[str, AfterValidator(_tag_key), WithJsonSchema(_KEY_SCHEMA)]
TagValue = Annotated[str, AfterValidator(_tag_value), WithJsonSchema(_VALUE_SCHEMA)]
Tags = Annotated[
    dict[TagKey, TagValue],
    Field(max_length=MAX_USER_TAGS),
    WithJsonSchema(
        {
            "type": "object",
            "propertyNames": _KEY_SCHEMA,
            "additionalProperties": _VALUE_SCHEMA,
            "maxProperties": MAX_USER_TAGS,
            "description": f"Organisation tags merged into the provider's default_tags (at "
            f"most {MAX_USER_TAGS}: AWS allows {MAX_TAGS_PER_RESOURCE} per resource and "
            f"trellis sets {len(OWN_TAG_KEYS)}).",
        }
    ),
]
Namespace = Annotated[
    str,
    AfterValidator(_namespace),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": _NAMESPACE_RE.pattern,
            "description": "Prefix of every resource name, state key and deploy role of the "
            "environment, so repositories sharing an account never collide",
        }
    ),
]


def check_reserved_tags(tags: dict[str, str], *, team_allowed: bool, extra: str = "") -> None:
    """Raise the rule error for the first key trellis sets itself (``team`` may be allowed
    in an environment; ``extra`` is one more reserved key, the namespaced env tag)."""
    for key in tags:
        if (key in OWN_TAG_KEYS and not (team_allowed and key == TEAM_TAG)) or key == extra:
            fix = (
                "set metadata.team instead"
                if key == TEAM_TAG
                else "remove it; trellis sets it on every resource"
            )
            raise rule_error(
                f"tag key {key!r} is set by trellis itself",
                allowed="any key but " + ", ".join(k for k in (*OWN_TAG_KEYS, extra) if k),
                hint=fix,
                field=f"tags.{key}",
            )
