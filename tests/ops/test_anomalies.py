"""`trellis anomalies` finds three seeded deviations among 1,000 backed-up payloads."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

from generator.ops.anomalies import anomalies
from tests.ops.support import Seeded, order


def _payload(n: int) -> dict[str, object]:
    record: dict[str, object] = order(n, total=10.0 + n % 50)
    record["lines"] = [{"sku": f"S-{n % 7}", "qty": 1 + n % 3}]
    return record


def test_three_seeded_deviations_among_a_thousand(seeded: Seeded) -> None:
    """A missing key path, a type change and a new key are reported once each; nothing else."""
    s3 = seeded.target.client("s3")
    payloads = {n: _payload(n) for n in range(1000)}
    del payloads[400]["status"]  # missing key path
    payloads[600]["amount"]["total"] = "12.50"  # type: ignore[index]  # type change
    payloads[800]["coupon"] = "XMAS"  # new key

    def put(n: int) -> None:
        s3.put_object(
            Bucket=seeded.created.bucket,
            Key=f"raw/A-{n:05d}.json",
            Body=json.dumps(payloads[n]).encode(),
        )

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(put, payloads))
    report = anomalies(seeded.target, since_ms=0)
    assert report.checked == 1000
    found = {(f.kind, f.path): f.count for f in report.findings}
    assert found == {
        ("missing key path", "status"): 1,
        ("type change", "amount.total"): 1,
        ("new key", "coupon"): 1,
    }
    examples = {f.kind: f.examples[0]["origin"] for f in report.findings}
    assert examples["missing key path"].startswith("s3 raw/A-00400.json")
    assert examples["type change"].startswith("s3 raw/A-00600.json")


def test_dlq_payloads_that_fail_shaping_are_reported(seeded: Seeded) -> None:
    """A dead-lettered record without its key is a shaping failure in the report."""
    seeded.send([json.dumps({"trellis": 1, "observed_at": 1, "record": {"status": "x"}})])
    seeded.process_all()
    report = anomalies(seeded.target, since_ms=0)
    assert [(f.kind, f.count) for f in report.findings] == [("fails shaping", 1)]
    assert "key field 'order_id'" in report.findings[0].examples[0]["detail"]
