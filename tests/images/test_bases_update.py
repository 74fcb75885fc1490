"""The reviewed base table: parsing, and `trellis images bases --update` against a local
fake of the registry's answer (a stand-in skopeo on PATH), never the network."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli.main import cli
from generator.images.bases import BASES_FILE, BaseTableError, load_bases, parse_bases
from generator.images.update import digest_of_manifest, rewrite_table

MANIFEST = b'{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}'
NEW = f"sha256:{hashlib.sha256(MANIFEST).hexdigest()}"


def _fake_skopeo(bin_dir: Path, answer: bytes | None) -> None:
    """A `skopeo` that prints ``answer`` for `inspect --raw docker://...`, or fails."""
    bin_dir.mkdir(exist_ok=True)
    script = bin_dir / "skopeo"
    (bin_dir / "answer").write_bytes(answer or b"")
    body = (
        f'[ "$1 $2" = "inspect --raw" ] || exit 9\ncat "{bin_dir / "answer"}"\n'
        if answer is not None
        else 'echo "pinging container registry: no such host" >&2\nexit 1\n'
    )
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(script.stat().st_mode | stat.S_IEXEC)


def _env(bin_dir: Path) -> dict[str, str]:
    return {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}


def test_committed_table_is_valid_and_covers_the_functions_runtime() -> None:
    """bases.toml parses, every digest is sha256:<64 hex>, python3.13 arm64 is there."""
    rows = load_bases()
    assert {(r.runtime, r.architecture) for r in rows} >= {("python3.13", "arm64")}
    assert all(r.reviewed and r.source for r in rows)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('digest = "sha256:', 'digest = "md5:'), "is not sha256:<64 hex>"),
        (('architecture = "arm64"', 'architecture = "s390x"'), "architecture 's390x'"),
        (('reviewed = "', 'reviewd = "'), "has fields"),
        (
            ("public.ecr.aws/lambda/python:3.12-arm64", "public.ecr.aws/lambda/python"),
            "repository:tag",
        ),
    ],
)
def test_a_malformed_row_is_refused(change: tuple[str, str], message: str) -> None:
    """Each kind of bad row raises BaseTableError naming the row."""
    text = BASES_FILE.read_text().replace(*change, 1)
    with pytest.raises(BaseTableError, match="base\\[0\\]") as raised:
        parse_bases(text)
    assert message in str(raised.value)


def test_a_repeated_runtime_and_architecture_is_refused() -> None:
    """Two rows for one runtime × architecture are ambiguous."""
    text = BASES_FILE.read_text()
    first = text[text.index("[[base]]") : text.index("[[base]]", text.index("[[base]]") + 1)]
    with pytest.raises(BaseTableError, match="repeats"):
        parse_bases(text + "\n" + first)


def test_rewrite_changes_only_the_named_row_and_keeps_comments() -> None:
    """One row's digest, source and reviewed change; every other line stays byte-identical."""
    text = BASES_FILE.read_text()
    new = rewrite_table(text, {("python3.13", "arm64"): (NEW, "fake registry", "2030-01-01")})
    before, after = text.splitlines(), new.splitlines()
    assert len(before) == len(after)
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert [b for _, b in changed] == [
        f'digest = "{NEW}"',
        'source = "fake registry"',
        'reviewed = "2030-01-01"',
    ]
    row = next(
        r for r in parse_bases(new) if (r.runtime, r.architecture) == ("python3.13", "arm64")
    )
    assert row.digest == NEW


def test_digest_of_manifest_is_sha256_of_the_raw_bytes() -> None:
    """What FROM ...@sha256: pins is the hash of the manifest bytes as served."""
    assert digest_of_manifest(MANIFEST) == NEW


def test_update_command_rewrites_every_row_from_the_fake_registry(tmp_path: Path) -> None:
    """`trellis images bases --update` with a fake skopeo: every row gets its digest."""
    table = tmp_path / "bases.toml"
    table.write_text(BASES_FILE.read_text())
    _fake_skopeo(tmp_path / "bin", MANIFEST)
    result = CliRunner().invoke(
        cli, ["images", "bases", "--update", "--table", str(table)], env=_env(tmp_path / "bin")
    )
    assert result.exit_code == 0, result.output
    rows = parse_bases(table.read_text())
    assert {r.digest for r in rows} == {NEW}
    assert all("skopeo inspect --raw" in r.source for r in rows)
    assert "3 changed" in result.output


def test_update_command_leaves_the_table_alone_when_the_registry_fails(tmp_path: Path) -> None:
    """No network (the fake fails like skopeo does): exit 1, the table unchanged."""
    table = tmp_path / "bases.toml"
    table.write_text(BASES_FILE.read_text())
    _fake_skopeo(tmp_path / "bin", None)
    result = CliRunner().invoke(
        cli, ["images", "bases", "--update", "--table", str(table)], env=_env(tmp_path / "bin")
    )
    assert result.exit_code == 1
    assert "no such host" in result.output
    assert table.read_text() == BASES_FILE.read_text()


def test_bases_lists_the_table() -> None:
    """`trellis images bases` prints each row pinned, with its review date and source."""
    result = CliRunner().invoke(cli, ["images", "bases"])
    assert result.exit_code == 0
    for row in load_bases():
        assert row.pinned in result.output
