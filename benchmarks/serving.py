"""What the web benchmarks share: gunicorn on loopback, started in its own session (so a kill
test can signal master and workers as one group) and stopped again; a free port.

BENCH_GUNICORN_ARGS adds options to gunicorn's command line (e.g. "-c experiment.py").
"""

from __future__ import annotations

import http.client
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(
    env: dict,
    port: int,
    workers: int,
    threads: int,
    log: Path,
    *,
    probe: str,
    ready: tuple[int, ...],
    timeout: float = 60,
) -> subprocess.Popen:
    """`gunicorn manyi.wsgi` (sync workers, or gthread with threads > 1); returns once `probe`
    answers with one of the `ready` statuses. Its log goes to `log`, not between the figures."""
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "manyi.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--backlog",
        "2048",
        "--timeout",
        "60",
        "--log-level",
        "warning",
    ]
    if threads > 1:
        command += ["--worker-class", "gthread", "--threads", str(threads)]
    command += shlex.split(os.environ.get("BENCH_GUNICORN_ARGS", ""))
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn
        command,
        env=env,
        cwd=ROOT,
        start_new_session=True,
        stdout=log.open("a"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", probe)
            if conn.getresponse().status in ready:
                conn.close()
                return server
        except OSError:
            time.sleep(0.2)
    stop_server(server, signal.SIGKILL)
    raise SystemExit(f"gunicorn did not answer within {timeout:.0f} s; see {log}")


def stop_server(server: subprocess.Popen, how: int = signal.SIGTERM) -> None:
    if server.poll() is None:
        os.killpg(server.pid, how)
        server.wait(timeout=30)
