"""``--format junit``: JUnit XML, one test suite per validator, one test case per stack.

A stack with findings of a validator fails that test case, listing the findings; shared
files (modules) are the test case ``shared``. A validator that is not available is one
test case with an ``<error>``: it did not run, so it did not pass.
"""

from __future__ import annotations

from collections import defaultdict
from xml.etree import ElementTree as ET

from generator.check.outcome import CheckReport, Status
from generator.policy.findings import Finding


def _describe(finding: Finding) -> str:
    place = finding.file or ""
    if finding.line:
        place += f":{finding.line}"
    resource = f" {finding.resource}" if finding.resource else ""
    fix = f"\n    fix: {finding.fix}" if finding.fix else ""
    return f"{place}: {finding.check_id}{resource}: {finding.message}{fix}"


def render(report: CheckReport, build_prefix: str, color: bool) -> str:
    """The JUnit XML document (UTF-8, no timestamps)."""
    del color
    root = ET.Element("testsuites", name="trellis check")
    total_tests = total_failures = total_errors = 0
    by_validator: dict[str, dict[str, list[Finding]]] = defaultdict(lambda: defaultdict(list))
    for finding in report.failing:
        by_validator[finding.validator][finding.stack or "shared"].append(finding)
    cases = [*report.stacks, "shared"]
    for outcome in report.validators:
        suite = ET.SubElement(root, "testsuite", name=outcome.name)
        tests = failures = errors = 0
        if outcome.status is Status.NOT_AVAILABLE:
            case = ET.SubElement(suite, "testcase", classname=outcome.name, name="available")
            ET.SubElement(case, "error", message="not available").text = outcome.detail
            tests, errors = 1, 1
        else:
            for name in cases:
                found = by_validator[outcome.name].get(name, [])
                if name == "shared" and not found:
                    continue
                case = ET.SubElement(suite, "testcase", classname=outcome.name, name=name)
                tests += 1
                if found:
                    failures += 1
                    failure = ET.SubElement(
                        case, "failure", message=f"{len(found)} finding(s)", type="findings"
                    )
                    failure.text = "\n".join(
                        _describe(f).replace(f"{f.file}", f"{build_prefix}/{f.file}", 1)
                        if f.file
                        else _describe(f)
                        for f in found
                    )
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("errors", str(errors))
        total_tests += tests
        total_failures += failures
        total_errors += errors
    root.set("tests", str(total_tests))
    root.set("failures", str(total_failures))
    root.set("errors", str(total_errors))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
