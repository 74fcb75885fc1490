"""Merge the JUnit XML of N shards into the document one full check writes.

:mod:`generator.check.report.junit` writes one test suite per validator and one test case
per stack (plus ``shared`` for findings in files of no stack). Each stack is checked by
exactly one shard, so its test case is taken whole from the shard that has it; only
shard 1 checks shared files. A validator not available in any shard is not available in
the merge. Counts are recomputed. What can go wrong: a file that is not this JUnit, or two
inputs that report the same test case differently (not shards of one check).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from pathlib import Path
from xml.etree import ElementTree as ET

from generator.check.report.order import stack_order, validator_order
from generator.errors import UserError

SHARED = "shared"


def _parse(path: Path, text: str) -> ET.Element:
    try:
        # The shards' own output; expat (2.4.1+, bundled with CPython) expands no external
        # entities and limits entity amplification, which is what defusedxml guards against.
        root = ET.fromstring(text)  # noqa: S314
    except ET.ParseError as err:
        raise UserError.single(path.as_posix(), f"not well-formed XML: {err}") from None
    if root.tag != "testsuites" or root.get("name") != "trellis check":
        raise UserError.single(
            path.as_posix(),
            f'not the JUnit of trellis check (root <{root.tag} name="{root.get("name")}">)',
            hint="merge the files `trellis check --shard K/N --format junit` wrote",
        )
    return root


def merge_junit(texts: Sequence[tuple[Path, str]]) -> tuple[str, int, str]:
    """(merged document, exit code, ``"junit"``) for the JUnit texts of N shards."""
    suites: dict[str, list[tuple[Path, ET.Element]]] = {}
    for path, text in texts:
        for suite in _parse(path, text).findall("testsuite"):
            suites.setdefault(suite.get("name", ""), []).append((path, suite))
    root = ET.Element("testsuites", name="trellis check")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for name in sorted(suites, key=validator_order):
        suite = ET.SubElement(root, "testsuite", name=name)
        cases = _merged_cases(suites[name])
        for case in cases:
            suite.append(case)
        counts = {
            "tests": len(cases),
            "failures": sum(1 for c in cases if c.find("failure") is not None),
            "errors": sum(1 for c in cases if c.find("error") is not None),
        }
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    text = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
    return text, 1 if totals["failures"] or totals["errors"] else 0, "junit"


def _merged_cases(found: list[tuple[Path, ET.Element]]) -> list[ET.Element]:
    """The test cases of one validator's suites from every shard, in the full report's order."""
    for _path, suite in found:
        unavailable = suite.find("testcase/error")
        if unavailable is not None:
            return [copy.deepcopy(c) for c in suite.findall("testcase")]
    chosen: dict[str, tuple[Path, ET.Element]] = {}
    for path, suite in found:
        for case in suite.findall("testcase"):
            case_name = case.get("name", "")
            earlier = chosen.get(case_name)
            if earlier is None:
                chosen[case_name] = (path, case)
                continue
            if ET.tostring(earlier[1]).strip() != ET.tostring(case).strip():
                raise UserError.single(
                    path.as_posix(),
                    f"test case {case.get('classname')}/{case_name} differs from the one in "
                    f"{earlier[0].as_posix()}: these are not shards of one check",
                    hint="merge the N files of one `trellis check --shard K/N` run",
                )
    names = sorted((n for n in chosen if n != SHARED), key=stack_order)
    if SHARED in chosen:
        names.append(SHARED)
    return [copy.deepcopy(chosen[n][1]) for n in names]
