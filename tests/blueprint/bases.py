"""One valid base document per kind and one environment: the starting point of every case.

Each sets every field the format has, so a case can patch or delete any of them.
"""

from __future__ import annotations

from typing import Any

INGESTION: dict[str, Any] = {
    "apiVersion": "trellis/v1",
    "kind": "IngestionPipeline",
    "metadata": {"name": "orders", "team": "commerce", "description": "Orders"},
    "spec": {
        "source": {
            "http": {
                "url": "https://api.example.com/v1/orders",
                "method": "GET",
                "headers": {"Accept": "application/json"},
                "auth": {"bearer_token_parameter": "/commerce/orders/api-token"},
                "records_path": "data.items",
                "pagination": {"cursor": {"param": "cursor", "response_path": "meta.next"}},
                "max_pages": 100,
                "timeout_seconds": 10,
            }
        },
        "trigger": {"schedule": "rate(15 minutes)"},
        "retrieval": {"concurrency": 8, "memory_mb": 256, "timeout_seconds": 300},
        "processing": {
            "batch_size": 25,
            "max_concurrency": 5,
            "memory_mb": 256,
            "timeout_seconds": 60,
        },
        "shape": {
            "key": "order_id",
            "fields": {
                "order_id": "id",
                "status": "status",
                "total": "amount.total",
                "updated_at": "updated_at",
            },
            "ignore_for_change": ["updated_at"],
        },
        "store": {"point_in_time_recovery": True, "ttl_days": None},
        "backup": {"noncurrent_version_days": 365},
        "retry": {"max_attempts": 5, "base_delay_ms": 200, "max_delay_ms": 20000},
        "stop": {"max_consecutive_failures": 10},
        "dead_letter": {"max_receive_count": 5, "retention_days": 14},
        "alarms": {"dlq_messages": 1, "error_rate": 0.05},
        "package": "zip",
    },
}

AUTH_FLOW: dict[str, Any] = {
    "apiVersion": "trellis/v1",
    "kind": "AuthFlow",
    "metadata": {"name": "citizen-login", "team": "identity"},
    "spec": {
        "provider": "singpass",
        "profile": "fapi2",
        "issuer": "https://stg-id.singpass.gov.sg/fapi",
        "client_id_parameter": "/identity/singpass/client-id",
        "signing_key_parameter": "/identity/singpass/rp-signing-jwk",
        "encryption_key_parameter": "/identity/singpass/rp-encryption-jwk",
        "state_key_parameter": "/identity/singpass/state-keys",
        "public_jwks_parameter": "/identity/singpass/rp-public-jwks",
        "authentication_context_type": "APP_AUTHENTICATION_DEFAULT",
        "redirect_path": "/auth/callback",
        "allowed_return_paths": ["/dashboard", "/profile"],
        "scopes": ["openid"],
        "session_ttl_minutes": 15,
        "domain": "portal.example.gov.sg",
    },
}

STATIC_SITE: dict[str, Any] = {
    "apiVersion": "trellis/v1",
    "kind": "StaticSite",
    "metadata": {"name": "portal", "team": "identity", "description": "Citizen portal"},
    "spec": {
        "domain": "portal.example.gov.sg",
        "certificate_arn": "arn:aws:acm:us-east-1:111111111111:certificate/0f3c2a9e-portal",
        "spa_fallback": True,
        "price_class": "PriceClass_100",
        "auth_flow": "citizen-login",
        "waf": True,
    },
}

ENVIRONMENT: dict[str, Any] = {
    "name": "prd",
    "account_id": "333333333333",
    "region": "ap-southeast-1",
    "approval": "required",
    "github": {"repository": "acme/data-platform", "branch": "main"},
    "log": {"level": "INFO", "retention_days": 365},
    "permissions_boundary": "arn:aws:iam::333333333333:policy/workload-boundary",
    "overrides": {"orders": {"processing": {"memory_mb": 512}}},
}
