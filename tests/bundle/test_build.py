"""The runtime bundle: complete, small, deterministic, cached."""

from __future__ import annotations

import base64
import hashlib
import io
import zipfile
from pathlib import Path

import pytest

from generator.bundle import HANDLERS, Bundle, BundleBuildError, build_runtime_bundle
from generator.bundle.archive import FIXED_DATE, deterministic_zip
from generator.bundle.build import runtime_files


def _entries(bundle: Bundle) -> list[zipfile.ZipInfo]:
    return zipfile.ZipFile(io.BytesIO(bundle.data)).infolist()


def test_bundle_is_named_and_hashed_by_content(bundle: Bundle) -> None:
    """filename is <sha256>.zip and base64_sha256 is what source_code_hash expects."""
    digest = hashlib.sha256(bundle.data)
    assert bundle.filename == f"{digest.hexdigest()}.zip"
    assert bundle.base64_sha256 == base64.b64encode(digest.digest()).decode()


def test_bundle_holds_the_runtime_and_its_dependencies_but_not_boto3(bundle: Bundle) -> None:
    """Every runtime source, stamina and tenacity are in; boto3 and caches are not."""
    names = {info.filename for info in _entries(bundle)}
    assert set(runtime_files()) <= names
    assert {"stamina/__init__.py", "tenacity/__init__.py"} <= names
    for handler in HANDLERS.values():
        module = handler.rsplit(".", 1)[0]
        assert module.replace(".", "/") + ".py" in names
    assert not any(n.startswith(("boto3/", "botocore/")) for n in names)
    assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)
    assert not any(n.endswith(("/RECORD", "/INSTALLER", "/direct_url.json")) for n in names)


def test_bundle_entries_are_sorted_with_fixed_dates_and_modes(bundle: Bundle) -> None:
    """Sorted names, 1980-01-01 timestamps, regular files with mode 0644."""
    entries = _entries(bundle)
    assert [e.filename for e in entries] == sorted(e.filename for e in entries)
    assert {e.date_time for e in entries} == {FIXED_DATE}
    assert {e.external_attr >> 16 for e in entries} == {0o100644}


def test_bundle_is_under_128_kilobytes(bundle: Bundle) -> None:
    """With boto3 from the Lambda runtime the zip stays small.

    The budget was 100 KiB until ordering, deadlines, resume, the stop switch and
    telemetry joined the ingestion runtime (108 KB then), and 128 KiB until the settings
    contract (``runtime/contract/``: one typed definition, parser and serialiser of every
    settings shape, no dependency) replaced the hand-written parsers (+6 KB, 130.5 KiB
    then); the auth runtime and its crypto wheels ship in their own zip and never count here.
    """
    assert len(bundle.data) <= 136 * 1024


def test_builds_in_different_directories_are_byte_identical(
    wheelhouse: Path, tmp_path: Path, bundle: Bundle
) -> None:
    """A second build from scratch elsewhere produces the same sha256."""
    again = build_runtime_bundle(tmp_path / "elsewhere", find_links=wheelhouse)
    assert again.sha256 == bundle.sha256


def test_unchanged_runtime_is_served_from_cache(wheelhouse: Path, tmp_path: Path) -> None:
    """The second call with the same inputs reuses the cached zip file untouched."""
    first = build_runtime_bundle(tmp_path, find_links=wheelhouse)
    (cached,) = tmp_path.glob("runtime-*.zip")
    stamp = cached.stat().st_mtime_ns
    second = build_runtime_bundle(tmp_path, find_links=wheelhouse)
    assert second == first
    assert cached.stat().st_mtime_ns == stamp
    assert len(list(tmp_path.iterdir())) == 1


def test_a_different_platform_is_a_different_cache_entry(wheelhouse: Path, tmp_path: Path) -> None:
    """Changing the Python version or architecture builds anew under another key."""
    build_runtime_bundle(tmp_path, find_links=wheelhouse)
    build_runtime_bundle(tmp_path, find_links=wheelhouse, python_version="3.12")
    assert len(list(tmp_path.glob("runtime-*.zip"))) == 2


def test_pip_failure_is_reported_with_pips_message(wheelhouse: Path, tmp_path: Path) -> None:
    """A requirement whose hash does not match fails the build with pip's explanation."""
    bad = tmp_path / "requirements.txt"
    bad.write_text("stamina==26.1.0 --hash=sha256:" + "0" * 64 + "\n")
    with pytest.raises(BundleBuildError, match="pip could not install"):
        build_runtime_bundle(tmp_path / "cache", requirements=bad, find_links=wheelhouse)


def test_deterministic_zip_refuses_unsafe_names() -> None:
    """Absolute and parent-relative names cannot enter an archive."""
    with pytest.raises(ValueError, match="unsafe"):
        deterministic_zip({"../evil.py": b""})


def test_deterministic_zip_ignores_insertion_order() -> None:
    """The same files in any order give the same bytes."""
    assert deterministic_zip({"b": b"2", "a": b"1"}) == deterministic_zip({"a": b"1", "b": b"2"})
