"""Shared tools for the benchmark scripts: serve the portal under gunicorn and load it.

    from bench.harness import serve, load, setup_django, query_count

    setup_django()                      # before touching models in the script
    with serve(workers=2) as base_url:
        print(load(base_url + "/", seconds=10, connections=32))

The scripts print figures; they assert nothing. By default they use an embedded SQLite
database of their own under ``var/bench/``; set ``DATABASE_URL`` (and ``REDIS_URL``) to
measure the production shape.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_VAR = ROOT / "var" / "bench"


def bench_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("IKONE_VAR_DIR", str(BENCH_VAR))
    env["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    env.setdefault("LOG_LEVEL", "ERROR")
    if extra:
        env.update(extra)
    return env


def setup_django(extra_env: dict[str, str] | None = None, *, migrate: bool = True) -> None:
    """Configure Django in this process with the bench settings (and migrate the database)."""
    os.environ.update(bench_env(extra_env))
    sys.path.insert(0, str(ROOT))
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


SERVERS: dict[str, int] = {}  # base URL -> gunicorn master pid (for server_cpu)


def server_cpu(base_url: str) -> float:
    """CPU seconds (user + system) the gunicorn master and workers of ``base_url`` used."""
    master = SERVERS[base_url]
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # after the command: state ppid ... utime (12th) stime (13th)
        if int(entry) == master or int(fields[1]) == master:
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


@contextmanager
def serve(
    *,
    workers: int = 2,
    env: dict[str, str] | None = None,
    threads: int = 1,
    app: str = "ikone.wsgi:application",
    ready_path: str = "/bench/trivial/",
):
    """Run gunicorn with the bench settings on a free local port; yield its base URL.

    ``app`` and ``env`` (e.g. another ``DJANGO_SETTINGS_MODULE``) serve something else with
    the very same gunicorn options.
    """
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            app,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--log-level",
            "warning",
            "--backlog",
            "2048",
        ],
        cwd=ROOT,
        env=bench_env(env),
    )
    base_url = f"http://127.0.0.1:{port}"
    SERVERS[base_url] = process.pid
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(base_url + ready_path, timeout=2):  # noqa: S310
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


BARE_ENV = {"DJANGO_SETTINGS_MODULE": "bench.bareapp.settings"}


def serve_bare(*, workers: int = 2):
    """The bare Django view: ``bench.bareapp``, a project outside the portal (its own tiny
    settings, three middlewares, one view), served with the very same gunicorn options."""
    return serve(
        workers=workers, app="bench.bareapp.wsgi:application", env=BARE_ENV, ready_path="/"
    )


def load_measuring_cpu(server: str, url: str, **options) -> dict:
    """``load(url, **options)`` plus ``cpu_ms``: the CPU time the gunicorn processes of
    ``server`` (a base URL from ``serve``) used per request of that load."""
    before = server_cpu(server)
    result = load(url, **options)
    result["cpu_ms"] = (server_cpu(server) - before) * 1000 / max(result["requests"], 1)
    return result


def _wrk(url: str, *, seconds: int, connections: int, threads: int, headers: dict) -> dict:
    output = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "--timeout",
            "10s",
            *[arg for name, value in headers.items() for arg in ("-H", f"{name}: {value}")],
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def latency(label: str) -> float:
        match = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
        if not match:
            return float("nan")
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = 0
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    if non_2xx:
        errors += int(non_2xx.group(1))
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    return {
        "tool": "wrk",
        "rps": rps,
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "errors": errors,
        "requests": requests,
    }


def _python_load(url: str, *, seconds: int, connections: int, headers: dict) -> dict:
    """Fallback load generator: keep-alive connections in threads, bounded in time."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    deadline = time.monotonic() + seconds
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def worker() -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        local, local_errors = [], 0
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status >= 400:
                    local_errors += 1
            except (OSError, http.client.HTTPException):
                local_errors += 1
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
                continue
            local.append((time.perf_counter() - started) * 1000)
        conn.close()
        with lock:
            latencies.extend(local)
            errors[0] += local_errors

    started = time.monotonic()
    pool = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] if latencies else 0.0

    return {
        "tool": "python",
        "rps": len(latencies) / elapsed,
        "p50_ms": pct(0.5),
        "p99_ms": pct(0.99),
        "errors": errors[0],
        "requests": len(latencies),
        "mean_ms": statistics.fmean(latencies) if latencies else 0.0,
    }


def load(
    url: str,
    *,
    seconds: int = 10,
    connections: int = 32,
    threads: int = 2,
    headers: dict[str, str] | None = None,
) -> dict:
    """Load ``url`` for ``seconds``; return rps, p50/p99 latency in ms and the error count."""
    headers = headers or {}
    if shutil.which("wrk"):
        return _wrk(url, seconds=seconds, connections=connections, threads=threads, headers=headers)
    return _python_load(url, seconds=seconds, connections=min(connections, 64), headers=headers)


def warm(url: str, *, times: int = 20, headers: dict[str, str] | None = None) -> None:
    for _ in range(times):
        request = urllib.request.Request(url, headers=headers or {})  # noqa: S310
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            response.read()


def query_count(path: str, *, client=None, user=None) -> int:
    """Queries Django runs to render ``path`` (in this process, through the test client)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = client or Client()
    if user is not None:
        client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    return len(captured)


def row(label: str, result: dict, baseline: dict | None = None, against: str = "trivial") -> str:
    ratio = f"  {result['rps'] / baseline['rps']:.2f}× {against}" if baseline else ""
    return (
        f"{label:<28} {result['rps']:>9.1f} req/s  p50 {result['p50_ms']:>7.1f} ms  "
        f"p99 {result['p99_ms']:>7.1f} ms  errors {result['errors']}{ratio}"
    )
