"""Cold start and memory: how long a freshly started server takes to show its first page, and how much
memory it holds after every page has been opened once (what a lecturer's warm-up round leaves behind).

``python bench/cold_start.py`` starts the app (bench/timed_streamlit.py, the repo's .streamlit/config.toml),
then, in one Chromium session:

1. the time from starting the process to ``/_stcore/health`` answering, and to the playground's charts
   being painted (the first visitor of a woken app waits this long);
2. every page of ``ui/navigation.PAGES`` in turn, each until its script has finished and a chart is drawn,
   with the time each took and the server's RSS after it. The last RSS is the figure the issue bounds
   (≤ 1 GB).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from latency import CHROMIUM, CHROMIUM_ARGS, Servers, health_ok  # noqa: E402

from ui.navigation import PAGES  # noqa: E402

PAINTED = """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"] canvas, .al-heatmap canvas')]
                     .some(c => c.width > 0 && c.height > 0)"""


def rss_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS")) / 1024


def open_and_wait(page, url: str) -> float:
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=180_000)
    page.wait_for_function(PAINTED, timeout=180_000, polling=100)
    return time.perf_counter() - start


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as logs:
        servers = Servers(Path(logs))
        try:
            started = time.perf_counter()
            servers.start("app", "streamlit_app.py", ROOT, [])
            url = servers.urls["app"]
            while not health_ok(url):
                if servers.processes["app"].poll() is not None:
                    raise RuntimeError(servers.log_tail("app"))
                time.sleep(0.05)
            healthy = time.perf_counter() - started
            pid = servers.processes["app"].pid
            print(f"server healthy after {healthy:.2f} s; RSS {rss_mib(pid):.0f} MiB")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1280, "height": 720})
                first = open_and_wait(page, url + "/")
                print(
                    f"first page painted {time.perf_counter() - started:.2f} s after the process started "
                    f"({first:.2f} s after the request); RSS {rss_mib(pid):.0f} MiB"
                )
                for spec in PAGES[1:]:
                    if not spec.charts:  # the Lecture page: a table of scenes, no chart to wait for
                        continue
                    took = open_and_wait(page, f"{url}/{spec.url_path}")
                    print(f"  {spec.url_path:<14} {took:6.2f} s   RSS {rss_mib(pid):6.0f} MiB")
                browser.close()
            print(f"after every page once: RSS {rss_mib(pid):.0f} MiB")
        finally:
            servers.stop()


if __name__ == "__main__":
    main()
