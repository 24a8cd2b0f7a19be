"""The nginx configuration that spreads sessions over N Streamlit processes, rendered for a list of upstreams.

Why it is built this way:

* **Affinity is per browser, by a cookie.** A Streamlit session lives in the process that holds its websocket
  (``/_stcore/stream``); a reconnect must reach that process again, or the session starts over, and uploads
  and media (``/_stcore/upload_file``, ``/media``) are kept in that process's memory too. Hashing on the client
  IP sends a whole lecture hall behind one NAT (or every loopback client) to one process; hashing on the
  client port is not stable between the page request and the websocket. So the first response sets a
  random cookie (nginx's ``$request_id``) and every later request, websocket included, is hashed on it.
  A request without the cookie is hashed on the same ``$request_id`` the cookie is set to, so it already
  lands where the cookie will send the rest.
* **``consistent``** (ketama) hashing: if a process is removed, only its own sessions move.
* **The websocket** needs HTTP/1.1 with the Upgrade and Connection headers passed on, no buffering, and
  read/send timeouts far longer than a lecture (nginx's default of 60 s would cut idle students off).

``render(...)`` returns the whole nginx.conf; ``python deploy/nginx.py --upstream app:8501 --listen 80``
prints the one the compose file uses (``deploy/nginx-compose.conf``; a test checks it is current).
"""

from __future__ import annotations

import argparse
from pathlib import Path

ROUTE_COOKIE = "attention_lab_route"
UPSTREAM_HEADER = "X-Attention-Lab-Upstream"
MAX_UPLOAD_MB = 200  # Streamlit's default server.maxUploadSize
COMPOSE_CONF = Path(__file__).resolve().parent / "nginx-compose.conf"

_TEMPLATE = """\
# Rendered by deploy/nginx.py; edit that file, not this one.
{main}
events {{
    worker_connections 4096;
}}

http {{
{http}
    # Session affinity: the cookie set by the first response, or (before it exists) the id it is set to.
    map $cookie_{cookie} $route_key {{
        ""      $request_id;
        default $cookie_{cookie};
    }}
    map $cookie_{cookie} $route_set_cookie {{
        ""      "{cookie}=$request_id; Path=/; HttpOnly; SameSite=Lax";
        default "";
    }}
    # "Connection: upgrade" for the websocket; empty otherwise, so plain requests can reuse upstream connections.
    map $http_upgrade $connection_upgrade {{
        default upgrade;
        ""      "";
    }}

    upstream streamlit {{
        hash $route_key consistent;
{servers}
        keepalive 16;
    }}

    server {{
        listen {listen};
        client_max_body_size {max_upload}m;

        # An empty value adds no header: the cookie is set only on responses to requests that lack it.
        add_header Set-Cookie $route_set_cookie always;
{debug_header}
        proxy_http_version 1.1;
        proxy_set_header Host $http_host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $connection_upgrade;

        location / {{
            proxy_pass http://streamlit;
        }}

        location = /_stcore/stream {{
            proxy_pass http://streamlit;
            # A session's websocket stays open for the whole lecture, mostly idle between clicks.
            proxy_read_timeout 1d;
            proxy_send_timeout 1d;
            proxy_buffering off;
        }}

        location /_stcore/upload_file {{
            proxy_pass http://streamlit;
            proxy_request_buffering off;
        }}
    }}
}}
"""


def render(
    upstreams: list[str],
    listen: str,
    *,
    prefix: Path | None = None,
    expose_upstream: bool = False,
) -> str:
    """nginx.conf for these upstreams ("host:port"), listening on ``listen`` ("127.0.0.1:8670" or "80").

    With ``prefix`` every file nginx writes (pid, logs, temp files) goes under that directory, so it runs
    beside the system's nginx without touching it. ``expose_upstream`` adds a response header naming the
    process that answered, for the benchmark and the tests (it reveals internal addresses: off by default).
    """
    if not upstreams:
        raise ValueError("at least one upstream is needed")
    if prefix is None:
        main = ""
        http = "    access_log off;"
    else:
        main = "\n".join(
            [
                f"pid {prefix / 'nginx.pid'};",
                f"error_log {prefix / 'error.log'} warn;",
                "worker_processes 1;",  # one worker is plenty for loopback; leaves the cores to Streamlit
                "",
            ]
        )
        temp = "\n".join(
            f"    {name}_temp_path {prefix / (name + '_temp')};"
            for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        http = f"    access_log off;\n{temp}"
    debug_header = f"        add_header {UPSTREAM_HEADER} $upstream_addr always;\n" if expose_upstream else ""
    servers = "\n".join(f"        server {upstream};" for upstream in upstreams)
    return _TEMPLATE.format(
        main=main,
        http=http,
        cookie=ROUTE_COOKIE,
        servers=servers,
        listen=listen,
        max_upload=MAX_UPLOAD_MB,
        debug_header=debug_header,
    )


def compose_conf() -> str:
    """The configuration of deploy/compose.yaml's nginx: Docker's DNS gives one address per app replica."""
    return render(["app:8501"], "80")


def main() -> None:
    parser = argparse.ArgumentParser(description="Print the nginx.conf for N Streamlit upstreams.")
    parser.add_argument("--upstream", action="append", required=True, help="host:port, repeat for each process")
    parser.add_argument("--listen", default="80", help="nginx's listen address (default 80)")
    args = parser.parse_args()
    print(render(args.upstream, args.listen), end="")


if __name__ == "__main__":
    main()
