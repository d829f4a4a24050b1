#!/usr/bin/env bash
# Real third-party OpenAI/Anthropic-compatible LLM server on loopback, from PyPI + Debian only.
#   llama.cpp's llama-server, built from the llama.cpp source vendored in the llama-cpp-python
#   sdist on PyPI, serving a tiny random-weight llama GGUF written locally with the `gguf` package.
# Nothing is downloaded from a model hub; the build is configured so it fetches nothing either
# (LLAMA_USE_PREBUILT_UI=OFF, LLAMA_OPENSSL=OFF).
#
# usage: real-server.sh [all|build|model|start|probe|stop]     (default: all)
#   all   = build + model + start + probe + stop
#   start leaves two servers running and writes $WORK/env (CHAT_URL, EMB_URL, *_PID)
# env: WORK (default /tmp/realsrv/run), LLAMA_CPP_PYTHON_VERSION (default 0.3.36), JOBS (default nproc)
# Costs on a 2-core box: sdist 77 MB (~5 s), cmake build of llama-server ~11.5 min (build dir 89 MB,
#   binary 15 MB, statically linked except libgomp/libstdc++), venv+gguf ~12 s/107 MB,
#   model 0.45 MB in <1 s, server ready in ~0.3 s, ~20 MB RSS each.
set -euo pipefail
WORK=${ELC_LLAMA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/edgequake-litellm/llama-server-${LLAMA_CPP_PYTHON_VERSION:-0.3.36}}
VER=${LLAMA_CPP_PYTHON_VERSION:-0.3.36}
JOBS=${JOBS:-$(nproc)}
SRC=$WORK/llama_cpp_python-$VER/vendor/llama.cpp
BIN=$WORK/build/bin/llama-server
MODEL=$WORK/tiny.gguf
mkdir -p "$WORK"
ts() { date +%s; }

build() {
  local t0; t0=$(ts)
  command -v cmake >/dev/null && command -v g++ >/dev/null || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq cmake g++ make; }
  if [ ! -d "$SRC" ]; then
    pip download --no-deps --no-binary :all: "llama-cpp-python==$VER" -d "$WORK/sdist" -q
    tar xzf "$WORK/sdist/llama_cpp_python-$VER.tar.gz" -C "$WORK"
  fi
  if [ ! -x "$BIN" ]; then
    cmake -S "$SRC" -B "$WORK/build" -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF \
      -DGGML_NATIVE=OFF -DGGML_CCACHE=OFF \
      -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_APP=OFF \
      -DLLAMA_BUILD_TOOLS=ON -DLLAMA_BUILD_SERVER=ON \
      -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_OPENSSL=OFF >"$WORK/cmake-configure.log"
    cmake --build "$WORK/build" --target llama-server -j"$JOBS" >"$WORK/cmake-build.log"
  fi
  "$BIN" --version 2>&1 | head -1
  echo "build: $(( $(ts) - t0 )) s"
}

model() {
  local t0; t0=$(ts)
  [ -x "$WORK/venv/bin/python" ] || python3 -m venv "$WORK/venv"
  "$WORK/venv/bin/python" -c 'import gguf' 2>/dev/null || "$WORK/venv/bin/pip" install -q "gguf==0.19.0"
  cat >"$WORK/make_tiny_gguf.py" <<'PYEOF'
#!/usr/bin/env python3
"""Write a tiny, random-weight llama-architecture GGUF that llama-server can load.

No download: weights are random (seeded), the vocab is GPT-2-style byte-level BPE
(256 byte tokens + a few merges + ChatML specials), and the chat template is given
on the command line (e.g. a .jinja file shipped inside llama.cpp's source tree).

Weights are shaped (reserved residual "lanes" that attention/FFN never write):
  lane 0: constant positive bias -> only printable ASCII (+ EOS) is ever emitted,
          whitespace essentially never (so grammar "space" rules do not wander);
  lanes 1-4: bigrams  <tool_call> -> "\n",  </tool_call> -> EOS,  '"' -> '"',
          '}' -> </tool_call>.
So: plain output = random printable text (finish_reason "length" unless stop/EOS bias);
with tools + tool_choice=required (or auto) + logit_bias {"<tool_call>": 50} llama.cpp's
grammar yields exactly one well-formed tool call and finish_reason "tool_calls"
(string args come out as "", integers as up to 16 digits, enums as one of the values).

usage: make_tiny_gguf.py OUT.gguf [--template FILE.jinja] [--seed N]
"""
import argparse

import numpy as np
import gguf


def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--template", help="jinja chat template file to embed as tokenizer.chat_template")
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--n-embd", type=int, default=64)
    ap.add_argument("--n-layer", type=int, default=2)
    ap.add_argument("--n-head", type=int, default=4)
    ap.add_argument("--n-head-kv", type=int, default=2)
    ap.add_argument("--n-ff", type=int, default=128)
    ap.add_argument("--n-ctx", type=int, default=4096)
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed)

    # ---- vocab: 256 byte tokens, some merges, specials -------------------------
    b2u = bytes_to_unicode()
    tokens = [b2u[b] for b in range(256)]
    allowed = [32 <= b < 127 or b == 10 for b in range(256)]  # printable ASCII + \n
    G = b2u[ord(" ")]  # 'Ġ'
    merges = []

    def add_merge(x, y):
        merges.append(f"{x} {y}")
        tokens.append(x + y)
        allowed.append(True)

    for x, y in [(G, "t"), ("h", "e"), ("i", "n"), ("e", "r"), ("a", "n"), (G, "a"), ("o", "n"),
                 (G + "t", "he"), ("r", "e"), (G, "s"), ("e", "d"), ("in", "g"), (G, "w"), ("o", "r"),
                 (G, "c"), ("a", "t"), ("e", "n"), ("i", "s"), (G, "o"), (G, "b")]:
        add_merge(x, y)
    # Hermes/Qwen-style tool-call markers as single (non-control) tokens, so a test can force
    # a tool call with tool_choice=required + logit_bias {"<tool_call>": 50}: llama.cpp's
    # grammar then constrains the JSON; bigram lanes below make "\n" follow <tool_call>
    # (the template's trigger is "<tool_call>\n") and EOS follow </tool_call>.
    tool_toks = ["<tool_call>", "</tool_call>"]
    first_tool = len(tokens)
    tokens += tool_toks
    allowed += [True, True]
    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    first_special = len(tokens)
    tokens += specials
    allowed += [False, False, True]  # only <|im_end|> (EOS) may be generated
    n_vocab = len(tokens)
    tok_type = ([gguf.TokenType.NORMAL] * first_tool + [gguf.TokenType.USER_DEFINED] * len(tool_toks)
                + [gguf.TokenType.CONTROL] * len(specials))
    eot_id = first_special
    im_end = first_special + 2

    # ---- weights ---------------------------------------------------------------
    E, L, H, HKV, FF = a.n_embd, a.n_layer, a.n_head, a.n_head_kv, a.n_ff
    hd = E // H
    f32 = np.float32

    def rnd(*shape, s=0.02):
        return (rng.standard_normal(shape) * s).astype(f32)

    w = gguf.GGUFWriter(a.out, "llama")
    w.add_name("tiny-random-llama (test fixture)")
    w.add_context_length(a.n_ctx)
    w.add_embedding_length(E)
    w.add_block_count(L)
    w.add_feed_forward_length(FF)
    w.add_head_count(H)
    w.add_head_count_kv(HKV)
    w.add_rope_dimension_count(hd)
    w.add_rope_freq_base(10000.0)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_vocab_size(n_vocab)
    w.add_file_type(gguf.LlamaFileType.ALL_F32)

    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("gpt-2")
    w.add_token_list(tokens)
    w.add_token_types(tok_type)
    w.add_token_merges(merges)
    w.add_bos_token_id(eot_id)
    w.add_eos_token_id(im_end)
    w.add_eot_token_id(im_end)
    w.add_pad_token_id(eot_id)
    w.add_add_bos_token(False)
    if a.template:
        with open(a.template, encoding="utf-8") as f:
            w.add_chat_template(f.read())

    emb = rng.standard_normal((n_vocab, E)).astype(f32)
    emb[:, 0] = 4.0  # lane 0: constant positive "bias" lane
    emb[:, 1:3] = 0.0  # lanes 1,2: bigram lanes (only set for the tool markers)
    emb[first_tool, 1] = 16.0
    emb[first_tool + 1, 2] = 16.0
    emb[:, 3] = 0.0
    emb[ord('"'), 3] = 16.0  # lane 3: after a quote, prefer a quote (JSON string values end at once)
    emb[:, 4] = 0.0
    emb[ord("}"), 4] = 16.0  # lane 4: after "}", prefer the </tool_call> token
    RES = 5  # residual lanes that attention/FFN never write
    w.add_tensor("token_embd.weight", emb)
    for i in range(L):
        w.add_tensor(f"blk.{i}.attn_norm.weight", np.ones(E, f32))
        w.add_tensor(f"blk.{i}.attn_q.weight", rnd(E, E, s=0.3))
        w.add_tensor(f"blk.{i}.attn_k.weight", rnd(HKV * hd, E, s=0.3))
        w.add_tensor(f"blk.{i}.attn_v.weight", rnd(HKV * hd, E, s=0.3))
        wo = rnd(E, E, s=0.1); wo[:RES, :] = 0  # never write the reserved lanes
        w.add_tensor(f"blk.{i}.attn_output.weight", wo)
        w.add_tensor(f"blk.{i}.ffn_norm.weight", np.ones(E, f32))
        w.add_tensor(f"blk.{i}.ffn_gate.weight", rnd(FF, E, s=0.2))
        w.add_tensor(f"blk.{i}.ffn_up.weight", rnd(FF, E, s=0.2))
        wd = rnd(E, FF, s=0.1); wd[:RES, :] = 0
        w.add_tensor(f"blk.{i}.ffn_down.weight", wd)
    w.add_tensor("output_norm.weight", np.ones(E, f32))
    out = rnd(n_vocab, E, s=0.6)
    out[:, 0] = np.where(np.array(allowed), 0.0, -60.0).astype(f32)
    out[im_end, 0] = -0.6  # EOS possible but not dominant
    out[first_tool:first_tool + 2, 0] = -5.0  # never chosen unless logit_bias'd / grammar-forced
    for b in b" \t\r\n":
        out[b, 0] = -15.0  # whitespace ~never, so grammar "space" rules do not wander
    out[:, 1:RES] = 0.0
    out[first_tool + 1, 4] = 100.0  # '}' -> </tool_call>
    out[ord('"'), 3] = 100.0  # '"' -> '"' (so a biased <tool_call> never fills a string value)
    out[ord("\n"), 1] = 100.0  # <tool_call> -> "\n"
    out[im_end, 2] = 100.0  # </tool_call> -> EOS
    w.add_tensor("output.weight", out)

    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    print(f"eos/<|im_end|> id={im_end} <tool_call> id={first_tool}")
    print(f"wrote {a.out}: vocab={n_vocab} embd={E} layers={L} heads={H}/{HKV} ff={FF}")


if __name__ == "__main__":
    main()
PYEOF
  # Qwen2.5 chat template (Hermes-style <tool_call>), shipped inside the llama.cpp source tree
  "$WORK/venv/bin/python" "$WORK/make_tiny_gguf.py" "$MODEL" \
    --template "$SRC/models/templates/Qwen-Qwen2.5-7B-Instruct.jinja"
  echo "model: $(( $(ts) - t0 )) s, $(du -h "$MODEL" | cut -f1)"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_health() {
  for _ in $(seq 1 200); do curl -sf "$1/health" >/dev/null && return 0; sleep 0.05; done
  echo "server at $1 did not become healthy" >&2; return 1
}

start() {
  local cp ep tp
  cp=$(free_port); ep=$(free_port)
  # chat/completions/messages/responses server (--embeddings would restrict it to embeddings only)
  "$BIN" -m "$MODEL" --host 127.0.0.1 --port "$cp" -c 4096 -np 2 -t 2 --jinja --no-webui \
    --alias tiny --offline >"$WORK/chat.log" 2>&1 &
  local cpid=$!
  # embeddings server (mean pooling over the same tiny model)
  "$BIN" -m "$MODEL" --host 127.0.0.1 --port "$ep" -c 2048 -np 1 -t 1 --embeddings --pooling mean \
    --no-webui --alias tiny --offline >"$WORK/emb.log" 2>&1 &
  local epid=$!
  # "tools" server: server-wide bias toward the <tool_call> token (id 276), for clients that cannot
  # send logit_bias (Anthropic /v1/messages drops it): every request with tools -> one tool call
  tp=$(free_port)
  "$BIN" -m "$MODEL" --host 127.0.0.1 --port "$tp" -c 4096 -np 1 -t 1 --jinja --no-webui \
    --alias tiny --offline --logit-bias 276+50 >"$WORK/tools.log" 2>&1 &
  local tpid=$!
  printf 'CHAT_URL=http://127.0.0.1:%s\nEMB_URL=http://127.0.0.1:%s\nTOOLS_URL=http://127.0.0.1:%s\nCHAT_PID=%s\nEMB_PID=%s\nTOOLS_PID=%s\n' \
    "$cp" "$ep" "$tp" "$cpid" "$epid" "$tpid" >"$WORK/env"
  wait_health "http://127.0.0.1:$cp"; wait_health "http://127.0.0.1:$ep"; wait_health "http://127.0.0.1:$tp"
  cat "$WORK/env"
}

stop() {
  [ -f "$WORK/env" ] || return 0
  # shellcheck disable=SC1091
  . "$WORK/env"
  kill "$CHAT_PID" "$EMB_PID" "$TOOLS_PID" 2>/dev/null || true
  wait "$CHAT_PID" "$EMB_PID" "$TOOLS_PID" 2>/dev/null || true
  rm -f "$WORK/env"
}

probe() {
  # shellcheck disable=SC1091
  . "$WORK/env"
  local H='Content-Type: application/json' C=$CHAT_URL
  local TOOLS='"tools":[{"type":"function","function":{"name":"get_weather","description":"w","parameters":{"type":"object","properties":{"city":{"type":"string","enum":["Paris","Rome"]},"days":{"type":"integer"},"note":{"type":"string"}},"required":["city","days"]}}}]'
  run() { echo; echo "### $1"; shift; echo "\$ curl $*" | cut -c1-400; curl -sS "$@"; echo; }
  run "models" "$C/v1/models"
  run "chat, non-stream, max_tokens=8 -> finish_reason length, usage" "$C/v1/chat/completions" -H "$H" \
    -d '{"model":"tiny","messages":[{"role":"system","content":"be terse"},{"role":"user","content":"Say hi"}],"max_tokens":8,"temperature":0}'
  run "chat, stream + include_usage (SSE)" -N "$C/v1/chat/completions" -H "$H" \
    -d '{"model":"tiny","messages":[{"role":"user","content":"Say hi"}],"max_tokens":3,"temperature":0,"stream":true,"stream_options":{"include_usage":true}}'
  run "chat, EOS (id 280; control tokens cannot be named as strings) forced via logit_bias -> finish_reason stop" "$C/v1/chat/completions" -H "$H" \
    -d '{"messages":[{"role":"user","content":"x"}],"max_tokens":8,"logit_bias":{"280":100}}'
  run "chat, stop sequence" "$C/v1/chat/completions" -H "$H" \
    -d '{"messages":[{"role":"user","content":"hi"}],"max_tokens":64,"temperature":0,"stop":["a"]}'
  run "tool call (tool_choice=required + logit_bias on <tool_call>)" "$C/v1/chat/completions" -H "$H" \
    -d '{"messages":[{"role":"user","content":"weather in Paris?"}],"max_tokens":200,"temperature":0,"tool_choice":"required","logit_bias":{"<tool_call>":50},'"$TOOLS"'}'
  run "tool call, streaming" -N "$C/v1/chat/completions" -H "$H" \
    -d '{"messages":[{"role":"user","content":"weather in Paris?"}],"max_tokens":200,"temperature":0,"stream":true,"parallel_tool_calls":false,"logit_bias":{"<tool_call>":50},'"$TOOLS"'}'
  run "tool result round trip" "$C/v1/chat/completions" -H "$H" \
    -d '{"messages":[{"role":"user","content":"weather?"},{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},{"role":"tool","tool_call_id":"c1","content":"sunny"}],"max_tokens":5,"temperature":0,'"$TOOLS"'}'
  run "response_format json_schema" "$C/v1/chat/completions" -H "$H" \
    -d '{"messages":[{"role":"user","content":"x"}],"max_tokens":64,"temperature":0,"response_format":{"type":"json_schema","json_schema":{"name":"r","schema":{"type":"object","properties":{"ok":{"type":"boolean"}},"required":["ok"]}}}}'
  run "anthropic /v1/messages" "$C/v1/messages" -H "$H" -H 'anthropic-version: 2023-06-01' \
    -d '{"model":"tiny","max_tokens":8,"system":"terse","messages":[{"role":"user","content":"hi"}]}'
  run "anthropic /v1/messages stream" -N "$C/v1/messages" -H "$H" -H 'anthropic-version: 2023-06-01' \
    -d '{"model":"tiny","max_tokens":3,"stream":true,"messages":[{"role":"user","content":"hi"}]}'
  run "anthropic tool_use (tools server)" "$TOOLS_URL/v1/messages" -H "$H" -H 'anthropic-version: 2023-06-01' \
    -d '{"model":"tiny","max_tokens":200,"temperature":0,"tool_choice":{"type":"any"},"tools":[{"name":"get_weather","input_schema":{"type":"object","properties":{"city":{"type":"string","enum":["Paris"]}},"required":["city"]}}],"messages":[{"role":"user","content":"weather?"}]}'
  run "anthropic count_tokens" "$C/v1/messages/count_tokens" -H "$H" \
    -d '{"model":"tiny","messages":[{"role":"user","content":"hi there"}]}'
  run "error: prompt over context -> 400" -w ' HTTP %{http_code}' "$C/v1/chat/completions" -H "$H" \
    -d "{\"messages\":[{\"role\":\"user\",\"content\":\"$(head -c 9000 /dev/zero | tr '\0' 'a')\"}],\"max_tokens\":4}"
  run "embeddings" "$EMB_URL/v1/embeddings" -H "$H" -d '{"model":"tiny","input":["hello world","bye"]}' -o "$WORK/emb.json"
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print({k:v for k,v in d.items() if k!="data"}, [(e["index"],len(e["embedding"])) for e in d["data"]])' "$WORK/emb.json"
}

case "${1:-all}" in
  build) build ;; model) model ;; start) start ;; probe) probe ;; stop) stop ;;
  all) build; model; start; trap stop EXIT; probe ;;
  *) echo "usage: $0 [all|build|model|start|probe|stop]" >&2; exit 2 ;;
esac
