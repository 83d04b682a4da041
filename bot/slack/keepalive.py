"""A Web API client that keeps its HTTP connections open between calls.

slack_sdk's `WebClient` opens a new connection (and, against slack.com, a new TLS session) for
every call and closes it after. The outbox sender and the clock make thousands of calls a
minute, so `KeptAliveWebClient` sends each call on a connection kept per thread and per host,
as Slack's HTTP/1.1 servers allow. Everything else, retries and response handling included, is
slack_sdk's own: only the one step that sends a request and reads its response is replaced,
and it ends the ways urllib's would (an `HTTPError` for any status but 2xx, a `URLError` when
the call could not be made, a `TimeoutError` when the answer did not come in time).

A kept connection the server has closed meanwhile is never written to (it is checked first,
as urllib3 does); one that fails while the request is being written is written again once on
a new connection (Slack cannot act on half a request). One that fails after the request was
written is a `URLError`: the call's outcome is unknown, and never re-sent blindly.
"""

from __future__ import annotations

import http.client
import io
import select
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler

IDLE_FOR = 30.0  # seconds a kept connection may wait unused before it is closed, not reused


class ConnectionPool:
    """Open connections per thread and host: a thread makes one call at a time, so it never
    shares a connection, and no lock is needed."""

    def __init__(self, *, idle_for: float = IDLE_FOR) -> None:
        self.idle_for = idle_for
        self._local = threading.local()
        self._tls: ssl.SSLContext | None = None

    def take(
        self, scheme: str, host: str, port: int, *, timeout: float, context: ssl.SSLContext | None
    ) -> tuple[http.client.HTTPConnection, bool]:
        """A connection to the host, and whether it was kept from an earlier call."""
        key = (scheme, host, port)
        connection, used_at = self._kept().pop(key, (None, 0.0))
        if connection is not None:
            if time.monotonic() - used_at <= self.idle_for and _still_open(connection):
                if connection.sock is not None:
                    connection.sock.settimeout(timeout)
                connection.timeout = timeout
                return connection, True
            connection.close()
        if scheme == "https":
            context = context or self._default_tls()
            return http.client.HTTPSConnection(host, port, timeout=timeout, context=context), False
        return http.client.HTTPConnection(host, port, timeout=timeout), False

    def give_back(self, key: tuple[str, str, int], connection: http.client.HTTPConnection) -> None:
        if connection.sock is None:  # the server said it closes it
            return
        self._kept()[key] = (connection, time.monotonic())

    def _kept(self) -> dict[tuple[str, str, int], tuple[http.client.HTTPConnection, float]]:
        """This thread's open connections by (scheme, host, port), with when each was last used."""
        kept = getattr(self._local, "kept", None)
        if kept is None:
            kept = self._local.kept = {}
        return kept

    def _default_tls(self) -> ssl.SSLContext:
        if self._tls is None:  # building one reads the CA store: once, not per connection
            self._tls = ssl.create_default_context()
        return self._tls


def _still_open(connection: http.client.HTTPConnection) -> bool:
    """False when the server has closed the kept connection (readable means EOF or junk: an
    idle HTTP/1.1 connection has nothing to read)."""
    sock = connection.sock
    if sock is None:
        return False
    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return False
    return not readable


POOL = ConnectionPool()


class NotSent(urllib.error.URLError):
    """The request never reached Slack whole (no connection, or it broke while being written):
    safe to try again."""


class KeptAliveWebClient(WebClient):
    """`WebClient` whose calls reuse this thread's open connection to Slack (see the module).

    slack_sdk's default retry on a connection error would also re-send a request whose answer
    was lost after it was written (a post could appear twice): this client retries, once, only
    what surely was not sent (`NotSent`)."""

    pool: ConnectionPool = POOL

    def __init__(self, *args: Any, retry_handlers: list | None = None, **kwargs: Any) -> None:
        if retry_handlers is None:
            retry_handlers = [ConnectionErrorRetryHandler(error_types=[NotSent])]
        super().__init__(*args, retry_handlers=retry_handlers, **kwargs)

    def _perform_urllib_http_request_internal(
        self, url: str, req: urllib.request.Request
    ) -> dict[str, Any]:
        parts = urllib.parse.urlsplit(url)
        if self.proxy is not None or parts.scheme not in ("http", "https") or not parts.hostname:
            return super()._perform_urllib_http_request_internal(url, req)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        key = (parts.scheme, parts.hostname, port)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        headers = dict(req.header_items())
        for attempt in (1, 2):
            connection, reused = self.pool.take(
                *key, timeout=self.timeout, context=self.ssl if parts.scheme == "https" else None
            )
            try:
                connection.request(req.get_method(), path, body=req.data, headers=headers)
            except OSError as error:
                connection.close()
                if reused and attempt == 1 and not isinstance(error, TimeoutError):
                    continue  # closed while idle: the request never reached Slack whole
                raise NotSent(error) from error
            break
        try:
            response = connection.getresponse()
            body = response.read()
        except TimeoutError:
            connection.close()
            raise
        except (OSError, http.client.HTTPException) as error:
            connection.close()
            raise urllib.error.URLError(error) from error
        self.pool.give_back(key, connection)
        return _answer(url, response, body)


def _answer(url: str, response: http.client.HTTPResponse, body: bytes) -> dict[str, Any]:
    """What urllib would have given slack_sdk: the response, or an `HTTPError` if not 2xx."""
    headers = response.headers
    if not 200 <= response.status < 300:
        reason = response.reason
        raise urllib.error.HTTPError(url, response.status, reason, headers, io.BytesIO(body))
    if headers.get_content_type() == "application/gzip":
        return {"status": response.status, "headers": headers, "body": body}
    charset = headers.get_content_charset() or "utf-8"
    return {"status": response.status, "headers": headers, "body": body.decode(charset)}
