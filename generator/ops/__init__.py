"""Operations on a deployed (or locally running) ingestion pipeline.

Each module is one diagnostic or repair that ``trellis`` exposes as a command and that a
user could call directly: :mod:`.dlq` (inspect and redrive the dead-letter queue),
:mod:`.trace` (one correlation id across both functions' logs), :mod:`.anomalies`
(payloads that deviate from the shape seen so far), :mod:`.restore` (items rebuilt from
backup versions) and :mod:`.control` (the stop switch). Every name is resolved from the
blueprint and environment by :mod:`.target`; no command asks for an ARN.
"""
