"""``trellis run``: a blueprint's real handlers against AWS APIs served by moto in-process.

:mod:`.aws` starts moto in server mode on 127.0.0.1, :mod:`.resources` creates the
pipeline's resources there from the deployment model, :mod:`.source` serves a records
file as the paginated HTTP source, :mod:`.invoke` calls the real handlers as Lambda would,
:mod:`.event_source` drains the queue as the event source mapping would, :mod:`.state`
keeps the table and backups between runs, and :mod:`.runner` ties them together.
"""
