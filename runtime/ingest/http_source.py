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

With ``GET`` the pagination parameters go in the query string; with ``POST`` they are
sent as a JSON object body.

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
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any
from urllib.error import HTTPError, URLError
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from runtime.core.retry import Retrier
from runtime.core.settings import ApiKeyAuth, BearerAuth, SourceSettings
from runtime.ingest.exceptions import PageError
from runtime.ingest.paths import MISSING, dot_path

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
    """One response: its records (the list at ``records_path``) and the whole body."""

    records: list[object]
    body: object


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
        self, source: SourceSettings, retrier: Retrier, secrets: SecretStore | None = None
    ) -> None:
        if source.auth is not None and secrets is None:
            raise ValueError("a source with auth needs a SecretStore")
        self.source = source
        self._retrier = retrier
        self._secrets = secrets
        harmless = {"accept", "accept-encoding", "content-type", "user-agent"}
        secret = {name.lower() for name, _ in source.headers} - harmless
        secret |= {"authorization", "cookie"}
        if isinstance(source.auth, ApiKeyAuth):
            secret.add(source.auth.header.lower())
        self._secret_headers = frozenset(secret)
        self._opener: Any = None
        self.where = redact_url(source.url)

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

    def _headers(self) -> dict[str, str]:
        headers = {"Accept": "application/json", "User-Agent": _USER_AGENT}
        headers.update(self.source.headers)
        auth = self.source.auth
        if isinstance(auth, BearerAuth):
            assert self._secrets is not None
            headers["Authorization"] = f"Bearer {self._secrets.get(auth.parameter)}"
        elif isinstance(auth, ApiKeyAuth):
            assert self._secrets is not None
            headers[auth.header] = self._secrets.get(auth.parameter)
        return headers

    def _request(self, params: dict[str, str]) -> bytes:
        import urllib.request  # deferred: only the retrieval function makes HTTP requests
        from http.client import HTTPException  # loaded by urllib.request anyway

        url = self.source.url
        data: bytes | None = None
        headers = self._headers()
        if self.source.method == "GET":
            if params:
                parts = urlsplit(url)
                query = urlencode(
                    [*parse_qsl(parts.query, keep_blank_values=True), *params.items()]
                )
                url = urlunsplit(parts._replace(query=query))
        else:
            data = json.dumps(params).encode("utf-8")
            headers["Content-Type"] = "application/json"
        # http(s) only: the URL scheme is validated in settings
        request = urllib.request.Request(  # noqa: S310
            url, data=data, headers=headers, method=self.source.method
        )
        started = time.monotonic()
        try:
            with self._open(request, self.source.timeout_seconds) as response:
                return self._read(response, started)
        except PageError:
            raise
        except HTTPError as error:
            status = error.code
            retry_after = (
                parse_retry_after(error.headers.get("Retry-After"))
                if status in (429, 503)
                else None
            )
            raise PageError(
                f"HTTP {status} from {self.where}",
                retryable=status in RETRYABLE_STATUS or status >= 500,
                retry_after=retry_after,
            ) from error
        except (URLError, TimeoutError, ConnectionError, OSError, HTTPException) as error:
            reason = getattr(error, "reason", error)
            raise PageError(f"request to {self.where} failed: {reason}", retryable=True) from error

    def _parse(self, payload: bytes) -> Page:
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
        return Page(records=records, body=body)

    async def fetch(self, params: dict[str, str]) -> Page:
        """Fetch and parse the page selected by ``params``.

        Raises:
            PageError: the page failed in a way retrying cannot fix.
            RetryExhaustedError: it kept failing in a way retrying could fix.
        """

        async def attempt() -> bytes:
            return await asyncio.to_thread(self._request, params)

        payload = await self._retrier.acall(
            f"{self.source.method} {self.where}",
            attempt,
            _classify,
            attempt_seconds=self.source.timeout_seconds,
        )
        return self._parse(payload)
