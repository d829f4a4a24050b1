"""A fake Azure OpenAI resource (and Azure AI Foundry endpoint) speaking Azure's wire format.

Routes (learn.microsoft.com/azure/ai-services/openai/reference):

* ``/openai/deployments/{deployment}/{chat/completions,embeddings,...}?api-version=…``:
  ``api-version`` is required (missing: Azure's 404 ``Resource not found``; one not in
  :data:`API_VERSIONS`: Azure's 400 ``API version not supported``);
* ``/openai/v1/{chat/completions,embeddings,...}`` (the v1 API): the deployment is the
  body's ``model``, no ``api-version``;
* ``/openai/deployments/{deployment}/completions``: the legacy completions API of an
  instruct deployment (``instruct``), streamed or not;
* ``/models/chat/completions`` and ``/chat/completions`` (Azure AI Foundry model
  inference, :class:`FakeAzureAI`): the model is the body's ``model``.

Auth, checked on every route: the ``api-key`` header equal to :attr:`FakeAzure.key`, or
``Authorization: Bearer <t>`` with ``t`` in :attr:`FakeAzure.tokens` (an Entra ID token)
or, on the v1 and Foundry routes, the key; otherwise Azure's 401 body. An unknown
deployment is Azure's 404 ``DeploymentNotFound``.

``POST /{tenant}/oauth2/v2.0/token`` is Entra ID's token endpoint (the client points
``AZURE_AUTHORITY_HOST`` at this server; learn.microsoft.com/entra/identity-platform/
v2-oauth2-client-creds-grant-flow, v2-oauth-ropc): a form with ``grant_type=
client_credentials``, :data:`CLIENT_ID`, :data:`CLIENT_SECRET` and ``scope`` =
:data:`SCOPE` under tenant :data:`TENANT`, or ``grant_type=password`` with
:data:`USERNAME` / :data:`PASSWORD` under ``organizations``, is answered with a new token
(added to :attr:`FakeAzure.tokens`) living :attr:`FakeAzure.expires_in` seconds; anything
else with Entra's error body (``error``, ``error_description`` ``AADSTS…``, ``error_codes``).

Answers are :class:`~fakeprov.openai.FakeOpenAI`'s, with the deployment's model
(:attr:`FakeAzure.deployments`) as ``model`` and Azure's content-filter annotations:
``prompt_filter_results`` on the answer (and an opening stream chunk carrying only
them, with ``choices: []`` and an empty ``id``), ``content_filter_results`` on every
choice, and a trailing stream chunk with ``content_filter_offsets``. A user message
containing :data:`PROMPT_TRIGGER` is refused with Azure's 400 ``content_filter`` error
(``innererror.code: ResponsibleAIPolicyViolation``); one containing
:data:`OUTPUT_TRIGGER` is answered with ``finish_reason: "content_filter"``.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import re
import threading
from typing import Any, Optional
from urllib.parse import parse_qs, urlsplit

from .openai import FakeOpenAI, content_text
from .server import Exchange, Reply

API_VERSIONS = frozenset(
    {
        "2024-02-01",
        "2024-06-01",
        "2024-10-21",
        "2024-12-01-preview",
        "2025-01-01-preview",
        "2025-02-01-preview",
        "2025-04-01-preview",
    }
)
"""The dated ``api-version`` values the fake accepts."""
DEPLOYMENTS = {
    "gpt-4o": "gpt-4o-2024-08-06",
    "prod-chat": "gpt-4o-mini-2024-07-18",
    "emb": "text-embedding-3-small",
    "instruct": "gpt-35-turbo-instruct",
}
"""Deployment name → the model it serves (what answers report as ``model``)."""
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
"""The tenant the fake's service principal lives in."""
CLIENT_ID = "0b5c2a1e-7d3f-4e1a-9c2b-5d6e7f809a1b"
"""The application (client) id Entra ID knows."""
CLIENT_SECRET = "Qx8Q~fake.client~secret_value-0123456789"
"""The application's client secret."""
USERNAME = "ada@contoso.onmicrosoft.com"
PASSWORD = "correct horse battery staple"
"""The user the password grant accepts."""
SCOPE = "https://cognitiveservices.azure.com/.default"
"""The scope Azure OpenAI tokens are asked for."""
PROMPT_TRIGGER = "VIOLENT-PROMPT"
OUTPUT_TRIGGER = "VIOLENT-OUTPUT"
CATEGORIES = ("hate", "self_harm", "sexual", "violence")

ACCESS_DENIED = (
    "Access denied due to invalid subscription key or wrong API endpoint. Make sure to "
    "provide a valid key for an active subscription and use a correct regional API "
    "endpoint for your resource."
)
DEPLOYMENT_NOT_FOUND = (
    "The API deployment for this resource does not exist. If you created the deployment "
    "within the last 5 minutes, please wait a moment and try again."
)
FILTERED_PROMPT = (
    "The response was filtered due to the prompt triggering Azure OpenAI's content "
    "management policy. Please modify your prompt and retry. To learn more about our "
    "content filtering policies please read our documentation: "
    "https://go.microsoft.com/fwlink/?linkid=2198766"
)


def azure_error(
    status: int,
    code: str,
    message: str,
    /,
    headers: Optional[dict[str, str]] = None,
    **extra: Any,
) -> Reply:
    """Azure's error body ``{"error": {"code", "message", ...}}``."""
    return Reply(
        status=status,
        body={"error": {"code": code, "message": message, **extra}},
        headers=dict(headers or {}),
    )


def entra_error(status: int, error: str, code: int, description: str) -> Reply:
    """Entra ID's token-endpoint error body (learn.microsoft.com/entra/identity-platform/
    reference-error-codes): the description starts ``AADSTS<code>:`` and ends with trace ids."""
    trace = (
        "Trace ID: 9a8b7c6d-0000-4000-8000-00000000abcd\r\n"
        "Correlation ID: 1f2e3d4c-0000-4000-8000-00000000dcba\r\n"
        "Timestamp: 2026-01-01 00:00:00Z"
    )
    return Reply(
        status=status,
        body={
            "error": error,
            "error_description": f"AADSTS{code}: {description}\r\n{trace}",
            "error_codes": [code],
            "timestamp": "2026-01-01 00:00:00Z",
            "trace_id": "9a8b7c6d-0000-4000-8000-00000000abcd",
            "correlation_id": "1f2e3d4c-0000-4000-8000-00000000dcba",
            "error_uri": f"https://login.microsoftonline.com/error?code={code}",
        },
    )


def filter_results(violence: str = "safe") -> dict[str, Any]:
    """Azure's per-category ``content_filter_results``; ``violence`` at the given severity."""
    out: dict[str, Any] = {c: {"filtered": False, "severity": "safe"} for c in CATEGORIES}
    out["violence"] = {"filtered": violence != "safe", "severity": violence}
    return out


def content_filter_error() -> Reply:
    """Azure's 400 for a prompt its content filter blocked."""
    return azure_error(
        400,
        "content_filter",
        FILTERED_PROMPT,
        type=None,
        param="prompt",
        status=400,
        innererror={
            "code": "ResponsibleAIPolicyViolation",
            "content_filter_result": filter_results("medium"),
        },
    )


def _prompt_filter() -> list[dict[str, Any]]:
    return [{"prompt_index": 0, "content_filter_results": filter_results()}]


def _said(request: dict[str, Any], trigger: str) -> bool:
    messages = request.get("messages") or []
    return any(
        trigger in content_text(m.get("content"))
        for m in messages
        if isinstance(m, dict) and m.get("role") == "user"
    )


class FakeAzure(FakeOpenAI):
    """A fake Azure OpenAI resource; :attr:`url` is the ``api_base`` to give a client."""

    def __init__(
        self,
        key: str = "azure-key",
        tokens: tuple[str, ...] = ("entra-token",),
        deployments: Optional[dict[str, str]] = None,
    ) -> None:
        super().__init__()
        self.key = key
        self.tokens: set[str] = set(tokens)
        self.deployments = dict(DEPLOYMENTS if deployments is None else deployments)
        self.expires_in = 3599
        """Seconds the tokens the token endpoint issues live (its ``expires_in``)."""
        self.exchange_delay = 0.0
        """Seconds the token endpoint waits before answering (to overlap first calls)."""
        self.token_forms: list[dict[str, str]] = []
        """The forms of the token requests answered with a token."""
        self.token_outages = 0
        """Token requests still to be answered with Entra's 503 ``temporarily_unavailable``."""
        self._lock = threading.Lock()
        self._serial = itertools.count(1)

    @property
    def exchanges(self) -> int:
        """Token requests answered with a token so far."""
        with self._lock:
            return len(self.token_forms)

    @property
    def api_requests(self) -> list[Any]:
        """The recorded requests other than token exchanges."""
        return [r for r in self.requests if "/oauth2/" not in r.path]

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT`` (the resource endpoint; routes are under ``/openai``)."""
        return self.base_url

    # -- routing -----------------------------------------------------------------

    def route(self, path: str) -> Optional[tuple[Optional[str], str, bool]]:
        """``(deployment or None, OpenAI path under /v1, is a dated route)`` for ``path``."""
        m = re.fullmatch(r"/openai/deployments/([^/]+)(/.+)", path)
        if m:
            return m.group(1), m.group(2), True
        if path.startswith("/openai/v1/"):
            return None, path[len("/openai/v1") :], False
        return None

    def authorized(self, headers: dict[str, str], dated: bool) -> bool:
        """Whether it carries the key (``api-key``, or bearer off dated routes) or a token."""
        if headers.get("api-key") == self.key:
            return True
        scheme, _, token = headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer":
            return False
        with self._lock:
            return token in self.tokens or (not dated and token == self.key)

    def _token(self, exchange: Exchange, tenant: str) -> None:
        """Entra ID's v2.0 token endpoint: the client-credentials and password grants."""
        req = exchange.request
        if not req.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            reply = entra_error(
                400,
                "invalid_request",
                900144,
                "The request body must contain the following parameter: 'grant_type'.",
            )
            exchange.send_reply(reply, lambda: None)
            return
        form = {k: v[0] for k, v in parse_qs(req.body.decode()).items()}
        with self._lock:
            outage = self.token_outages > 0
            self.token_outages -= int(outage)
        if outage:
            reply = entra_error(
                503, "temporarily_unavailable", 50196, "The server is temporarily unavailable."
            )
            exchange.send_reply(reply, lambda: None)
            return
        reply = self._refusal(tenant, form)
        if reply is not None:
            exchange.send_reply(reply, lambda: None)
            return
        if self.exchange_delay:
            exchange.sleep(self.exchange_delay)
        with self._lock:
            token = f"eyJ0eXAiOiJKV1QifQ.fake-entra-{next(self._serial)}"
            self.tokens.add(token)
            self.token_forms.append(form)
        body = {
            "token_type": "Bearer",
            "expires_in": self.expires_in,
            "ext_expires_in": self.expires_in,
            "access_token": token,
        }
        exchange.send_json(200, body)

    @staticmethod
    def _refusal(tenant: str, form: dict[str, str]) -> Optional[Reply]:
        """Entra's error for a token request it would refuse, else None."""
        grant = form.get("grant_type")
        if grant not in ("client_credentials", "password"):
            return entra_error(
                400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type."
            )
        expected_tenant = TENANT if grant == "client_credentials" else "organizations"
        if tenant != expected_tenant:
            return entra_error(
                400,
                "invalid_request",
                90002,
                f"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID "
                "and are signing into the correct cloud.",
            )
        if form.get("client_id") != CLIENT_ID:
            return entra_error(
                400,
                "unauthorized_client",
                700016,
                f"Application with identifier '{form.get('client_id')}' was not found in the "
                f"directory '{tenant}'.",
            )
        if grant == "client_credentials" and form.get("client_secret") != CLIENT_SECRET:
            return entra_error(
                401,
                "invalid_client",
                7000215,
                "Invalid client secret provided. Ensure the secret being sent in the request is "
                f"the client secret value, not the client secret ID, for a secret added to app "
                f"'{CLIENT_ID}'.",
            )
        if grant == "password" and (form.get("username"), form.get("password")) != (
            USERNAME,
            PASSWORD,
        ):
            return entra_error(
                400,
                "invalid_grant",
                50126,
                "Error validating credentials due to invalid username or password.",
            )
        if SCOPE not in form.get("scope", "").split(" "):
            return entra_error(
                400,
                "invalid_scope",
                1002012,
                f"The provided value for scope {form.get('scope')} is not valid. Client credential "
                "flows must have a scope value with /.default suffixed to the resource identifier "
                "(application ID URI).",
            )
        return None

    def handle(self, exchange: Exchange) -> None:
        """Check auth, api-version and deployment, then answer as OpenAI would."""
        req = exchange.request
        url = urlsplit(req.path)
        m = re.fullmatch(r"/([^/]+)/oauth2/v2\.0/token", url.path)
        if m and req.method == "POST":
            # Scripted replies are for the Azure routes: the token endpoint always answers.
            self._token(exchange, m.group(1))
            return
        found = self.route(url.path.rstrip("/"))
        if found is None:
            exchange.send_reply(azure_error(404, "404", "Resource not found"), lambda: None)
            return
        deployment, rest, dated = found
        if not self.authorized(req.headers, dated):
            exchange.send_reply(azure_error(401, "401", ACCESS_DENIED), lambda: None)
            return
        if dated:
            versions = parse_qs(url.query).get("api-version")
            if not versions:
                exchange.send_reply(azure_error(404, "404", "Resource not found"), lambda: None)
                return
            if versions[0] not in API_VERSIONS:
                reply = azure_error(400, "BadRequest", "API version not supported")
                exchange.send_reply(reply, lambda: None)
                return
        body: Any = None
        if req.headers.get("content-type", "").startswith("application/json"):
            try:
                body = json.loads(req.body)
            except ValueError:
                body = None
        name = deployment or (body.get("model") if isinstance(body, dict) else None)
        if name not in self.deployments:
            reply = azure_error(404, "DeploymentNotFound", DEPLOYMENT_NOT_FOUND)
            exchange.send_reply(reply, lambda: None)
            return
        if isinstance(body, dict) and rest == "/chat/completions" and _said(body, PROMPT_TRIGGER):
            exchange.send_reply(content_filter_error(), lambda: None)
            return
        if isinstance(body, dict):
            body = {**body, "model": self.deployments[str(name)]}
            new_body = json.dumps(body).encode()
        else:
            new_body = req.body
        if rest == "/completions" and isinstance(body, dict):
            completion_body = body
            exchange.send_reply(
                self.next_reply(), lambda: self._completions(exchange, completion_body)
            )
            return
        exchange.request = dataclasses.replace(req, path="/v1" + rest, body=new_body)
        super().handle(exchange)

    def _completions(self, exchange: Exchange, body: dict[str, Any]) -> None:
        """The legacy completions API of an instruct deployment: one choice per prompt,
        text ``" echo: <prompt>"``, with Azure's filter annotations; streamed (an opening
        prompt-filter chunk, then the text in two chunks per choice, each with its
        ``content_filter_results``) when ``stream`` is true."""
        raw = body.get("prompt")
        prompts = [raw] if isinstance(raw, str) else raw
        if not isinstance(prompts, list) or not prompts:
            exchange.send_reply(
                azure_error(400, "BadRequest", "'prompt' is required"), lambda: None
            )
            return
        texts = [f" echo: {p}" for p in prompts]
        head = {"id": "cmpl-azure", "object": "text_completion", "created": 1700000000}
        model = body["model"]
        if not body.get("stream"):
            choices = [
                {
                    "text": t,
                    "index": i,
                    "finish_reason": "stop",
                    "logprobs": None,
                    "content_filter_results": filter_results(),
                }
                for i, t in enumerate(texts)
            ]
            words = sum(len(str(p).split()) for p in prompts)
            usage = {
                "prompt_tokens": words,
                "completion_tokens": words + len(prompts),
                "total_tokens": 2 * words + len(prompts),
            }
            answer = {
                **head,
                "model": model,
                "prompt_filter_results": _prompt_filter(),
                "choices": choices,
                "usage": usage,
            }
            exchange.send_json(200, answer)
            return
        exchange.start_stream()
        opening = {"id": "", "object": "", "created": 0, "model": "", "choices": []}
        exchange.send_event(json.dumps({**opening, "prompt_filter_results": _prompt_filter()}))
        for i, t in enumerate(texts):
            half = len(t) // 2
            for piece, finish in ((t[:half], None), (t[half:], "stop")):
                choice = {
                    "text": piece,
                    "index": i,
                    "finish_reason": finish,
                    "logprobs": None,
                    "content_filter_results": filter_results(),
                }
                exchange.send_event(json.dumps({**head, "model": model, "choices": [choice]}))
        exchange.send_event("[DONE]")
        exchange.end_stream()

    # -- Azure's content-filter annotations ----------------------------------------

    def chat_reply(self, request: dict[str, Any], reply: dict[str, Any]) -> dict[str, Any]:
        """Add ``prompt_filter_results`` and per-choice ``content_filter_results``."""
        flagged = _said(request, OUTPUT_TRIGGER)
        choices = []
        for choice in reply["choices"]:
            choice = {**choice, "content_filter_results": filter_results()}
            if flagged:
                choice["finish_reason"] = "content_filter"
                choice["message"] = {**choice["message"], "content": None}
                choice["content_filter_results"] = filter_results("high")
            choices.append(choice)
        return {**reply, "choices": choices, "prompt_filter_results": _prompt_filter()}

    def chat_events(self, request: dict[str, Any], events: list[dict[str, Any]]) -> list[Any]:
        """An opening prompt-filter chunk, filter results on each chunk, and a trailing
        chunk of filter offsets after the last choice chunk."""
        opening = {
            "choices": [],
            "created": 0,
            "id": "",
            "model": "",
            "object": "",
            "prompt_filter_results": _prompt_filter(),
        }
        out: list[Any] = [opening]
        for event in events:
            if event["choices"]:
                choices = [
                    {**c, "content_filter_results": filter_results()} for c in event["choices"]
                ]
                event = {**event, "choices": choices}
            out.append(event)
        last = max(i for i, e in enumerate(out) if e["choices"])
        trailing = {
            "choices": [
                {
                    "content_filter_offsets": {
                        "check_offset": 0,
                        "start_offset": 0,
                        "end_offset": 9,
                    },
                    "content_filter_results": filter_results(),
                    "finish_reason": None,
                    "index": 0,
                }
            ],
            "created": 0,
            "id": "",
            "model": "",
            "object": "",
        }
        out.insert(last + 1, trailing)
        return out


class FakeAzureAI(FakeAzure):
    """A fake Azure AI Foundry model-inference endpoint: ``/models/chat/completions`` and
    ``/models/embeddings`` (``*.services.ai.azure.com``), ``/chat/completions`` and
    ``/embeddings``, the key as ``api-key`` or bearer, ``api-version`` optional."""

    def route(self, path: str) -> Optional[tuple[Optional[str], str, bool]]:
        if path in ("/models/chat/completions", "/chat/completions"):
            return None, "/chat/completions", False
        if path in ("/models/embeddings", "/embeddings"):
            return None, "/embeddings", False
        return None
