"""Serve the app from N Streamlit processes behind nginx, with session affinity, on one machine.

    python deploy/serve.py                       # one process per core, nginx on http://127.0.0.1:8501
    python deploy/serve.py --processes 2 --port 8670 --address 0.0.0.0

The app processes listen on 127.0.0.1 only, on the ports after nginx's (``--port`` + 1 ... + N); nginx
(Debian's package, ``apt-get install nginx``) runs as a child with its own config, pid, logs and temp files in
a temporary directory, so the system's nginx, if any, is left alone. The script waits until every process
answers ``/_stcore/health`` (directly and through nginx), prints the URL, and stops everything it started, by
PID, on Ctrl-C, SIGTERM or SIGHUP, when any of its processes dies, and when it exits. On Linux the children
are also told to stop if this script is killed outright (``PR_SET_PDEATHSIG``).

Every process gets the same ``server.cookieSecret`` (a fresh random one unless
``STREAMLIT_SERVER_COOKIE_SECRET`` is set): Streamlit signs its cookies with it, and a browser that is
moved to another process (when its own one is gone) must still be accepted there.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `deploy` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from deploy import nginx

REPO = Path(__file__).resolve().parents[1]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
_PR_SET_PDEATHSIG = 1
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never through a proxy


def nginx_path() -> str | None:
    """The nginx binary, or None when it is not installed."""
    return NGINX if os.access(NGINX, os.X_OK) else None


def _die_with_parent() -> None:
    # Runs in the child before exec: if this script dies (even by SIGKILL), the kernel sends the child SIGTERM.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _port_free(address: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((address, port))
        except OSError:
            return False
    return True


def health_ok(base_url: str) -> bool:
    try:
        with _OPENER.open(f"{base_url}/_stcore/health", timeout=2) as response:
            return response.status == 200 and response.read().strip() == b"ok"
    except OSError:
        return False


class Cluster:
    """N Streamlit processes on consecutive loopback ports and nginx in front of them, all children of ours."""

    def __init__(
        self,
        processes: int,
        port: int,
        *,
        app_port: int | None = None,
        address: str = "127.0.0.1",
        workdir: Path | None = None,
        expose_upstream: bool = False,
        app_dir: Path = REPO,
    ) -> None:
        if processes < 1:
            raise ValueError("processes must be >= 1")
        self.processes = processes
        self.port = port
        self.address = address
        self.app_ports = [(app_port or port + 1) + i for i in range(processes)]
        self.workdir = Path(workdir) if workdir else Path(tempfile.mkdtemp(prefix="attention-lab-serve-"))
        self.expose_upstream = expose_upstream
        self.app_dir = app_dir
        self.apps: list[subprocess.Popen] = []
        self.nginx: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.address in ("0.0.0.0", "") else self.address
        return f"http://{host}:{self.port}"

    @property
    def app_urls(self) -> list[str]:
        return [f"http://127.0.0.1:{port}" for port in self.app_ports]

    def children(self) -> list[subprocess.Popen]:
        return [*self.apps, *([self.nginx] if self.nginx else [])]

    def start(self, timeout: float = 120) -> None:
        """Start the processes and nginx; return once all answer /_stcore/health. Stops everything on failure."""
        binary = nginx_path()
        if binary is None:
            raise RuntimeError(f"nginx is not installed at {NGINX} (apt-get install nginx)")
        busy = [p for p in [self.port, *self.app_ports] if not _port_free("127.0.0.1", p)]
        if busy:
            raise RuntimeError(f"ports already in use: {busy}")
        # nginx's workers drop root to an unprivileged user, which must be able to enter this directory.
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.workdir.chmod(0o755)
        env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
        env.setdefault("STREAMLIT_SERVER_COOKIE_SECRET", secrets.token_hex(32))
        env["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] = "false"
        try:
            for port in self.app_ports:
                self.apps.append(self._spawn(self._app_command(port), f"app-{port}.log", env))
            conf = self.workdir / "nginx.conf"
            upstreams = [f"127.0.0.1:{port}" for port in self.app_ports]
            listen = f"{self.address}:{self.port}"
            conf.write_text(nginx.render(upstreams, listen, prefix=self.workdir, expose_upstream=self.expose_upstream))
            command = [binary, "-p", str(self.workdir), "-e", str(self.workdir / "error.log"), "-c", str(conf)]
            self.nginx = self._spawn([*command, "-g", "daemon off;"], "nginx.log", env)
            self._wait_healthy(timeout)
        except BaseException:
            self.stop()
            raise

    def _app_command(self, port: int) -> list[str]:
        return [
            sys.executable, "-m", "streamlit", "run", "streamlit_app.py",
            "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
        ]  # fmt: skip

    def _spawn(self, command: list[str], log_name: str, env: dict[str, str]) -> subprocess.Popen:
        with (self.workdir / log_name).open("wb") as log:  # the child keeps its own copy of the descriptor
            return subprocess.Popen(
                command,
                cwd=self.app_dir,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C reaches only us; we stop the children in order
                preexec_fn=_die_with_parent if sys.platform == "linux" else None,
            )

    def _wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        pending = [*self.app_urls, self.url]
        while pending:
            dead = self.dead()
            if dead:
                raise RuntimeError(f"exited during start: {', '.join(dead)}; logs in {self.workdir}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"not healthy after {timeout:.0f} s: {', '.join(pending)}; logs in {self.workdir}")
            pending = [url for url in pending if not health_ok(url)]
            if pending:
                time.sleep(0.2)

    def dead(self) -> list[str]:
        """The children that have exited, described."""
        names = [f"app on :{port}" for port in self.app_ports] + (["nginx"] if self.nginx else [])
        return [
            f"{name} (pid {proc.pid}, exit {proc.returncode})"
            for name, proc in zip(names, self.children(), strict=True)
            if proc.poll() is not None
        ]

    def stop(self) -> None:
        """Stop what we started, by PID: nginx first (no new requests), then the apps; SIGTERM, then SIGKILL."""
        procs = [p for p in [self.nginx, *self.apps] if p is not None]
        for proc in procs:
            if proc.poll() is None:
                proc.terminate()  # nginx: fast shutdown; a graceful one would wait for every open websocket
        deadline = time.monotonic() + 10
        for proc in procs:
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)

    def __enter__(self) -> Cluster:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1, help="app processes (default: cores)")
    parser.add_argument("--port", type=int, default=8501, help="nginx's port (default 8501)")
    parser.add_argument("--app-port", type=int, help="first app process's port (default: --port + 1)")
    parser.add_argument(
        "--address", default="127.0.0.1", help="nginx's address; 0.0.0.0 lets other machines in (default 127.0.0.1)"
    )
    parser.add_argument("--show-upstream", action="store_true", help=f"add {nginx.UPSTREAM_HEADER} to responses")
    args = parser.parse_args(argv)
    if not 1 <= args.processes <= 64:
        parser.error("--processes must be in 1..64")

    def on_signal(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    cluster = Cluster(
        args.processes, args.port, app_port=args.app_port, address=args.address, expose_upstream=args.show_upstream
    )
    try:
        cluster.start()
        print(f"{args.processes} app processes on 127.0.0.1:{cluster.app_ports[0]}-{cluster.app_ports[-1]}")
        print(f"logs in {cluster.workdir}")
        print(f"open {cluster.url}   (Ctrl-C stops everything)", flush=True)
        while not cluster.dead():
            time.sleep(1)
        print(f"stopping: {', '.join(cluster.dead())}; logs in {cluster.workdir}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
