"""The data flow of this kind as boxes and arrows (drawn by :mod:`generator.graph`)."""

from __future__ import annotations

from typing import Any

from generator.graph.model import Edge, Node
from generator.kinds.ingestion.resources import IngestionResources


def ingestion_graph(r: IngestionResources, spec: Any) -> tuple[list[Node], list[Edge]]:
    """Where records come from, which function handles them, where they go, who is alerted."""
    nodes = []
    edges = []
    if r.retrieve is not None:
        nodes += [
            Node("schedule", f"schedule<br>{spec.trigger.schedule}", "schedule"),
            Node("source", f"HTTP source<br>{spec.source.http.url}", "external"),
            Node("retrieve", f"retrieve<br>{r.retrieve.name}", "function"),
        ]
        edges += [
            Edge("schedule", "retrieve", "starts"),
            Edge("source", "retrieve", f"pages, {spec.retrieval.concurrency} at a time"),
            Edge("retrieve", "queue", "raw records"),
        ]
        if r.state_table_name is not None:
            nodes.append(Node("state", f"high-water mark<br>{r.state_table_name}", "store"))
            edges.append(Edge("retrieve", "state", "mark after a complete run"))
    else:
        nodes.append(Node("producers", "other producers", "external"))
        edges.append(Edge("producers", "queue", "raw records"))
    nodes += [
        Node("queue", f"queue<br>{r.queue_name}", "queue"),
        Node("process", f"process<br>{r.process.name}", "function"),
        Node("table", f"DynamoDB<br>{r.table_name}", "store"),
        Node("backup", f"versioned S3<br>{r.backup_bucket}", "store"),
        Node("dlq", f"dead letters<br>{r.dlq_name}", "queue"),
        Node("alarms", f"alarms<br>{r.alarm_topic_name}", "topic"),
    ]
    edges += [
        Edge("queue", "process", f"batches of {spec.processing.batch_size}"),
        Edge("process", "table", "changed records"),
        Edge("process", "backup", "raw payloads"),
        Edge("queue", "dlq", f"after {spec.dead_letter.max_receive_count} receives"),
        Edge("dlq", "alarms", f"≥ {spec.alarms.dlq_messages} messages"),
        Edge("process", "alarms", f"error rate > {spec.alarms.error_rate}"),
    ]
    return nodes, edges
