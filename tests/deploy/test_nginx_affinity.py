"""Two app processes behind nginx on loopback (deploy/serve.py): sessions opened through nginx see their
changes take effect, spread over both processes, and never move to the other one, not even on a reconnect;
nginx.conf for the compose file is the one deploy/nginx.py renders."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(REPO), str(REPO / "bench")]

from cluster_load import hall  # noqa: E402

from deploy import nginx  # noqa: E402
from deploy.serve import Cluster, nginx_path  # noqa: E402


def free_block(size: int) -> int:
    """The first of ``size`` consecutive free loopback ports."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            start = probe.getsockname()[1]
        if start + size < 65535 and all(_free(port) for port in range(start, start + size)):
            return start
    raise RuntimeError("no block of free ports")


def _free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@pytest.fixture(scope="module")
def cluster():
    if nginx_path() is None:
        reason = "nginx is not installed (apt-get install nginx)"
        if os.environ.get("ATTENTION_LAB_REQUIRE_NGINX") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    with Cluster(2, free_block(3), expose_upstream=True) as running:
        yield running


def test_sessions_through_nginx_stay_on_their_process(cluster) -> None:
    # In a thread of its own: the browser tests' Playwright keeps an event loop running in this one.
    with ThreadPoolExecutor(1) as worker:
        figures = worker.submit(asyncio.run, hall(cluster.url, sessions=16, changes=2, think=0.1, through_nginx=True))
        figures = figures.result()
    assert figures["errors"] == 0, figures["first_errors"]
    assert figures["changes"] == 16 * 2  # every change took effect (the URL shows it, checked per change)
    assert figures["sessions_moved"] == 0
    processes = figures["sessions_per_process"]
    assert set(processes) == {url.removeprefix("http://") for url in cluster.app_urls}  # both are used
    assert sum(processes.values()) == 16  # with 16 sessions, all on one process has odds 2 in 65536


def test_the_compose_nginx_conf_is_the_rendered_one() -> None:
    assert nginx.COMPOSE_CONF.read_text() == nginx.compose_conf()
