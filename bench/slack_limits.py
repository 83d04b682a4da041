"""The Slack stand-in with Slack's behaviour, for benchmarks and tests that want it.

`LimitedSlack` is the stand-in of `bot.entrypoints.standin` plus what real Slack does to a busy
app: every call answers after a latency (100 ms by default, served concurrently: the stand-in
is a threading server), and `chat.postMessage` is rate limited the way Slack documents it,
about one message per second per channel with a short burst allowed, and a per-workspace cap
per minute. Beyond either limit the call is refused with HTTP 429 and `Retry-After` (whole
seconds until a token is free), and nothing is posted.

Both limits are token buckets (`TokenBucket`), pure and clock-injected so they can be tested.
A workspace is told apart by the call's `team_id` argument, else its bearer token.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any

from bot.entrypoints.standin import SlackStandIn, _Rule

LIMITED_METHODS = frozenset({"chat.postMessage"})


class TokenBucket:
    """`rate` tokens a second, holding at most `burst`; a call takes one token or is told how
    long until one is free."""

    def __init__(self, rate: float, burst: float, now: float) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("a bucket needs a positive rate and room for one token")
        self.rate, self.burst = rate, burst
        self.tokens, self.at = float(burst), now

    def _refill(self, now: float) -> None:
        if now > self.at:
            self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
            self.at = now

    def wait(self, now: float) -> float:
        """Seconds until a token is free (0 when one is free now); takes nothing."""
        self._refill(now)
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate

    def take(self, now: float) -> float:
        """Take a token: 0.0 when taken, else the seconds to wait (nothing taken)."""
        waiting = self.wait(now)
        if waiting == 0:
            self.tokens -= 1
        return waiting


@dataclass(frozen=True)
class Limits:
    latency: float = 0.100  # seconds before every answer
    per_channel: float = 1.0  # chat.postMessage per second per channel
    channel_burst: int = 3  # messages a quiet channel takes at once
    per_workspace_minute: int = 600  # chat.postMessage per minute per workspace ("several hundred")
    workspace_burst: int = 30


class RateLimiter:
    """The two buckets every limited call must pass: its channel's and its workspace's."""

    def __init__(self, limits: Limits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits, self.clock = limits, clock
        self._channels: dict[tuple[str, str], TokenBucket] = {}
        self._workspaces: dict[str, TokenBucket] = {}
        self._lock = threading.Lock()
        self.refused = 0

    def admit(self, workspace: str, channel: str) -> float:
        """0.0 when the call may go ahead (a token taken from both buckets), else the seconds
        until it could (nothing taken)."""
        limits, now = self.limits, self.clock()
        with self._lock:
            by_channel = self._channels.get((workspace, channel))
            if by_channel is None:
                by_channel = TokenBucket(limits.per_channel, limits.channel_burst, now)
                self._channels[(workspace, channel)] = by_channel
            by_workspace = self._workspaces.get(workspace)
            if by_workspace is None:
                by_workspace = TokenBucket(
                    limits.per_workspace_minute / 60, limits.workspace_burst, now
                )
                self._workspaces[workspace] = by_workspace
            waiting = max(by_channel.wait(now), by_workspace.wait(now))
            if waiting:
                self.refused += 1
                return waiting
            by_channel.take(now)
            by_workspace.take(now)
            return 0.0


def retry_after(seconds: float) -> int:
    """Slack's `Retry-After` is whole seconds, at least one."""
    return max(1, math.ceil(seconds))


class LimitedSlack(SlackStandIn):
    """The stand-in, slowed and limited like Slack: `with LimitedSlack(Limits()) as slack:`."""

    def __init__(
        self,
        limits: Limits | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        **kwargs: Any,
    ) -> None:
        self.limits = limits or Limits()
        self.limiter = RateLimiter(self.limits, clock)
        self._request = threading.local()
        super().__init__(**kwargs)
        # Many clients at once: a longer accept queue than socketserver's default of 5.
        self._server.socket.listen(256)

    def posted(self, method: str = "chat.postMessage") -> list:
        """Calls that were answered (not refused): what Slack actually posted."""
        return [c for c in self.calls_to(method) if c.response is not None]

    def attempts(self, method: str = "chat.postMessage") -> int:
        """Calls made, answered or refused."""
        return len(self.calls_to(method))

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        base = super()._handler()
        request = self._request

        class Handler(base):  # type: ignore[misc, valid-type]
            def do_POST(self) -> None:
                request.authorization = self.headers.get("Authorization")
                super().do_POST()

        return Handler

    def _fault(self, method: str, args: dict[str, Any]) -> _Rule | None:
        if self.limits.latency:
            time.sleep(self.limits.latency)
        rule = super()._fault(method, args)
        if rule is not None or method not in LIMITED_METHODS:
            return rule
        workspace = str(args.get("team_id") or getattr(self._request, "authorization", ""))
        waiting = self.limiter.admit(workspace, str(args.get("channel", "")))
        if waiting:
            return _Rule(
                method,
                None,
                None,
                error="ratelimited",
                status=429,
                retry_after=retry_after(waiting),
            )
        return None


@dataclass(frozen=True)
class Posted:
    """What a posted message said that the benchmarks count: its channel and metadata."""

    args: dict[str, Any]


class SlackProcess:
    """`LimitedSlack` in a process of its own: `with SlackProcess(limits) as slack:`.

    Real Slack does not run in the clock's process. In the same process the stand-in's HTTP
    server would take the clock's interpreter lock for about a millisecond a call, so a
    benchmark of the clock measures the clock alone with this. `posted()` gives each posted
    message's channel and metadata; `cpu()` the stand-in's own CPU seconds.
    """

    def __init__(self, limits: Limits | None = None) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(
            target=_serve, args=(limits or Limits(), child), name="slack-standin", daemon=True
        )
        self._process.start()
        self.limits = limits or Limits()
        self.api_url: str = self._answer()

    def _answer(self) -> Any:
        while not self._conn.poll(0.5):
            if not self._process.is_alive():
                raise RuntimeError(f"the Slack stand-in exited ({self._process.exitcode})")
        return self._conn.recv()

    def _ask(self, request: str) -> Any:
        self._conn.send(request)
        return self._answer()

    def reset(self) -> None:
        self._ask("reset")

    def posted(self) -> list[Posted]:
        return [Posted(args) for args in self._ask("posted")]

    def attempts(self) -> int:
        return self._ask("attempts")

    def cpu(self) -> float:
        return self._ask("cpu")

    def close(self) -> None:
        with contextlib.suppress(OSError, EOFError):
            self._ask("stop")
        self._process.join(timeout=10)

    def __enter__(self) -> SlackProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _serve(limits: Limits, conn) -> None:
    """The stand-in's process: answer Slack calls, and the parent's questions over `conn`."""
    with LimitedSlack(limits) as slack:
        conn.send(slack.api_url)
        while (request := conn.recv()) != "stop":
            if request == "reset":
                slack.reset()
                conn.send(None)
            elif request == "posted":
                kept = ("channel", "metadata")
                conn.send([{k: c.args.get(k) for k in kept} for c in slack.posted()])
            elif request == "attempts":
                conn.send(slack.attempts())
            elif request == "cpu":
                conn.send(time.process_time())
        conn.send(None)


def main() -> int:
    """Run a limited stand-in on its own, for trying a client against it by hand."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--latency-ms", type=float, default=100)
    args = parser.parse_args()
    with LimitedSlack(Limits(latency=args.latency_ms / 1000)) as slack:
        print(f"Slack stand-in with limits at {slack.api_url} (Ctrl-C to stop)", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
