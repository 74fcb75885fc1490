"""``aws_iam_policy_document`` computed offline, laid out as the real provider lays it out.

The policy JSON of the data source ends up in role and queue policies, so a plan that
shows it must show the exact text the real provider would produce. The layout rules of
the provider (6.x, ``internal/service/iam``), restated:

* the document is ``Version``, ``Id``, ``Statement`` in that order, each left out when
  empty; ``version`` defaults to ``2012-10-17``;
* a statement is ``Sid``, ``Effect``, ``Action``, ``NotAction``, ``Resource``,
  ``NotResource``, ``Principal``, ``NotPrincipal``, ``Condition``; empty ones are left out
  (an empty ``sid`` too), ``effect`` defaults to ``Allow``;
* actions, resources and principal identifiers with one element collapse to a string,
  longer ones are sorted in *descending* order;
* principals become an object keyed by type (keys sorted); a lone ``*``/``*`` principal is
  the string ``"*"``; several blocks of one type append their identifiers;
* conditions become ``{test: {variable: values}}`` (keys sorted, values in the order
  given), a single value collapsing to a string;
* ``&{...}`` in resources, principals and condition values becomes ``${...}``;
* ``source_policy_documents`` are merged first, then this document, then
  ``override_policy_documents``; a later statement replaces an earlier one with the same
  ``Sid``; ``Id`` is adopted from the later document, ``Version`` is the newer one;
* ``json`` is indented by two spaces, ``minified_json`` has no whitespace, both escape
  ``<``, ``>`` and ``&`` as ``\\u003c``, ``\\u003e``, ``\\u0026`` (Go's JSON encoder);
  ``id`` is the CRC-32 of ``json`` in decimal.

Known difference: the real provider keeps ``condition`` and ``principals`` blocks in a
set ordered by hash; when several ``condition`` blocks share a test and variable, or
several ``principals`` blocks share a type, their values are appended here in
configuration order, where the real provider may append them in another order.

What can go wrong: :class:`PolicyDocumentError` for duplicate ``Sid`` values or a source
or override document that is not a JSON policy (the real provider fails the same way).
"""

from __future__ import annotations

import json
import zlib
from typing import Any

DEFAULT_VERSION = "2012-10-17"
_STATEMENT_KEYS = (
    "Sid", "Effect", "Action", "NotAction", "Resource", "NotResource",
    "Principal", "NotPrincipal", "Condition",
)  # fmt: skip


class PolicyDocumentError(ValueError):
    """The configuration or a merged document cannot form a policy."""


def _collapse(values: list[str]) -> str | list[str]:
    """One element as a string, several sorted in descending order."""
    if len(values) == 1:
        return values[0]
    return sorted(values, reverse=True)


def _replace_vars(value: str | list[str], version: str) -> str | list[str]:
    items = [value] if isinstance(value, str) else value
    for item in items:
        if version == "2008-10-17" and "&{" in item:
            raise PolicyDocumentError(
                f"found &{{ sequence in ({item}), which is not supported in document "
                "version 2008-10-17"
            )
    if isinstance(value, str):
        return value.replace("&{", "${")
    return [v.replace("&{", "${") for v in value]


def _principals(blocks: list[dict[str, Any]], version: str) -> dict[str, Any] | str:
    entries = [
        (str(b["type"]), _replace_vars(_collapse(list(b.get("identifiers") or [])), version))
        for b in blocks
    ]
    return _marshal_principals(entries)


def _marshal_principals(entries: list[tuple[str, Any]]) -> dict[str, Any] | str:
    if len(entries) == 1:
        kind, ids = entries[0]
        if kind == "*" and (ids == "*" or ids == ["*"]):
            return "*"
    raw: dict[str, Any] = {}
    for kind, ids in entries:
        current = raw.get(kind)
        if isinstance(ids, list):
            merged = [] if current is None else ([current] if isinstance(current, str) else current)
            raw[kind] = merged + sorted(ids, reverse=True)
        elif current is None:
            raw[kind] = ids
        elif isinstance(current, str):
            raw[kind] = [current, ids]
        else:
            raw[kind] = [*current, ids]
    return {k: raw[k] for k in sorted(raw)}


def _conditions(blocks: list[dict[str, Any]], version: str) -> dict[str, Any]:
    entries: list[tuple[str, str, str | list[str]]] = []
    for block in blocks:
        values = _replace_vars([str(v) for v in block.get("values") or []], version)
        entries.append((str(block["test"]), str(block["variable"]), values))
    return _marshal_conditions(entries)


def _marshal_conditions(entries: list[tuple[str, str, str | list[str]]]) -> dict[str, Any]:
    raw: dict[str, dict[str, list[str]]] = {}
    for test, variable, values in entries:
        bucket = raw.setdefault(test, {}).setdefault(variable, [])
        bucket.extend([values] if isinstance(values, str) else values)
    return {
        test: {
            var: (vals[0] if len(vals) == 1 else vals) for var, vals in sorted(raw[test].items())
        }
        for test in sorted(raw)
    }


def _statement(config: dict[str, Any], version: str) -> dict[str, Any]:
    stmt: dict[str, Any] = {
        "Sid": config.get("sid") or "",
        "Effect": config.get("effect") or "Allow",
    }
    for key, attr in (("Action", "actions"), ("NotAction", "not_actions")):
        if config.get(attr):
            stmt[key] = _collapse(list(config[attr]))
    for key, attr in (("Resource", "resources"), ("NotResource", "not_resources")):
        if config.get(attr):
            stmt[key] = _replace_vars(_collapse(list(config[attr])), version)
    for key, attr in (("Principal", "principals"), ("NotPrincipal", "not_principals")):
        if config.get(attr):
            stmt[key] = _principals(config[attr], version)
    if config.get("condition"):
        stmt["Condition"] = _conditions(config["condition"], version)
    return stmt


def _parse_document(text: str, what: str) -> dict[str, Any]:
    """A source/override JSON document read the way the provider reads it."""
    try:
        raw = json.loads(text)
    except ValueError as err:
        raise PolicyDocumentError(f"merging {what}: {err}") from err
    if not isinstance(raw, dict):
        raise PolicyDocumentError(f"merging {what}: not a JSON object")
    statements = raw.get("Statement") or []
    if not isinstance(statements, list):
        raise PolicyDocumentError(f"merging {what}: Statement must be a list")
    doc: dict[str, Any] = {
        "Version": str(raw.get("Version") or ""),
        "Id": str(raw.get("Id") or ""),
        "Statement": [],
    }
    for item in statements:
        stmt: dict[str, Any] = {
            "Sid": str(item.get("Sid") or ""),
            "Effect": str(item.get("Effect") or ""),
        }
        for key in ("Action", "NotAction", "Resource", "NotResource"):
            if item.get(key):
                stmt[key] = item[key]
        for key in ("Principal", "NotPrincipal"):
            if item.get(key):
                stmt[key] = _reparse_principals(item[key])
        if item.get("Condition"):
            stmt["Condition"] = _reparse_conditions(item["Condition"])
        doc["Statement"].append(stmt)
    return doc


def _reparse_principals(value: Any) -> dict[str, Any] | str:
    if isinstance(value, str):
        return _marshal_principals([("*", ["*"])])
    entries = [
        (key, ids if isinstance(ids, str) else sorted(str(i) for i in ids))
        for key, ids in value.items()
    ]
    return _marshal_principals(entries)


def _reparse_conditions(value: dict[str, Any]) -> dict[str, Any]:
    entries: list[tuple[str, str, str | list[str]]] = []
    for test, variables in value.items():
        for variable, values in variables.items():
            if isinstance(values, bool):
                entries.append((test, variable, "true" if values else "false"))
            elif isinstance(values, str):
                entries.append((test, variable, [values]))
            else:
                entries.append((test, variable, [str(v) for v in values]))
    return _marshal_conditions(entries)


def _merge(base: dict[str, Any], new: dict[str, Any]) -> None:
    if new["Id"]:
        base["Id"] = new["Id"]
    if new["Version"] > base["Version"]:
        base["Version"] = new["Version"]
    for stmt in new["Statement"]:
        sid = stmt["Sid"]
        for index, existing in enumerate(base["Statement"]):
            if sid and existing["Sid"] == sid:
                base["Statement"][index] = stmt
                break
        else:
            base["Statement"].append(stmt)


def _check_unique_sids(statements: list[dict[str, Any]], seen: set[str], what: str) -> None:
    for index, stmt in enumerate(statements):
        sid = stmt["Sid"]
        if not sid:
            continue
        if sid in seen:
            raise PolicyDocumentError(
                f"{what}: duplicate Sid ({sid}) (statement {index}). Remove the Sid or "
                "ensure Sids are unique."
            )
        seen.add(sid)


def build_document(config: dict[str, Any]) -> dict[str, Any]:
    """The merged policy document (ordered dict) for the data source's configuration."""
    merged: dict[str, Any] = {"Version": "", "Id": "", "Statement": []}
    source_sids: set[str] = set()
    for index, text in enumerate(config.get("source_policy_documents") or []):
        if text is None:
            continue
        source = _parse_document(text, f"source document {index}")
        _check_unique_sids(source["Statement"], source_sids, f"source document {index}")
        _merge(merged, source)
    version = config.get("version") or DEFAULT_VERSION
    own: dict[str, Any] = {"Version": version, "Id": config.get("policy_id") or "", "Statement": []}
    statements = [_statement(s, version) for s in config.get("statement") or []]
    _check_unique_sids(statements, set(), "statement")
    own["Statement"] = statements
    _merge(merged, own)
    for index, text in enumerate(config.get("override_policy_documents") or []):
        if text is None:
            continue
        _merge(merged, _parse_document(text, f"override document {index}"))
    return merged


def _ordered(doc: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if doc["Version"]:
        out["Version"] = doc["Version"]
    if doc["Id"]:
        out["Id"] = doc["Id"]
    if doc["Statement"]:
        out["Statement"] = [
            {k: s[k] for k in _STATEMENT_KEYS if s.get(k)} for s in doc["Statement"]
        ]
    return out


def _go_escape(text: str) -> str:
    """Go's encoding/json escapes HTML-significant characters and two line separators."""
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def render(config: dict[str, Any]) -> tuple[str, str, str]:
    """``(json, minified_json, id)`` for the data source's configuration."""
    doc = _ordered(build_document(config))
    pretty = _go_escape(json.dumps(doc, indent=2, ensure_ascii=False))
    minified = _go_escape(json.dumps(doc, separators=(",", ":"), ensure_ascii=False))
    return pretty, minified, str(zlib.crc32(pretty.encode()))
