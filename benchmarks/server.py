"""gunicorn as a subprocess on a free loopback port, always stopped again."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from benchmarks.load import HOST, wait_until_up

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    # One worker per core of this 2-core machine, threads for the waits on the database.
    workers: int = 2
    threads: int = 4
    worker_class: str = "gthread"

    def args(self) -> list[str]:
        return [
            "--workers",
            str(self.workers),
            "--threads",
            str(self.threads),
            "--worker-class",
            self.worker_class,
        ]


@dataclass(frozen=True)
class Server:
    port: int
    pid: int

    def cpu_seconds(self) -> float:
        """User plus system CPU of the gunicorn master and its live workers, from ``/proc``."""
        return sum(_cpu(pid) for pid in [self.pid, *_children(self.pid)])


_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    # After "pid (comm)": state is field 3, utime 14 and stime 15 (1-based, proc(5)).
    return (int(fields[11]) + int(fields[12])) / _TICKS


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return found
    for task in tasks:
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return found


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy (all CPUs, all processes), ``/proc/stat``."""
    try:
        first = Path("/proc/stat").read_text().splitlines()[0].split()
    except (OSError, IndexError):
        return 0.0
    ticks = [int(x) for x in first[1:9]]  # user nice system idle iowait irq softirq steal
    return (sum(ticks) - ticks[3] - ticks[4]) / _TICKS


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def gunicorn() -> str:
    path = Path(sys.executable).parent / "gunicorn"
    return str(path) if path.exists() else "gunicorn"


@contextlib.contextmanager
def serve(
    app: str,
    settings: Settings,
    *,
    env: dict[str, str],
    ready_path: str,
    log_path: Path,
    start_timeout: float = 60.0,
    root: Path = ROOT,
) -> Iterator[Server]:
    """Runs ``gunicorn app`` on 127.0.0.1 from the checkout ``root``; yields it once
    ``ready_path`` answers 200."""
    port = free_port()
    command = [
        gunicorn(),
        app,
        "--bind",
        f"{HOST}:{port}",
        *settings.args(),
        "--timeout",
        "60",
        "--graceful-timeout",
        "5",
        "--keep-alive",
        "5",
        "--chdir",
        str(root),
        "--error-logfile",
        "-",
        # gunicorn's default control socket is one path per user, taken over (and removed on
        # exit) by every gunicorn that user starts: the benchmark's servers need none.
        "--no-control-socket",
    ]
    full_env = {**os.environ, **env}
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(
            command,
            cwd=root,
            env=full_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: its workers go with it
        )
    try:
        wait_until_up(
            port,
            ready_path,
            time.monotonic() + start_timeout,
            alive=lambda: proc.poll() is None,
        )
        yield Server(port, proc.pid)
    except BaseException:
        print(f"  gunicorn log ({log_path}), last lines:")
        print(tail(log_path))
        raise
    finally:
        stop(proc)


def stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the gunicorn master, then SIGKILL to its process group if it lingers.

    The benchmark's time-limit alarm waits meanwhile, so that it cannot cut the cleanup short.
    """
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
    try:
        _stop(proc)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=15)
    # Workers of a master that died or hung: the group is the one this module started.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)


def tail(path: Path, lines: int = 20) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return "  (no log)"
    return "\n".join("  | " + line for line in text.splitlines()[-lines:])
