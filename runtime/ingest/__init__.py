"""Ingestion: retrieval (HTTP source → queue) and processing (queue → DynamoDB + S3).

Handlers: ``runtime.ingest.retrieve.handler`` and ``runtime.ingest.process.handler``.
"""
