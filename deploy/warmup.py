"""Warm a running app before class: open every page once, in each language, as a browser tab would.

    python deploy/warmup.py                          # http://127.0.0.1:8501, English and 中文
    python deploy/warmup.py http://127.0.0.1:8720 --lang zh

A freshly started server pays on its first visits for what every later visitor reuses: importing torch,
pandas and Altair, each page's code, its cached models and chart templates, the Training page's default
run and the pretrained model. This script speaks Streamlit's websocket protocol (the ``websockets`` package
Streamlit itself installs): one session per language asks for each page of ``ui/navigation.PAGES`` and waits
for its run to finish. Behind ``deploy/serve.py`` each new session lands on some process; run it once per
process, against that process's own port. It prints each page's time and exits non-zero if a page failed.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

if __package__ in (None, ""):  # run as a script: make `ui` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.util import calc_hash
from websockets.asyncio.client import connect

from ui.i18n import LANGUAGES
from ui.navigation import PAGES

PAGE_TIMEOUT_S = 300  # the Training page trains its default model on a cold server: minutes on a small machine


async def open_page(ws, url_path: str, lang: str) -> str | None:
    """Run one page to its end. Returns why it failed, or None."""
    msg = BackMsg()
    msg.rerun_script.query_string = f"lang={lang}"
    msg.rerun_script.page_script_hash = calc_hash(url_path)
    msg.rerun_script.context_info.locale = "zh-CN" if lang == "zh" else "en-US"
    await ws.send(msg.SerializeToString())
    run_id = None
    while True:
        reply = ForwardMsg()
        reply.ParseFromString(await ws.recv(decode=False))
        kind = reply.WhichOneof("type")
        if kind == "new_session":
            run_id = reply.metadata.run.script_run_id
            if reply.new_session.page_script_hash != msg.rerun_script.page_script_hash:
                return "the server ran another page"
        elif kind == "page_not_found":
            return "page not found"
        elif kind == "delta" and reply.delta.WhichOneof("type") == "new_element":
            if reply.delta.new_element.WhichOneof("type") == "exception":
                return f"exception: {reply.delta.new_element.exception.message}"
        elif kind == "script_finished" and reply.metadata.run.script_run_id == run_id:
            if reply.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                run_id = None  # the page asked for a rerun (a deck scene, a widget default): wait for that one
                continue
            return None if reply.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY else "did not finish"


async def warm(base_url: str, languages: list[str]) -> int:
    parts = urlsplit(base_url)
    scheme = "wss" if parts.scheme == "https" else "ws"
    stream = f"{scheme}://{parts.netloc}{parts.path.rstrip('/')}/_stcore/stream"
    failures = 0
    started = time.perf_counter()
    for lang in languages:
        # One session per language: a session keeps its language, as a browser tab does.
        async with connect(stream, subprotocols=["streamlit"], proxy=None, max_size=None, open_timeout=60) as ws:
            for page in PAGES:
                start = time.perf_counter()
                try:
                    problem = await asyncio.wait_for(open_page(ws, page.url_path, lang), PAGE_TIMEOUT_S)
                except TimeoutError:
                    problem = f"no end after {PAGE_TIMEOUT_S} s"
                failures += problem is not None
                took = time.perf_counter() - start
                print(f"{lang}  {page.url_path:<16} {took:6.2f} s  {problem or 'ok'}", flush=True)
    print(f"warmed {len(PAGES)} pages × {len(languages)} languages in {time.perf_counter() - started:.1f} s")
    return failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", nargs="?", default="http://127.0.0.1:8501", help="the app's address")
    parser.add_argument("--lang", choices=sorted(LANGUAGES), action="append", help="a language (default: all)")
    args = parser.parse_args()
    sys.exit(1 if asyncio.run(warm(args.url, args.lang or list(LANGUAGES))) else 0)


if __name__ == "__main__":
    main()
