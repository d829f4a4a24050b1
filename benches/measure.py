"""Entry point run inside a client's venv: one metric family for one client, JSON on stdout.

    python benches/measure.py FAMILY CLIENT

Families: ``import``, ``footprint``, ``sync``, ``threads``, ``async100``, ``async500``,
``stream_sync``, ``stream_async``, ``streams1000``, ``embed``, ``first_sync``,
``first_async``. A family the client cannot do prints ``{"n/a": "<reason>"}``.
"""

from __future__ import annotations

import json
import sys
from typing import Any, Callable

import m_async
import m_embed
import m_first
import m_footprint
import m_import
import m_stream
import m_streams
import m_sync
import m_threads
from clients import NotAvailable

FAMILIES: dict[str, Callable[[str], dict[str, Any]]] = {
    "import": m_import.run,
    "footprint": m_footprint.run,
    "sync": m_sync.run,
    "threads": m_threads.run,
    "async100": lambda client: m_async.run(client, 100),
    "async500": lambda client: m_async.run(client, 500),
    "stream_sync": lambda client: m_stream.run(client, asynchronous=False),
    "stream_async": lambda client: m_stream.run(client, asynchronous=True),
    "streams1000": m_streams.run,
    "embed": m_embed.run,
    "first_sync": lambda client: m_first.run(client, asynchronous=False),
    "first_async": lambda client: m_first.run(client, asynchronous=True),
}


def main() -> None:
    family, client = sys.argv[1], sys.argv[2]
    try:
        result = FAMILIES[family](client)
    except NotAvailable as e:
        result = {"n/a": str(e)}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
