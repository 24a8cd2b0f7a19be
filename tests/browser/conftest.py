"""Real-browser fixtures: one app server per test session, Debian's Chromium driven by Playwright.

Where Chromium (``/usr/bin/chromium``) or the ``playwright`` package is missing, every browser test is
skipped with the reason; with ``ATTENTION_LAB_REQUIRE_BROWSER=1`` (CI) the same reason is a failure.
Playwright cannot download its own browsers here, so Debian's Chromium is launched by path, with the flags of
``bench/chromium.py`` (the one Chromium configuration, shared with the benchmarks). Test modules wait for the app
with ``browser_helpers.wait_settled`` (a module, since test modules cannot import a conftest).
"""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench"))
from chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402  (one configuration for tests and benchmarks)

REQUIRE_BROWSER_ENV = "ATTENTION_LAB_REQUIRE_BROWSER"
SERVER_START_TIMEOUT_S = 90  # the first start imports torch; a cold disk can take a while
VIEWPORT = {"width": 1280, "height": 720}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: real-browser tests (Playwright driving Debian's Chromium)")


def missing_browser_reason() -> str | None:
    """Why the browser tests cannot run here, or None if they can."""
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is not installed (pip install -r requirements-dev.txt)"
    if not os.access(CHROMIUM, os.X_OK):
        return f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    return None


def _skip_or_fail(reason: str) -> None:
    if os.environ.get(REQUIRE_BROWSER_ENV) == "1":
        pytest.fail(f"{reason}; {REQUIRE_BROWSER_ENV}=1 requires the browser tests to run", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _health_ok(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as response:
            return response.status == 200 and response.read().decode().strip() == "ok"
    except OSError:
        return False


def _stop(process: subprocess.Popen) -> None:
    """Stop the server we started, by its PID: SIGTERM, then SIGKILL if it does not exit."""
    if process.poll() is not None:
        return
    os.kill(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def browser_available() -> None:
    reason = missing_browser_reason()
    if reason:
        _skip_or_fail(reason)


@pytest.fixture(scope="session")
def app_url(browser_available, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start the app on a free loopback port, wait until /_stcore/health says "ok", yield its base URL."""
    log_path = tmp_path_factory.mktemp("server") / "streamlit.log"
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    command = [
        sys.executable, "-m", "streamlit", "run", "streamlit_app.py",
        "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while not _health_ok(base_url):
            if process.poll() is not None or time.monotonic() > deadline:
                state = f"exited with {process.returncode}" if process.poll() is not None else "timed out"
                pytest.fail(f"app server {state}; log:\n{log_path.read_text(errors='replace')[-3000:]}", pytrace=False)
            time.sleep(0.2)
        yield base_url
    finally:
        _stop(process)


@pytest.fixture(scope="session")
def browser(browser_available):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # launch() gives every run a fresh temporary profile.
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class WatchedPage:
    """A page plus everything that went wrong in it: console errors, uncaught errors, failed requests."""

    page: object
    problems: list[str] = field(default_factory=list)
    checked: bool = False

    def assert_clean(self) -> None:
        self.checked = True
        assert not self.problems, "browser problems during the test:\n" + "\n".join(self.problems)


@pytest.fixture
def watched_page(browser, app_url) -> Iterator[WatchedPage]:
    """A fresh context (English locale, 1280x720) whose console errors and failed requests are all recorded.

    Nothing is filtered: the app loads nothing from outside loopback, so any console error or failed
    request is a real problem. Uncaught page errors ("pageerror") count too; they are not console messages.
    """
    context = browser.new_context(viewport=VIEWPORT, locale="en-US")
    page = context.new_page()
    watched = WatchedPage(page)
    page.on("console", lambda m: watched.problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: watched.problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: watched.problems.append(f"request failed: {r.method} {r.url}: {r.failure}"))
    try:
        yield watched
        if not watched.checked:
            watched.assert_clean()
    finally:
        context.close()
