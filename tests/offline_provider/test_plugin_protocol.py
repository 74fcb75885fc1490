"""The plugin as Terraform starts it: magic cookie, handshake line, TLS, shutdown."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

import grpc
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from generator.offline_provider.proto import goplugin_pb2 as gp
from generator.offline_provider.proto import tfplugin6_pb2 as pb
from generator.offline_provider.provider import PLAN_ONLY
from generator.offline_provider.runner import validate_stack
from generator.offline_provider.schema_messages import response_bytes
from generator.offline_provider.schema_model import select
from generator.offline_provider.server import MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE, Selection
from generator.offline_provider.session import OfflineSession, load_schema
from generator.offline_provider.workspace import scan_stack

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def selection_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A served selection with one resource and one data source."""
    schema, digest = load_schema()
    selected = select(schema, ["aws_sqs_queue"], ["aws_iam_policy_document"])
    directory = tmp_path_factory.mktemp("selection")
    Selection(selected, response_bytes(selected, digest, directory)).write(directory)
    return directory


def _start(selection_dir: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "generator.offline_provider", "--selection", str(selection_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO_ROOT,
        env={**os.environ, **env},
    )


def test_without_magic_cookie_the_plugin_explains_and_exits(selection_dir: Path) -> None:
    """Run by hand, the plugin says what it is and exits 1."""
    env = {k: v for k, v in os.environ.items() if k != MAGIC_COOKIE_KEY}
    result = subprocess.run(
        [sys.executable, "-m", "generator.offline_provider", "--selection", str(selection_dir)],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=env,
        check=False,
        timeout=60,
    )
    assert result.returncode == 1
    assert "started by Terraform" in result.stderr


def test_handshake_presents_a_certificate_and_serves_over_tls(
    selection_dir: Path, tmp_path: Path
) -> None:
    """With PLUGIN_CLIENT_CERT set the handshake's sixth field is the server certificate."""
    client_cert = _client_certificate()
    process = _start(
        selection_dir,
        {
            MAGIC_COOKIE_KEY: MAGIC_COOKIE_VALUE,
            "PLUGIN_PROTOCOL_VERSIONS": "5,6",
            "PLUGIN_CLIENT_CERT": client_cert,
        },
    )
    try:
        assert process.stdout is not None
        fields = process.stdout.readline().strip().split("|")
        assert fields[:3] == ["1", "6", "tcp"]
        assert fields[4] == "grpc"
        der = base64.b64decode(fields[5] + "=" * (-len(fields[5]) % 4))
        certificate = x509.load_der_x509_certificate(der)
        names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName)
        assert names.value.get_values_for_type(x509.DNSName) == ["localhost"]
        pem = certificate.public_bytes(serialization.Encoding.PEM)
        credentials = grpc.ssl_channel_credentials(root_certificates=pem)
        options = [("grpc.ssl_target_name_override", "localhost")]
        with grpc.secure_channel(fields[3], credentials, options=options) as channel:
            schema = channel.unary_unary(
                "/tfplugin6.Provider/GetProviderSchema",
                request_serializer=pb.GetProviderSchema.Request.SerializeToString,
                response_deserializer=pb.GetProviderSchema.Response.FromString,
            )(pb.GetProviderSchema.Request(), timeout=30)
            assert sorted(schema.resource_schemas) == ["aws_sqs_queue"]
            assert "region" in {a.name for a in schema.provider.block.attributes}
            applied = channel.unary_unary(
                "/tfplugin6.Provider/ApplyResourceChange",
                request_serializer=pb.ApplyResourceChange.Request.SerializeToString,
                response_deserializer=pb.ApplyResourceChange.Response.FromString,
            )(pb.ApplyResourceChange.Request(type_name="aws_sqs_queue"), timeout=30)
            assert applied.diagnostics[0].summary == PLAN_ONLY
            channel.unary_unary(
                "/plugin.GRPCController/Shutdown",
                request_serializer=gp.Empty.SerializeToString,
                response_deserializer=gp.Empty.FromString,
            )(gp.Empty(), timeout=30)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()


def test_terraform_starts_the_generated_launcher_through_dev_overrides(
    build_tree: Path, cache_dir: Path
) -> None:
    """Without reattaching, Terraform runs the launcher from the CLI config (AutoMTLS on)."""
    stack = build_tree / "dev/orders"
    with OfflineSession([scan_stack(stack)], cache_dir, attach=False) as session:
        assert validate_stack(stack, session=session, build_dir=build_tree) == []


def _client_certificate() -> str:
    """A throwaway client certificate in PEM, as Terraform puts in PLUGIN_CLIENT_CERT."""
    from generator.offline_provider.server import _server_certificate

    _key, cert_pem, _der = _server_certificate()
    return cert_pem.decode()
