"""Load benchmark: K concurrent sessions on loopback, each changing controls M times; then one long session.

Not a test: run it by hand on a quiet machine and copy the figures into docs/BENCHMARKS.md.

    /work/venv/bin/python bench/load.py                       # defaults: --sessions 50 --changes 20 --soak 1000
    /work/venv/bin/python bench/load.py --sessions 5 --changes 4 --soak 200 --json-out /tmp/load.json

It starts its own server (``streamlit run streamlit_app.py`` on 127.0.0.1, on a free port), drives it with
raw websocket clients (``bench/ws_client.py``: what a browser tab sends, without a browser), and always
stops that server by its PID: on success, on error, on Ctrl-C/SIGTERM, and when the hard ``--timeout``
runs out (a watchdog thread kills it even if the event loop is stuck). All traffic is to 127.0.0.1.

Phases:

1. cold: the server is up, no session has run the app yet;
2. warm-up: one session runs the app and makes 10 changes, then leaves (first imports of torch, Altair
   and the app's modules, and the shared spec caches, are not per-session memory);
3. before -> connected: K sessions connect at once and each runs the app once;
4. interactions: each session makes M changes, alternating the sequence-length slider ``L`` (a new random
   length in 1..64) and the ``seed`` number input (a new random seed), with a random think time between
   changes (uniform in [0.5, 1.5] x --think);
5. after: all K sessions disconnect; memory is read --settle seconds later;
6. soak: one new session makes --soak changes back to back; heap growth is measured from change 100
   (the warm-up baseline) to the last.

Latency of a change = from sending the rerun BackMsg to receiving ``script_finished`` for that run.
An error is an exception element, a finish status other than FINISHED_SUCCESSFULLY, a timeout, a
dropped connection, or (unless --no-url-check) a run after which the app's URL does not show the new
value (the app mirrors L and seed into the query string, so this checks the change took effect).
Memory is ``/proc/PID/status`` VmRSS and RssAnon (anonymous memory: the Python heap, malloc arenas,
torch's allocations); CPU is utime+stime from ``/proc/PID/stat``. The share of the machine's CPU that
other processes used during the changes is reported too: latency on a shared machine is pessimistic.

Exit code: 0 when every target below is met, 1 when one is missed, 2 when the run failed.

Diagnosis: ``--py-spy PATH`` samples the server with py-spy during the changes and prints where its time
goes; ``--switch-interval S`` starts the server with ``sys.setswitchinterval(S)``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import json
import os
import platform
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ws_client import RunError, Session, int_input, slider

REPO = Path(__file__).resolve().parents[1]
PYTHON = Path(sys.executable)
MAX_L = 64
MAX_SEED = 10**6
WARMUP_CHANGES = 10
SOAK_BASELINE = 100
TARGETS = {
    "errors": 0,
    "p95_s": 1.0,
    "cpu_ms_per_interaction": 50.0,
    "heap_mib_per_session": 1.0,
    "soak_heap_growth_mib": 50.0,
}
CLK_TCK = os.sysconf("SC_CLK_TCK")
CONTENDED_CORES = 0.2  # other processes' CPU during the changes above which the run is flagged as contended


# ---------------------------------------------------------------------------------------------------
# The server process: started on a free loopback port, read through /proc, always stopped by PID.


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Mem:
    label: str
    rss_mib: float
    anon_mib: float
    threads: int
    t: float  # seconds since the server started


class Server:
    def __init__(self, app_dir: Path, port: int, log_path: Path, switch_interval: float | None = None) -> None:
        self.app_dir = app_dir
        self.switch_interval = switch_interval
        self.port = port
        self.log_path = log_path
        self.proc: subprocess.Popen | None = None
        self.started = 0.0

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def start(self, ready_timeout: float) -> None:
        launcher = ["-m", "streamlit"]
        if self.switch_interval is not None:  # diagnosis only: the GIL switch interval (Python's default 5 ms)
            launcher = [
                "-c",
                f"import runpy, sys; sys.setswitchinterval({self.switch_interval!r}); sys.argv[0] = 'streamlit'; "
                "runpy.run_module('streamlit', run_name='__main__', alter_sys=True)",
            ]
        cmd = [
            str(PYTHON),
            *launcher,
            "run",
            "streamlit_app.py",
            "--server.port",
            str(self.port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ]
        env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
        env["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] = "false"
        with open(self.log_path, "wb") as log:  # the child keeps its own copy of the descriptor
            self.proc = subprocess.Popen(cmd, cwd=self.app_dir, stdout=log, stderr=subprocess.STDOUT, env=env)
        self.started = time.monotonic()
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback, never a proxy
        deadline = time.monotonic() + ready_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}; see {self.log_path}")
            try:
                with opener.open(f"http://127.0.0.1:{self.port}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"server not healthy after {ready_timeout:.0f} s; see {self.log_path}")

    def stop(self) -> None:
        """Stop the server we started, by its PID: SIGTERM, then SIGKILL after 10 s."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)

    def cpu_seconds(self) -> float:
        with open(f"/proc/{self.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime (fields 14 and 15)

    def mem(self, label: str) -> Mem:
        values: dict[str, int] = {}
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                name, _, rest = line.partition(":")
                if name in ("VmRSS", "RssAnon", "Threads"):
                    values[name] = int(rest.split()[0])
        return Mem(
            label,
            values["VmRSS"] / 1024,
            values["RssAnon"] / 1024,
            values["Threads"],
            round(time.monotonic() - self.started, 1),
        )

    def log_problems(self) -> list[str]:
        try:
            lines = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return []
        return [line for line in lines if "Traceback" in line or "ERROR" in line or "Error" in line][:20]


# ---------------------------------------------------------------------------------------------------
# Sessions and their changes.


def machine_busy_seconds() -> float:
    """CPU seconds all processes have used (all cores), from /proc/stat: everything but idle and iowait."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / CLK_TCK


def own_cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    aborted: int = 0  # changes never sent because their session had already failed
    bytes: int = 0

    def summary(self) -> dict:
        return {
            "runs": len(self.latencies),
            "errors": len(self.errors) + self.aborted,
            "p50_s": _round(percentile(self.latencies, 0.50)),
            "p95_s": _round(percentile(self.latencies, 0.95)),
            "max_s": _round(max(self.latencies, default=None)),
            "mean_kib_per_run": round(self.bytes / 1024 / len(self.latencies), 1) if self.latencies else None,
            "first_errors": self.errors[:5],
        }


def _round(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


class User:
    """One simulated student: a Session plus the changes it makes and the checks after each."""

    def __init__(self, url: str, index: int, run_timeout: float, url_check: bool) -> None:
        self.session = Session(url, timeout=run_timeout)
        self.rng = random.Random(index)
        self.url_check = url_check
        self.changes = 0
        self.defaults: dict[str, str] = {}
        self.current: dict[str, int] = {}

    async def start(self, stats: Stats) -> bool:
        try:
            await self.session.open()
            result = await self.session.rerun()
        except Exception as exc:
            stats.errors.append(f"first run: {describe(exc)}")
            return False
        stats.latencies.append(result.latency)
        stats.bytes += result.bytes
        try:
            self.current = {
                "L": int(self.session.value("L").double_array_value.data[0]),
                "seed": int(self.session.value("seed").int_value),
            }
        except KeyError as exc:
            stats.errors.append(f"first run: widget {exc} not drawn")
            return False
        self.defaults = {name: str(value) for name, value in self.current.items()}  # a fresh session's values
        return True

    def next_change(self) -> tuple[str, int]:
        name = "L" if self.changes % 2 == 0 else "seed"
        high = MAX_L if name == "L" else MAX_SEED
        low = 1 if name == "L" else 0
        value = self.current[name]
        while value == self.current[name]:
            value = self.rng.randint(low, high)
        return name, value

    async def change(self, stats: Stats) -> bool:
        name, value = self.next_change()
        self.changes += 1
        state = slider(value) if name == "L" else int_input(value)
        try:
            result = await self.session.rerun({name: state})
        except Exception as exc:
            stats.errors.append(f"change {name}={value}: {describe(exc)}")
            return False
        self.current[name] = value
        stats.bytes += result.bytes
        if self.url_check:
            query = self.session.query()
            for key, expected in self.current.items():
                shown = query.get(key, self.defaults[key])
                if shown != str(expected):
                    stats.errors.append(f"change {name}={value}: URL shows {key}={shown}, expected {expected}")
                    return False
        stats.latencies.append(result.latency)
        return True

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await self.session.close()


def describe(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return "timeout"
    if isinstance(exc, RunError):
        return str(exc)[:300]
    return f"{type(exc).__name__}: {exc}"[:300]


# ---------------------------------------------------------------------------------------------------
# The benchmark.


class Bench:
    def __init__(self, server: Server, args: argparse.Namespace) -> None:
        self.server = server
        self.args = args
        self.url = f"ws://127.0.0.1:{server.port}/_stcore/stream"
        self.mem: list[Mem] = []
        self.results: dict = {"phases": {}}
        self.peak: Mem | None = None
        self.connected: Mem | None = None

    def read_mem(self, label: str) -> Mem:
        sample = self.server.mem(label)
        self.mem.append(sample)
        return sample

    async def sample_peak(self, stop: asyncio.Event) -> None:
        """Highest RssAnon while the interactions run, read every 0.25 s."""
        while not stop.is_set():
            sample = self.server.mem("during (peak RssAnon)")
            if self.peak is None or sample.anon_mib > self.peak.anon_mib:
                self.peak = sample
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 0.25)

    async def warmup(self) -> None:
        stats = Stats()
        user = User(self.url, -1, self.args.run_timeout, self.args.url_check)
        cpu0 = self.server.cpu_seconds()
        if await user.start(stats):
            for _ in range(WARMUP_CHANGES):
                if not await user.change(stats):
                    break
        await user.close()
        self.results["phases"]["warmup"] = stats.summary() | {
            "server_cpu_s": round(self.server.cpu_seconds() - cpu0, 2)
        }
        if stats.errors:
            raise RuntimeError(f"warm-up session failed: {stats.errors[0]}")

    async def load(self) -> list[User]:
        k, m = self.args.sessions, self.args.changes
        users = [User(self.url, i, self.args.run_timeout, self.args.url_check) for i in range(k)]

        # K sessions connect at once, each runs the app once.
        first = Stats()
        cpu0, t0 = self.server.cpu_seconds(), time.monotonic()
        started = await asyncio.gather(*(user.start(first) for user in users))
        cpu1, t1 = self.server.cpu_seconds(), time.monotonic()
        await asyncio.sleep(1)  # let the runs' last messages and thread exits settle
        self.connected = self.read_mem(f"{k} sessions connected, first run done")
        self.results["phases"]["connect"] = first.summary() | {
            "sessions_ok": sum(started),
            "wall_s": round(t1 - t0, 2),
            "server_cpu_ms_per_first_run": round((cpu1 - cpu0) * 1000 / k, 1),
        }

        # Each makes M changes with think time in between.
        stats = Stats()
        stop = asyncio.Event()
        sampler = asyncio.create_task(self.sample_peak(stop))

        async def act(user: User, ok: bool) -> None:
            if not ok:
                stats.aborted += m
                return
            await asyncio.sleep(user.rng.uniform(0, self.args.think))  # spread the first changes out
            for done in range(m):
                if not await user.change(stats):
                    stats.aborted += m - done - 1
                    return
                await asyncio.sleep(user.rng.uniform(0.5, 1.5) * self.args.think)

        profiler = self.start_profiler()
        cpu0, t0 = self.server.cpu_seconds(), time.monotonic()
        busy0, own0 = machine_busy_seconds(), own_cpu_seconds()
        try:
            await asyncio.gather(*(act(user, ok) for user, ok in zip(users, started, strict=True)))
        finally:  # also on the hard timeout: keep the partial figures, stop the profiler
            cpu1, t1 = self.server.cpu_seconds(), time.monotonic()
            busy1, own1 = machine_busy_seconds(), own_cpu_seconds()
            self.stop_profiler(profiler, t1 - t0)
            stop.set()
            interactions = len(stats.latencies) or 1
            self.results["phases"]["interactions"] = stats.summary() | {
                "planned": k * m,
                "wall_s": round(t1 - t0, 2),
                "throughput_per_s": round(len(stats.latencies) / (t1 - t0), 1),
                "server_cpu_s": round(cpu1 - cpu0, 2),
                "server_cpu_ms_per_interaction": round((cpu1 - cpu0) * 1000 / interactions, 1),
                "server_cpu_util_cores": round((cpu1 - cpu0) / (t1 - t0), 2),
                "bench_client_cpu_util_cores": round((own1 - own0) / (t1 - t0), 2),
                # Anything else on the machine at the same time, which the figures above share the cores with.
                "other_processes_cpu_util_cores": round(
                    max(0.0, (busy1 - busy0) - (cpu1 - cpu0) - (own1 - own0)) / (t1 - t0), 2
                ),
            }
        await sampler
        if self.peak is not None:
            self.mem.append(self.peak)
        self.read_mem(f"end of {k}x{m} changes")
        return users

    def start_profiler(self) -> subprocess.Popen | None:
        """py-spy, sampling the server while the K sessions make their changes (with --py-spy)."""
        if not self.args.py_spy:
            return None
        out = self.args.profile_out or Path(tempfile.mkstemp(prefix="attention-lab-load-", suffix=".folded")[1])
        self.results["profile"] = {"file": str(out), "gil_only": self.args.profile_gil}
        cmd = [str(self.args.py_spy), "record", "-p", str(self.server.pid), "-f", "raw", "-o", str(out)]
        cmd += ["-r", "100", "-d", str(int(self.args.timeout)), "--nonblocking"]
        if self.args.profile_gil:
            cmd.append("--gil")
        return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop_profiler(self, profiler: subprocess.Popen | None, seconds: float) -> None:
        if profiler is None:
            return
        profiler.send_signal(signal.SIGINT)  # py-spy writes its file on SIGINT
        try:
            profiler.wait(30)
        except subprocess.TimeoutExpired:
            profiler.kill()
            profiler.wait(10)
        self.results["profile"] |= summarize_profile(Path(self.results["profile"]["file"]), seconds)

    async def disconnect(self, users: list[User]) -> None:
        await asyncio.gather(*(user.close() for user in users))
        await asyncio.sleep(self.args.settle)
        self.read_mem(f"all disconnected +{self.args.settle:g} s")

    async def soak(self) -> None:
        n = self.args.soak
        stats = Stats()
        user = User(self.url, 10_000, self.args.run_timeout, self.args.url_check)
        growth: list[tuple[int, float]] = []
        if not await user.start(stats):
            self.results["phases"]["soak"] = stats.summary()
            return
        stats.latencies.clear()  # the first run is not a change
        cpu0 = self.server.cpu_seconds()
        cpu_base = None
        for done in range(1, n + 1):
            if not await user.change(stats):
                stats.aborted += n - done
                break
            if done % 100 == 0 or done == n:
                sample = self.server.mem(f"soak: after {done} changes")
                growth.append((done, round(sample.anon_mib, 1)))
                if done == SOAK_BASELINE:
                    self.mem.append(sample)
                    cpu_base = self.server.cpu_seconds()
        cpu1 = self.server.cpu_seconds()
        self.mem.append(self.server.mem(f"soak: after {len(stats.latencies)} changes"))
        await user.close()
        base = next((anon for done, anon in growth if done == SOAK_BASELINE), None)
        end = growth[-1][1] if growth else None
        after_base = len(stats.latencies) - SOAK_BASELINE
        self.results["phases"]["soak"] = stats.summary() | {
            "planned": n,
            "server_cpu_ms_per_change": round((cpu1 - cpu0) * 1000 / max(len(stats.latencies), 1), 1),
            "server_cpu_ms_per_change_after_baseline": round((cpu1 - cpu_base) * 1000 / after_base, 1)
            if cpu_base is not None and after_base > 0
            else None,
            "rss_anon_mib_by_change": growth,
            "heap_growth_mib": round(end - base, 1) if base is not None and end is not None else None,
            "heap_growth_window": f"changes {SOAK_BASELINE}..{len(stats.latencies)}",
        }

    async def run(self) -> None:
        self.read_mem("cold: server up, no session yet")
        await self.warmup()
        await asyncio.sleep(self.args.settle)
        before = self.read_mem("before: after warm-up session left")
        users = await self.load()
        assert self.connected is not None
        k = self.args.sessions
        self.results["heap_mib_per_session"] = round((self.connected.anon_mib - before.anon_mib) / k, 2)
        self.results["rss_mib_per_session"] = round((self.connected.rss_mib - before.rss_mib) / k, 2)
        await self.disconnect(users)
        if self.args.soak > 0:
            await self.soak()
        self.read_mem("final")


# ---------------------------------------------------------------------------------------------------
# Where the server's time goes (py-spy "raw" output: one folded stack and its sample count per line).

PROFILE_BUCKETS = (  # a stack goes to the first bucket with a frame containing one of its needles
    ("Altair chart templates (built on a cache miss: new L)", ("_heatmap_template", "_overview_template")),
    ("st.vega_lite_chart: spec JSON + chart data to Arrow", ("vega_lite_chart", "Figure.spec")),
    ("chart data (ui/charts/: matrices, payload bytes, frames)", ("ui/charts/", "to_long_df", "encode_payload")),
    ("model + attention (torch)", ("cached_model", "self_attention", "build_mask", "prepare_sequence")),
    ("sidebar widgets (ui/controls.py)", ("ui/controls.py", "head_selector", "qkv_toggle")),
    ("other app code (text, captions, URL state)", ("app_pages/", "streamlit_app.py", "ui/")),
    ("ForwardMsg hashing + queueing", ("populate_hash_if_needed", "_enqueue_forward_msg", "AppSession.")),
    ("event loop: serialise + websocket send", ("websocket", "starlette/", "uvicorn/", "serialize_forward_msg")),
    ("script runner (threads, session state)", ("ScriptRunner", "scriptrunner", "runtime/state/")),
)


def summarize_profile(path: Path, seconds: float, top: int = 12) -> dict:
    """Share of samples per function (inclusive and self) and per coarse bucket."""
    inclusive: dict[str, int] = {}
    own: dict[str, int] = {}
    buckets: dict[str, int] = {}
    total = 0
    try:
        lines = path.read_text().splitlines()
    except OSError as exc:
        return {"error": str(exc)}
    for line in lines:
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [frame for frame in stack.split(";") if not frame.startswith("process ") and "thread " not in frame]
        if not frames:
            continue
        total += count
        for frame in set(frames):
            inclusive[frame] = inclusive.get(frame, 0) + count
        own[frames[-1]] = own.get(frames[-1], 0) + count
        bucket = next(
            (name for name, needles in PROFILE_BUCKETS if any(n in frame for frame in frames for n in needles)),
            "other (event loop, interpreter)",
        )
        buckets[bucket] = buckets.get(bucket, 0) + count

    def share(table: dict[str, int]) -> list[tuple[str, float]]:
        ranked = sorted(table.items(), key=lambda item: -item[1])[:top]
        return [(name, round(100 * count / total, 1)) for name, count in ranked] if total else []

    return {
        "samples": total,
        "samples_per_s": round(total / seconds, 1) if seconds else None,
        "buckets_pct": share(buckets),
        "top_self_pct": share(own),
        "top_inclusive_pct": share(inclusive),
    }


# ---------------------------------------------------------------------------------------------------
# Report.


def verdicts(results: dict) -> dict[str, dict]:
    phases = results.setdefault("phases", {})
    inter = phases.get("interactions", {})
    soak = phases.get("soak", {})
    errors = phases.get("connect", {}).get("errors", 0) + inter.get("errors", 0) + soak.get("errors", 0)
    rows = {
        "errors (connect + changes + soak)": (errors, TARGETS["errors"], "=="),
        "p95 latency of a change, s": (inter.get("p95_s"), TARGETS["p95_s"], "<="),
        "server CPU per change, ms": (
            inter.get("server_cpu_ms_per_interaction"),
            TARGETS["cpu_ms_per_interaction"],
            "<=",
        ),
        "heap (RssAnon) growth per open session, MiB": (
            results.get("heap_mib_per_session"),
            TARGETS["heap_mib_per_session"],
            "<=",
        ),
        f"heap growth over the soak ({soak.get('heap_growth_window', 'n/a')}), MiB": (
            soak.get("heap_growth_mib"),
            TARGETS["soak_heap_growth_mib"],
            "<=",
        ),
    }
    out = {}
    for name, (value, target, op) in rows.items():
        met = None if value is None else (value == target if op == "==" else value <= target)
        out[name] = {"value": value, "target": f"{op} {target}", "met": met}
    return out


def print_report(results: dict) -> None:
    p = results["phases"]
    print("\n== Attention Lab load benchmark ==")
    print(f"command: {results['command']}")
    print(f"date: {results['date']}  machine: {results['machine']}  git: {results['git']}")
    print(f"load average at start: {' '.join(results['loadavg_at_start'])}")
    print(
        f"sessions K={results['args']['sessions']}  changes M={results['args']['changes']}  "
        f"think={results['args']['think']} s  soak N={results['args']['soak']}"
    )
    print("\nLatency (send rerun -> script_finished)")
    print(f"  {'phase':<22}{'runs':>6}{'errors':>8}{'p50 s':>9}{'p95 s':>9}{'max s':>9}{'KiB/run':>9}")
    for name in ("warmup", "connect", "interactions", "soak"):
        s = p.get(name)
        if not s:
            continue
        cells = [s.get("p50_s"), s.get("p95_s"), s.get("max_s"), s.get("mean_kib_per_run")]
        cells_text = "".join(f"{'-' if c is None else c:>9}" for c in cells)
        print(f"  {name:<22}{s['runs']:>6}{s['errors']:>8}{cells_text}")
    if "interactions" in p:
        i = p["interactions"]
        print(
            f"\nServer CPU: {i['server_cpu_ms_per_interaction']} ms per change "
            f"({i['server_cpu_s']} s over {i['wall_s']} s wall = {i['server_cpu_util_cores']} cores busy; "
            f"{i['throughput_per_s']} changes/s)"
        )
        print(
            f"            meanwhile: this client {i['bench_client_cpu_util_cores']} cores, "
            f"other processes {i['other_processes_cpu_util_cores']} cores (of {os.cpu_count()})"
        )
        if i["other_processes_cpu_util_cores"] > CONTENDED_CORES:
            print("            !! other processes competed for the cores: latency and throughput are pessimistic")
    if "connect" in p:
        print(f"            {p['connect']['server_cpu_ms_per_first_run']} ms per first run of a new session")
    if p.get("soak", {}).get("server_cpu_ms_per_change") is not None:
        print(f"            {p['soak']['server_cpu_ms_per_change']} ms per change of one session alone (soak)")
    print("\nServer memory (MiB)")
    print(f"  {'when':<44}{'t s':>7}{'VmRSS':>9}{'RssAnon':>9}{'threads':>9}")
    for m in results.get("memory", []):
        print(f"  {m['label']:<44}{m['t']:>7}{m['rss_mib']:>9.1f}{m['anon_mib']:>9.1f}{m['threads']:>9}")
    if "soak" in p and p["soak"].get("rss_anon_mib_by_change"):
        trend = ", ".join(f"{n}:{v}" for n, v in p["soak"]["rss_anon_mib_by_change"])
        print(f"  soak RssAnon by change: {trend}")
    print("\nTargets")
    for name, v in results["verdicts"].items():
        state = "n/a" if v["met"] is None else ("MET" if v["met"] else "MISSED")
        print(f"  {name:<62}{v['value']!s:>10}  {v['target']:<8} {state}")
    for name in ("warmup", "connect", "interactions", "soak"):
        for err in p.get(name, {}).get("first_errors", []):
            print(f"  error ({name}): {err}")
    if results.get("profile", {}).get("samples"):
        prof = results["profile"]
        what = "GIL-holding thread" if prof["gil_only"] else "running threads"
        print(f"\nServer profile (py-spy, {what}, 100 Hz; {prof['samples_per_s']} samples/s; {prof['file']})")
        for name, pct in prof["buckets_pct"]:
            print(f"  {pct:>5}%  {name}")
        print("  top functions (self time):")
        for name, pct in prof["top_self_pct"]:
            print(f"  {pct:>5}%  {name}")
    if results.get("server_log_problems"):
        print("\nServer log lines with errors:")
        for line in results["server_log_problems"]:
            print("  " + line)
    if results.get("timed_out"):
        print(f"\n!! stopped by the hard timeout ({results['args']['timeout']} s): figures are partial")


def git_state(app_dir: Path) -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=app_dir, capture_output=True, text=True)
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=app_dir, capture_output=True, text=True
        )
        changed = [line[3:] for line in dirty.stdout.splitlines()]
        return head.stdout.strip() + (f" + uncommitted changes to {', '.join(changed)}" if changed else "")
    except OSError:
        return "unknown"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=50, help="K concurrent sessions (default 50)")
    parser.add_argument("--changes", type=int, default=20, help="M control changes per session (default 20)")
    parser.add_argument("--soak", type=int, default=1000, help="N changes of one session for heap growth (0: skip)")
    parser.add_argument(
        "--think", type=float, default=1.0, help="mean think time between one session's changes, s (default 1)"
    )
    parser.add_argument("--timeout", type=float, default=300, help="hard limit for the whole run, s (default 300)")
    parser.add_argument("--run-timeout", type=float, default=30, help="limit for one run, s (default 30)")
    parser.add_argument("--settle", type=float, default=5, help="wait after sessions leave before reading memory")
    parser.add_argument("--no-url-check", dest="url_check", action="store_false", help="skip the URL check")
    parser.add_argument("--app-dir", type=Path, default=REPO, help="where streamlit_app.py is (default: repo)")
    parser.add_argument("--port", type=int, default=0, help="server port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--json-out", type=Path, help="also write the JSON figures to this file")
    parser.add_argument(
        "--switch-interval", type=float, help="diagnosis: start the server with this sys.setswitchinterval, s"
    )
    parser.add_argument("--py-spy", type=Path, help="py-spy binary: profile the server during the K x M changes")
    parser.add_argument("--profile-out", type=Path, help="where py-spy writes its folded stacks (default: a temp file)")
    parser.add_argument(
        "--profile-all-threads",
        dest="profile_gil",
        action="store_false",
        help="sample every running thread, not only the one holding the GIL",
    )
    args = parser.parse_args(argv)
    if not (1 <= args.sessions <= 500 and 1 <= args.changes <= 1000 and 0 <= args.soak <= 20_000):
        parser.error("bounds: 1 <= --sessions <= 500, 1 <= --changes <= 1000, 0 <= --soak <= 20000")
    if not 0 < args.timeout <= 3600:
        parser.error("--timeout must be in (0, 3600]")
    if args.soak and args.soak < SOAK_BASELINE + 100:
        parser.error(f"--soak must be 0 or >= {SOAK_BASELINE + 100} (the first {SOAK_BASELINE} are the baseline)")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    log_path = Path(tempfile.mkstemp(prefix="attention-lab-load-", suffix=".log")[1])
    server = Server(args.app_dir.resolve(), args.port or free_port(), log_path, args.switch_interval)
    results: dict = {
        "date": datetime.date.today().isoformat(),
        "loadavg_at_start": Path("/proc/loadavg").read_text().split()[:3],
        "machine": f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}",
        "git": git_state(args.app_dir),
        "command": " ".join([Path(sys.executable).as_posix(), *sys.argv]),
        "args": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "targets": TARGETS,
        "server_log": str(log_path),
    }

    def on_signal(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_signal)

    def watchdog() -> None:
        # Last resort if the event loop is stuck: kill the server by PID and exit.
        if not finished.wait(args.timeout + 30):
            with contextlib.suppress(Exception):
                os.kill(server.pid, signal.SIGKILL)
            print("watchdog: hard timeout, server killed", file=sys.stderr, flush=True)
            os._exit(3)

    finished = threading.Event()
    threading.Thread(target=watchdog, daemon=True).start()
    bench = None
    try:
        server.start(ready_timeout=min(60, args.timeout))
        results["server_pid"] = server.pid
        results["port"] = server.port
        bench = Bench(server, args)
        try:
            asyncio.run(asyncio.wait_for(bench.run(), args.timeout))
        except TimeoutError:
            results["timed_out"] = True
            results["failed"] = f"hard timeout ({args.timeout:g} s): figures are partial"
        except RuntimeError as exc:
            results["failed"] = str(exc)
    finally:
        if bench is not None:
            results.update(bench.results)
            results["memory"] = [asdict(m) for m in bench.mem]
        server.stop()
        finished.set()
        results["server_log_problems"] = server.log_problems()
    results["verdicts"] = verdicts(results)
    print_report(results)
    print("\nJSON:")
    print(json.dumps(results, indent=2))
    if args.json_out:
        args.json_out.write_text(json.dumps(results, indent=2) + "\n")
    if results.get("failed"):
        print(f"\nFAILED: {results['failed']}", file=sys.stderr)
        return 2
    return 0 if all(v["met"] for v in results["verdicts"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
