"""The ack bar (SPEC 5): signed `/kudos` requests through `bravo serve` and through a bare Bolt
app with a no-op listener on the same server, in the same run; and the "fully processed" bar:
recognitions stored, announced and DMed a second against a bare app that acks and sends one DM
inline. Both rates count until the last message reached the stand-in (the bare app's DM;
Bravo's announcement and DM); the time until Bravo's outbox has recorded every outcome as well
is reported beside it.

Both run under the same gunicorn settings (gthread, 2 workers x 8 threads) against the Slack
stand-in in its own process; the same client sends the same kind of signed form bodies at the
same concurrency. For Bravo it then checks that every recognition was stored exactly once and
announced exactly once.

    python -m bench.ack --requests 2000 --concurrency 8 [--database postgresql://...]
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import platform
import queue
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from sqlalchemy import text

from bot.entrypoints.standin import SlackStandIn, sign
from storage.db import make_engine

SECRET = "bench-signing-secret"
TOKEN = "xoxb-bench"
PEOPLE = 400  # givers; each gives five shout-outs (the default daily allowance)


def _standin(
    port_queue: multiprocessing.Queue,
    stop: multiprocessing.Event,
    asks: multiprocessing.Queue,
    answers: multiprocessing.Queue,
) -> None:
    slack = SlackStandIn().start()
    for n in range(PEOPLE):
        slack.add_user(f"U{n:05d}", f"Person {n}", tz="Europe/Amsterdam")
    port_queue.put(slack.api_url)
    while not stop.is_set():  # answers "how many messages so far?" until stopped
        try:
            asks.get(timeout=0.1)
        except queue.Empty:
            continue
        answers.put(len(slack.calls_to("chat.postMessage")))
    counts = {m: len(slack.calls_to(m)) for m in ("chat.postMessage", "users.info")}
    port_queue.put(counts)
    slack.stop()


def _serve(command: list[str], env: dict[str, str], port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"server on {port} did not start: {' '.join(command)}")


def _bodies(count: int) -> list[bytes]:
    """Signed-to-be form bodies: 400 givers x 5 shout-outs each (the default daily allowance),
    in a fixed shuffled order, as a team's traffic would interleave."""
    bodies = [kudos_body(n, n // 5, (n // 5 + 1 + n % 5) % PEOPLE) for n in range(count)]
    random.Random(7).shuffle(bodies)
    return bodies


def kudos_body(n: int, giver: int, recipient: int) -> bytes:
    """The `n`th request's form body: person `giver` thanks person `recipient`."""
    form = {
        "team_id": "T0001",
        "channel_id": f"C{n % 50:04d}",
        "user_id": f"U{giver:05d}",
        "command": "/kudos",
        "api_app_id": "A0BENCH",
        "trigger_id": f"{n}.2.3",  # each its own: a repeated trigger is one shout-out
        "text": f"<@U{recipient:05d}> for calming an upset customer and solving it #care",
        "response_url": "http://127.0.0.1:9/response",
    }
    return urllib.parse.urlencode(form).encode()


def _drain(engine, timeout: float) -> float:
    """Seconds until the outbox has nothing left to send or to record (after the load ended)."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        with engine.connect() as connection:
            waiting = connection.execute(
                text("SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')")
            ).scalar()
        if not waiting:
            break
        time.sleep(0.05)
    return round(time.monotonic() - started, 2)


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and all its descendants so far (Linux /proc)."""
    return sum(cpu_by_role(pid).values())


def cpu_by_role(pid: int) -> dict[str, float]:
    """`cpu_seconds` split between the outbox senders and the rest (web workers, arbiter)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total, todo = {"senders": 0.0, "web": 0.0}, [pid]
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            command = Path(f"/proc/{current}/cmdline").read_bytes().split(b"\0")
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        role = "senders" if b"sender" in command else "web"
        total[role] += (int(fields[11]) + int(fields[12])) / ticks
        todo.extend(int(c) for c in children)
    return total


def load(port: int, bodies: list[bytes], concurrency: int) -> dict[str, float]:
    """Send every body once, `concurrency` at a time over keep-alive connections."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    queue = list(reversed(bodies))

    def worker() -> None:
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while True:
            with lock:
                if not queue:
                    break
                body = queue.pop()
            ts = str(int(time.time()))
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Slack-Request-Timestamp": ts,
                "X-Slack-Signature": sign(SECRET, ts, body),
            }
            started = time.perf_counter()
            try:
                conn.request("POST", "/slack/events", body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except OSError:
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                errors += not ok
        conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / wall,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))],
    }


BARE_APP = """
import os
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

app = App(client=WebClient(token=os.environ["SLACK_BOT_TOKEN"],
                           base_url=os.environ["SLACK_API_URL"]),
          signing_secret=os.environ["SLACK_SIGNING_SECRET"])

@app.command("/kudos")
def noop(ack):
    ack()

_slack = SlackRequestHandler(app)

def application(environ, start_response):
    if environ.get("PATH_INFO") == "/healthz":
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]
    return _slack(environ, start_response)
"""


# The bar for "fully processed": a bare app that acks and sends the recipient one DM inline.
BARE_DM_APP = BARE_APP.replace(
    """def noop(ack):
    ack()""",
    """def noop(ack, command, client):
    ack()
    client.chat_postMessage(channel=command["user_id"], text="Thanks!")""",
)


def _posted(asks: multiprocessing.Queue, answers: multiprocessing.Queue) -> int:
    asks.put("count")
    return answers.get(timeout=30)


def _until_posted(asks, answers, count: int, timeout: float) -> float:
    """Seconds until the stand-in has received `count` messages in all."""
    started = time.monotonic()
    while time.monotonic() - started < timeout and _posted(asks, answers) < count:
        time.sleep(0.05)
    return round(time.monotonic() - started, 2)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--workers", type=int, default=2, help="web worker processes of every server (default 2)"
    )
    parser.add_argument("--database", help="SQLAlchemy URL (default: a fresh SQLite file)")
    parser.add_argument("--out", help="also write the report (JSON) to this file")
    parser.add_argument(
        "--no-sender",
        action="store_true",
        help="serve without the outbox sender during the load; it runs after",
    )
    args = parser.parse_args()

    port_queue: multiprocessing.Queue = multiprocessing.Queue()
    asks: multiprocessing.Queue = multiprocessing.Queue()
    answers: multiprocessing.Queue = multiprocessing.Queue()
    stop = multiprocessing.Event()
    standin = multiprocessing.Process(
        target=_standin, args=(port_queue, stop, asks, answers), daemon=True
    )
    standin.start()
    api_url = port_queue.get(timeout=30)

    with tempfile.TemporaryDirectory() as tmp:
        database = args.database or f"sqlite:///{Path(tmp) / 'bench.db'}"
        engine = make_engine(database)
        if not args.database:
            from storage.migrate import upgrade

            upgrade(engine)
        with engine.begin() as connection:  # a clean slate, also on a reused PostgreSQL
            for table in (
                "outbox",
                "recognition_principles",
                "recognitions",
                "shoutouts",
                "members",
            ):
                connection.execute(text(f"DELETE FROM {table}"))
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "BRAVO_"))}
        env.update(
            SLACK_BOT_TOKEN=TOKEN,
            SLACK_SIGNING_SECRET=SECRET,
            SLACK_API_URL=api_url,
            DATABASE_URL=database,
            LOG_LEVEL="ERROR",
            WEB_CONCURRENCY=str(args.workers),
        )
        (Path(tmp) / "bare_app.py").write_text(BARE_APP)
        (Path(tmp) / "bare_dm_app.py").write_text(BARE_DM_APP)
        bodies = _bodies(args.requests)
        results = {}
        for name, port, command in (
            (
                "bare",
                3101,
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "--chdir",
                    tmp,
                    "-b",
                    "127.0.0.1:3101",
                    "-w",
                    str(args.workers),
                    "-k",
                    "gthread",
                    "--threads",
                    "8",
                    "--log-level",
                    "error",
                    "bare_app:application",
                ],
            ),
            (
                "bare_dm",
                3103,
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "--chdir",
                    tmp,
                    "-b",
                    "127.0.0.1:3103",
                    "-w",
                    str(args.workers),
                    "-k",
                    "gthread",
                    "--threads",
                    "8",
                    "--log-level",
                    "error",
                    "bare_dm_app:application",
                ],
            ),
            (
                "bravo",
                3102,
                [sys.executable, "-m", "bot.entrypoints.cli", "serve"]
                + (["--no-sender"] if args.no_sender else []),
            ),
        ):
            server = _serve(command, env | {"PORT": str(port)}, port)
            try:
                load(port, _bodies(16), args.concurrency)  # warm-up, not measured
                time.sleep(1)
                if name == "bravo":
                    # In production the clock syncs the member directory every six hours, so
                    # commands find people in the cache; do what the clock would have done.
                    subprocess.run(
                        [sys.executable, "-m", "bot.entrypoints.cli", "run-job", "members"],
                        env=env,
                        check=True,
                        capture_output=True,
                    )
                if name == "bravo":
                    with engine.begin() as connection:
                        for table in (
                            "outbox",
                            "recognition_principles",
                            "recognitions",
                            "shoutouts",
                        ):
                            connection.execute(text(f"DELETE FROM {table}"))
                cpu_before = cpu_by_role(server.pid)
                posted_before = _posted(asks, answers)
                results[name] = load(port, bodies, args.concurrency)
                during = cpu_by_role(server.pid)
                if name == "bare_dm":  # processed once its DM reached Slack
                    tail = _until_posted(asks, answers, posted_before + args.requests, 60)
                    wall = args.requests / results[name]["rps"] + tail
                    results[name]["processed_per_s"] = args.requests / wall
                if name == "bravo":  # every announcement and DM must go out, once
                    sender = None
                    if args.no_sender:
                        sender = subprocess.Popen(
                            [sys.executable, "-m", "bot.entrypoints.cli", "sender"], env=env
                        )
                    # Processed once its announcement and DM reached Slack, as the bare app's
                    # DM: the same yardstick; then until every outcome is recorded too.
                    load_ended = time.monotonic()
                    tail = _until_posted(asks, answers, posted_before + 2 * args.requests, 120)
                    results[name]["announced_after_s"] = tail
                    results[name]["processed_per_s"] = args.requests / (
                        args.requests / results[name]["rps"] + tail
                    )
                    _drain(engine, timeout=120)
                    results[name]["recorded_after_s"] = round(time.monotonic() - load_ended, 2)
                    # Each announcement and DM reached Slack once: none missing (the wait above
                    # timed out), none twice (which would have ended the wait early).
                    time.sleep(0.5)  # a late duplicate would arrive by now
                    results[name]["slack_posts"] = _posted(asks, answers) - posted_before
                    if sender:
                        sender.terminate()
                        sender.wait(timeout=15)
                after = cpu_by_role(server.pid)
                results[name]["server_cpu_ms_per_request"] = (
                    1000 * (sum(after.values()) - sum(cpu_before.values())) / args.requests
                )
                # Where it went: the web workers during the load (the request path under
                # contention), and the senders from the load's start to the last outcome.
                results[name]["web_cpu_ms_per_request"] = (
                    1000 * (during["web"] - cpu_before["web"]) / args.requests
                )
                results[name]["sender_cpu_ms_per_request"] = (
                    1000 * (after["senders"] - cpu_before["senders"]) / args.requests
                )
            finally:
                server.terminate()
                server.wait(timeout=15)
        with engine.connect() as connection:
            stored = connection.execute(text("SELECT count(*) FROM recognitions")).scalar()
            announced = connection.execute(
                text(
                    "SELECT count(*) FROM outbox WHERE topic='kudos.announcement' AND status='sent'"
                )
            ).scalar()
            dupes = connection.execute(
                text(
                    "SELECT count(*) FROM (SELECT giver_id, recipient_id, count(*) "
                    "FROM recognitions GROUP BY giver_id, recipient_id HAVING count(*) > 1) d"
                )
            ).scalar()
        engine.dispose()
    stop.set()
    slack_counts = port_queue.get(timeout=30)
    standin.join(timeout=10)

    bare, bravo = results["bare"], results["bravo"]
    report = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "database": (args.database or "sqlite").split("@")[-1],
        "bare": bare,
        "bravo": bravo,
        "throughput_ratio": bravo["rps"] / bare["rps"],
        "p50_ratio": bravo["p50_ms"] / bare["p50_ms"],
        "p99_ratio": bravo["p99_ms"] / bare["p99_ms"],
        "bare_dm": results["bare_dm"],
        "processed_ratio": bravo["processed_per_s"] / results["bare_dm"]["processed_per_s"],
        "stored": stored,
        "announced": announced,
        "duplicate_pairs": dupes,
        "slack_posts": slack_counts["chat.postMessage"],
    }
    print(json.dumps(report, indent=2))
    if args.out:
        Path(args.out).write_text(json.dumps(report, indent=2) + "\n")
    passed = (
        report["throughput_ratio"] >= 0.7
        and report["p50_ratio"] <= 1.5
        and report["p99_ratio"] <= 2
        and report["processed_ratio"] >= 0.5
        and bravo["errors"] == 0
        and bare["errors"] == 0
        and stored == args.requests
        and announced == args.requests
        and bravo["slack_posts"] == 2 * args.requests
        and dupes == 0
    )
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
