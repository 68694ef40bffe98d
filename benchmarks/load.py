"""Load generation over loopback HTTP with the standard library only (``http.client``).

Kept free of the app's imports so that client processes start fast and stay small.
"""

from __future__ import annotations

import http.client
import json
import math
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

HOST = "127.0.0.1"  # loopback only, always
TIMEOUT = 10.0  # seconds, every request


@dataclass
class Result:
    status: int  # 0: no response (connection error, timeout)
    seconds: float
    body: str = ""


def request(
    conn: http.client.HTTPConnection,
    method: str,
    path: str,
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, bytes]:
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    return response.status, response.read()


def fetch(port: int, method: str, path: str, **kw: object) -> tuple[int, bytes]:
    """One request on a connection of its own."""
    conn = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
    try:
        return request(conn, method, path, **kw)  # type: ignore[arg-type]
    finally:
        conn.close()


def wait_until_up(port: int, path: str, deadline: float, alive: object = None) -> None:
    """Polls ``path`` until it answers 200; ``alive()`` false means the server died."""
    last = ""
    while time.monotonic() < deadline:
        if callable(alive) and not alive():
            raise RuntimeError("the server exited while starting")
        try:
            status, data = fetch(port, "GET", path)
            if status == 200:
                return
            last = f"{status} {data[:200]!r}"
        except OSError as exc:
            last = str(exc)
        time.sleep(0.1)
    raise RuntimeError(f"the server did not answer on {HOST}:{port}{path} in time ({last})")


def cast_votes(
    port: int,
    round_id: int,
    ballots: Sequence[tuple[str, str]],
    threads: int,
    probe: Callable[[], object] | None = None,
) -> tuple[list[Result], float, tuple[object, object]]:
    """Every ballot ``(token, choice)`` POSTed at once from ``threads`` threads.

    Each voter is a phone of its own: a new connection per vote. Returns the results in ballot
    order, the wall time from the first send to the last answer, and what ``probe()`` said at
    those two moments.
    """
    path = f"/api/v1/rounds/{round_id}/votes"
    start = threading.Event()

    def cast(ballot: tuple[str, str]) -> Result:
        token, choice = ballot
        start.wait()
        payload = json.dumps({"choice": choice}).encode()
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        t0 = time.perf_counter()
        try:
            status, data = fetch(port, "POST", path, body=payload, headers=headers)
        except OSError as exc:
            return Result(0, time.perf_counter() - t0, f"{type(exc).__name__}: {exc}")
        seconds = time.perf_counter() - t0
        return Result(status, seconds, "" if status == 201 else data.decode(errors="replace"))

    with ThreadPoolExecutor(max_workers=threads) as pool:
        futures = [pool.submit(cast, b) for b in ballots]
        time.sleep(0.2)  # let the pool's threads exist before the starting shot
        before = probe() if probe else None
        t0 = time.perf_counter()
        start.set()
        results = [f.result(timeout=TIMEOUT * (len(ballots) / threads + 2)) for f in futures]
        wall = time.perf_counter() - t0
        after = probe() if probe else None
    return results, wall, (before, after)


def read_as(port: int, path: str, tokens: Sequence[str], threads: int) -> None:
    """GET ``path`` once with each token (untimed), failing loudly on anything but 200."""

    def read(token: str) -> int:
        status, _ = fetch(port, "GET", path, headers={"Authorization": f"Bearer {token}"})
        return status

    with ThreadPoolExecutor(max_workers=threads) as pool:
        statuses = list(pool.map(read, tokens, timeout=TIMEOUT * (len(tokens) / threads + 2)))
    if any(s != 200 for s in statuses):
        raise RuntimeError(f"reading {path} as each voter: statuses {sorted(set(statuses))}")


@dataclass
class Throughput:
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    all_requests: int = 0  # warm-up included
    client_cpu_seconds: float = 0.0  # this client process, warm-up included
    latencies: list[float] = field(default_factory=list)
    first_errors: list[str] = field(default_factory=list)


def hammer(
    port: int,
    path: str,
    threads: int,
    start_at: float,
    warmup: float,
    duration: float,
    headers: dict[str, str] | None = None,
    ok_statuses: tuple[int, ...] = (200,),
) -> Throughput:
    """GET ``path`` (with ``headers``) in a loop from ``threads`` keep-alive connections.

    Runs in a client process of its own. Only answers completed between ``start_at + warmup``
    and ``start_at + warmup + duration`` (``time.monotonic``, system-wide on Linux) count.
    """
    begin = start_at + warmup
    end = begin + duration
    out = Throughput(seconds=duration)
    lock = threading.Lock()
    cpu0 = time.process_time()

    def loop() -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
        done = errors = sent = 0
        lat: list[float] = []
        firsts: list[str] = []
        while time.monotonic() < start_at:
            time.sleep(0.001)
        try:
            while True:
                t0 = time.monotonic()
                if t0 >= end:
                    break
                try:
                    status, data = request(conn, "GET", path, headers=headers)
                    ok = status in ok_statuses
                    problem = "" if ok else f"{status} {data[:300].decode(errors='replace')}"
                except (OSError, http.client.HTTPException) as exc:
                    ok, problem = False, f"{type(exc).__name__}: {exc}"
                    conn.close()
                    conn = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
                t1 = time.monotonic()
                sent += 1
                if begin <= t1 < end:
                    if ok:
                        done += 1
                        lat.append(t1 - t0)
                    else:
                        errors += 1
                        if len(firsts) < 3:
                            firsts.append(problem)
        finally:
            conn.close()
        with lock:
            out.requests += done
            out.all_requests += sent
            out.errors += errors
            out.latencies.extend(lat)
            out.first_errors.extend(firsts)

    workers = [threading.Thread(target=loop, daemon=True) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=max(0.0, end - time.monotonic()) + TIMEOUT + 5)
    out.client_cpu_seconds = time.process_time() - cpu0
    return out


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile; ``nan`` for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]
