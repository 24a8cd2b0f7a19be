"""Slider → charts repainted: how much slower is the playground than a bare one-slider, one-chart page?

Run from anywhere (it finds the repo from its own path)::

    /work/venv/bin/python bench/latency.py            # N=30 key presses per page, about 2-3 minutes
    /work/venv/bin/python bench/latency.py -n 10      # quicker

A benchmark, not a test: it asserts nothing, prints medians, p90s and ratios, and says whether the
targets (playground/bare ≤ 1.5 at the defaults, ≤ 2.5 at L=64, heads 8, d_k 128; other pages ≤ 2)
are met. The playground is measured twice: heatmaps on the canvas (the app) and drawn by Vega
(a second app server with ATTENTION_LAB_HEATMAPS=vega), so both drawing paths are compared in one run.

Servers. Two Streamlit servers on free loopback ports: the app (``streamlit_app.py`` from the repo
root, so its ``.streamlit/config.toml`` applies) and ``bench/bare_page.py`` run from ``bench/`` (no
config file, no pages folder there), given the app's fast settings explicitly:
``--runner.postScriptGC false --server.fileWatcherType none``. Both are stopped by PID at the end,
also on errors, Ctrl-C or the time limit.

What one sample is. Chromium (Debian's, launched by path) opens the page; the slider's
``input[type=range]`` is focused and an arrow key pressed (Left and Right alternate, so the value
oscillates between two neighbours and every press is a real change). The clock runs in the page,
so Playwright's round trips are not in the figures:

* start: the ``keydown`` event's ``timeStamp`` (same clock as ``performance.now()``);
* the script state: a MutationObserver records when ``[data-testid="stApp"]``'s
  ``data-test-script-state`` became ``running`` and then ``notRunning``. React sometimes renders both
  status messages at once, so ``running`` never reaches the DOM; then a sample whose charts changed and
  whose state is ``notRunning`` counts as finished at its last chart change, and is counted in the output;
* the charts: a MutationObserver on the whole document records every mutation inside a
  ``[data-testid="stVegaLiteChart"]`` (and charts being added), and the canvas 2D context's
  ``clearRect``/``restore`` are wrapped to record redraws of a chart's ``<canvas>`` (a canvas repaint
  changes pixels, not the DOM). After each change one ``requestAnimationFrame`` records the frame
  that will show it;
* done: the script state went running → notRunning, every chart on the page has changed, and no chart
  changed for ``--settle-ms`` (default 150 ms). If a chart never changes, the sample ends
  ``--give-up-ms`` after the last change and is flagged;
* the sample is ``max(notRunning, the first animation frame after the last chart change) − keydown``.
  The settle window only detects the end; it is not part of the figure.

Each page gets two unmeasured warm-up presses, then N measured ones (``-n``, default 30).

Where the time goes. The servers are started through ``bench/timed_streamlit.py``, which is
``python -m streamlit run`` plus one log line per script run with its server-side wall and CPU time
(``ScriptRunner._run_script``: the script, turning its output into protobuf messages, post-run
cleanup). Per sample, in medians:

* input  = the page sends the rerun request (``WebSocket.send``, wrapped in the page) − keydown;
* script = the server-side run, from that log line;
* rest   = total − input − script: the browser work (decoding, React, Vega, style, layout, paint,
  garbage collection) that was not hidden behind the running script, plus loopback and the server
  picking up the request (a millisecond or two). The browser starts drawing while the script still
  runs, so browser work overlapping the script is in "script", not in "rest".
* server CPU = CPU seconds the server process used during the measured presses / presses
  (includes the event loop that serialises and sends the messages).

The whole run is bounded (``--budget``, default 170 s of measuring; a watchdog kills everything at
budget + 30 s). When time runs short, a page gets fewer than N samples and the output says so.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import math
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402  (re-exported for the other benchmarks)

REPO = BENCH.parent
SERVER_COMMON = ["--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"]
FAST_SETTINGS = ["--runner.postScriptGC", "false", "--server.fileWatcherType", "none"]
TARGET_RATIO = {"defaults": 1.5, "large": 2.5}  # issue 11; every other page: ≤ 2 (PAGE_TARGET_RATIO)
PAGE_TARGET_RATIO = 2.0
SERVER_START_TIMEOUT_S = 90
WARMUP = 2


@dataclass
class Target:
    key: str
    name: str
    server: str  # "app", "app_vega" (heatmaps drawn by Vega, as before the canvas), "bare", "floor", "candidates"
    query: str
    slider: str  # the slider's aria-label
    samples: list[dict] = field(default_factory=list)
    server_cpu_ms: float | None = None  # per measured press
    note: str = ""


def page_targets() -> list[Target]:
    """One target per lesson page in ui/navigation.PAGES (the playground is "defaults")."""
    sys.path.insert(0, str(REPO))
    from ui.navigation import PAGES

    charted = [page for page in PAGES[1:] if page.charts]  # the Lecture page has no chart or slider
    return [Target(page.url_path, f"page /{page.url_path}", "app", page.url_path, "") for page in charted]


def targets(with_pages: bool = False) -> list[Target]:
    return [*base_targets(), *(page_targets() if with_pages else [])]


def base_targets() -> list[Target]:
    return [
        Target("bare", "bare page (1 slider, 1 chart)", "bare", "", "Value"),
        Target("floor", "floor: playground's elements, no chart", "floor", "", "Sequence length"),
        Target("defaults", "playground, defaults", "app", "", "Sequence length"),
        Target("large", "playground, L=64 heads=8 d_k=128", "app", "?L=64&heads=8&d_k=128", "Sequence length"),
        # L 5 ↔ 6 adds no <pad> token, so no notice appears or goes between presses (10 ↔ 11 toggles two).
        Target("short", "playground, L=5 (no notice toggles)", "app", "?L=5", "Sequence length"),
        # The same pages with Vega drawing the heatmaps (ATTENTION_LAB_HEATMAPS=vega): the candidate the canvas
        # replaced, measured in the same run.
        Target("defaults_vega", "playground, defaults, Vega", "app_vega", "", "Sequence length"),
        # Drawing paths on equal footing (bench/candidates_page.py): the floor's elements plus three heatmaps.
        Target("floor_canvas", "floor + 3 canvas heatmaps", "candidates", "?path=canvas", "Sequence length"),
        Target("floor_raster", "floor + 3 raster Vega-Lite heatmaps", "candidates", "?path=raster", "Sequence length"),
        Target("floor_fragment", "floor + canvas in st.fragment", "candidates", "?path=fragment", "Sequence length"),
        Target(
            "floor_canvas_large",
            "floor + canvas, L=64 d_k=128",
            "candidates",
            "?path=canvas&L=64&d_k=128&heads=8",
            "Sequence length",
        ),
        Target(
            "floor_raster_large",
            "floor + raster, L=64 d_k=128",
            "candidates",
            "?path=raster&L=64&d_k=128&heads=8",
            "Sequence length",
        ),
        Target(
            "large_vega", "playground, L=64 h=8 d_k=128, Vega", "app_vega", "?L=64&heads=8&d_k=128", "Sequence length"
        ),
    ]


INSTRUMENT_JS = r"""
(() => {
  const CHART = '[data-testid="stVegaLiteChart"], .al-heatmap, [class*="st-key-bench-chart"]';
  const SETTLE = __SETTLE__, GIVE_UP = __GIVE_UP__;
  const now = () => performance.now();
  const B = window.__bench = { armed: false, result: null, lastChartChange: 0 };
  let s = null;

  function changed(charts, t) {
    B.lastChartChange = t;
    if (!B.armed || s.t0 === null) return;
    s.lastChange = t;
    for (const c of charts) s.changed.add(c);
    if (!s.rafPending) {
      const sample = s;
      sample.rafPending = true;
      requestAnimationFrame(() => { sample.rafPending = false; sample.frame = now(); });
    }
    schedule();
  }
  function schedule() { clearTimeout(s.timer); s.timer = setTimeout(check, SETTLE); }
  function check() {
    if (!B.armed || s.lastChange === null) return;  // a later event re-schedules
    const t = now();
    if (s.finished === null) {
      // React may batch "running" and "notRunning" into one render, so the DOM never shows "running".
      // The charts only change when a rerun's output arrives, so changed charts + "notRunning" now = done.
      const app = document.querySelector('[data-testid="stApp"]');
      if (s.running !== null || !app || app.getAttribute('data-test-script-state') !== 'notRunning') return;
      s.finished = s.lastChange;
      s.runningUnseen = true;
    }
    if (t - s.lastChange < SETTLE) { schedule(); return; }
    const charts = [...document.querySelectorAll(CHART)];
    const unchanged = charts.filter((c) => !s.changed.has(c)).length;
    if (unchanged && t - Math.max(s.lastChange, s.finished) < GIVE_UP) { s.timer = setTimeout(check, SETTLE); return; }
    B.armed = false;
    const painted = (s.frame !== null && s.frame >= s.lastChange) ? s.frame : s.lastChange;
    B.result = { t0: s.t0, send: s.send, running: s.running, finished: s.finished, lastChange: s.lastChange,
                 painted, end: Math.max(painted, s.finished), charts: charts.length, unchanged,
                 runningUnseen: s.runningUnseen,
                 records: s.records, draws: s.draws, busyMs: s.busyMs };
  }
  // The script state, from a document-wide observer (robust to the element being re-created).
  new MutationObserver((records) => {
    const t = now();
    if (!B.armed || s.t0 === null) return;
    records.forEach((r, i) => {
      const later = records.slice(i + 1).find((q) => q.target === r.target);
      const value = later ? later.oldValue : r.target.getAttribute('data-test-script-state');
      if (value === 'running' && s.running === null) s.running = t;
      else if (value === 'notRunning' && s.running !== null && s.finished === null) { s.finished = t; schedule(); }
    });
  }).observe(document, { subtree: true, attributes: true, attributeOldValue: true,
                         attributeFilter: ['data-test-script-state'] });
  B.state = () => s && { ...s, changed: s.changed.size, timer: undefined,
    state: document.querySelector('[data-testid="stApp"]').getAttribute('data-test-script-state') };
  B.arm = () => {
    s = { t0: null, send: null, running: null, finished: null, lastChange: null, frame: null, rafPending: false,
          runningUnseen: false,
          changed: new Set(), records: 0, draws: 0, busyMs: 0, timer: null };
    B.result = null;
    B.armed = true;
  };

  document.addEventListener('keydown', (e) => { if (B.armed && s.t0 === null) s.t0 = e.timeStamp; }, true);

  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    if (B.armed && s.t0 !== null && s.send === null) s.send = now();
    return send.call(this, data);
  };

  new MutationObserver((records) => {
    const t = now();
    const charts = [];
    let hit = false, lastTarget = null, lastChart = null;
    for (const r of records) {
      let chart;
      if (r.target === lastTarget) chart = lastChart;
      else {
        const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
        chart = el ? el.closest(CHART) : null;
        lastTarget = r.target;
        lastChart = chart;
      }
      if (chart) { hit = true; charts.push(chart); if (s) s.records++; continue; }
      if (r.type !== 'childList') continue;
      for (const n of [...r.addedNodes, ...r.removedNodes]) {
        if (n.nodeType !== 1) continue;
        const inside = n.matches(CHART) ? [n] : [...n.querySelectorAll(CHART)];
        if (inside.length) { hit = true; charts.push(...inside); if (s) s.records++; }
      }
    }
    if (hit) changed(charts, t);
    if (s && B.armed) s.busyMs += now() - t;
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });

  const proto = CanvasRenderingContext2D.prototype;
  for (const name of ['clearRect', 'restore']) {
    const original = proto[name];
    proto[name] = function (...args) {
      const result = original.apply(this, args);
      const t = now();
      const canvas = this.canvas;
      let chart = canvas.__benchChart;
      if (chart === undefined && canvas.isConnected) chart = canvas.__benchChart = canvas.closest(CHART) || false;
      if (chart) {
        if (s && B.armed) s.draws++;
        changed([chart], t);
        if (s && B.armed) s.busyMs += now() - t;
      }
      return result;
    };
  }
})();
"""


# --------------------------------------------------------------------------------------------- servers


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def health_ok(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as response:
            return response.read().decode().strip() == "ok"
    except OSError:
        return False


class Servers:
    """The app and the bare page, each started once; ``stop()`` ends exactly the PIDs started here."""

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.processes: dict[str, subprocess.Popen] = {}
        self.urls: dict[str, str] = {}
        self._read: dict[str, int] = {}
        self._lock = threading.Lock()

    def start(self, name: str, script: str, cwd: Path, extra: list[str], env: dict[str, str] | None = None) -> None:
        port = free_port()
        launcher = str(BENCH / "timed_streamlit.py")  # = python -m streamlit, plus a log line per script run
        command = [sys.executable, launcher, "run", script, "--server.port", str(port), *SERVER_COMMON, *extra]
        with (self.log_dir / f"{name}.log").open("wb") as log, self._lock:
            self.processes[name] = subprocess.Popen(
                command,
                cwd=cwd,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env={**os.environ, **(env or {})},
            )
        self.urls[name] = f"http://127.0.0.1:{port}"

    def wait_healthy(self, deadline: float) -> None:
        pending = set(self.urls)
        while pending:
            for name in list(pending):
                if self.processes[name].poll() is not None:
                    raise RuntimeError(f"{name} server exited:\n{self.log_tail(name)}")
                if health_ok(self.urls[name]):
                    pending.discard(name)
            if pending and time.monotonic() > deadline:
                raise RuntimeError(f"{', '.join(sorted(pending))} not healthy in time:\n" + self.log_tail(min(pending)))
            time.sleep(0.2)

    def new_runs(self, name: str) -> list[tuple[float, float]]:
        """(wall ms, CPU ms) of each script run logged since the last call."""
        with (self.log_dir / f"{name}.log").open("rb") as log:
            log.seek(self._read.get(name, 0))
            text = log.read()
        complete = text[: text.rfind(b"\n") + 1]
        self._read[name] = self._read.get(name, 0) + len(complete)
        runs = []
        for line in complete.decode(errors="replace").splitlines():
            if line.startswith("BENCH_RUN "):
                fields = dict(item.split("=") for item in line.split()[1:])
                runs.append((float(fields["wall_ms"]), float(fields["cpu_ms"])))
        return runs

    def cpu_seconds(self, name: str) -> float:
        """User + system CPU time of a server process so far (Linux /proc)."""
        fields = Path(f"/proc/{self.processes[name].pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def log_tail(self, name: str) -> str:
        return (self.log_dir / f"{name}.log").read_text(errors="replace")[-2000:]

    def stop(self) -> None:
        with self._lock:
            for process in self.processes.values():
                if process.poll() is None:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(process.pid, signal.SIGTERM)
            for process in self.processes.values():
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(process.pid, signal.SIGKILL)
                    process.wait(timeout=5)


# ------------------------------------------------------------------------------------------ measuring


def open_target(browser, target: Target, url: str, settle_ms: int, give_up_ms: int):
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="en-US")
    script = INSTRUMENT_JS.replace("__SETTLE__", str(settle_ms)).replace("__GIVE_UP__", str(give_up_ms))
    context.add_init_script(script)
    page = context.new_page()
    page.goto(url + target.query)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000)
    # Loaded: charts present, and no chart has changed for a second.
    page.wait_for_function(
        """() => document.querySelector(
                   '[data-testid="stVegaLiteChart"] svg, [data-testid="stVegaLiteChart"] canvas, .al-heatmap canvas,'
                   + '[class*="st-key-bench-chart"]')
                 && performance.now() - window.__bench.lastChartChange > 1000""",
        timeout=60_000,
        polling=200,
    )
    errors = page.locator('[data-testid="stException"]')
    if errors.count():
        raise RuntimeError(f"{target.name}: the page shows an exception:\n{errors.first.inner_text()[:1000]}")
    if target.slider:
        slider = page.locator(f'input[type="range"][aria-label="{target.slider}"]')
    else:  # a lesson page: its first sidebar slider (Sequence length where it has one), else its first slider
        in_sidebar = page.locator('[data-testid="stSidebar"] input[type="range"]')
        slider = (in_sidebar if in_sidebar.count() else page.locator('input[type="range"]')).first
    slider.focus()
    value, low = float(slider.input_value()), float(slider.get_attribute("min") or 0)
    first = "ArrowLeft" if value > low else "ArrowRight"
    return context, page, first


def press_and_measure(page, key: str, timeout_ms: float) -> dict:
    page.evaluate("window.__bench.arm()")
    page.keyboard.press(key)
    try:
        page.wait_for_function("window.__bench.result !== null", timeout=max(timeout_ms, 1000), polling=100)
    except Exception as error:
        raise RuntimeError(f"{key}: no result; in-page state {page.evaluate('window.__bench.state()')}") from error
    return page.evaluate("window.__bench.result")


def run_target(browser, servers: Servers, target: Target, args, share_end: float) -> None:
    url = servers.urls[target.server] + "/"
    context, page, first = open_target(browser, target, url, args.settle_ms, args.give_up_ms)
    other = "ArrowRight" if first == "ArrowLeft" else "ArrowLeft"
    presses = 0

    def next_key() -> str:
        nonlocal presses
        presses += 1
        return first if presses % 2 == 1 else other

    try:
        warm_started = time.monotonic()
        for _ in range(WARMUP):
            press_and_measure(page, next_key(), args.sample_timeout * 1000)
        per_press = (time.monotonic() - warm_started) / WARMUP + args.gap_ms / 1000
        page.wait_for_timeout(args.gap_ms)
        servers.new_runs(target.server)  # forget the page load and the warm-up runs
        cpu_before = servers.cpu_seconds(target.server)
        while len(target.samples) < args.n and share_end - time.monotonic() > per_press:
            sample = press_and_measure(page, next_key(), args.sample_timeout * 1000)
            page.wait_for_timeout(args.gap_ms)
            runs = servers.new_runs(target.server)
            sample["runs"] = len(runs)
            sample["script"] = sum(wall for wall, _ in runs)
            sample["script_cpu"] = sum(cpu for _, cpu in runs)
            target.samples.append(sample)
        if target.samples:
            target.server_cpu_ms = (servers.cpu_seconds(target.server) - cpu_before) * 1000 / len(target.samples)
    except Exception as error:  # a timeout or a crashed page ends this page's samples, not the run
        target.note = f"stopped early: {type(error).__name__}: {str(error).splitlines()[0][:200]}"
    finally:
        context.close()


# ------------------------------------------------------------------------------------------- report


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(math.ceil(0.9 * len(ordered)) - 1, 0)]


def totals(target: Target) -> list[float]:
    return [s["end"] - s["t0"] for s in target.samples]


def environment(browser_version: str, load_before: tuple[float, float, float]) -> list[str]:
    def git(*args: str) -> str:
        result = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=False)
        return result.stdout.strip()

    import streamlit

    config_path = REPO / ".streamlit" / "config.toml"
    config = tomllib.loads(config_path.read_text()) if config_path.exists() else {}
    app_settings = (
        f"runner.postScriptGC={config.get('runner', {}).get('postScriptGC', 'default(true)')}, "
        f"server.fileWatcherType={config.get('server', {}).get('fileWatcherType', 'default(auto)')}"
    )
    dirty = " (+ uncommitted changes)" if git("status", "--porcelain", "--untracked-files=no") else ""
    return [
        f"date       {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
        f"machine    {os.cpu_count()} CPUs, {platform.machine()}, {platform.system()} {platform.release()}, "
        "no GPU used",
        f"browser    Chromium {browser_version} ({CHROMIUM}, headless=new, --disable-gpu)",
        f"software   Python {platform.python_version()}, Streamlit {streamlit.__version__}",
        f"app        commit {git('rev-parse', '--short', 'HEAD')}{dirty}; .streamlit/config.toml: {app_settings}",
        f"bare page  bench/bare_page.py with {' '.join(FAST_SETTINGS)}",
        "load avg   before {:.1f} {:.1f} {:.1f}, after {:.1f} {:.1f} {:.1f} (1/5/15 min; other work on the machine "
        "slows both pages)".format(*load_before, *os.getloadavg()),
    ]


def report(all_targets: list[Target], browser_version: str, args) -> dict:
    lines = ["", *environment(browser_version, args.load_before), ""]
    header = f"{'page':<36}{'n':>4}{'median':>9}{'p90':>9}{'min':>8}   (ms, key press → all charts repainted)"
    lines += [header, "-" * len(header)]
    figures: dict[str, dict] = {}
    for target in all_targets:
        values = totals(target)
        if values:
            figures[target.key] = {"n": len(values), "median": statistics.median(values), "p90": p90(values)}
            lines.append(
                f"{target.name:<36}{len(values):>4}{statistics.median(values):>9.0f}{p90(values):>9.0f}"
                f"{min(values):>8.0f}"
            )
        else:
            lines.append(f"{target.name:<36}{0:>4}{'-':>9}{'-':>9}{'-':>8}")
        flagged = sum(1 for s in target.samples if s["unchanged"])
        if flagged:
            lines.append(f"{'':<4}{flagged} samples ended with a chart that never changed (gave up waiting)")
        unseen = sum(1 for s in target.samples if s["runningUnseen"])
        if unseen:
            lines.append(f"{'':<4}{unseen} samples: the DOM never showed 'running' (end = last chart change)")
        if len(values) < args.n:
            lines.append(f"{'':<4}only {len(values)} of {args.n} samples{': ' + target.note if target.note else ''}")
        elif target.note:
            lines.append(f"{'':<4}{target.note}")
    lines.append("")
    bare = figures.get("bare")
    for key, limit in TARGET_RATIO.items():
        if bare and key in figures:
            ratio = figures[key]["median"] / bare["median"]
            ratio_p90 = figures[key]["p90"] / bare["p90"]
            figures[key]["ratio"] = ratio
            verdict = "met" if ratio <= limit else "MISSED"
            name = next(t.name for t in all_targets if t.key == key)
            lines.append(
                f"ratio {name} / bare: {ratio:.1f}x median ({ratio_p90:.1f}x p90); target ≤ {limit:g}: {verdict}"
            )
    for target in all_targets:
        if bare and target.key in figures and target.key not in TARGET_RATIO and target.key != "bare":
            ratio = figures[target.key]["median"] / bare["median"]
            figures[target.key]["ratio"] = ratio
            if target.server in ("app_vega", "floor", "candidates"):
                lines.append(f"ratio {target.name} / bare: {ratio:.1f}x median (comparison, no target)")
            else:
                verdict = "met" if ratio <= PAGE_TARGET_RATIO else "MISSED"
                lines.append(
                    f"ratio {target.name} / bare: {ratio:.1f}x median; target ≤ {PAGE_TARGET_RATIO:g}: {verdict}"
                )
    lines += ["", "where the time goes (medians over the same samples, ms; see the docstring):"]
    lines.append(f"{'page':<36}{'total':>7}{'input':>7}{'script':>8}{'(cpu)':>7}{'rest':>7}{'server CPU':>12}")
    for target in all_targets:
        if not target.samples:
            continue
        parts = {
            "total": statistics.median(totals(target)),
            "input": statistics.median((s["send"] or s["t0"]) - s["t0"] for s in target.samples),
            "script": statistics.median(s["script"] for s in target.samples),
            "script_cpu": statistics.median(s["script_cpu"] for s in target.samples),
            "rest": statistics.median(s["end"] - (s["send"] or s["t0"]) - s["script"] for s in target.samples),
            "server_cpu": target.server_cpu_ms,
        }
        figures.setdefault(target.key, {})["parts"] = parts
        lines.append(
            f"{target.name:<36}{parts['total']:>7.0f}{parts['input']:>7.0f}{parts['script']:>8.0f}"
            f"{parts['script_cpu']:>7.0f}{parts['rest']:>7.0f}{parts['server_cpu'] or 0:>12.0f}"
        )
        odd = sum(1 for s in target.samples if s["runs"] != 1)
        if odd:
            lines.append(f"{'':<4}{odd} samples did not match exactly one script run")
    overhead = [s["busyMs"] for t in all_targets for s in t.samples]
    if overhead:
        lines.append(f"\ninstrumentation time inside the page: median {statistics.median(overhead):.1f} ms per sample")
    print("\n".join(lines), flush=True)
    return figures


# ---------------------------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=30, help="measured key presses per page (default 30)")
    parser.add_argument("--budget", type=float, default=170, help="seconds for the whole run (default 170)")
    parser.add_argument("--settle-ms", type=int, default=150, help="charts unchanged this long = done (150)")
    parser.add_argument("--give-up-ms", type=int, default=3000, help="stop waiting for an unchanged chart (3000)")
    parser.add_argument("--gap-ms", type=int, default=100, help="idle time between presses (100)")
    parser.add_argument("--sample-timeout", type=float, default=20, help="seconds one press may take (20)")
    parser.add_argument("--pages", action="store_true", help="also measure every lesson page in ui/navigation.py")
    parser.add_argument("--only", nargs="+", choices=[t.key for t in targets(True)], help="measure only these pages")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.load_before = os.getloadavg()
    started = time.monotonic()
    deadline = started + args.budget
    if not os.access(CHROMIUM, os.X_OK):
        print(f"Chromium not found at {CHROMIUM}", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    log_dir = Path(tempfile.mkdtemp(prefix="attention-lab-bench-"))
    servers = Servers(log_dir)

    def watchdog() -> None:
        print(f"\nwatchdog: over the time limit ({args.budget + 30:.0f} s); stopping servers", file=sys.stderr)
        servers.stop()
        os._exit(3)

    timer = threading.Timer(args.budget + 30, watchdog)
    timer.daemon = True
    timer.start()

    def on_sigterm(*_: object) -> None:
        raise KeyboardInterrupt

    previous_term = signal.signal(signal.SIGTERM, on_sigterm)
    all_targets = [t for t in targets(args.pages) if not args.only or t.key in args.only]
    try:
        servers.start("app", "streamlit_app.py", REPO, [])
        if any(t.server == "app_vega" for t in all_targets):
            servers.start("app_vega", "streamlit_app.py", REPO, [], env={"ATTENTION_LAB_HEATMAPS": "vega"})
        servers.start("bare", str(BENCH / "bare_page.py"), BENCH, FAST_SETTINGS)
        if any(t.server == "floor" for t in all_targets):
            servers.start("floor", str(BENCH / "floor_page.py"), BENCH, FAST_SETTINGS)
        if any(t.server == "candidates" for t in all_targets):
            # Served from a folder of its own whose static/ is the repo's, so the canvas loader finds its script.
            folder = log_dir / "candidates"
            folder.mkdir()
            (folder / "static").symlink_to(REPO / "static")
            page = folder / "candidates_page.py"
            page.write_text((BENCH / "candidates_page.py").read_text(encoding="utf-8"), encoding="utf-8")
            servers.start("candidates", str(page), folder, [*FAST_SETTINGS, "--server.enableStaticServing", "true"])
        servers.wait_healthy(min(deadline, time.monotonic() + SERVER_START_TIMEOUT_S))
        print(f"servers up after {time.monotonic() - started:.1f} s: {servers.urls}", flush=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                for index, target in enumerate(all_targets):
                    share = (deadline - time.monotonic() - 3) / (len(all_targets) - index)
                    if share <= 1:
                        target.note = "no time left"
                        continue
                    t = time.monotonic()
                    try:
                        run_target(browser, servers, target, args, time.monotonic() + share)
                    except Exception as error:  # one page failing must not lose the other pages' figures
                        target.note = f"failed: {str(error).splitlines()[0][:120]}"
                    print(f"{target.name}: {len(target.samples)} samples in {time.monotonic() - t:.0f} s {target.note}")
                figures = report(all_targets, browser.version, args)
            finally:
                browser.close()
        if args.json:
            args.json.write_text(json.dumps({"figures": figures, "samples": {t.key: totals(t) for t in all_targets}}))
        print(f"\ntotal {time.monotonic() - started:.0f} s", flush=True)
        return 0
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    finally:
        servers.stop()
        timer.cancel()
        signal.signal(signal.SIGTERM, previous_term)


if __name__ == "__main__":
    sys.exit(main())
