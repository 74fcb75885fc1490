"""AWS naming rules, written from the AWS documentation independently of names.py.

Each checker returns the rules a name breaks (empty when it is valid), so a failing
property says exactly which limit was crossed.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_IPV4 = re.compile(r"^\d+\.\d+\.\d+\.\d+$")


def _pattern(pattern: str, low: int, high: int) -> Callable[[str], list[str]]:
    compiled = re.compile(pattern)

    def check(name: str) -> list[str]:
        problems = []
        if not low <= len(name) <= high:
            problems.append(f"length {len(name)} outside {low}..{high}")
        if not compiled.fullmatch(name):
            problems.append(f"characters outside {pattern}")
        return problems

    return check


def s3_bucket(name: str) -> list[str]:
    """General purpose bucket naming rules (docs: bucketnamingrules)."""
    problems = _pattern(r"[a-z0-9][a-z0-9.-]*[a-z0-9]", 3, 63)(name)
    if ".." in name:
        problems.append("two adjacent periods")
    if _IPV4.match(name):
        problems.append("formatted as an IP address")
    for prefix in ("xn--", "sthree-", "amzn-s3-demo-"):
        if name.startswith(prefix):
            problems.append(f"reserved prefix {prefix}")
    for suffix in ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"):
        if name.endswith(suffix):
            problems.append(f"reserved suffix {suffix}")
    return problems


def kms_alias(name: str) -> list[str]:
    """alias/<name>: 1..256 characters of [a-zA-Z0-9:/_-]; alias/aws/ is reserved."""
    problems = _pattern(r"alias/[a-zA-Z0-9:/_-]+", 7, 256)(name)
    if name.startswith("alias/aws/"):
        problems.append("reserved prefix alias/aws/")
    return problems


RULES: dict[str, Callable[[str], list[str]]] = {
    "lambda": _pattern(r"[a-zA-Z0-9_-]+", 1, 64),
    "iam-role": _pattern(r"[\w+=,.@-]+", 1, 64),
    "sqs": _pattern(r"[a-zA-Z0-9_-]+", 1, 80),
    "s3": s3_bucket,
    "dynamodb": _pattern(r"[a-zA-Z0-9_.-]+", 3, 255),
    "sns": _pattern(r"[a-zA-Z0-9_-]+", 1, 256),
    "scheduler": _pattern(r"[0-9a-zA-Z_.-]+", 1, 64),
    "kms-alias": kms_alias,
    "log-group": _pattern(r"[a-zA-Z0-9_./#-]+", 1, 512),
    "apigateway": _pattern(r"[ -~]+", 1, 128),
}
