"""``python bench/timed_streamlit.py run SCRIPT [options]``: exactly ``python -m streamlit run``, plus
one stderr line per script run with its server-side duration, for bench/latency.py.

The line is ``BENCH_RUN wall_ms=… cpu_ms=…``: wall and thread CPU time of
``ScriptRunner._run_script`` (the script itself, turning its elements into protobuf messages and
queueing them, and Streamlit's post-run cleanup). Sending the queued messages happens on the server's
event loop, in parallel. Nothing else is changed; the app's code is not touched.
"""

import sys
import time

from streamlit.runtime.scriptrunner import script_runner
from streamlit.web.cli import main

_run_script = script_runner.ScriptRunner._run_script


def _timed_run_script(self, rerun_data):
    wall, cpu = time.perf_counter(), time.thread_time()
    try:
        return _run_script(self, rerun_data)
    finally:
        wall_ms, cpu_ms = (time.perf_counter() - wall) * 1000, (time.thread_time() - cpu) * 1000
        print(f"BENCH_RUN wall_ms={wall_ms:.2f} cpu_ms={cpu_ms:.2f}", file=sys.stderr, flush=True)


script_runner.ScriptRunner._run_script = _timed_run_script

if __name__ == "__main__":
    main(prog_name="streamlit")
