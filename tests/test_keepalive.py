"""The jobs' Web API client keeps its connections open (`bot.slack.keepalive`), against a real
HTTP/1.1 server on loopback that counts connections and requests: calls reuse a thread's
connection; one the server closed while idle is never written to; an answer lost after the
request was written is an unknown outcome, never re-sent; every status ends as it did through
urllib."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bot.domain.model import OutboxStatus
from bot.entrypoints.runtime import clock_client
from bot.settings import Settings
from bot.slack import keepalive
from bot.slack.keepalive import ConnectionPool, KeptAliveWebClient
from jobs.delivery import Outcome, call_slack


class Server:
    """Answers every call as `mode` says; counts the connections and requests it saw."""

    def __init__(self) -> None:
        self.mode, self.connections, self.requests = "ok", 0, []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def setup(self) -> None:
                super().setup()
                server.connections += 1

            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                mode = server.mode  # as it was when the request came (a test may change it)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                server.requests.append((self.path, body))
                if mode == "drop":  # read it, then close without a word
                    self.close_connection = True
                    return
                if mode == "slow":
                    time.sleep(1.0)
                status, headers, answer = {
                    "ratelimited": (
                        429,
                        {"Retry-After": "3"},
                        {"ok": False, "error": "ratelimited"},
                    ),
                    "error": (500, {}, {"ok": False}),
                    "refused": (200, {}, {"ok": False, "error": "channel_not_found"}),
                }.get(mode, (200, {}, {"ok": True, "ts": f"1.{len(server.requests)}"}))
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)
                if mode == "close_after":  # closes it once answered, unannounced
                    self.close_connection = True

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.http.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}/api/"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.http.shutdown()
        self.http.server_close()


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server()
    yield running
    running.stop()


def _client(server: Server, timeout: float = 5) -> KeptAliveWebClient:
    return KeptAliveWebClient(token="xoxb-test", base_url=server.url, timeout=timeout)


def _post(client, text: str = "hi"):
    return call_slack(client.chat_postMessage, channel="C1", text=text)


def _settled(server: Server, count: int) -> None:
    """Wait (a little) until the server has handled `count` requests."""
    deadline = time.monotonic() + 2
    while len(server.requests) < count and time.monotonic() < deadline:
        time.sleep(0.01)


def test_calls_from_one_thread_reuse_one_connection(server):
    client = _client(server)
    answers = [_post(client, f"n{n}")["ts"] for n in range(5)]
    assert answers == ["1.1", "1.2", "1.3", "1.4", "1.5"]
    assert (server.connections, len(server.requests)) == (1, 5)
    assert [path for path, _ in server.requests] == ["/api/chat.postMessage"] * 5


def test_each_thread_has_its_own_connection(server):
    client = _client(server)
    threads = [threading.Thread(target=lambda: [_post(client) for _ in range(3)]) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert (server.connections, len(server.requests)) == (3, 9)


def test_the_clocks_and_senders_clients_keep_their_connections(server):
    client = clock_client(
        Settings(_env_file=None, SLACK_BOT_TOKEN="xoxb-1", SLACK_API_URL=server.url)
    )
    assert isinstance(client, KeptAliveWebClient)
    _post(client), _post(client)
    assert server.connections == 1


def test_a_connection_the_server_closed_while_idle_is_not_written_to(server):
    server.mode = "close_after"
    client = _client(server)
    for n in range(3):
        assert _post(client)["ts"] == f"1.{n + 1}"
        time.sleep(0.05)  # the server's close has arrived
    assert (server.connections, len(server.requests)) == (3, 3)


def test_a_kept_connection_is_checked_before_it_is_reused(server):
    pool = ConnectionPool()
    key = ("http", "127.0.0.1", server.http.server_address[1])
    connection, reused = pool.take(*key, timeout=5, context=None)
    connection.request("POST", "/api/api.test", body=b"{}")
    connection.getresponse().read()
    pool.give_back(key, connection)
    assert pool.take(*key, timeout=5, context=None) == (connection, True)
    pool.give_back(key, connection)
    server.mode = "close_after"
    connection.request("POST", "/api/api.test", body=b"{}")
    connection.getresponse().read()
    pool.give_back(key, connection)
    time.sleep(0.05)  # the server's close has arrived
    fresh, reused = pool.take(*key, timeout=5, context=None)
    assert fresh is not connection and not reused


def test_a_connection_closed_just_after_the_check_is_written_again_on_a_new_one(
    server, monkeypatch
):
    monkeypatch.setattr(keepalive, "_still_open", lambda _connection: True)  # the race
    server.mode = "close_after"
    client = _client(server)
    for n in range(3):
        assert _post(client, f"n{n}")["ts"] == f"1.{n + 1}"
        time.sleep(0.05)
    assert len(server.requests) == 3 and server.connections == 3


def test_an_answer_lost_after_the_request_was_written_is_unknown_and_not_sent_again(server):
    client = _client(server)
    _post(client)  # a kept connection
    server.mode = "drop"
    with pytest.raises(Outcome) as lost:
        _post(client, "once")
    assert lost.value.status is OutboxStatus.UNKNOWN
    time.sleep(0.2)  # a retry, if any, would have arrived
    assert [body for _, body in server.requests].count(b'{"channel": "C1", "text": "once"}') == 1
    server.mode = "ok"
    assert _post(client)["ok"]  # and the client goes on, on a new connection
    assert server.connections == 2


def test_a_slow_answer_is_a_timeout_never_sent_again(server):
    server.mode = "slow"
    with pytest.raises(Outcome) as slow:
        _post(_client(server, timeout=0.3))
    assert slow.value.status is OutboxStatus.UNKNOWN and "timeout" in slow.value.error
    _settled(server, 1)
    time.sleep(1.0)
    assert len(server.requests) == 1


@pytest.mark.parametrize(
    ("mode", "status", "error", "retry_after"),
    [
        ("ratelimited", OutboxStatus.FAILED, "ratelimited", 3.0),
        ("error", OutboxStatus.UNKNOWN, "HTTP 500", None),
        ("refused", OutboxStatus.FAILED, "channel_not_found", None),
    ],
)
def test_every_answer_ends_as_it_did_through_urllib(server, mode, status, error, retry_after):
    client = _client(server)
    _post(client)
    server.mode = mode
    with pytest.raises(Outcome) as answer:
        _post(client)
    assert (answer.value.status, answer.value.error) == (status, error)
    assert answer.value.retry_after == retry_after
    server.mode = "ok"
    assert _post(client)["ok"] and server.connections == 1  # an error answer keeps it open


def test_no_server_is_a_definite_failure():
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    client = KeptAliveWebClient(token="x", base_url=f"http://127.0.0.1:{port}/api/", timeout=2)
    with pytest.raises(Outcome) as refused:
        _post(client)
    assert (refused.value.status, refused.value.error) == (
        OutboxStatus.FAILED,
        "connection refused",
    )
