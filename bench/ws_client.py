"""A minimal Streamlit websocket client: what a browser tab does, without the browser.

It speaks the protocol of the installed Streamlit (1.67, Starlette/uvicorn server):

* connect to ``ws://127.0.0.1:PORT/_stcore/stream`` with subprotocol ``streamlit`` (the server echoes the
  first entry; the 2nd and 3rd entries, an XSRF token and a session id to resume, are left out, and no
  ``Origin`` header is sent, which the server accepts);
* send ``BackMsg.rerun_script`` (a ``ClientState``: query string, page script hash, widget states);
* read ``ForwardMsg``s until ``script_finished`` for the run that ``new_session`` announced.

Widget values are kept the way the frontend keeps them: every widget element the server draws is
recorded with its current value, and every rerun sends all of them (with one changed).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.NumberInput_pb2 import NumberInput
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect

FINISHED = ForwardMsg.FINISHED_SUCCESSFULLY
EARLY_FOR_RERUN = ForwardMsg.FINISHED_EARLY_FOR_RERUN
STATUS_NAMES = {value: name for name, value in ForwardMsg.ScriptFinishedStatus.items()}


class RunError(Exception):
    """A run that did not finish cleanly: an exception element, a bad finish status, or a timeout."""


@dataclass
class RunResult:
    latency: float  # seconds from sending the BackMsg to script_finished
    messages: int
    bytes: int
    elements: int


def _widget_state(element_type: str, proto) -> WidgetState | None:
    """The WidgetState a browser would send for this widget element: the value the server set, else its default."""
    state = WidgetState(id=proto.id)
    set_value = getattr(proto, "set_value", False)  # buttons and download buttons have none
    if element_type == "slider":
        state.double_array_value.data.extend(proto.value if set_value else proto.default)
    elif element_type == "number_input":
        value = proto.value if set_value and proto.HasField("value") else proto.default
        if proto.data_type == NumberInput.INT:
            state.int_value = int(value)
        else:
            state.double_value = value
    elif element_type in ("text_input", "text_area"):
        state.string_value = proto.value if set_value and proto.HasField("value") else proto.default
    elif element_type in ("radio", "selectbox"):
        if not set_value and not proto.HasField("default"):
            return None  # nothing chosen yet (a predict-then-reveal question): a browser sends nothing either
        state.string_value = proto.raw_value if set_value else proto.options[proto.default]
    elif element_type == "button_group":
        values = proto.raw_values if set_value else [proto.options[i].content for i in proto.default]
        state.string_array_value.data.extend(values)
    elif element_type == "checkbox":
        state.bool_value = proto.value if set_value else proto.default
    else:
        return None
    return state


@dataclass
class Session:
    """One browser tab's worth of state: its connection, page, query string and widget values."""

    url: str
    timeout: float = 30.0
    ws: ClientConnection | None = None
    page_script_hash: str = ""
    query_string: str = ""
    widgets: dict[str, WidgetState] = field(default_factory=dict)  # widget id -> last value
    keys: dict[str, str] = field(default_factory=dict)  # user key -> widget id
    headers: dict[str, str] = field(default_factory=dict)  # sent with the websocket handshake (e.g. a cookie)
    handshake_headers: dict[str, str] = field(default_factory=dict)  # what the server answered it with

    async def open(self) -> None:
        # proxy=None: never route loopback traffic through an environment proxy.
        self.ws = await connect(
            self.url,
            subprotocols=["streamlit"],
            proxy=None,
            compression=None,
            max_size=None,
            open_timeout=self.timeout,
            additional_headers=self.headers or None,
        )
        self.handshake_headers = dict(self.ws.response.headers.raw_items())

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    def widget_id(self, key: str) -> str:
        return self.keys[key]

    def value(self, key: str) -> WidgetState:
        return self.widgets[self.keys[key]]

    def query(self) -> dict[str, str]:
        return {name: values[-1] for name, values in parse_qs(self.query_string).items()}

    async def rerun(self, changes: dict[str, WidgetState] | None = None) -> RunResult:
        """Send a rerun with every known widget value (``changes`` replacing some) and wait for its end."""
        assert self.ws is not None
        for key, state in (changes or {}).items():
            widget_id = self.keys[key]
            state.id = widget_id
            self.widgets[widget_id] = state
        msg = BackMsg()
        client_state = msg.rerun_script
        client_state.query_string = self.query_string
        client_state.page_script_hash = self.page_script_hash
        client_state.widget_states.widgets.extend(self.widgets.values())
        client_state.context_info.timezone = "UTC"
        client_state.context_info.locale = "en-US"
        payload = msg.SerializeToString()
        start = time.perf_counter()
        await self.ws.send(payload)
        return await asyncio.wait_for(self._read_run(start), self.timeout)

    async def _read_run(self, start: float) -> RunResult:
        assert self.ws is not None
        run_id: str | None = None
        messages = size = elements = 0
        errors: list[str] = []
        while True:
            data = await self.ws.recv(decode=False)
            messages += 1
            size += len(data)
            msg = ForwardMsg()
            msg.ParseFromString(data)
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                run_id = msg.metadata.run.script_run_id
                self.page_script_hash = msg.new_session.page_script_hash
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                elements += 1
                element = msg.delta.new_element
                element_type = element.WhichOneof("type")
                if element_type == "exception":
                    errors.append(f"exception element: {element.exception.type}: {element.exception.message}")
                    continue
                proto = getattr(element, element_type)
                widget_id = getattr(proto, "id", "")
                # Like the frontend: a drawn widget keeps its own value unless the server sets one.
                if widget_id and (widget_id not in self.widgets or getattr(proto, "set_value", False)):
                    state = _widget_state(element_type, proto)
                    if state is not None:
                        self.widgets[widget_id] = state
                        self.keys[widget_id.rsplit("-", 1)[-1]] = widget_id
            elif kind == "page_info_changed":
                self.query_string = msg.page_info_changed.query_string
            elif kind == "session_event" and msg.session_event.WhichOneof("type") == "script_compilation_exception":
                errors.append("script compilation exception")
            elif kind == "page_not_found":
                errors.append("page not found")
            elif kind == "script_finished":
                if run_id is None or msg.metadata.run.script_run_id != run_id:
                    continue  # the end of an earlier run (there should be none: runs are sent one at a time)
                status = msg.script_finished
                if status == EARLY_FOR_RERUN:
                    run_id = None  # the app asked for a rerun; the next run is the one we wait for
                    continue
                if status != FINISHED:
                    errors.append(f"script_finished {STATUS_NAMES.get(status, status)}")
                if errors:
                    raise RunError("; ".join(errors))
                return RunResult(time.perf_counter() - start, messages, size, elements)


def slider(value: float) -> WidgetState:
    state = WidgetState()
    state.double_array_value.data.append(value)
    return state


def int_input(value: int) -> WidgetState:
    return WidgetState(int_value=value)
