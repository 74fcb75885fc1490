"""The HTTP source: one page of records per request, with the standard library only.

Requests are made with :mod:`urllib.request` on worker threads (the caller runs them
through :func:`asyncio.to_thread` under a semaphore), so retrieval needs no third-party
HTTP client and the bundle stays small. Each request has the source's timeout.

What is retried (with the runtime's backoff): connection errors, timeouts, truncated
responses, HTTP 408, 425, 429 and 5xx. On 429 and 503 a ``Retry-After`` header
(seconds or an HTTP date) sets the wait instead of the backoff, capped at the policy's
``max_delay_ms``. Not retried: other 4xx, a body that is not JSON, and a body without a
list at ``records_path`` — these fail the page at once
(:class:`~runtime.ingest.exceptions.PageError`).

A request to the configured URL carries its static ``query``, the run's incremental
parameter and the pagination parameters: in the query string with ``GET``, merged into
the JSON ``body`` with ``POST`` (``${since}`` and ``${now}`` filled in). A next URL the
source handed out (``Link`` header, next URL in the body) is requested as it is. The
credentials come from the source's authenticator (:mod:`runtime.ingest.auth`); a 401
makes it drop a cached OAuth2 token and the request is tried once more. Every attempt
waits for the run-wide :class:`~runtime.ingest.rate_limit.RateLimiter`, and a 429 or 503
with ``Retry-After`` holds every worker of the run for that long.

Hostile or broken servers are contained:

- **redirects** are followed only within the same origin with credentials: on a
  redirect to another scheme, host or port the ``Authorization`` header, the API-key
  header and every configured header are dropped, and a redirect from ``https`` to
  ``http`` is refused outright (:func:`redirect_is_safe`);
- a response over :data:`MAX_RESPONSE_BYTES` fails the page (not retried);
- ``timeout_seconds`` bounds the *whole* request, not each socket read, so a server that
  drips one byte a second cannot hold a worker for ever;
- error messages and logs name the URL without its query string (which may hold a key)
  and never quote the body of a response.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any
from urllib.error import HTTPError, URLError
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from runtime.core.retry import Retrier
from runtime.core.settings import SourceSettings
from runtime.ingest.auth import Authenticator, TokenEndpointError, authenticator_for
from runtime.ingest.exceptions import PageError
from runtime.ingest.incremental import fill_templates
from runtime.ingest.paths import MISSING, dot_path
from runtime.ingest.rate_limit import RateLimiter

if TYPE_CHECKING:
    from runtime.core.secret_store import SecretStore

__all__ = [
    "MAX_RESPONSE_BYTES",
    "HttpSource",
    "Page",
    "parse_retry_after",
    "redact_url",
    "redirect_is_safe",
]

RETRYABLE_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})
MAX_RESPONSE_BYTES = 64 * 1024 * 1024
_CHUNK = 64 * 1024
_USER_AGENT = "trellis-ingest/1"


def redact_url(url: str) -> str:
    """``url`` without its query string, fragment and user info, for logs and errors."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), parts.port or default


def redirect_is_safe(old: str, new: str) -> bool:
    """False for a downgrade from https to http, which is never followed."""
    return not (urlsplit(old).scheme == "https" and urlsplit(new).scheme != "https")


def _redirect_handler(secret_headers: frozenset[str]) -> Any:
    import urllib.request  # deferred: only the retrieval function makes HTTP requests

    class _SameOriginCredentials(urllib.request.HTTPRedirectHandler):
        """Follows redirects, dropping credentials when the origin changes."""

        def redirect_request(
            self,
            req: urllib.request.Request,
            fp: Any,
            code: int,
            msg: str,
            headers: Any,
            newurl: str,
        ) -> urllib.request.Request | None:
            if not redirect_is_safe(req.full_url, newurl):
                raise PageError(
                    f"refused a redirect from {redact_url(req.full_url)} to "
                    f"{redact_url(newurl)}: it would send the request in clear text",
                    retryable=False,
                )
            new = super().redirect_request(req, fp, code, msg, headers, newurl)
            if new is not None and _origin(req.full_url) != _origin(newurl):
                for name in list(new.headers):
                    if name.lower() in secret_headers:
                        del new.headers[name]
                for name in list(new.unredirected_hdrs):
                    if name.lower() in secret_headers:
                        del new.unredirected_hdrs[name]
            return new

    return _SameOriginCredentials()


@dataclass(frozen=True)
class Page:
    """One response: its records (the list at ``records_path``) and the whole body.

    ``url`` is where the response came from (after redirects) and ``headers`` its headers
    with lower-case names: what the paginators that follow links and header cursors read.
    """

    records: list[object]
    body: object
    url: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class _Answer:
    payload: bytes
    url: str
    headers: dict[str, str]


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header value (delta seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _classify(error: BaseException) -> bool | float:
    if isinstance(error, PageError):
        if not error.retryable:
            return False
        return error.retry_after if error.retry_after is not None else True
    return False


class HttpSource:
    """Fetches pages from one configured HTTP source."""

    def __init__(
        self,
        source: SourceSettings,
        retrier: Retrier,
        secrets: SecretStore | None = None,
        *,
        limiter: RateLimiter | None = None,
    ) -> None:
        self.source = source
        self._retrier = retrier
        self.authenticator: Authenticator | None = authenticator_for(
            source.auth, secrets, timeout_seconds=source.timeout_seconds
        )
        self.limiter = limiter or RateLimiter(source.max_requests_per_second)
        harmless = {"accept", "accept-encoding", "content-type", "user-agent"}
        secret = {name.lower() for name, _ in source.headers} - harmless
        secret |= {"authorization", "cookie"}
        if self.authenticator is not None:
            secret |= self.authenticator.secret_headers
        self._secret_headers = frozenset(secret)
        self._opener: Any = None
        self.where = redact_url(source.url)
        self._run_params: dict[str, str] = {}
        self._templates: dict[str, str] = {"since": "", "now": ""}

    def prepare_run(self, params: Mapping[str, str], templates: Mapping[str, str]) -> None:
        """Set what this run adds to its first request: the incremental parameter
        (``params``) and the values of ``${since}`` and ``${now}`` (``templates``)."""
        self._run_params = dict(params)
        self._templates = {"since": "", "now": "", **templates}

    def _open(self, request: Any, timeout: float) -> Any:
        import urllib.request  # deferred: only the retrieval function makes HTTP requests

        if self._opener is None:
            self._opener = urllib.request.build_opener(_redirect_handler(self._secret_headers))
        return self._opener.open(request, timeout=timeout)

    def _read(self, response: Any, started: float) -> bytes:
        """The body, in chunks, within the whole-request timeout and the size cap."""
        chunks: list[bytes] = []
        size = 0
        read = getattr(response, "read1", response.read)  # one socket read at a time
        while chunk := read(_CHUNK):
            size += len(chunk)
            if size > MAX_RESPONSE_BYTES:
                raise PageError(
                    f"response from {self.where} is over {MAX_RESPONSE_BYTES} bytes",
                    retryable=False,
                )
            if time.monotonic() - started > self.source.timeout_seconds:
                raise PageError(
                    f"response from {self.where} took over {self.source.timeout_seconds} s",
                    retryable=True,
                )
            chunks.append(chunk)
        return b"".join(chunks)

    def _target(
        self, params: Mapping[str, str], url: str | None
    ) -> tuple[str, bytes | None, dict[str, str]]:
        """The URL, body and credential headers of a request.

        For the configured URL (``url`` is None): its query, the static ``query``, the
        run's parameters and ``params`` (with GET), or the ``body`` with the run's
        parameters and ``params`` (with POST). A next URL given by the source is used as
        it is; with POST it gets the configured body again.
        """
        base = url or self.source.url
        parts = urlsplit(base)
        query = parse_qsl(parts.query, keep_blank_values=True)
        data: bytes | None = None
        if url is None:
            query += [(k, fill_templates(v, self._templates)) for k, v in self.source.query]
        extra = {**self._run_params, **params} if url is None else {}
        if self.source.method == "GET":
            query += list(extra.items())
        else:
            body = fill_templates(dict(self.source.body or {}), self._templates)
            data = json.dumps({**body, **extra}).encode("utf-8")
        credentials: dict[str, str] = {}
        if self.authenticator is not None:
            self.authenticator.apply(credentials, query)
        return urlunsplit(parts._replace(query=urlencode(query))), data, credentials

    def _request(self, params: Mapping[str, str], url: str | None = None) -> _Answer:
        import urllib.request  # deferred: only the retrieval function makes HTTP requests
        from http.client import HTTPException  # loaded by urllib.request anyway

        headers = {"Accept": "application/json", "User-Agent": _USER_AGENT}
        headers.update(self.source.headers)
        try:
            target, data, credentials = self._target(params, url)
        except TokenEndpointError as error:
            raise PageError(str(error), retryable=error.retryable) from None
        headers.update(credentials)
        if data is not None:
            headers["Content-Type"] = "application/json"
        # http(s) only: the URL scheme is validated in settings, next URLs by their origin
        request = urllib.request.Request(  # noqa: S310
            target, data=data, headers=headers, method=self.source.method
        )
        self.limiter.acquire()
        started = time.monotonic()
        try:
            with self._open(request, self.source.timeout_seconds) as response:
                payload = self._read(response, started)
                answered = {k.lower(): v for k, v in response.headers.items()}
                if "link" in answered:  # repeated Link headers are one list (RFC 8288)
                    answered["link"] = ", ".join(response.headers.get_all("Link") or [])
                return _Answer(payload, response.geturl() or target, answered)
        except PageError:
            raise
        except HTTPError as error:
            status = error.code
            retry_after = (
                parse_retry_after(error.headers.get("Retry-After"))
                if status in (429, 503)
                else None
            )
            if retry_after is not None:  # every worker waits, not only this one
                self.limiter.hold(retry_after)
            refreshed = status == 401 and self.authenticator is not None
            refreshed = refreshed and self.authenticator.refresh()  # type: ignore[union-attr]
            raise PageError(
                f"HTTP {status} from {self.where}",
                retryable=status in RETRYABLE_STATUS or status >= 500 or refreshed,
                retry_after=retry_after,
                unauthorised=refreshed,
            ) from error
        except (URLError, TimeoutError, ConnectionError, OSError, HTTPException) as error:
            reason = getattr(error, "reason", error)
            raise PageError(f"request to {self.where} failed: {reason}", retryable=True) from error

    def _parse(self, answer: _Answer) -> Page:
        payload = answer.payload
        try:
            body = json.loads(payload)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise PageError(
                f"response of {len(payload)} bytes from {self.where} is not JSON "
                f"({type(error).__name__})",
                retryable=False,
            ) from None
        records = dot_path(body, self.source.records_path)
        if records is MISSING or not isinstance(records, list):
            found = "nothing" if records is MISSING else type(records).__name__
            raise PageError(
                f"records_path {self.source.records_path!r} holds {found}, not a list",
                retryable=False,
            )
        return Page(records=records, body=body, url=answer.url, headers=answer.headers)

    async def fetch(self, params: Mapping[str, str], url: str | None = None) -> Page:
        """Fetch and parse the page selected by ``params``, or the next URL ``url``.

        A 401 makes the authenticator drop its cached credentials (an OAuth2 token) and
        the request is retried once with new ones.

        Raises:
            PageError: the page failed in a way retrying cannot fix.
            RetryExhaustedError: it kept failing in a way retrying could fix.
        """
        unauthorised = [0]

        def classify(error: BaseException) -> bool | float:
            if isinstance(error, PageError) and error.unauthorised:
                unauthorised[0] += 1
                return unauthorised[0] == 1  # one fresh token; a second 401 is final
            return _classify(error)

        async def attempt() -> _Answer:
            return await asyncio.to_thread(self._request, params, url)

        answer = await self._retrier.acall(
            f"{self.source.method} {self.where}",
            attempt,
            classify,
            attempt_seconds=self.source.timeout_seconds,
        )
        return self._parse(answer)
