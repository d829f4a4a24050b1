"""Regenerate the model data bundled in ``python/edgequake_litellm/data`` from a litellm release.

Run it with the Python of a venv where that litellm release is installed (never 1.82.7 or
1.82.8, the compromised releases), offline:

    python -m venv /tmp/ll && /tmp/ll/bin/pip install 'litellm==1.110.2'
    LITELLM_LOCAL_MODEL_COST_MAP=True /tmp/ll/bin/python scripts/update_model_data.py

It writes, zlib-compressed:

- ``model_prices.bin``: litellm's model map (``model_prices_and_context_window.json``,
  MIT-licensed, BerriAI/litellm) as one ``key<TAB>chat<TAB>rules<TAB>compact JSON`` line per
  model, in the map's order, in blocks of ``BLOCK_LINES`` lines compressed on their own with
  one preset dictionary, behind an index of key hashes (the format is described, and read, in
  ``edgequake_litellm/litellm_core_utils/bundled_data.py``), so a lookup decompresses one
  block and parses one line, never the whole map; ``chat`` is a chat model's provider and
  which list of litellm's ``get_supported_openai_params`` answers it has, ``rules`` the
  ``fallback_generalizations`` rules its key matches (so a lookup compiles no regex);
- ``model_params.json.zlib``: the litellm version, ``provider_list``, the keys of litellm's
  ``get_model_info``, litellm's answer of ``get_supported_openai_params`` for an unknown model
  of every provider and the distinct lists of its answers for the map's chat/completion models
  (indexed), ``validate_environment``'s rule per provider, and the map's
  ``fallback_generalizations`` (regex rules for models the map does not list);
- ``o200k_base.zlib`` / ``cl100k_base.zlib``: tiktoken's BPE ranks (MIT, openai/tiktoken) as
  the tokens in rank order, each prefixed by its length in one byte.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
import os
import re
import sys
import zlib
from array import array
from pathlib import Path
from types import ModuleType

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

from importlib.metadata import version

import litellm
from litellm.types.utils import ABOVE_THRESHOLD_COST_KEY_PATTERN as ABOVE_THRESHOLD


def _format_module() -> ModuleType:
    """The package's reader of ``model_prices.bin``, loaded from its file (it needs only the
    standard library, not the package or its native module)."""
    path = OUT.parent / "litellm_core_utils" / "bundled_data.py"
    spec = importlib.util.spec_from_file_location("bundled_data", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


OUT = Path(__file__).resolve().parent.parent / "python" / "edgequake_litellm" / "data"
#: tiktoken's blob URLs; its cache file name is the SHA-1 of the URL.
RANK_URLS = {
    "o200k_base": "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken",
    "cl100k_base": "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken",
}
UNKNOWN_MODEL = "edgequake-unknown-model"
#: The ``mode`` of the map's entries litellm answers chat parameters for.
CHAT_MODES = ("chat", "completion", "responses")
#: The model-name prefixes litellm's Vertex AI parameter tables are chosen by.
VERTEX_FAMILIES = ("claude", "gemini", "mistral", "codestral")
#: The map's ``fallback_generalizations`` rules (regex → provider or capabilities).
GENERALIZATIONS: list = []
FORMAT = _format_module()
#: Lines per compressed block of ``model_prices.bin``: a lookup decompresses one block
#: (10-25 µs for 16 lines); fewer lines per block compress worse (8: +22 KB, 4: +56 KB).
BLOCK_LINES = 16
#: The size of the blocks' preset dictionary (zlib's window): lines sampled evenly over the map.
DICT_SIZE = 32768


def _write(name: str, data: bytes) -> None:
    (OUT / name).write_bytes(zlib.compress(data, 9))
    print(f"{name}: {len(data)} bytes, {(OUT / name).stat().st_size} compressed")


def model_prices() -> dict:
    path = Path(litellm.__file__).parent / "model_prices_and_context_window_backup.json"
    cost = json.loads(path.read_text())
    cost.pop("sample_spec", None)
    global GENERALIZATIONS
    GENERALIZATIONS = cost.pop("fallback_generalizations", {}).get("rules", [])
    # A row naming another with ``alias_of`` is served as that row, as litellm loads it.
    for key, entry in list(cost.items()):
        target, seen = entry.get("alias_of"), {key}
        while isinstance(target, str) and target in cost and target not in seen:
            seen.add(target)
            entry = cost[target]
            target = entry.get("alias_of")
        if "alias_of" in cost[key]:
            if "alias_of" in entry:
                del cost[key]
            else:
                cost[key] = dict(entry)
    return cost


def write_model_prices(cost: dict, params_by_model: dict[str, int | None]) -> None:
    """Write ``model_prices.bin``: ``cost``'s entries, each with its ``chat`` field (for a
    chat/completion model, ``<litellm_provider>:<params>``, ``params`` the index of its list in
    ``params_by_model``, ``-`` for none, empty for the provider's; empty for other models) and
    its ``rules`` field (the indices of the ``fallback_generalizations`` rules whose pattern
    matches the key, as litellm searches them: case-insensitive ``re.search``)."""
    patterns = [
        (i, re.compile(rule["pattern"], re.IGNORECASE))
        for i, rule in enumerate(GENERALIZATIONS)
        if isinstance(rule.get("pattern"), str)
    ]
    lines = []
    for key, entry in cost.items():
        if "\t" in key or "\n" in key:
            continue
        ref = params_by_model.get(key, "")
        chat = ""
        if entry.get("mode") in CHAT_MODES:
            chat = f"{entry['litellm_provider']}:{'-' if ref is None else ref}"
        rules = ",".join(str(i) for i, regex in patterns if regex.search(key))
        text = json.dumps(entry, separators=(",", ":"), sort_keys=True)
        lines.append(f"{key}\t{chat}\t{rules}\t{text}\n".encode())
    stride = sum(map(len, lines)) // DICT_SIZE + 1
    zdict = b"".join(lines[::stride])[-DICT_SIZE:]
    blocks, index = [], []
    for start in range(0, len(lines), BLOCK_LINES):
        run = lines[start : start + BLOCK_LINES]
        deflater = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS, 9, zdict=zdict)
        blocks.append(deflater.compress(b"".join(run)) + deflater.flush())
        index += [
            (FORMAT.key_hash(line.split(b"\t", 1)[0].decode()), len(blocks) - 1) for line in run
        ]
    index.sort()
    offsets = [0]
    for block in blocks:
        offsets.append(offsets[-1] + len(block))
    packed = b"".join(
        array(code, items).tobytes()
        for code, items in (
            ("I", [h for h, _ in index]),
            ("H", [b for _, b in index]),
            ("I", offsets),
        )
    )
    if sys.byteorder != "little" or array("I").itemsize != 4:
        sys.exit("write model_prices.bin on a little-endian machine with 32-bit unsigned int")
    parts = [zlib.compress(zdict, 9), zlib.compress(packed, 9)]
    header = FORMAT.HEADER.pack(FORMAT.MAGIC, len(lines), len(blocks), *map(len, parts))
    data = header + b"".join(parts) + b"".join(blocks)
    # Read back: every line is found by its key, in the map's order.
    bundle = FORMAT.MapBundle(data)
    keys = [line.split(b"\t", 1)[0].decode() for line in lines]
    if [line.key for line in bundle.lines()] != keys or any(bundle.line(k) is None for k in keys):
        sys.exit("model_prices.bin does not read back")
    (OUT / "model_prices.bin").write_bytes(data)
    raw = sum(map(len, lines))
    print(
        f"model_prices.bin: {len(lines)} models, {raw} bytes, {len(data)} in {len(blocks)} blocks"
    )


def _params(model: str, provider: str | None) -> list[str] | None:
    try:
        return litellm.get_supported_openai_params(model=model, custom_llm_provider=provider)
    except Exception:
        return None


def model_params(cost: dict) -> dict[str, int | None]:
    """Write ``model_params.json.zlib``; return the list index of every chat model whose
    supported params differ from its provider's (``None``: litellm has no table for it)."""
    lists: list[list[str]] = []
    index: dict[tuple[str, ...], int] = {}

    def ref(params: list[str] | None) -> int | None:
        if params is None:
            return None
        key = tuple(params)
        if key not in index:
            index[key] = len(lists)
            lists.append(list(params))
        return index[key]

    providers = sorted({str(getattr(p, "value", p)) for p in litellm.provider_list})
    # As litellm's call path asks: the model id without its provider prefix.
    by_provider = {p: ref(_params(UNKNOWN_MODEL, p)) for p in providers}
    # Vertex AI answers by model family (litellm's get_supported_openai_params): an unknown
    # model of each family, as ``vertex_ai/<family>``.
    for family in VERTEX_FAMILIES:
        by_provider[f"vertex_ai/{family}"] = ref(_params(f"{family}-{UNKNOWN_MODEL}", "vertex_ai"))
    by_model = {}
    for key, entry in cost.items():
        if entry.get("mode") not in CHAT_MODES:
            continue
        provider = entry.get("litellm_provider")
        # A call names the provider get_llm_provider gives: ``vertex_ai`` for the map's
        # ``vertex_ai-language-models``, ``vertex_ai-anthropic_models``, ...
        asked = "vertex_ai" if provider.startswith("vertex_ai") else provider
        model_id = key[len(asked) + 1 :] if key.startswith(f"{asked}/") else key
        i = ref(_params(model_id, asked))
        if i != by_provider.get(asked):
            by_model[key] = i
    # The keys litellm's get_model_info returns, in its order (cost keys of a threshold,
    # ``..._above_200k_tokens``, are added per model from the entry).
    info_keys = [k for k in litellm.get_model_info("gpt-4o") if not ABOVE_THRESHOLD.search(k)]
    doc = {
        "litellm_version": version("litellm"),
        "model_info_keys": info_keys,
        "provider_list": [str(getattr(p, "value", p)) for p in litellm.provider_list],
        "param_lists": lists,
        "params_by_provider": by_provider,
        "fallback_generalizations": GENERALIZATIONS,
        "environment": environment(providers),
        "provider_info": provider_info(providers),
    }
    _write("model_params.json.zlib", json.dumps(doc, separators=(",", ":")).encode())
    return by_model


def environment(providers: list[str]) -> dict[str, list]:
    """litellm's ``validate_environment`` per provider: ``[mode, keys]``, mode ``"any"`` (one
    of the keys suffices) or ``"all"``; providers without a rule are left out."""
    for key in list(os.environ):
        if key.endswith(("_API_KEY", "_API_BASE", "_TOKEN", "_KEY", "_PROJECT", "_LOCATION")):
            del os.environ[key]
    rules: dict[str, list] = {}
    for p in providers:
        try:
            missing = litellm.validate_environment(f"{p}/{UNKNOWN_MODEL}")["missing_keys"]
        except Exception:
            continue
        if not missing:
            continue
        os.environ[missing[0]] = "x"
        try:
            ok = litellm.validate_environment(f"{p}/{UNKNOWN_MODEL}")["keys_in_environment"]
        finally:
            del os.environ[missing[0]]
        rules[p] = ["any" if ok else "all", list(missing)]
    return rules


def provider_info(providers: list[str]) -> dict[str, dict]:
    """litellm's provider-wide ``supports_*`` defaults (``get_provider_info``), per provider."""
    from litellm.utils import get_provider_info

    out = {}
    for p in providers:
        try:
            info = get_provider_info(model=UNKNOWN_MODEL, custom_llm_provider=p) or {}
        except Exception:
            continue
        flags = {k: v for k, v in dict(info).items() if k.startswith("supports_") and v is True}
        if flags:
            out[p] = flags
    return out


def ranks() -> None:
    folder = Path(litellm.__file__).parent / "litellm_core_utils" / "tokenizers"
    for name, url in RANK_URLS.items():
        cache = folder / hashlib.sha1(url.encode()).hexdigest()
        out = bytearray()
        for i, line in enumerate(x for x in cache.read_bytes().split(b"\n") if x):
            token, rank = line.split(b" ")
            if int(rank) != i:
                sys.exit(f"{name}: rank {rank!r} out of order at line {i}")
            raw = base64.b64decode(token)
            out += bytes([len(raw)]) + raw
        _write(f"{name}.zlib", bytes(out))


if __name__ == "__main__":
    OUT.mkdir(exist_ok=True)
    cost = model_prices()
    write_model_prices(cost, model_params(cost))
    ranks()
    print("litellm", version("litellm"))
