"""The tfplugin6 ``Provider`` service of the offline AWS provider.

Each RPC decodes its msgpack values against the schema of the type it names, does what
the real provider would do where that needs no AWS account (see
:mod:`~generator.offline_provider.planning` and
:mod:`~generator.offline_provider.data_sources`), and answers. Apply and import refuse
with "offline provider: plan only". Validation adds the one schema rule Terraform core
leaves to providers: a computed-only attribute must not be set.

Several provider configurations (aliases, and every Terraform command of a session) talk
to one server over their own connections; the configuration each one sent with
``ConfigureProvider`` is kept per connection (the gRPC peer) so each resource is planned
with its own provider's region, account and default tags.

What can go wrong: a request for a type the server does not serve is answered with an
error diagnostic (Terraform only asks for types it got from ``GetProviderSchema``, so this
signals a bug). Anything else that raises inside a handler is an internal error: gRPC
returns it to Terraform as a failed RPC, and Terraform prints it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Final

import grpc

from generator.offline_provider import cty
from generator.offline_provider.data_sources import DataSourceError, read
from generator.offline_provider.planning import plan_resource
from generator.offline_provider.proto import tfplugin6_pb2 as pb
from generator.offline_provider.provider_config import ProviderConfig
from generator.offline_provider.schema_model import Block, block_type

PLAN_ONLY: Final = "offline provider: plan only"
_MAX_CONFIGS: Final = 256


def _error(summary: str, detail: str = "", path: list[str | int] | None = None) -> pb.Diagnostic:
    diagnostic = pb.Diagnostic(severity=pb.Diagnostic.ERROR, summary=summary, detail=detail)
    for step in path or []:
        if isinstance(step, int):
            diagnostic.attribute.steps.append(pb.AttributePath.Step(element_key_int=step))
        else:
            diagnostic.attribute.steps.append(pb.AttributePath.Step(attribute_name=step))
    return diagnostic


class OfflineProvider:
    """Handlers for the tfplugin6 ``Provider`` service over one selected schema.

    ``selected`` is the compact schema cut down to the served types (with the provider
    block); ``schema_response`` is its serialised ``GetProviderSchema`` response.
    """

    def __init__(self, selected: dict[str, Any], schema_response: bytes) -> None:
        self._resources: dict[str, Block] = {
            name: entry["block"] for name, entry in selected["resource_schemas"].items()
        }
        self._data_sources: dict[str, Block] = {
            name: entry["block"] for name, entry in selected["data_source_schemas"].items()
        }
        self._provider_block: Block = selected["provider"]["block"]
        self._schema_response = schema_response
        self._types: dict[tuple[str, str], cty.CtyType] = {}
        self._configs: OrderedDict[str, ProviderConfig] = OrderedDict()
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ helpers

    def _type(self, kind: str, name: str, block: Block) -> cty.CtyType:
        key = (kind, name)
        found = self._types.get(key)
        if found is None:
            found = block_type(block)
            self._types[key] = found
        return found

    def _config_for(self, context: grpc.ServicerContext) -> ProviderConfig:
        with self._lock:
            return self._configs.get(context.peer(), ProviderConfig())

    # ------------------------------------------------------------------ metadata, schema

    def get_metadata(
        self, _request: pb.GetMetadata.Request, _context: grpc.ServicerContext
    ) -> pb.GetMetadata.Response:
        """Capabilities and the served type names, without building schemas."""
        return pb.GetMetadata.Response(
            server_capabilities=pb.ServerCapabilities(),
            resources=[pb.GetMetadata.ResourceMetadata(type_name=n) for n in self._resources],
            data_sources=[
                pb.GetMetadata.DataSourceMetadata(type_name=n) for n in self._data_sources
            ],
        )

    def get_provider_schema(
        self, _request: pb.GetProviderSchema.Request, _context: grpc.ServicerContext
    ) -> bytes:
        """The prebuilt, serialised schema response (sent as is)."""
        return self._schema_response

    def get_resource_identity_schemas(
        self, _request: pb.GetResourceIdentitySchemas.Request, _context: grpc.ServicerContext
    ) -> pb.GetResourceIdentitySchemas.Response:
        """No resource identities: the offline provider never imports or lists."""
        return pb.GetResourceIdentitySchemas.Response()

    def get_functions(
        self, _request: pb.GetFunctions.Request, _context: grpc.ServicerContext
    ) -> pb.GetFunctions.Response:
        """No provider functions are served offline."""
        return pb.GetFunctions.Response()

    # ------------------------------------------------------------------ validation

    def validate_provider_config(
        self, _request: pb.ValidateProviderConfig.Request, _context: grpc.ServicerContext
    ) -> pb.ValidateProviderConfig.Response:
        """Terraform core has checked the block against the schema; nothing to add."""
        return pb.ValidateProviderConfig.Response()

    def _validate(self, kind: str, type_name: str, config: pb.DynamicValue) -> list[pb.Diagnostic]:
        blocks = self._resources if kind == "r" else self._data_sources
        block = blocks.get(type_name)
        if block is None:
            return [_error(f"offline provider does not serve {type_name}")]
        value = cty.decode(config.msgpack, self._type(kind, type_name, block))
        return _read_only_set(block, value, [])

    def validate_resource_config(
        self, request: pb.ValidateResourceConfig.Request, _context: grpc.ServicerContext
    ) -> pb.ValidateResourceConfig.Response:
        """Reject computed-only attributes set in configuration."""
        diagnostics = self._validate("r", request.type_name, request.config)
        return pb.ValidateResourceConfig.Response(diagnostics=diagnostics)

    def validate_data_resource_config(
        self, request: pb.ValidateDataResourceConfig.Request, _context: grpc.ServicerContext
    ) -> pb.ValidateDataResourceConfig.Response:
        """Reject computed-only attributes set in a data source's configuration."""
        diagnostics = self._validate("d", request.type_name, request.config)
        return pb.ValidateDataResourceConfig.Response(diagnostics=diagnostics)

    # ------------------------------------------------------------------ configure

    def configure_provider(
        self, request: pb.ConfigureProvider.Request, context: grpc.ServicerContext
    ) -> pb.ConfigureProvider.Response:
        """Remember region, account, default and ignored tags for this connection."""
        ty = self._type("p", "provider", self._provider_block)
        config = ProviderConfig.from_value(cty.decode(request.config.msgpack, ty))
        with self._lock:
            self._configs[context.peer()] = config
            while len(self._configs) > _MAX_CONFIGS:
                self._configs.popitem(last=False)
        return pb.ConfigureProvider.Response()

    # ------------------------------------------------------------------ resources

    def upgrade_resource_state(
        self, request: pb.UpgradeResourceState.Request, _context: grpc.ServicerContext
    ) -> pb.UpgradeResourceState.Response:
        """Re-encode stored JSON state as msgpack against the current schema."""
        block = self._resources.get(request.type_name)
        if block is None:
            return pb.UpgradeResourceState.Response(
                diagnostics=[_error(f"offline provider does not serve {request.type_name}")]
            )
        ty = self._type("r", request.type_name, block)
        value = cty.decode_json(request.raw_state.json, ty)
        return pb.UpgradeResourceState.Response(
            upgraded_state=pb.DynamicValue(msgpack=cty.encode(value, ty))
        )

    def read_resource(
        self, request: pb.ReadResource.Request, _context: grpc.ServicerContext
    ) -> pb.ReadResource.Response:
        """Remote objects cannot be read offline: the stored state is returned unchanged."""
        return pb.ReadResource.Response(new_state=request.current_state, private=request.private)

    def plan_resource_change(
        self, request: pb.PlanResourceChange.Request, context: grpc.ServicerContext
    ) -> pb.PlanResourceChange.Response:
        """Plan with computed attributes unknown, ``tags_all`` merged, region filled in."""
        block = self._resources.get(request.type_name)
        if block is None:
            return pb.PlanResourceChange.Response(
                diagnostics=[_error(f"offline provider does not serve {request.type_name}")]
            )
        ty = self._type("r", request.type_name, block)
        proposed = cty.decode(request.proposed_new_state.msgpack, ty)
        planned = plan_resource(block, proposed, self._config_for(context))
        return pb.PlanResourceChange.Response(
            planned_state=pb.DynamicValue(msgpack=cty.encode(planned, ty)),
            planned_private=request.prior_private,
        )

    def apply_resource_change(
        self, _request: pb.ApplyResourceChange.Request, _context: grpc.ServicerContext
    ) -> pb.ApplyResourceChange.Response:
        """Refused: nothing is ever created offline."""
        return pb.ApplyResourceChange.Response(
            diagnostics=[_error(PLAN_ONLY, "Apply runs in CI with the real AWS provider.")]
        )

    def import_resource_state(
        self, _request: pb.ImportResourceState.Request, _context: grpc.ServicerContext
    ) -> pb.ImportResourceState.Response:
        """Refused: there is no account to import from offline."""
        return pb.ImportResourceState.Response(
            diagnostics=[_error(PLAN_ONLY, "Import runs with the real AWS provider.")]
        )

    def read_data_source(
        self, request: pb.ReadDataSource.Request, context: grpc.ServicerContext
    ) -> pb.ReadDataSource.Response:
        """Compute the data source (see :mod:`generator.offline_provider.data_sources`)."""
        block = self._data_sources.get(request.type_name)
        if block is None:
            return pb.ReadDataSource.Response(
                diagnostics=[_error(f"offline provider does not serve {request.type_name}")]
            )
        ty = self._type("d", request.type_name, block)
        config = cty.decode(request.config.msgpack, ty)
        try:
            state = read(request.type_name, block, config or {}, self._config_for(context))
        except DataSourceError as err:
            return pb.ReadDataSource.Response(diagnostics=[_error(str(err))])
        return pb.ReadDataSource.Response(state=pb.DynamicValue(msgpack=cty.encode(state, ty)))

    def stop_provider(
        self, _request: pb.StopProvider.Request, _context: grpc.ServicerContext
    ) -> pb.StopProvider.Response:
        """Nothing runs long enough to need stopping; acknowledge."""
        return pb.StopProvider.Response()

    # ------------------------------------------------------------------ registration

    def handler(self) -> grpc.GenericRpcHandler:
        """The generic gRPC handler registering every method under ``tfplugin6.Provider``."""
        methods: dict[str, tuple[Any, Any]] = {
            "GetMetadata": (pb.GetMetadata.Request, self.get_metadata),
            "GetProviderSchema": (pb.GetProviderSchema.Request, self.get_provider_schema),
            "GetResourceIdentitySchemas": (
                pb.GetResourceIdentitySchemas.Request,
                self.get_resource_identity_schemas,
            ),
            "GetFunctions": (pb.GetFunctions.Request, self.get_functions),
            "ValidateProviderConfig": (
                pb.ValidateProviderConfig.Request,
                self.validate_provider_config,
            ),
            "ValidateResourceConfig": (
                pb.ValidateResourceConfig.Request,
                self.validate_resource_config,
            ),
            "ValidateDataResourceConfig": (
                pb.ValidateDataResourceConfig.Request,
                self.validate_data_resource_config,
            ),
            "ConfigureProvider": (pb.ConfigureProvider.Request, self.configure_provider),
            "UpgradeResourceState": (pb.UpgradeResourceState.Request, self.upgrade_resource_state),
            "ReadResource": (pb.ReadResource.Request, self.read_resource),
            "PlanResourceChange": (pb.PlanResourceChange.Request, self.plan_resource_change),
            "ApplyResourceChange": (pb.ApplyResourceChange.Request, self.apply_resource_change),
            "ImportResourceState": (pb.ImportResourceState.Request, self.import_resource_state),
            "ReadDataSource": (pb.ReadDataSource.Request, self.read_data_source),
            "StopProvider": (pb.StopProvider.Request, self.stop_provider),
        }
        handlers = {
            name: grpc.unary_unary_rpc_method_handler(
                func,
                request_deserializer=request_type.FromString,
                response_serializer=_serialize,
            )
            for name, (request_type, func) in methods.items()
        }
        return grpc.method_handlers_generic_handler("tfplugin6.Provider", handlers)


def _serialize(message: Any) -> bytes:
    if isinstance(message, bytes):
        return message
    data: bytes = message.SerializeToString()
    return data


def _read_only_set(block: Block, value: Any, path: list[str | int]) -> list[pb.Diagnostic]:
    """Diagnostics for computed-only attributes that hold a value in ``value``."""
    if not isinstance(value, dict):
        return []
    found: list[pb.Diagnostic] = []
    for name, spec in sorted(block.get("attributes", {}).items()):
        read_only = spec.get("computed") and not spec.get("optional") and not spec.get("required")
        if read_only and value.get(name) is not None:
            found.append(
                _error(
                    "Computed attribute cannot be set",
                    f'"{name}" is computed by the AWS provider and cannot be set in '
                    "configuration. Remove this argument.",
                    [*path, name],
                )
            )
    for name, nested in sorted(block.get("block_types", {}).items()):
        current = value.get(name)
        inner: Block = nested["block"]
        if isinstance(current, dict) and nested["nesting_mode"] in ("single", "group"):
            found += _read_only_set(inner, current, [*path, name])
        elif isinstance(current, list):
            indexed = nested["nesting_mode"] == "list"
            for index, element in enumerate(current):
                # Set elements have no index Terraform can point at: report on the block.
                step: list[str | int] = [name, index] if indexed else [name]
                found += _read_only_set(inner, element, [*path, *step])
    return found
