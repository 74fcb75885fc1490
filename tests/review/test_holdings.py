"""The reviewed classification covers every resource type of the committed AWS schema."""

from __future__ import annotations

from generator.review.holdings import (
    HOLDINGS_FILE,
    Kind,
    dump_table,
    holding_of,
    load_table,
)
from generator.schema.loader import committed_provider_schema
from tools.review.propose_holdings import main as propose_main
from tools.review.propose_holdings import propose

OTHER_PROVIDERS = ("random_", "tls_", "time_", "null_", "terraform_", "local_")


def test_every_schema_type_is_classified() -> None:
    """A resource type of the committed provider schema missing from holdings.json fails."""
    table = load_table(HOLDINGS_FILE)
    missing = sorted(set(committed_provider_schema()["resource_schemas"]) - set(table))
    assert missing == [], (
        f"{len(missing)} types unclassified (run `python -m tools.review.propose_holdings`"
        f" and review the diff): {missing[:20]}"
    )


def test_no_type_outside_the_schema_except_known_providers() -> None:
    """Every entry is an AWS type of the schema or a type of a well-known utility provider."""
    schema = set(committed_provider_schema()["resource_schemas"])
    strays = [t for t in load_table(HOLDINGS_FILE) if t not in schema]
    assert all(t.startswith(OTHER_PROVIDERS) for t in strays), strays


def test_table_is_in_its_canonical_layout() -> None:
    """holdings.json is exactly what dump_table writes (sorted; diffs stay reviewable)."""
    text = HOLDINGS_FILE.read_text(encoding="utf-8")
    assert dump_table(load_table(HOLDINGS_FILE)) == text


def test_proposal_check_passes_on_the_committed_table() -> None:
    """The maintainer script's --check finds nothing to propose."""
    assert propose_main(["--check"]) == 0


def test_the_types_a_foreign_review_found_disposable_are_classified() -> None:
    """Keys, queues, streams, caches, search domains, volumes, vaults and secrets lose things."""
    for resource_type, kind, word in [
        ("aws_kms_key", Kind.KEY, "key material"),
        ("aws_kms_external_key", Kind.KEY, "key material"),
        ("aws_sqs_queue", Kind.DATA, "queue URL"),
        ("aws_kinesis_stream", Kind.DATA, "records"),
        ("aws_elasticache_replication_group", Kind.DATA, "cached data"),
        ("aws_opensearch_domain", Kind.DATA, "documents"),
        ("aws_ebs_volume", Kind.DATA, "files"),
        ("aws_backup_vault", Kind.DATA, "recovery points"),
        ("aws_secretsmanager_secret", Kind.KEY, "secret's value"),
        ("aws_cognito_user_pool", Kind.KEY, "users"),
    ]:
        holding = holding_of(resource_type)
        assert holding.kind is kind, resource_type
        assert word in holding.lost, resource_type


def test_configuration_hanging_off_data_is_disposable() -> None:
    """Policies, attachments and settings of a bucket or queue hold nothing themselves."""
    for resource_type in (
        "aws_s3_bucket_policy",
        "aws_sqs_queue_policy",
        "aws_s3_bucket_versioning",
        "aws_kms_alias",
        "aws_iam_role",
        "aws_lambda_function",
    ):
        assert holding_of(resource_type).kind is Kind.DISPOSABLE, resource_type


def test_unknown_type_is_treated_as_holding_something() -> None:
    """A type outside the table (a newer provider) is unknown, and unknown is precious."""
    holding = holding_of("aws_made_up_store")
    assert holding.kind is Kind.UNKNOWN
    assert holding.precious
    assert "not in trellis's reviewed classification" in holding.lost


def test_heuristics_propose_for_new_types() -> None:
    """The proposal rules classify by name: a new kind of table is data, its policy is not."""
    assert propose("aws_newservice_table").kind is Kind.DISPOSABLE  # no rule: a person decides
    assert propose("aws_sqs_queue").kind is Kind.DATA
    assert propose("aws_sqs_queue_policy").kind is Kind.DISPOSABLE
    assert propose("aws_kms_replica_key").kind is Kind.KEY
