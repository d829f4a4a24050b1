"""The real litellm, imported offline, for the differential suite.

``LITELLM_LOCAL_MODEL_COST_MAP`` must be set before litellm is imported (else it
downloads its model price map); telemetry, the "Give Feedback" banner and boto3's
instance-metadata lookup are turned off. A guard on Python's sockets fails the test if
litellm (or anything else in the Python process) tries to reach a host that is not on
loopback.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from typing import Any

import pytest

os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
os.environ.setdefault("LITELLM_TELEMETRY", "False")
# litellm resolves AWS credentials through boto3 even for a Bedrock API key: never through
# the instance-metadata service (the loopback guard below would refuse it anyway).
os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")

import litellm

litellm.telemetry = False
litellm.suppress_debug_info = True

_LOOPBACK = ("127.", "::1", "localhost")


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Refuse, and remember, every attempt of Python code to resolve or connect off loopback."""
    attempts: list[str] = []
    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.socket.connect

    def getaddrinfo(host: Any, *args: Any, **kw: Any) -> Any:
        if isinstance(host, (str, bytes)) and not str(
            host.decode() if isinstance(host, bytes) else host
        ).startswith(_LOOPBACK):
            attempts.append(f"resolve {host!r}")
            raise OSError(f"differential tests stay on loopback: refused to resolve {host!r}")
        return real_getaddrinfo(host, *args, **kw)

    def connect(self: socket.socket, address: Any) -> None:
        inet = self.family in (socket.AF_INET, socket.AF_INET6)
        if inet and not str(address[0]).startswith(_LOOPBACK):
            attempts.append(f"connect {address!r}")
            raise OSError(f"differential tests stay on loopback: refused to connect to {address!r}")
        real_connect(self, address)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)
    yield attempts
    assert not attempts, f"a library tried to leave loopback: {attempts}"
