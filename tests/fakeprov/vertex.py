"""A fake Vertex AI server, with its own Google OAuth2 token endpoint, on loopback.

Routes (cloud.google.com/vertex-ai/docs/reference/rest), under
``/v1/projects/{project}/locations/{location}`` where project and location must be
:attr:`FakeVertex.project` / :attr:`FakeVertex.location` (else 403 ``PERMISSION_DENIED``,
as Vertex answers for a project the caller may not use):

* ``publishers/google/models/{model}:generateContent`` /
  ``:streamGenerateContent?alt=sse``: Gemini's answers, as :class:`~fakeprov.gemini.FakeGemini`;
* ``publishers/google/models/{model}:predict``: text embeddings, ``instances: [{content}]``
  → ``predictions[].embeddings {values, statistics: {token_count}}``;
* ``publishers/anthropic/models/{model}:rawPredict`` / ``:streamRawPredict``: Claude's
  Messages API answers, as :class:`~fakeprov.anthropic.FakeAnthropic`, for a body with
  ``anthropic_version: vertex-2023-10-16`` and without ``model`` (the URL names it).
* ``endpoints/openapi/chat/completions``: the OpenAI-compatible endpoint of partner models
  served as a service (Llama, DeepSeek, Qwen, GPT-OSS ``...-maas``): OpenAI's chat answers and
  SSE streams, as :class:`~fakeprov.openai.FakeOpenAI`, for a body whose ``model`` is a
  publisher-qualified id (``meta/llama-3.3-70b-instruct-maas``; else 400 ``INVALID_ARGUMENT``).
* ``publishers/mistralai/models/{model}:rawPredict`` / ``:streamRawPredict``: Mistral's chat
  answers (OpenAI's JSON and SSE), for a body whose ``model`` is the URL's without its
  ``@version``, with ``random_seed`` rather than ``seed`` and ``stream`` as the method says.

Every route needs ``Authorization: Bearer <token>`` with a token this server issued
(or added to :attr:`FakeVertex.tokens`); otherwise 401 ``UNAUTHENTICATED``.

``POST /token`` is the OAuth2 token endpoint (developers.google.com/identity/protocols/
oauth2/service-account): ``grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`` with an
``assertion`` JWT whose RS256 signature is checked against :attr:`FakeVertex.public_key`
and whose claims must be ``iss`` = :attr:`FakeVertex.client_email`, ``scope`` =
cloud-platform, ``aud`` = :data:`AUDIENCE` (Google checks that one, whatever the
credentials' ``token_uri``; google-auth sends it), ``iat`` within a minute of now and
``exp`` = ``iat`` + 3600; or ``grant_type=refresh_token`` with :data:`REFRESH_TOKEN`.
Refusals are Google's ``{"error": "invalid_grant", "error_description": ...}`` with 400.
It answers ``{"access_token", "expires_in": expires_in, "token_type": "Bearer"}`` and
counts :attr:`FakeVertex.exchanges`.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .anthropic import FakeAnthropic, message_events, sse_frames
from .anthropic import error_body as anthropic_error_body
from .gemini import FakeGemini, error_body
from .openai import FakeOpenAI, count_words, embedding_for
from .server import Exchange, FakeServer

SCOPE = "https://www.googleapis.com/auth/cloud-platform"
AUDIENCE = "https://oauth2.googleapis.com/token"
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
CLAUDE_VERSION = "vertex-2023-10-16"
REFRESH_TOKEN = "1//fake-refresh-token"
"""The refresh token the ``refresh_token`` grant accepts (``authorized_user`` credentials)."""

_PATH = re.compile(
    r"^/v1/projects/(?P<project>[^/]+)/locations/(?P<location>[^/]+)"
    r"(?:/publishers/(?P<publisher>[^/]+)/models/(?P<model>[^/:]+):(?P<method>[A-Za-z]+)"
    r"|/endpoints/(?P<endpoint>openapi)/chat/completions)$"
)
_UNAUTHENTICATED = (
    "Request had invalid authentication credentials. Expected OAuth 2 access token, login "
    "cookie or other valid authentication credential. See "
    "https://developers.google.com/identity/sign-in/web/devconsole-project."
)


def _b64url(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


class _Refused(Exception):
    """A token request Google would refuse with ``invalid_grant``."""


class FakeVertex(FakeServer):
    """A fake Vertex AI endpoint and token endpoint; ``url`` is the ``api_base`` to give.

    ``public_key`` is a ``cryptography`` RSA public key (the test's service account's; without
    one every JWT is refused); ``tokens`` are access tokens accepted without an exchange.
    """

    def __init__(
        self,
        public_key: Any = None,
        tokens: Iterable[str] = (),
        client_email: str = "svc@fake-project.iam.gserviceaccount.com",
        project: str = "fake-project",
        location: str = "us-central1",
    ) -> None:
        super().__init__()
        self.public_key = public_key
        self.client_email = client_email
        self.project = project
        self.location = location
        self.expires_in = 3600
        """Seconds the issued tokens live (``expires_in`` of the token answer)."""
        self.exchange_delay = 0.0
        """Seconds the token endpoint waits before answering (to overlap first calls)."""
        self.tokens: set[str] = set(tokens)
        self._lock = threading.Lock()
        self._exchanges = 0
        # The wire formats' answers, without their sockets.
        self._gemini = FakeGemini()
        self._anthropic = FakeAnthropic()
        self._openai = FakeOpenAI()

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT`` (scheme and host: the client appends ``/v1/projects/…``)."""
        return self.base_url

    @property
    def token_uri(self) -> str:
        """The credentials' ``token_uri``: this server's ``/token``."""
        return f"{self.base_url}/token"

    @property
    def exchanges(self) -> int:
        """Token requests answered with a token so far."""
        with self._lock:
            return self._exchanges

    @property
    def api_requests(self) -> list[Any]:
        """The recorded requests other than token exchanges."""
        return [r for r in self.requests if not r.path.startswith("/token")]

    def handle(self, exchange: Exchange) -> None:
        """Route one request: the token endpoint, else a model route after the bearer check."""
        request = exchange.request
        split = urlsplit(request.path)
        if request.method == "POST" and split.path == "/token":
            # Scripted replies are for the model routes: the exchange always answers.
            self._token(exchange)
            return
        match = _PATH.match(split.path)
        if request.method != "POST" or match is None:
            exchange.send_json(404, error_body(404, f"Not found: {split.path}", "NOT_FOUND"))
            return
        auth = request.headers.get("authorization", "")
        with self._lock:
            known = auth.startswith("Bearer ") and auth[len("Bearer ") :] in self.tokens
        if not known:
            exchange.send_json(401, error_body(401, _UNAUTHENTICATED, "UNAUTHENTICATED"))
            return
        if (match["project"], match["location"]) != (self.project, self.location):
            message = (
                f"Permission 'aiplatform.endpoints.predict' denied on resource "
                f"'//aiplatform.googleapis.com/projects/{match['project']}/locations/"
                f"{match['location']}' (or it may not exist)."
            )
            exchange.send_json(403, error_body(403, message, "PERMISSION_DENIED"))
            return
        if match["endpoint"] is not None:
            exchange.send_reply(self.next_reply(), lambda: self._openapi(exchange))
            return
        query = parse_qs(split.query)
        route = (match["publisher"], match["method"])
        exchange.send_reply(
            self.next_reply(), lambda: self._model(exchange, route, match["model"], query)
        )

    # -- token endpoint --------------------------------------------------------

    def _token(self, exchange: Exchange) -> None:
        form = {k: v[0] for k, v in parse_qs(exchange.request.body.decode()).items()}
        try:
            grant = form.get("grant_type")
            if grant == JWT_BEARER:
                self._check_assertion(form.get("assertion", ""))
            elif grant == "refresh_token":
                if form.get("refresh_token") != REFRESH_TOKEN:
                    raise _Refused("Token has been expired or revoked.")
            else:
                raise _Refused(f"unsupported grant_type {grant!r}")
        except _Refused as e:
            body = {"error": "invalid_grant", "error_description": str(e)}
            exchange.send_json(400, body)
            return
        if self.exchange_delay:
            exchange.sleep(self.exchange_delay)
        with self._lock:
            self._exchanges += 1
            token = f"ya29.fake-{self._exchanges}"
            self.tokens.add(token)
        exchange.send_json(
            200, {"access_token": token, "expires_in": self.expires_in, "token_type": "Bearer"}
        )

    def _check_assertion(self, jwt: str) -> None:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding

        parts = jwt.split(".")
        if len(parts) != 3:
            raise _Refused(
                "Invalid JWT: Token must be a short-lived token and in a reasonable timeframe"
            )
        try:
            header = json.loads(_b64url(parts[0]))
            claims = json.loads(_b64url(parts[1]))
            signature = _b64url(parts[2])
        except ValueError as e:
            raise _Refused("Invalid JWT: not base64url JSON") from e
        if header.get("alg") != "RS256" or self.public_key is None:
            raise _Refused("Invalid JWT Signature.")
        try:
            self.public_key.verify(
                signature,
                f"{parts[0]}.{parts[1]}".encode(),
                padding.PKCS1v15(),
                hashes.SHA256(),
            )
        except InvalidSignature as e:
            raise _Refused("Invalid JWT Signature.") from e
        now = time.time()
        iat, exp = claims.get("iat"), claims.get("exp")
        if not isinstance(iat, int) or not isinstance(exp, int):
            raise _Refused("Invalid JWT: iat and exp are required")
        if abs(iat - now) > 60 or exp - iat != 3600:
            raise _Refused(
                "Invalid JWT: Token must be a short-lived token (60 minutes) and in a "
                "reasonable timeframe. Check your iat and exp values in the JWT claim."
            )
        if claims.get("iss") != self.client_email:
            raise _Refused("Invalid JWT: iss is not this service account")
        if claims.get("aud") != AUDIENCE:
            raise _Refused(f"Invalid JWT: aud must be {AUDIENCE}")
        if claims.get("scope") != SCOPE:
            raise _Refused(f"Invalid JWT: scope must be {SCOPE}")

    # -- model routes ----------------------------------------------------------

    def _model(
        self, exchange: Exchange, route: tuple[str, str], model: str, query: dict[str, list[str]]
    ) -> None:
        try:
            body = json.loads(exchange.request.body)
        except ValueError:
            exchange.send_json(400, error_body(400, "Invalid JSON payload", "INVALID_ARGUMENT"))
            return
        if route in (("google", "generateContent"), ("google", "streamGenerateContent")):
            stream = route[1] == "streamGenerateContent"
            if stream and query.get("alt") != ["sse"]:
                message = "this fake streams with alt=sse only"
                exchange.send_json(400, error_body(400, message, "INVALID_ARGUMENT"))
                return
            self._gemini.answer(exchange, route[1], model, exchange.request.body, stream)
        elif route == ("google", "predict"):
            self._predict(exchange, body)
        elif route in (("anthropic", "rawPredict"), ("anthropic", "streamRawPredict")):
            self._claude(exchange, model, body, route[1] == "streamRawPredict")
        elif route in (("mistralai", "rawPredict"), ("mistralai", "streamRawPredict")):
            self._mistral(exchange, model, body, route[1] == "streamRawPredict")
        else:
            message = f"Publisher model {route[0]}/{model}:{route[1]} is not served here"
            exchange.send_json(404, error_body(404, message, "NOT_FOUND"))

    def _predict(self, exchange: Exchange, body: Any) -> None:
        instances = body.get("instances") if isinstance(body, dict) else None
        if not isinstance(instances, list) or not instances:
            exchange.send_json(400, error_body(400, "instances is required", "INVALID_ARGUMENT"))
            return
        dims = (body.get("parameters") or {}).get("outputDimensionality")
        predictions = []
        for i, instance in enumerate(instances):
            text = instance.get("content") if isinstance(instance, dict) else None
            if not isinstance(text, str):
                message = f"instances[{i}].content must be a string"
                exchange.send_json(400, error_body(400, message, "INVALID_ARGUMENT"))
                return
            values = embedding_for(text)
            stats = {"token_count": count_words(text), "truncated": False}
            predictions.append(
                {
                    "embeddings": {
                        "values": values[:dims] if isinstance(dims, int) else values,
                        "statistics": stats,
                    }
                }
            )
        billable = sum(len(i["content"]) for i in instances)
        exchange.send_json(
            200, {"predictions": predictions, "metadata": {"billableCharacterCount": billable}}
        )

    def _claude(self, exchange: Exchange, model: str, body: Any, stream: bool) -> None:
        problem = None
        if not isinstance(body, dict):
            problem = "the body must be a JSON object"
        elif body.get("anthropic_version") != CLAUDE_VERSION:
            problem = f"anthropic_version: must be {CLAUDE_VERSION}"
        elif "model" in body:
            problem = "model: Extra inputs are not permitted"
        elif bool(body.get("stream")) != stream:
            problem = "stream must be true on streamRawPredict and absent on rawPredict"
        if problem is not None:
            exchange.send_json(400, anthropic_error_body("invalid_request_error", problem))
            return
        headers = {"anthropic-version": CLAUDE_VERSION}
        message = self._anthropic.answer(headers, {**body, "model": model})
        if isinstance(message, str):
            exchange.send_json(400, anthropic_error_body("invalid_request_error", message))
        elif stream:
            exchange.start_stream()
            for frame in sse_frames(message_events(message)):
                exchange.write_chunk(frame)
            exchange.end_stream()
        else:
            exchange.send_json(200, message)

    def _openapi(self, exchange: Exchange) -> None:
        try:
            body = json.loads(exchange.request.body)
        except ValueError:
            body = None
        model = body.get("model") if isinstance(body, dict) else None
        if not isinstance(model, str) or "/" not in model:
            message = "model must name a publisher model, e.g. meta/llama-3.3-70b-instruct-maas"
            exchange.send_json(400, error_body(400, message, "INVALID_ARGUMENT"))
            return
        self._openai.answer_chat(exchange)

    def _mistral(self, exchange: Exchange, model: str, body: Any, stream: bool) -> None:
        problem = None
        if not isinstance(body, dict):
            problem = "the body must be a JSON object"
        elif body.get("model") != model.split("@")[0]:
            problem = f"model must be {model.split('@')[0]!r}"
        elif "seed" in body:
            problem = "seed: Extra inputs are not permitted (Mistral takes random_seed)"
        elif bool(body.get("stream")) != stream:
            problem = "stream must be true on streamRawPredict and false on rawPredict"
        if problem is not None:
            exchange.send_json(400, error_body(400, problem, "INVALID_ARGUMENT"))
            return
        if body.get("tool_choice") == "any":  # Mistral's name for OpenAI's "required"
            body = {**body, "tool_choice": "required"}
        self._openai.answer_chat(exchange, body)
