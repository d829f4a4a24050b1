"""The data files bundled in ``edgequake_litellm/data``, and the reader of the model map's.

``data/model_prices.bin`` holds litellm's model map (written by
``scripts/update_model_data.py``) so that one entry can be read without decompressing the
others. Its lines, one per model in the map's order, are ``key<TAB>chat<TAB>rules<TAB>entry``
where ``entry`` is the model's compact JSON, ``chat`` gives a chat/completion model's provider
and which of litellm's supported-params lists it has (see ``model_facts``) and ``rules`` which
of the map's ``fallback_generalizations`` rules match the key (see
``fallback_generalizations``). The file is, all integers little-endian:

- a header ``b"ELMB"``, then ``u32`` counts: keys ``n``, blocks ``b``, and the byte lengths
  of the two zlib streams that follow;
- a zlib-compressed preset dictionary (a sample of lines, at most 32 KiB) every block was
  compressed with;
- a zlib-compressed index: ``n`` ``u32`` CRC-32s of the keys' UTF-8 lowercase, ascending;
  the ``n`` ``u16`` blocks of those keys, in the same order; ``b + 1`` ``u32`` offsets of
  the blocks after the index (the last one is the end);
- the blocks: runs of consecutive lines (a dozen or two), each compressed on its own as a
  raw deflate stream (no zlib header: a lookup sets the dictionary without a round trip).

A lookup hashes the name, finds its block(s) by bisection and decompresses one block (about
0.5 KB into 9 KB, ~25 µs): a name that is not a key costs a hash and a bisection (~1 µs), and
no key list is ever built.
"""

from __future__ import annotations

import os
import struct
import sys
import threading
import zlib
from array import array
from bisect import bisect_left
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple, Optional

__all__ = ["DATA_DIR", "Line", "MapBundle", "key_hash", "map_bundle", "read_data"]

DATA_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data")

#: The model map bundle's header: magic, then keys, blocks, dictionary and index lengths.
HEADER = struct.Struct("<4sIIII")
MAGIC = b"ELMB"


def read_data(name: str) -> bytes:
    """The decompressed bytes of the bundled zlib file ``name`` (``data/<name>``)."""
    with open(os.path.join(DATA_DIR, name), "rb") as f:
        return zlib.decompress(f.read())


def key_hash(name: str) -> int:
    """The index hash of a model map key: the CRC-32 of its UTF-8 lowercase (``u32``)."""
    return zlib.crc32(name.lower().encode())


class Line(NamedTuple):
    """One model of the bundled map."""

    #: The map key, as litellm spells it.
    key: str
    #: ``""`` for a model of another mode than chat/completion/responses, else
    #: ``"<litellm_provider>:<params>"``, ``params`` one of ``""`` (the provider's
    #: supported-params list), ``"-"`` (none) or an index of ``model_facts``' lists.
    chat: str
    #: The comma-separated indices of the ``fallback_generalizations`` rules matching the key.
    rules: str
    #: The entry as compact JSON (UTF-8).
    entry: bytes

    @property
    def chat_provider(self) -> str:
        """A chat/completion model's ``litellm_provider``; ``""`` for other models."""
        return self.chat.rpartition(":")[0]

    @property
    def params(self) -> str:
        """A chat model's supported-params list: ``""`` (its provider's), ``"-"`` (none) or
        an index of ``model_facts``' lists."""
        return self.chat.rpartition(":")[2]


def _parse_line(text: bytes) -> Line:
    """A bundle line (without its newline) as a :class:`Line`."""
    key, chat, rules, entry = text.split(b"\t", 3)
    return Line(key.decode(), chat.decode(), rules.decode(), entry)


def _le_array(code: str, data: bytes) -> array[int]:
    """``data`` (little-endian items) as an ``array`` of typecode ``code``."""
    items = array(code)
    items.frombytes(data)
    if sys.byteorder == "big":
        items.byteswap()
    return items


class MapBundle:
    """The reader of ``data/model_prices.bin`` (see the module docstring).

    It keeps the file's bytes (about 0.2 MB), the dictionary (32 KiB), the index (6 bytes a
    key, about 30 KB), the last 8 blocks read, decompressed, and the last 64 lines asked for;
    entries are never parsed here.

    Raises:
        ValueError: the bytes are not a model map bundle.
    """

    def __init__(self, raw: bytes) -> None:
        magic, count, blocks, dict_len, index_len = HEADER.unpack_from(raw)
        if magic != MAGIC:
            raise ValueError("not a model map bundle")
        pos = HEADER.size
        self._zdict = zlib.decompress(raw[pos : pos + dict_len])
        pos += dict_len
        index = zlib.decompress(raw[pos : pos + index_len])
        pos += index_len
        self._hashes = _le_array("I", index[: 4 * count])
        self._blocks = _le_array("H", index[4 * count : 6 * count])
        self._offsets = [pos + off for off in _le_array("I", index[6 * count :])]
        if len(self._offsets) != blocks + 1 or self._offsets[-1] != len(raw):
            raise ValueError("truncated model map bundle")
        self._raw = raw
        self.block_count = blocks
        #: The block reader, caching the last 8 blocks read (``cache_info().misses`` counts
        #: the blocks decompressed).
        self.block = lru_cache(maxsize=8)(self._read_block)
        #: The line of a key (matched exactly), or ``None``; the last 64 keys asked are cached
        #: (one lookup asks for the same key several times).
        self.line = lru_cache(maxsize=64)(self._line)

    def _texts(self, i: int) -> list[bytes]:
        """Block ``i`` decompressed: its lines, without the newline, in the map's order."""
        inflater = zlib.decompressobj(-zlib.MAX_WBITS, zdict=self._zdict)
        data = inflater.decompress(self._raw[self._offsets[i] : self._offsets[i + 1]])
        return (data + inflater.flush()).split(b"\n")[:-1]

    def _read_block(self, i: int) -> dict[str, list[bytes]]:
        """Block ``i``'s lines by their key's lowercase (each list in the map's order)."""
        by_key: dict[str, list[bytes]] = {}
        for text in self._texts(i):
            by_key.setdefault(text[: text.index(b"\t")].decode().lower(), []).append(text)
        return by_key

    def matching(self, name: str) -> list[Line]:
        """Every line whose key equals ``name`` ignoring case, in the map's order."""
        h = key_hash(name)
        hashes = self._hashes
        i = bisect_left(hashes, h)
        if i == len(hashes) or hashes[i] != h:
            return []
        blocks = {self._blocks[i]}
        while i + 1 < len(hashes) and hashes[i + 1] == h:
            i += 1
            blocks.add(self._blocks[i])
        lowered = name.lower()
        return [
            _parse_line(text) for b in sorted(blocks) for text in self.block(b).get(lowered, ())
        ]

    def _line(self, key: str) -> Optional[Line]:
        """The line of ``key`` (matched exactly), or ``None``."""
        return next((line for line in self.matching(key) if line.key == key), None)

    def lines(self) -> Iterator[Line]:
        """Every line, in the map's order (decompresses every block, caching none)."""
        for i in range(self.block_count):
            yield from map(_parse_line, self._texts(i))


_lock = threading.Lock()
_bundle: Optional[MapBundle] = None


def map_bundle() -> MapBundle:
    """The bundled model map's reader, opened on first use (reads the 0.2 MB file)."""
    global _bundle
    if _bundle is not None:
        return _bundle
    with _lock:
        if _bundle is None:
            with open(os.path.join(DATA_DIR, "model_prices.bin"), "rb") as f:
                _bundle = MapBundle(f.read())
        return _bundle
