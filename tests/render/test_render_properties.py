"""Property: any valid ingestion blueprint renders to HCL that parses and is fmt-canonical."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import hcl2
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.pipeline import load_and_resolve
from generator.policy.skips import builtin_skips
from generator.render.pipeline import render_deployments
from generator.write.atomic import write_tree
from runtime.ingest.dedup_store import EXPIRES_AT
from tests.helpers.terraform import fmt_problems
from tests.render.support import fixed_bundle, ingestion_blueprint, write_repo

names = st.from_regex(r"[a-z][a-z0-9-]{1,28}[a-z0-9]", fullmatch=True)
free_text = st.text(max_size=80)
field_names = st.text(min_size=1, max_size=20).filter(lambda n: not n.startswith("trellis_"))
dot_paths = st.from_regex(r"[A-Za-z0-9_]{1,8}(\.[A-Za-z0-9_]{1,8}){0,2}", fullmatch=True)


@st.composite
def blueprints(draw: st.DrawFn) -> dict[str, object]:
    """Valid ingestion blueprints with arbitrary free text, names and sizes."""
    fields = draw(st.dictionaries(field_names, dot_paths, min_size=1, max_size=4))
    key = draw(st.sampled_from(sorted(fields)))
    queue_trigger = draw(st.booleans())
    spec: dict[str, object] = {
        "source": {
            "http": {
                "url": "https://api.example.com/"
                + draw(st.from_regex(r"[a-z0-9/?=&%]{0,30}", fullmatch=True)),
                "records_path": draw(dot_paths),
                "headers": draw(
                    st.dictionaries(
                        st.from_regex(r"X-[A-Za-z]{1,10}", fullmatch=True), free_text, max_size=2
                    )
                ),
            }
        },
        "trigger": {"queue": {}} if queue_trigger else {"schedule": "rate(5 minutes)"},
        "shape": {"key": key, "fields": fields},
        "processing": {
            "batch_size": draw(st.integers(1, 10_000)),
            "max_concurrency": draw(st.integers(2, 1000)),
            "timeout_seconds": draw(st.integers(1, 900)),
        },
        "store": {"ttl_days": draw(st.none() | st.integers(1, 3650))},
    }
    document = ingestion_blueprint(draw(names), **spec)
    document["metadata"]["description"] = draw(free_text)  # type: ignore[index]
    return document


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(blueprints())
def test_generated_blueprints_render_to_parseable_canonical_hcl(
    document: dict[str, object],
) -> None:
    """Every generated blueprint renders; every file parses and fmt would change nothing."""
    workdir = Path(tempfile.mkdtemp(prefix="trellis-prop-"))
    try:
        _, deployments = load_and_resolve(write_repo(workdir / "repo", [document]))
        tree = render_deployments(deployments, fixed_bundle(), EXPIRES_AT, builtin_skips()).tree
        for path, data in tree.items():
            if path.suffix == ".tf":
                hcl2.loads(data.decode("utf-8"))
        out = workdir / "build"
        write_tree({p: d for p, d in tree.items() if p.parts[0] == "dev"}, out)
        assert fmt_problems(out) == []
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
