"""A lecture hall on one machine: K sessions × M changes against one Streamlit process directly, then against
N processes behind nginx (deploy/serve.py), in one run; changes per second, latency, errors, and whether every
session stays on one process.

    python bench/cluster_load.py                              # 50 and 100 sessions, 1 direct vs 2 behind nginx
    python bench/cluster_load.py --sessions 10 --changes 4    # quick check

Each simulated student is bench/load.py's ``User`` (a raw websocket client: a change alternates the sequence
length slider and the seed, with think time 0.5–1.5 s between changes, and the URL is checked afterwards). Through
nginx a student first loads the page over HTTP, as a browser does, keeps the affinity cookie nginx sets, and sends
it with the websocket. Affinity: nginx names the process that answered in a debug header
(``--show-upstream``); the page request, the websocket and a second websocket opened at the end must all name
the same process. The figures go to stdout as a table and as JSON (``--json-out``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "bench")]

from load import Stats, User, percentile  # noqa: E402

from deploy import nginx  # noqa: E402
from deploy.serve import Cluster  # noqa: E402

_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never through a proxy


def page_visit(base_url: str) -> tuple[str, str | None]:
    """GET / as a browser does: (the cookie header to send back, the process that answered)."""
    with _OPENER.open(f"{base_url}/", timeout=30) as response:
        cookies = [value.split(";", 1)[0] for name, value in response.headers.items() if name.lower() == "set-cookie"]
        return "; ".join(cookies), response.headers.get(nginx.UPSTREAM_HEADER)


def ws_url(base_url: str) -> str:
    return base_url.replace("http://", "ws://", 1) + "/_stcore/stream"


async def hall(base_url: str, sessions: int, changes: int, think: float, through_nginx: bool) -> dict:
    """K students, M changes each; returns the figures of this layout."""
    stats = Stats()
    users, visits = [], []
    for index in range(sessions):
        user = User(ws_url(base_url), index, run_timeout=30.0, url_check=True)
        if through_nginx:
            cookie, upstream = page_visit(base_url)
            user.session.headers = {"Cookie": cookie}
            visits.append(upstream)
        users.append(user)
    started = await asyncio.gather(*(user.start(stats) for user in users))
    stats.latencies.clear()  # first runs are not changes
    begin = time.perf_counter()

    async def act(user: User, ok: bool) -> None:
        if not ok:
            stats.aborted += changes
            return
        await asyncio.sleep(user.rng.uniform(0, think))
        for made in range(changes):
            if not await user.change(stats):
                stats.aborted += changes - made - 1
                return
            await asyncio.sleep(user.rng.uniform(0.5, 1.5) * think)

    await asyncio.gather(*(act(user, ok) for user, ok in zip(users, started, strict=True)))
    wall = time.perf_counter() - begin
    moved = 0
    per_process: dict[str, int] = {}
    if through_nginx:
        for user, page_upstream in zip(users, visits, strict=True):
            socket_upstream = user.session.handshake_headers.get(nginx.UPSTREAM_HEADER)
            await user.close()
            await user.session.open()  # a reconnect, as after a wifi drop: it must reach the same process
            again = user.session.handshake_headers.get(nginx.UPSTREAM_HEADER)
            if not (page_upstream and page_upstream == socket_upstream == again):
                moved += 1
            per_process[str(socket_upstream)] = per_process.get(str(socket_upstream), 0) + 1
    for user in users:
        await user.close()
    runs = len(stats.latencies)
    return {
        "sessions": sessions,
        "changes_per_session": changes,
        "changes": runs,
        "errors": len(stats.errors) + stats.aborted,
        "first_errors": stats.errors[:3],
        "wall_s": round(wall, 2),
        "changes_per_s": round(runs / wall, 2) if wall else None,
        "p50_s": round(percentile(stats.latencies, 0.50) or 0, 3),
        "p95_s": round(percentile(stats.latencies, 0.95) or 0, 3),
        "mean_s": round(statistics.fmean(stats.latencies), 3) if stats.latencies else None,
        "sessions_moved": moved if through_nginx else None,
        "sessions_per_process": per_process or None,
    }


def warm(base_url: str) -> None:
    """One session runs the page once, so the first imports are not measured."""

    async def once() -> None:
        user = User(ws_url(base_url), 0, run_timeout=120.0, url_check=False)
        await user.start(Stats())
        await user.close()

    asyncio.run(once())


def measure(processes: int, port: int, sizes: list[int], changes: int, think: float) -> list[dict]:
    rows = []
    with Cluster(processes, port, expose_upstream=True) as cluster:
        direct = processes == 1
        base = cluster.app_urls[0] if direct else cluster.url
        for app in cluster.app_urls:
            warm(app)
        for sessions in sizes:
            figures = asyncio.run(hall(base, sessions, changes, think, through_nginx=not direct))
            layout = "1 process, direct" if direct else f"{processes} processes behind nginx"
            rows.append({"layout": layout} | figures)
            print(json.dumps(rows[-1]), flush=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, action="append", help="K (repeatable; default 50 and 100)")
    parser.add_argument("--changes", type=int, default=20, help="M changes per session (default 20)")
    parser.add_argument("--think", type=float, default=1.0, help="think time scale, s (default 1)")
    parser.add_argument("--processes", type=int, default=2, help="processes behind nginx (default 2)")
    parser.add_argument("--port", type=int, default=8780, help="first port used (default 8780)")
    parser.add_argument("--json-out", type=Path)
    args = parser.parse_args(argv)
    sizes = args.sessions or [50, 100]
    rows = measure(1, args.port, sizes, args.changes, args.think)
    rows += measure(args.processes, args.port + 10, sizes, args.changes, args.think)
    print(f"\n{'layout':28s} {'K':>4s} {'changes/s':>10s} {'p50 s':>7s} {'p95 s':>7s} {'errors':>7s} {'moved':>6s}")
    for row in rows:
        moved = "" if row["sessions_moved"] is None else str(row["sessions_moved"])
        print(
            f"{row['layout']:28s} {row['sessions']:4d} {row['changes_per_s']:10.2f} {row['p50_s']:7.3f} "
            f"{row['p95_s']:7.3f} {row['errors']:7d} {moved:>6s}"
        )
    for sessions in sizes:
        one = next(r for r in rows if r["sessions"] == sessions and r["layout"].startswith("1 "))
        many = next(r for r in rows if r["sessions"] == sessions and not r["layout"].startswith("1 "))
        print(
            f"K = {sessions}: throughput ×{many['changes_per_s'] / one['changes_per_s']:.2f}, "
            f"p95 {one['p95_s']:.3f} → {many['p95_s']:.3f} s"
        )
    if args.json_out:
        args.json_out.write_text(json.dumps(rows, indent=2))
    return 0 if all(row["errors"] == 0 and not row["sessions_moved"] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
