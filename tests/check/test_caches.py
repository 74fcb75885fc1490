"""One parse per distinct .tf text per run; per-file and per-folder results cached by content."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from generator.check import account_readiness, hcl_parse, provider_schema, terraform_fmt, workflows
from generator.check.context import CheckContext, StackRef
from generator.policy.findings import Finding
from tests.check.conftest import context_for, copy_basic

PARSING = (hcl_parse, provider_schema, account_readiness)

CLEAN_WORKFLOW = """\
name: clean
on: push
permissions: {}
jobs:
  build:
    runs-on: ubuntu-24.04
    steps:
      - run: echo hello
"""

INJECTED_WORKFLOW = """\
name: injected
on: pull_request_target
permissions: {}
jobs:
  greet:
    runs-on: ubuntu-24.04
    steps:
      - run: echo "${{ github.event.pull_request.title }}"
"""


def _with_twin(tmp_path: Path) -> CheckContext:
    """The basic tree plus dev/twin, a byte-identical copy of dev/orders."""
    repo = copy_basic(tmp_path / "repo")
    shutil.copytree(repo / "build" / "dev" / "orders", repo / "build" / "dev" / "twin")
    return context_for(repo)


def _check(context: CheckContext) -> list[Finding]:
    return sorted(f for module in PARSING for f in module.run(context))


def _fresh(context: CheckContext) -> CheckContext:
    """The same inputs in a new run (nothing in memory, the disk cache kept)."""
    return context_for(context.repo_root)


def test_each_distinct_text_is_parsed_once_per_run(tmp_path: Path) -> None:
    """Three validators over two identical stacks parse each distinct text exactly once."""
    context = _with_twin(tmp_path)
    texts = {p.read_bytes() for p in context.build_dir.rglob("*.tf")}
    assert len(texts) < len(list(context.build_dir.rglob("*.tf")))
    _check(context)
    assert context.sources.parses == len(texts)


def test_recheck_parses_only_changed_texts(tmp_path: Path) -> None:
    """A new run over an unchanged tree parses nothing; one changed file is parsed alone."""
    context = _with_twin(tmp_path)
    first = _check(context)
    again = _fresh(context)
    assert _check(again) == first and again.sources.parses == 0
    outputs = context.build_dir / "dev" / "twin" / "outputs.tf"
    outputs.write_text(outputs.read_text(encoding="utf-8") + '\noutput "x" {\n', "utf-8")
    changed = _fresh(context)
    findings = _check(changed)
    assert changed.sources.parses == 1
    assert {(f.check_id, f.file) for f in findings if f not in first} == {
        ("TRL_HCL_SYNTAX", "dev/twin/outputs.tf"),
        ("TRL_TF_CONFIG", "dev/twin/outputs.tf"),
    }


@pytest.mark.parametrize("garbage", ["{not json", "[1, 2]", '{"hcl_parse": 3}', ""])
def test_corrupt_cache_entries_are_ignored_and_rewritten(tmp_path: Path, garbage: str) -> None:
    """Any damaged per-file or per-folder entry is recomputed; the findings do not change."""
    context = _with_twin(tmp_path)
    first = _check(context)
    entries = [
        *(context.cache_dir / "tf-files").rglob("*.json"),
        *(context.cache_dir / "tf-config").glob("*.json"),
    ]
    assert entries
    for entry in entries:
        entry.write_text(garbage, encoding="utf-8")
    again = _fresh(context)
    assert _check(again) == first
    assert again.sources.parses == len({p.read_bytes() for p in context.build_dir.rglob("*.tf")})
    assert all(entry.read_text(encoding="utf-8") != garbage for entry in entries)


def test_config_loads_are_cached_per_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Terraform config loader runs again only for the directory whose files changed."""
    context = _with_twin(tmp_path)
    loaded: list[str] = []
    real = hcl_parse._load_directory

    def recording(build: Path, directory: Path) -> list[Finding]:
        loaded.append(directory.relative_to(build).as_posix())
        return real(build, directory)

    monkeypatch.setattr(hcl_parse, "_load_directory", recording)
    first = hcl_parse.run(context)
    assert "dev/twin" in loaded and "modules/queue" in loaded
    loaded.clear()
    assert hcl_parse.run(_fresh(context)) == first and loaded == []
    main = context.build_dir / "dev" / "twin" / "main.tf"
    main.write_text(main.read_text(encoding="utf-8") + "\n# changed\n", "utf-8")
    hcl_parse.run(_fresh(context))
    assert loaded == ["dev/twin"]


def test_fmt_runs_only_over_texts_it_has_not_seen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """terraform fmt sees only new texts; its answer for a changed file is the uncached one."""
    context = _with_twin(tmp_path)
    given: list[list[str]] = []
    real = terraform_fmt._fmt

    def recording(directory: Path) -> tuple[list[str], list[Finding]]:
        given.append(sorted(p.relative_to(directory).as_posix() for p in directory.rglob("*.tf")))
        return real(directory)

    monkeypatch.setattr(terraform_fmt, "_fmt", recording)
    assert terraform_fmt.run(context) == []
    assert "modules/queue/main.tf" in given[0] and "dev/twin/outputs.tf" in given[0]
    assert terraform_fmt.run(_fresh(context)) == [] and len(given) == 1
    outputs = context.build_dir / "dev" / "twin" / "outputs.tf"
    outputs.write_text(outputs.read_text(encoding="utf-8").replace("       =", " ="), "utf-8")
    findings = terraform_fmt.run(_fresh(context))
    assert given[-1] == ["dev/twin/outputs.tf"]
    assert [(f.check_id, f.file, f.stack) for f in findings] == [
        ("TRL_FMT", "dev/twin/outputs.tf", "dev/twin")
    ]
    (context.cache_dir / "terraform-fmt.json").write_text("{", encoding="utf-8")
    assert terraform_fmt.run(_fresh(context)) == findings


def test_backend_rule_resolves_each_path_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The backend rule is one pass: Path.resolve is called once per stack and per backend,
    not once per pair of them."""
    stacks = []
    backends: dict[Path, dict[str, Any]] = {}
    for index in range(200):
        path = tmp_path / "build" / "dev" / f"s{index:03d}"
        stacks.append(StackRef("dev", path.name, path))
        if index % 2:
            backends[path / "backend.tf"] = {
                "type": "s3",
                "encrypt": True,
                "use_lockfile": True,
                "line": 2,
            }
    context = CheckContext(tmp_path, tmp_path / "build", tuple(stacks), (), tmp_path / "cache")
    calls = 0
    real = Path.resolve

    def counting(self: Path, strict: bool = False) -> Path:
        nonlocal calls
        calls += 1
        return real(self, strict)

    monkeypatch.setattr(Path, "resolve", counting)
    findings = hcl_parse._backend_findings(context, backends)
    assert calls <= len(stacks) + len(backends)
    assert sorted(f.stack or "" for f in findings) == [f"dev/s{i:03d}" for i in range(0, 200, 2)]


def _workflow_tree(tmp_path: Path) -> CheckContext:
    repo = tmp_path / "repo"
    directory = repo / "build" / ".github" / "workflows"
    directory.mkdir(parents=True)
    (directory / "clean.yml").write_text(CLEAN_WORKFLOW, encoding="utf-8")
    (directory / "injected.yml").write_text(INJECTED_WORKFLOW, encoding="utf-8")
    return CheckContext(repo, repo / "build", (), (), repo / ".trellis" / "cache" / "check")


def _record_workflow_lint(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The names of the files each real workflow lint is run over, in order."""
    linted: list[list[str]] = []
    real = workflows.lint

    def recording(build: Path, files: Any, repo_root: Path | None = None) -> list[Finding]:
        linted.append([Path(f).name for f in files])
        return real(build, files, repo_root)

    monkeypatch.setattr(workflows, "lint", recording)
    return linted


def test_workflow_lint_is_cached_per_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Unchanged workflows are not linted again; a changed one is linted alone; the cached
    findings equal a fresh lint's, and a corrupt entry is linted again."""
    context = _workflow_tree(tmp_path)
    linted = _record_workflow_lint(monkeypatch)
    first = workflows.run(context)
    assert linted == [["clean.yml", "injected.yml"]]
    assert any(f.file == ".github/workflows/injected.yml" for f in first)
    assert workflows.run(context) == first and len(linted) == 1
    clean = context.build_dir / ".github" / "workflows" / "clean.yml"
    clean.write_text(CLEAN_WORKFLOW.replace("hello", "again"), encoding="utf-8")
    assert workflows.run(context) == first
    assert linted[-1] == ["clean.yml"]
    for entry in (context.cache_dir / "workflows").glob("*.json"):
        entry.write_text("[{", encoding="utf-8")
    assert workflows.run(context) == first
    assert linted[-1] == ["clean.yml", "injected.yml"]


def test_workflow_lint_without_a_tool_is_still_cached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With actionlint missing, a re-check lints nothing and still reports the missing tool
    once; installing it (the tools' identity changes) lints every workflow again."""
    monkeypatch.delenv("TRELLIS_NODE_MODULES", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    context = _workflow_tree(tmp_path)
    linted = _record_workflow_lint(monkeypatch)
    first = workflows.run(context)
    assert [f.check_id for f in first].count("TRL_WORKFLOW_TOOL_MISSING") == 1
    assert any(f.check_id.startswith("ZIZMOR_") for f in first)
    assert workflows.run(context) == first and len(linted) == 1
    identity = workflows._tools_identity(context.repo_root)
    assert "missing" in identity
    monkeypatch.setattr(workflows, "_tools_identity", lambda _root: identity + "|installed")
    workflows.run(context)
    assert linted[-1] == ["clean.yml", "injected.yml"]


def test_iam_lint_is_cached_per_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A re-check lints no unchanged policy file; a changed file is linted alone; an
    organisation rule added re-lints every file; cached findings equal a fresh lint's."""
    from generator.check import iam

    repo = copy_basic(tmp_path / "repo")
    context = context_for(repo)
    linted: list[str] = []
    real = iam.lint_review_file

    def recording(path: Path, **kwargs: Any) -> list[Finding]:
        linted.append(path.relative_to(context.build_dir).as_posix())
        return real(path, **kwargs)

    monkeypatch.setattr(iam, "lint_review_file", recording)
    first = iam.run(context)
    files = sorted(
        p.relative_to(context.build_dir).as_posix()
        for p in context.build_dir.glob("*/*/iam/*.json")
    )
    assert files and sorted(linted) == files
    linted.clear()
    assert iam.run(_fresh(context)) == first and linted == []
    changed = context.build_dir / files[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert iam.run(_fresh(context)) == first and linted == [files[0]]
    linted.clear()
    rules = repo / "policies" / "iam" / "org.yaml"
    rules.parent.mkdir(parents=True, exist_ok=True)
    rules.write_text(
        "apiVersion: trellis/v1\nkind: IamRules\nrules:\n  - id: NO_IAM_PASS\n"
        "    description: no role passing at all\n"
        "    actions: ['iam:PassRole']\n    forbid: true\n",
        encoding="utf-8",
    )
    iam.run(_fresh(context))
    assert sorted(linted) == files
