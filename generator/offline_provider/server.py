"""Serving the offline provider: the go-plugin handshake, TLS, and the two ways to run.

*Managed*: Terraform starts the plugin (the launcher of
:mod:`~generator.offline_provider.workspace` runs ``python -m generator.offline_provider``)
and reads one handshake line from its stdout,
``1|6|tcp|127.0.0.1:PORT|grpc|CERT``: go-plugin's core protocol version, the plugin
protocol version, where to connect, and, because Terraform asks for AutoMTLS by setting
``PLUGIN_CLIENT_CERT``, the server's certificate (DER, unpadded base64), which Terraform
pins as the only root it trusts. The server does not in turn verify Terraform's client
certificate: with ``require_client_auth`` and that certificate as the only client root,
every call from Terraform 1.15.5 failed (go-plugin issues a P-521 ECDSA client
certificate; the cause inside grpcio's TLS stack was not pinned down). The port is bound
to 127.0.0.1, and the plugin holds no credentials and can change nothing.
It exits when Terraform calls ``plugin.GRPCController/Shutdown``.

*Reattached*: :func:`start_in_process` serves on a loopback port inside the calling
process, and Terraform is pointed at it with ``TF_REATTACH_PROVIDERS`` in "test" mode, so
one server answers every Terraform command of a session and is never killed by them.

What can go wrong: started by hand rather than by Terraform, the plugin prints what it is
and exits 1 (no magic cookie); a Terraform that does not offer protocol 6 gets exit 1.
"""

from __future__ import annotations

import base64
import datetime
import json
import os
import sys
import threading
from concurrent import futures
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import grpc

from generator.offline_provider.proto import goplugin_pb2 as gp
from generator.offline_provider.provider import OfflineProvider

MAGIC_COOKIE_KEY: Final = "TF_PLUGIN_MAGIC_COOKIE"
MAGIC_COOKIE_VALUE: Final = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"
PROVIDER_ADDRESS: Final = "registry.terraform.io/hashicorp/aws"
SELECTION_FILE: Final = "selected.json"
SCHEMA_FILE: Final = "schema.pb"


@dataclass(frozen=True)
class Selection:
    """What one server serves: the cut-down compact schema and its serialised response."""

    selected: dict[str, Any]
    schema_response: bytes

    @classmethod
    def read(cls, directory: Path) -> Selection:
        """Read ``selected.json`` and ``schema.pb`` written by the workspace."""
        selected = json.loads((directory / SELECTION_FILE).read_text())
        return cls(selected, (directory / SCHEMA_FILE).read_bytes())

    def write(self, directory: Path) -> None:
        """Write both files so a managed plugin process can read them."""
        directory.mkdir(parents=True, exist_ok=True)
        (directory / SELECTION_FILE).write_text(json.dumps(self.selected, sort_keys=True))
        (directory / SCHEMA_FILE).write_bytes(self.schema_response)


def _host_services(shutdown: threading.Event, exit_on_shutdown: bool) -> list[Any]:
    def shutdown_rpc(_request: gp.Empty, _context: grpc.ServicerContext) -> gp.Empty:
        if exit_on_shutdown:
            shutdown.set()
        return gp.Empty()

    def stream_stdio(_request: gp.Empty, _context: grpc.ServicerContext) -> Any:
        # The offline provider writes nothing worth forwarding; end the stream at once.
        return iter(())

    controller = grpc.method_handlers_generic_handler(
        "plugin.GRPCController",
        {
            "Shutdown": grpc.unary_unary_rpc_method_handler(
                shutdown_rpc,
                request_deserializer=gp.Empty.FromString,
                response_serializer=gp.Empty.SerializeToString,
            )
        },
    )
    stdio = grpc.method_handlers_generic_handler(
        "plugin.GRPCStdio",
        {
            "StreamStdio": grpc.unary_stream_rpc_method_handler(
                stream_stdio,
                request_deserializer=gp.Empty.FromString,
                response_serializer=gp.StdioData.SerializeToString,
            )
        },
    )
    return [controller, stdio]


def _new_server(
    selection: Selection, shutdown: threading.Event, exit_on_shutdown: bool
) -> grpc.Server:
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
    provider = OfflineProvider(selection.selected, selection.schema_response)
    server.add_generic_rpc_handlers(
        [provider.handler(), *_host_services(shutdown, exit_on_shutdown)]
    )
    return server


# ---------------------------------------------------------------------------- reattached


@dataclass
class RunningServer:
    """A server running inside this process; ``reattach`` is the TF_REATTACH_PROVIDERS JSON."""

    server: grpc.Server
    port: int

    @property
    def reattach(self) -> str:
        """The ``TF_REATTACH_PROVIDERS`` value pointing Terraform at this server."""
        return json.dumps(
            {
                PROVIDER_ADDRESS: {
                    "Protocol": "grpc",
                    "ProtocolVersion": 6,
                    "Pid": os.getpid(),
                    "Test": True,
                    "Addr": {"Network": "tcp", "String": f"127.0.0.1:{self.port}"},
                }
            }
        )

    def stop(self) -> None:
        """Stop serving at once."""
        self.server.stop(0)


def start_in_process(selection: Selection) -> RunningServer:
    """Serve ``selection`` on a free loopback port in this process, plaintext."""
    server = _new_server(selection, threading.Event(), exit_on_shutdown=False)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    return RunningServer(server, port)


# ---------------------------------------------------------------------------- managed


def _server_certificate() -> tuple[bytes, bytes, bytes]:
    """A fresh self-signed certificate for ``localhost``: (key PEM, cert PEM, cert DER)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "trellis offline provider"),
            x509.NameAttribute(NameOID.COMMON_NAME, "localhost"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(seconds=30))
        .not_valid_after(now + datetime.timedelta(hours=12))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=True,
                data_encipherment=False,
                key_agreement=True,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage(
                [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return (
        key_pem,
        cert.public_bytes(serialization.Encoding.PEM),
        cert.public_bytes(serialization.Encoding.DER),
    )


def serve_managed(selection_dir: Path) -> int:
    """Run as a plugin started by Terraform: handshake on stdout, serve until shutdown."""
    if os.environ.get(MAGIC_COOKIE_KEY) != MAGIC_COOKIE_VALUE:
        print(
            "This is trellis's offline hashicorp/aws provider, a Terraform plugin. It is "
            "started by Terraform (see `trellis plan --offline`), not run by hand.",
            file=sys.stderr,
        )
        return 1
    offered = os.environ.get("PLUGIN_PROTOCOL_VERSIONS", "6").split(",")
    if "6" not in offered:
        print(f"offline provider speaks protocol 6; Terraform offers {offered}", file=sys.stderr)
        return 1
    shutdown = threading.Event()
    server = _new_server(Selection.read(selection_dir), shutdown, exit_on_shutdown=True)
    client_cert = os.environ.get("PLUGIN_CLIENT_CERT")
    fields = ["1", "6", "tcp"]
    if client_cert:
        key_pem, cert_pem, cert_der = _server_certificate()
        # Client verification stays off: see the module docstring (P-521 client cert).
        credentials = grpc.ssl_server_credentials([(key_pem, cert_pem)])
        port = server.add_secure_port("127.0.0.1:0", credentials)
        cert_field = base64.b64encode(cert_der).decode().rstrip("=")
        fields += [f"127.0.0.1:{port}", "grpc", cert_field]
    else:
        port = server.add_insecure_port("127.0.0.1:0")
        fields += [f"127.0.0.1:{port}", "grpc"]
    server.start()
    sys.stdout.write("|".join(fields) + "\n")
    sys.stdout.flush()
    shutdown.wait()
    server.stop(0.5)
    return 0
