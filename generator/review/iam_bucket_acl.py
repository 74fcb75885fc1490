"""Grants of an S3 bucket ACL to anyone but the bucket's owner, as the review lists them.

A grant reads ``<grantee kind>:<who> <permission>`` (``Group:AllUsers READ``), from a
canned ACL, an ``aws_s3_bucket_acl``'s ``access_control_policy`` or an ``aws_s3_bucket``'s
legacy inline ``grant`` blocks. What can go wrong: nothing raises; values that are not the
planned shapes yield no grants.
"""

from __future__ import annotations

from typing import Any

ACL_TYPES = frozenset({"aws_s3_bucket_acl", "aws_s3_bucket"})
CANNED_ACLS: dict[str, tuple[str, ...]] = {
    "public-read": ("Group:AllUsers READ",),
    "public-read-write": ("Group:AllUsers READ", "Group:AllUsers WRITE"),
    "authenticated-read": ("Group:AuthenticatedUsers READ",),
    "log-delivery-write": ("Group:LogDelivery WRITE", "Group:LogDelivery READ_ACP"),
}
"""Canned ACLs that grant someone other than the bucket owner (the others grant nobody)."""


def acl_grants(values: Any) -> set[str]:
    """``Grantee permission`` for each grant to someone other than the bucket's owner."""
    if not isinstance(values, dict):
        return set()
    found: set[str] = set(CANNED_ACLS.get(str(values.get("acl") or ""), ()))
    owner = None
    grants: list[tuple[dict[str, Any], str]] = []
    for policy in values.get("access_control_policy") or ():
        for block in policy.get("owner") or ():
            owner = block.get("id")
        for grant in policy.get("grant") or ():
            for grantee in grant.get("grantee") or ():
                grants.append((grantee, str(grant.get("permission"))))
    for grant in values.get("grant") or ():  # aws_s3_bucket's legacy inline grants
        for permission in grant.get("permissions") or ():
            grants.append((grant, str(permission)))
    for grantee, permission in grants:
        kind = str(grantee.get("type") or "")
        if kind == "Group":
            who = str(grantee.get("uri") or "").rsplit("/", 1)[-1]
        elif kind == "AmazonCustomerByEmail":
            who = str(grantee.get("email_address") or "")
        else:
            who = str(grantee.get("id") or "")
            if who and who == owner:
                continue
        found.add(f"{kind}:{who} {permission}")
    return found
