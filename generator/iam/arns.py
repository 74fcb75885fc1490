"""ARNs of the resources a function is wired to, built one way everywhere.

The derivation, the proof's recorder and the tests all need the same ARN for the same
resource; building them here keeps the subtle parts in one place: an SSM parameter ARN has
no second slash (``parameter/a/b`` for the name ``/a/b``), and S3 object grants are on
``bucket/prefix/*``, never on the bucket itself.

What can go wrong: a parameter name without its leading ``/`` or with ``..``, an empty
bucket, or a prefix that contains a wildcard raises :class:`ValueError` (the
blueprint loader validates these first; reaching them here is a bug in the caller).
"""

from __future__ import annotations


def queue_arn(partition: str, region: str, account_id: str, queue_name: str) -> str:
    """``arn:aws:sqs:<region>:<account>:<queue>``."""
    return f"arn:{partition}:sqs:{region}:{account_id}:{queue_name}"


def table_arn(partition: str, region: str, account_id: str, table_name: str) -> str:
    """``arn:aws:dynamodb:<region>:<account>:table/<table>``."""
    return f"arn:{partition}:dynamodb:{region}:{account_id}:table/{table_name}"


def object_prefix_arn(partition: str, bucket: str, prefix: str) -> str:
    """``arn:aws:s3:::<bucket>/<prefix>/*``: every object under one prefix of one bucket.

    An empty prefix means every object of the bucket (``<bucket>/*``), never the bucket.
    """
    if not bucket or "/" in bucket:
        raise ValueError(f"bucket name {bucket!r} must be non-empty and contain no '/'")
    cleaned = prefix.strip("/")
    if "*" in cleaned or "?" in cleaned:
        raise ValueError(f"object prefix {prefix!r} must not contain a wildcard")
    return (
        f"arn:{partition}:s3:::{bucket}/{cleaned}/*"
        if cleaned
        else f"arn:{partition}:s3:::{bucket}/*"
    )


def parameter_arn(partition: str, region: str, account_id: str, name: str) -> str:
    """``arn:aws:ssm:<region>:<account>:parameter/<name without its leading slash>``."""
    if not name.startswith("/") or ".." in name:
        raise ValueError(f"SSM parameter name {name!r} must start with '/' and not contain '..'")
    return f"arn:{partition}:ssm:{region}:{account_id}:parameter/{name[1:]}"


def log_group_arn(partition: str, region: str, account_id: str, log_group_name: str) -> str:
    """``arn:aws:logs:<region>:<account>:log-group:<name>:*``: the group's log streams."""
    return f"arn:{partition}:logs:{region}:{account_id}:log-group:{log_group_name}:*"


def kms_key_arn(partition: str, region: str, account_id: str, key_id: str) -> str:
    """``arn:aws:kms:<region>:<account>:key/<key id>``."""
    return f"arn:{partition}:kms:{region}:{account_id}:key/{key_id}"
