"""Core utilities shared by every trellis Lambda function.

Settings from environment variables, secrets from SSM, JSON logging with a correlation
id, retries with full-jitter backoff, the circuit breaker that stops a run, CloudWatch
embedded-metric-format metrics, and the capability declarations the IAM generator reads.
Nothing here imports boto3 at module level.
"""
