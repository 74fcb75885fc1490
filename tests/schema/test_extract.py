"""The extractor: cdktn assembly + generated JS → compact schema, cross-check, output bytes.

The fixture under ``fixtures/cdktn/package`` is a real excerpt of ``cdktn-provider-aws``
25.8.1: the jsii types of three modules (``s3BucketVersioning``, ``acmCertificateValidation``,
``dataAwsEksAccessPolicies``) and their generated ``index.js`` (inline source map removed).
``expected.json`` is what the extractor builds from it; for the two resources it is equal to
the exact 6.47.0 schema of those types (checked when the fixture was cut; the data source is
newer than 6.47.0).
"""

from __future__ import annotations

import gzip
import io
import json
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import pytest

from generator.schema.layout import SchemaLayoutError, to_compact
from tools.schema import extract
from tools.schema.cdktn import SchemaBuildError, build_schema
from tools.schema.crosscheck import merge
from tools.schema.js_classes import JsShapeError, getter_type, parse_js
from tools.schema.package import PackageError, read_wheel

FIXTURE = Path(__file__).parent / "fixtures" / "cdktn"
PACKAGE = FIXTURE / "package"
SCHEMA_DIR = Path(__file__).resolve().parents[2] / "generator" / "schema"
COMMITTED = SCHEMA_DIR / "aws-provider.json.gz"
CROSSCHECK = extract.REPORT_DEFAULT


def _fixture_schema() -> dict[str, Any]:
    types = json.loads((PACKAGE / ".jsii").read_text())["types"]
    modules = {d.name: parse_js((d / "index.js").read_text()) for d in (PACKAGE / "lib").iterdir()}
    return build_schema(types, modules).to_compact()


def _wheel(tmp_path: Path, *, redirect: bool) -> Path:
    """Pack the fixture like the real wheel: .whl → _jsii/*.jsii.tgz → package/..."""
    tgz = io.BytesIO()
    with tarfile.open(fileobj=tgz, mode="w:gz") as tar:

        def add(name: str, data: bytes) -> None:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))

        assembly = (PACKAGE / ".jsii").read_bytes()
        if redirect:
            pointer = {
                "schema": "jsii/file-redirect",
                "compression": "gzip",
                "filename": ".jsii.gz",
            }
            add("package/.jsii", json.dumps(pointer).encode())
            add("package/.jsii.gz", gzip.compress(assembly))
        else:
            add("package/.jsii", assembly)
        for js in sorted((PACKAGE / "lib").rglob("*.js")):
            add(f"package/{js.relative_to(PACKAGE).as_posix()}", js.read_bytes())
    wheel = tmp_path / "cdktn_provider_aws-25.8.1-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        zf.writestr("cdktn_provider_aws/_jsii/provider-aws@25.8.1.jsii.tgz", tgz.getvalue())
        zf.writestr("cdktn_provider_aws/__init__.py", "")
    return wheel


def test_fixture_excerpt_builds_the_expected_schema() -> None:
    """The real assembly excerpt yields exactly the reviewed compact schema."""
    expected = json.loads((FIXTURE / "expected.json").read_text())
    assert _fixture_schema() == expected


def test_fixture_recovers_flags_types_and_nesting() -> None:
    """Required/optional/computed, set vs list, single vs max-one list blocks, computed objects."""
    schema = _fixture_schema()
    versioning = schema["resource_schemas"]["aws_s3_bucket_versioning"]["block"]
    assert versioning["attributes"]["bucket"] == {"type": "string", "required": True}
    assert versioning["attributes"]["region"] == {
        "type": "string",
        "optional": True,
        "computed": True,
    }
    block = versioning["block_types"]["versioning_configuration"]
    assert (block["nesting_mode"], block["min_items"], block["max_items"]) == ("list", 1, 1)
    assert block["block"]["attributes"]["mfa_delete"] == {
        "type": "string",
        "optional": True,
        "computed": True,
    }
    validation = schema["resource_schemas"]["aws_acm_certificate_validation"]["block"]
    assert validation["attributes"]["validation_record_fqdns"]["type"] == ["set", "string"]
    assert validation["block_types"]["timeouts"]["nesting_mode"] == "single"
    policies = schema["data_source_schemas"]["aws_eks_access_policies"]["block"]
    assert policies["attributes"]["access_policies"] == {
        "type": ["list", ["object", {"arn": "string", "name": "string"}]],
        "computed": True,
    }
    assert schema["provider_version"] == "6.69.1"


@pytest.mark.parametrize("redirect", [False, True])
def test_read_wheel_finds_assembly_and_js(tmp_path: Path, redirect: bool) -> None:
    """A wheel laid out like the real one (plain or gzip-redirected .jsii) reads the same."""
    package = read_wheel(_wheel(tmp_path, redirect=redirect))
    assert sorted(package.modules) == [
        "acm-certificate-validation",
        "data-aws-eks-access-policies",
        "s3-bucket-versioning",
    ]
    assert build_schema(package.types, package.modules).to_compact() == _fixture_schema()


def test_read_wheel_without_assembly_is_a_package_error(tmp_path: Path) -> None:
    """A wheel with no _jsii tarball is rejected with a PackageError naming the file."""
    wheel = tmp_path / "empty.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        zf.writestr("x/__init__.py", "")
    with pytest.raises(PackageError, match=r"empty\.whl"):
        read_wheel(wheel)


def test_parse_js_reads_type_flags_and_hcl_kinds() -> None:
    """The generated JS gives the Terraform type, flag comments and HCL synthesis kinds."""
    module = parse_js((PACKAGE / "lib/s3-bucket-versioning/index.js").read_text())
    resource = module.classes["S3BucketVersioningA"]
    assert resource.tf_type == "aws_s3_bucket_versioning"
    assert resource.fields["bucket"].required
    assert resource.hcl["versioning_configuration"].is_block
    nested = module.classes["S3BucketVersioningVersioningConfigurationOutputReference"]
    assert nested.fields["mfa_delete"].computed and nested.fields["mfa_delete"].optional
    assert module.struct_hcl("S3BucketVersioningVersioningConfiguration")["status"].kind == "simple"


def test_unknown_getter_shape_fails_loudly() -> None:
    """A getter shape the reader has not seen raises instead of guessing a type."""
    assert getter_type("cdktn.Fn.tolist(this.getListAttribute('N'))") == ["set", "string"]
    with pytest.raises(JsShapeError):
        getter_type("this.getFancyAttribute('N')")


def test_build_schema_without_js_is_an_error() -> None:
    """A resource class whose module JS is missing stops the build with its fqn."""
    types = json.loads((PACKAGE / ".jsii").read_text())["types"]
    with pytest.raises(SchemaBuildError, match="no generated JS"):
        build_schema(types, {})


def _attr(**flags: Any) -> dict[str, Any]:
    return {"type": "string", **flags}


def test_merge_keeps_cdktn_flags_and_takes_what_only_exact_knows() -> None:
    """Shared attrs keep 6.69.1 flags, gain sensitive and max_items; differences are listed."""
    cdktn = {
        "provider_version": "6.69.1",
        "resource_schemas": {
            "aws_x": {
                "version": 0,
                "block": {
                    "attributes": {
                        "a": _attr(optional=True),
                        "new": _attr(optional=True),
                        "secret": _attr(optional=True),
                    },
                    "block_types": {"rule": {"nesting_mode": "list", "block": {}}},
                },
            },
            "aws_new": {"version": 0, "block": {}},
        },
        "data_source_schemas": {},
    }
    exact = {
        "resource_schemas": {
            "aws_x": {
                "version": 2,
                "block": {
                    "attributes": {
                        "a": _attr(required=True),
                        "gone": _attr(optional=True),
                        "secret": _attr(optional=True, sensitive=True),
                    },
                    "block_types": {"rule": {"nesting_mode": "list", "max_items": 20, "block": {}}},
                },
            },
            "aws_old": {"version": 0, "block": {}},
        },
        "data_source_schemas": {},
    }
    merged, agreement, disagreements = merge(cdktn, exact)
    block = merged["resource_schemas"]["aws_x"]["block"]
    assert block["attributes"] == {
        "a": _attr(optional=True),
        "new": _attr(optional=True),
        "secret": _attr(optional=True, sensitive=True),
    }
    assert block["block_types"]["rule"]["max_items"] == 20
    assert merged["resource_schemas"]["aws_x"]["version"] == 2
    assert sorted(merged["resource_schemas"]) == ["aws_new", "aws_x"]
    assert (agreement.types_both, agreement.types_cdktn_only, agreement.types_exact_only) == (
        1,
        1,
        1,
    )
    assert (agreement.attributes_compared, agreement.attributes_agreeing) == (2, 1)
    assert [(d.path, d.field) for d in disagreements] == [
        ("a", "optional"),
        ("a", "required"),
        ("rule", "max_items"),
    ]
    preferred, _, _ = merge(cdktn, exact, prefer_exact=True)
    assert preferred["resource_schemas"]["aws_x"]["block"]["attributes"]["a"] == _attr(
        required=True
    )


def test_layout_reduces_terraform_providers_schema_json() -> None:
    """`terraform providers schema -json` output is reduced to the compact layout."""
    document = {
        "format_version": "1.0",
        "provider_schemas": {
            "registry.terraform.io/hashicorp/aws": {
                "resource_schemas": {
                    "aws_x": {
                        "version": 1,
                        "block": {
                            "attributes": {
                                "a": {"type": "string", "optional": True, "description": "d"}
                            },
                            "description_kind": "plain",
                        },
                    }
                },
                "data_source_schemas": {},
            }
        },
    }
    assert to_compact(document) == {
        "provider_version": "",
        "resource_schemas": {
            "aws_x": {
                "version": 1,
                "block": {"attributes": {"a": {"type": "string", "optional": True}}},
            }
        },
        "data_source_schemas": {},
    }
    with pytest.raises(SchemaLayoutError):
        to_compact({"something": "else"})


def test_deterministic_gzip_is_byte_stable_with_zero_mtime() -> None:
    """Same document, same bytes; the gzip header carries mtime 0 and no file name."""
    document = {"b": 1, "a": [1, 2]}
    first = extract.deterministic_gzip(document)
    assert first == extract.deterministic_gzip({"a": [1, 2], "b": 1})
    assert first[4:8] == b"\x00\x00\x00\x00"
    assert json.loads(gzip.decompress(first)) == document


def test_committed_schema_header_and_agreement_figures() -> None:
    """The committed file names 6.69.1 and its sources; the two sources agree on 99.8%."""
    document = json.loads(gzip.decompress(COMMITTED.read_bytes()))
    assert document["provider_version"] == "6.69.1"
    assert "cdktn-provider-aws==25.8.1" in document["sources"]["cdktn"]
    assert "6.47.0" in document["sources"]["exact"]
    check = document["cross_check"]
    assert len(document["resource_schemas"]) == 1735
    assert len(document["data_source_schemas"]) == 685
    assert (check["types_both"], check["types_cdktn_only"], check["types_exact_only"]) == (
        2319,
        101,
        0,
    )
    assert check["types_identical"] == 2085
    assert (check["attributes_agreeing"], check["attributes_compared"]) == (37475, 37535)
    assert (check["blocks_agreeing"], check["blocks_compared"]) == (6621, 6949)
    report = json.loads(CROSSCHECK.read_text())
    assert report["cross_check"] == check
    disagreeing_attributes = {
        (d["kind"], d["type"], d["path"])
        for d in report["disagreements"]
        if d["field"] in ("type", "required", "optional", "computed")
    }
    assert (
        len(disagreeing_attributes) == check["attributes_compared"] - check["attributes_agreeing"]
    )


def test_js_that_disagrees_with_the_assembly_stops_the_build() -> None:
    """A settable property without its flag comment in the JS is an error, not a guess."""
    types = json.loads((PACKAGE / ".jsii").read_text())["types"]
    modules = {d.name: parse_js((d / "index.js").read_text()) for d in (PACKAGE / "lib").iterdir()}
    versioning = (PACKAGE / "lib/s3-bucket-versioning/index.js").read_text()
    broken = versioning.replace(
        "    // mfa - computed: false, optional: true, required: false\n", ""
    )
    assert broken != versioning
    modules["s3-bucket-versioning"] = parse_js(broken)
    with pytest.raises(SchemaBuildError, match="'mfa' missing from the generated JS"):
        build_schema(types, modules)
