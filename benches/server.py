"""The benchmark's HTTP server: nginx on 127.0.0.1 serving the canned bodies, and wrk's ceiling.

nginx answers any POST (or GET) under a path prefix with one canned file, so a client's
``api_base`` picks the body: ``/chat/v1`` → ``chat.json``, ``/stream/v1`` → ``stream.sse``,
``/embed/v1`` → ``embed.json``. ``/nginx_status`` is nginx's ``stub_status``; its ``accepts``
counter is how the benchmark counts the TCP connections a client opens.

    python benches/server.py start DIR     # writes bodies + config into DIR, prints the port
    python benches/server.py ceiling DIR SECONDS   # wrk against each prefix, JSON on stdout
    python benches/server.py stop DIR
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import canned

PREFIXES = {
    "chat": "chat.json",
    "stream": "stream.sse",
    "stream200": "stream200.sse",
    "embed": "embed.json",
}
ENDPOINTS = {
    "chat": "/chat/v1/chat/completions",
    "stream": "/stream/v1/chat/completions",
    "embed": "/embed/v1/embeddings",
}

CONFIG = """\
worker_processes 1;
daemon on;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    sendfile on;
    tcp_nodelay on;
    keepalive_timeout 300s;
    keepalive_requests 1000000;
    client_body_temp_path {dir}/tmp;
    proxy_temp_path {dir}/tmp;
    fastcgi_temp_path {dir}/tmp;
    uwsgi_temp_path {dir}/tmp;
    scgi_temp_path {dir}/tmp;
    types {{ application/json json; text/event-stream sse; }}
    server {{
        listen 127.0.0.1:{port} backlog=4096;
        root {dir}/www;
        log_not_found off;
        location = /nginx_status {{ stub_status; }}
        location /files/ {{ internal; }}
{locations}
    }}
}}
"""
# A static file answers GET; for a POST nginx says 405 (or 404, no such file), and the
# error page turns that into a 200 with the canned file (the body of the POST is discarded).
LOCATION = "        location /{prefix}/ {{ error_page 404 405 =200 /files/{file}; }}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start(directory: Path) -> int:
    """Write the bodies and config into ``directory``, start nginx, return its port."""
    directory.chmod(0o755)  # nginx's workers (www-data when started as root) read it
    canned.write(directory / "www" / "files")
    (directory / "tmp").mkdir(exist_ok=True)
    port = _free_port()
    locations = "\n".join(LOCATION.format(prefix=p, file=f) for p, f in PREFIXES.items())
    conf = directory / "nginx.conf"
    conf.write_text(CONFIG.format(dir=directory, port=port, locations=locations))
    subprocess.run(["nginx", "-c", str(conf), "-p", str(directory)], check=True)
    (directory / "port").write_text(str(port))
    for _ in range(100):
        try:
            accepts(port)
            return port
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("nginx did not come up")


def stop(directory: Path) -> None:
    """Stop the nginx started in ``directory`` (quietly if it is not running)."""
    pid = directory / "nginx.pid"
    if pid.exists():
        subprocess.run(
            ["nginx", "-c", str(directory / "nginx.conf"), "-p", str(directory), "-s", "quit"],
            check=False,
            capture_output=True,
        )


def accepts(port: int) -> int:
    """nginx's count of accepted connections (this request's own connection included)."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/nginx_status", timeout=5) as r:
        text = r.read().decode()
    return int(text.splitlines()[2].split()[0])


WRK_SCRIPT = """wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}'
"""


def ceiling(directory: Path, seconds: int) -> dict[str, float]:
    """Requests/s wrk gets from each prefix (1 thread, 100 connections; 8 for the stream)."""
    script = directory / "post.lua"
    script.write_text(WRK_SCRIPT)
    port = int((directory / "port").read_text())
    out: dict[str, float] = {}
    for name, path in ENDPOINTS.items():
        conns = "8" if name == "stream" else "100"
        run = subprocess.run(
            [
                "wrk",
                "-t1",
                f"-c{conns}",
                f"-d{seconds}s",
                "-s",
                str(script),
                f"http://127.0.0.1:{port}{path}",
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        m = re.search(r"Requests/sec:\s+([\d.]+)", run.stdout)
        if m is None or "Non-2xx" in run.stdout:
            raise RuntimeError(f"wrk against {path} failed:\n{run.stdout}")
        out[name] = float(m.group(1))
    return out


def main() -> None:
    cmd, directory = sys.argv[1], Path(sys.argv[2]).resolve()
    if cmd == "start":
        print(start(directory))
    elif cmd == "stop":
        stop(directory)
    elif cmd == "ceiling":
        print(json.dumps(ceiling(directory, int(sys.argv[3]))))
    else:
        raise SystemExit(f"unknown command {cmd}")


if __name__ == "__main__":
    main()
