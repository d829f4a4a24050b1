"""Run llama.cpp's ``llama-server`` on loopback: a real third-party OpenAI-compatible server.

The binary and the tiny model are built offline by ``tests/e2e/llama_server.sh build model``
into a cache outside the repository (``~/.cache/edgequake-litellm/llama-server-0.3.36``,
or ``$ELC_LLAMA_CACHE``). The model has random weights: its text is gibberish, but the
server's HTTP behaviour (usage, streaming, tool calls, JSON schema, errors) is real.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Optional

VERSION = "0.3.36"


def cache_dir() -> Path:
    """Where ``tests/e2e/llama_server.sh`` builds the server and the model."""
    if os.environ.get("ELC_LLAMA_CACHE"):
        return Path(os.environ["ELC_LLAMA_CACHE"])
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "edgequake-litellm" / f"llama-server-{VERSION}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class LlamaServer:
    """``with LlamaServer() as srv:`` starts a server; ``srv.url`` is its ``api_base``.

    ``embeddings=True`` starts an embeddings-only server (mean pooling), as
    llama-server serves either chat or embeddings, not both. ``extra_args``
    are appended to the command line (e.g. ``["--logit-bias", "276+50"]``).
    ``srv.root`` is the URL without ``/v1`` (the Anthropic adapter's ``api_base``:
    llama-server also speaks Anthropic's ``/v1/messages``).
    """

    def __init__(self, embeddings: bool = False, extra_args: Sequence[str] = ()) -> None:
        root = cache_dir()
        self.binary = root / "build" / "bin" / "llama-server"
        self.model = root / "tiny.gguf"
        if not (self.binary.exists() and self.model.exists()):
            raise FileNotFoundError(
                f"llama-server is not built in {root}: run "
                "`bash tests/e2e/llama_server.sh build && bash tests/e2e/llama_server.sh model`"
            )
        self.embeddings = embeddings
        self.extra_args = list(extra_args)
        self.port = _free_port()
        self.root = f"http://127.0.0.1:{self.port}"
        self.url = f"{self.root}/v1"
        self._proc: Optional[subprocess.Popen[bytes]] = None

    def __enter__(self) -> LlamaServer:
        mode = (
            ["-c", "2048", "-np", "1", "-t", "1", "--embeddings", "--pooling", "mean"]
            if self.embeddings
            else ["-c", "4096", "-np", "2", "-t", "2", "--jinja"]
        )
        self._proc = subprocess.Popen(
            [
                str(self.binary),
                "-m",
                str(self.model),
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--no-webui",
                "--alias",
                "tiny",
                "--offline",
                *mode,
                *self.extra_args,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise RuntimeError(f"llama-server exited with {self._proc.returncode}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=1):
                    return self
            except OSError:
                time.sleep(0.05)
        self.__exit__(None, None, None)
        raise TimeoutError("llama-server did not become healthy within 30 s")

    def __exit__(
        self,
        exc_type: Optional[type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        if self._proc is not None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
            self._proc = None
