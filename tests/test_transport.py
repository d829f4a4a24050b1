"""Transport security: TLS verification, redirects, proxies, and secrets kept out of all output."""

from __future__ import annotations

import json
import logging
import os
import ssl
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import edgequake_litellm as litellm
from common import MESSAGES
from fakeprov.openai import FakeOpenAI, openai_error
from fakeprov.server import Exchange, FakeServer, Reply

SENTINEL = "sk-sentinel-7f3a9c1e5b"


@dataclass(frozen=True)
class Pki:
    """A test CA and a leaf certificate for 127.0.0.1 that it signed."""

    ca: Path
    cert: Path
    key: Path


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    d = tmp_path_factory.mktemp("tls")
    ext = d / "leaf.ext"
    ext.write_text("subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n")
    steps = [
        ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=test CA",
         "-keyout", "ca.key", "-out", "ca.pem"],
        ["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
         "-keyout", "key.pem", "-out", "leaf.csr"],
        ["x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
         "-days", "2", "-extfile", "leaf.ext", "-out", "cert.pem"],
    ]  # fmt: skip
    for args in steps:
        subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=d)
    return Pki(ca=d / "ca.pem", cert=d / "cert.pem", key=d / "key.pem")


@pytest.fixture
def tls_srv(pki: Pki) -> Iterator[FakeOpenAI]:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(str(pki.cert), str(pki.key))
    with FakeOpenAI(tls=ctx) as server:
        yield server


def call(api_base: str, **kw: object) -> litellm.ModelResponse:
    kw.setdefault("num_retries", 0)
    r = litellm.completion(
        model="openai/gpt-4o", messages=MESSAGES, api_base=api_base, api_key="k", **kw
    )
    assert isinstance(r, litellm.ModelResponse)
    return r


def test_tls_is_verified_by_default(tls_srv: FakeOpenAI) -> None:
    assert tls_srv.url.startswith("https://")
    with pytest.raises(litellm.APIConnectionError) as ei:
        call(tls_srv.url)
    assert "certificate" in str(ei.value).lower()


def test_ssl_verify_false_and_ca_bundle(tls_srv: FakeOpenAI, pki: Pki) -> None:
    assert call(tls_srv.url, ssl_verify=False).choices[0].message.content
    assert call(tls_srv.url, ssl_verify=str(pki.ca)).choices[0].message.content
    with pytest.raises(litellm.BadRequestError):
        call(tls_srv.url, ssl_verify="/no/such/bundle.pem")


def test_ssl_verify_global(tls_srv: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(litellm, "ssl_verify", False)
    assert call(tls_srv.url).choices[0].message.content


def run_child(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **env}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=60,
        env=full_env,
    )


def test_ssl_cert_file_is_respected(tls_srv: FakeOpenAI, pki: Pki) -> None:
    code = f"""
        import edgequake_litellm as litellm
        r = litellm.completion(model="openai/m", messages=[{{"role": "user", "content": "tls"}}],
                               api_base={tls_srv.url!r}, api_key="k", num_retries=0)
        print(r.choices[0].message.content)
    """
    out = run_child(code, SSL_CERT_FILE=str(pki.ca))
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "echo: tls"


def test_same_origin_redirects_are_followed_with_the_key(srv: FakeOpenAI) -> None:
    srv.enqueue(Reply(status=307, body=b"", headers={"Location": "/v1/chat/completions?moved=1"}))
    assert call(srv.url).choices[0].message.content
    assert srv.last.path.endswith("?moved=1")
    assert srv.last.headers["authorization"] == "Bearer k"


class Redirector(FakeServer):
    """Answers every request with a 307 to ``target``."""

    target = ""

    def handle(self, exchange: Exchange) -> None:
        exchange.send(307, b"", {"Location": self.target})


@pytest.mark.parametrize(
    ("model", "key_header"),
    [
        ("openai/gpt-4o", "authorization"),
        ("anthropic/claude-sonnet-4-5", "x-api-key"),
        ("gemini/gemini-2.5-flash", "x-goog-api-key"),
    ],
)
def test_cross_host_redirects_are_not_followed(model: str, key_header: str) -> None:
    with FakeOpenAI() as elsewhere, Redirector() as redirector:
        redirector.target = f"{elsewhere.url}/chat/completions"
        with pytest.raises(litellm.APIError) as ei:
            litellm.completion(
                model=model,
                messages=MESSAGES,
                api_base=redirector.base_url,
                api_key=SENTINEL,
                num_retries=0,
            )
        assert elsewhere.requests == []
        assert "redirected" in str(ei.value) and ei.value.status_code == 307
        assert key_header in redirector.last.headers


def test_http_proxy_env_is_honoured_and_no_proxy_bypasses_it(srv: FakeOpenAI) -> None:
    with FakeOpenAI() as proxy:
        code = """
            import edgequake_litellm as litellm
            try:
                litellm.completion(model="openai/m", messages=[{"role": "user", "content": "p"}],
                                   api_base="http://llm.example.invalid:8080/v1", api_key="k",
                                   num_retries=0)
            except litellm.APIError as e:
                print(type(e).__name__)
        """
        out = run_child(code, HTTP_PROXY=proxy.base_url, NO_PROXY="")
        assert out.returncode == 0, out.stderr
        assert proxy.requests, out.stdout
        assert proxy.last.path == "http://llm.example.invalid:8080/v1/chat/completions"

        direct = f"""
            import edgequake_litellm as litellm
            r = litellm.completion(model="openai/m", messages=[{{"role": "user", "content": "d"}}],
                                   api_base={srv.url!r}, api_key="k", num_retries=0)
            print(r.choices[0].message.content)
        """
        seen = len(proxy.requests)
        out = run_child(direct, HTTP_PROXY=proxy.base_url, NO_PROXY="127.0.0.1")
        assert out.returncode == 0, out.stderr
        assert out.stdout.strip() == "echo: d" and len(proxy.requests) == seen


def test_the_api_key_never_appears_in_any_output(
    srv: FakeOpenAI, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Responses, streams, exceptions, every log record at DEBUG (the native
    request/status/retry events included) and every callback payload."""
    from edgequake_litellm.integrations.custom_logger import CustomLogger
    from edgequake_litellm.litellm_core_utils.litellm_logging import flush

    seen: list[str] = []

    class Capture(CustomLogger):
        def _add(self, kwargs: Any, response: Any) -> None:
            seen.extend([repr(kwargs), json.dumps(kwargs["standard_logging_object"], default=str)])

        def log_pre_api_call(self, model: str, messages: Any, kwargs: Any) -> None:
            seen.append(repr(kwargs))

        def log_success_event(self, kwargs: Any, response: Any, start: Any, end: Any) -> None:
            self._add(kwargs, response)

        def log_failure_event(self, kwargs: Any, response: Any, start: Any, end: Any) -> None:
            self._add(kwargs, response)

    monkeypatch.setattr(litellm, "callbacks", [Capture()])
    caplog.set_level(logging.DEBUG)
    r = litellm.completion(
        model="openai/gpt-4o", messages=MESSAGES, api_base=srv.url, api_key=SENTINEL
    )
    seen += [repr(r), str(r), str(r.model_dump()), repr(r._hidden_params)]
    stream = litellm.completion(
        model="openai/gpt-4o", messages=MESSAGES, api_base=srv.url, api_key=SENTINEL, stream=True
    )
    seen += [repr(stream), *(repr(c) for c in stream)]
    srv.enqueue(
        openai_error(401, f"Incorrect API key provided: {SENTINEL}", code="invalid_api_key")
    )
    with pytest.raises(litellm.AuthenticationError) as ei:
        litellm.completion(
            model="openai/gpt-4o", messages=MESSAGES, api_base=srv.url, api_key=SENTINEL,
            num_retries=0,
        )  # fmt: skip
    e = ei.value
    seen += [str(e), repr(e), repr(e.args), e.body or "", repr(vars(e))]
    assert flush(10)
    seen += [rec.getMessage() for rec in caplog.records]
    assert any("authorization: [REDACTED]" in text for text in seen)  # the native events logged
    assert sum("standard_logging_object" in text for text in seen) == 3  # ok, stream, failure
    assert srv.last.headers["authorization"] == f"Bearer {SENTINEL}"
    for text in seen:
        assert SENTINEL not in text
