"""The named resources of an ingestion pipeline: what resolve gives the later stages."""

from __future__ import annotations

from dataclasses import dataclass

from generator.model.deployment import Function


@dataclass(frozen=True)
class IngestionResources:
    """The named resources of an ingestion pipeline."""

    queue_name: str
    queue_arn: str
    queue_url: str
    dlq_name: str
    dlq_arn: str
    table_name: str
    table_arn: str
    backup_bucket: str
    backup_bucket_arn: str
    backup_prefix: str
    kms_alias: str
    alarm_topic_name: str
    alarm_topic_arn: str
    schedule_name: str | None
    scheduler_role_name: str | None
    retrieve: Function | None
    process: Function

    @property
    def functions(self) -> tuple[Function, ...]:
        """The pipeline's functions, retrieval first."""
        return tuple(f for f in (self.retrieve, self.process) if f is not None)
