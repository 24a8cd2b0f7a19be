"""What the pretrained model costs: load time, memory added, and server time per text change.

``python bench/pretrained.py [-n 20]`` prints three figures (see docs/BENCHMARKS.md):

1. **Load**: a fresh Python process that has already imported torch (as the app has) imports the model
   code and reads the model (median of 5 processes), and the RSS that adds.
2. **Memory in the app**: a server (started here, with bench/timed_streamlit.py) serves the playground to
   Chromium, then the Pretrained page; the server's RSS before and after the model page is the memory the
   model adds to a running app.
3. **Per text change**: the Pretrained page in "your own text" mode; ``-n`` times a new 32-token text is typed
   and submitted; the server logs each script run's wall and CPU time (the whole page: tokenizing, the
   6-layer forward, summaries, charts).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from latency import CHROMIUM, CHROMIUM_ARGS, Servers  # noqa: E402

from core.minilm import MiniLM, bundled_model_dir  # noqa: E402

LOAD_PROBE = """
import time, torch
def rss():
    return next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmRSS')) / 1024
torch.set_num_threads(1)
before, start = rss(), time.perf_counter()
from core.minilm import MiniLM, bundled_model_dir
MiniLM(bundled_model_dir())
print(time.perf_counter() - start, rss() - before)
"""
WORDS = "the quick brown fox jumps over a lazy dog while students watch attention heads learn".split()
TOKENS = 32


def rss_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS")) / 1024


def texts_of_32_tokens(count: int) -> list[str]:
    """Distinct texts that tokenize to exactly 32 tokens ([CLS] and [SEP] included), so no run is cached."""
    model = MiniLM(bundled_model_dir())
    texts = []
    for start in range(count):
        words = [WORDS[(start + i) % len(WORDS)] for i in range(TOKENS - 2)] + [f"n{start}"]
        while len(model.encode(" ".join(words), max_tokens=512).tokens) > TOKENS:
            words.pop(0)
        texts.append(" ".join(words))
    return texts


def measure_load(processes: int) -> tuple[list[float], list[float]]:
    seconds, added = [], []
    for _ in range(processes):
        out = subprocess.run([sys.executable, "-c", LOAD_PROBE], cwd=ROOT, capture_output=True, text=True, check=True)
        load, rss = map(float, out.stdout.split())
        seconds.append(load)
        added.append(rss)
    return seconds, added


def wait_idle(page) -> None:
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000)
    page.wait_for_timeout(300)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=20, help="text changes to time")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    seconds, added = measure_load(5)
    print(
        f"load: median {statistics.median(seconds):.2f} s (max {max(seconds):.2f}), RSS added median "
        f"{statistics.median(added):.0f} MiB (max {max(added):.0f})"
    )

    texts = texts_of_32_tokens(args.n + 1)
    with tempfile.TemporaryDirectory() as logs:
        servers = Servers(Path(logs))
        try:
            servers.start("app", "streamlit_app.py", ROOT, [])
            servers.wait_healthy(time.monotonic() + 60)
            pid, url = servers.processes["app"].pid, servers.urls["app"]
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1280, "height": 720})
                page.goto(url + "/")
                wait_idle(page)
                page.wait_for_timeout(2000)
                before = rss_mib(pid)
                page.goto(f"{url}/pretrained?pt_example=custom&pt_text={quote(texts[0])}")
                wait_idle(page)
                page.wait_for_timeout(2000)
                after = rss_mib(pid)
                print(
                    f"server RSS: {before:.0f} MiB after the playground, {after:.0f} MiB after the Pretrained "
                    f"page: +{after - before:.0f} MiB"
                )
                servers.new_runs("app")
                box = page.locator("textarea").first
                for text in texts[1:]:
                    box.fill(text)
                    box.press("Control+Enter")
                    page.wait_for_timeout(100)
                    wait_idle(page)
                browser.close()
            runs = servers.new_runs("app")
        finally:
            servers.stop()
    walls, cpus = [wall for wall, _ in runs], [cpu for _, cpu in runs]
    print(
        f"per text change ({len(runs)} runs, {TOKENS} tokens): server wall median {statistics.median(walls):.0f} ms, "
        f"max {max(walls):.0f} ms; CPU median {statistics.median(cpus):.0f} ms"
    )


if __name__ == "__main__":
    main()
