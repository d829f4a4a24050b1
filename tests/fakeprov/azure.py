"""A fake Azure OpenAI resource (and Azure AI Foundry endpoint) speaking Azure's wire format.

Routes (learn.microsoft.com/azure/ai-services/openai/reference):

* ``/openai/deployments/{deployment}/{chat/completions,embeddings,...}?api-version=…``:
  ``api-version`` is required (missing: Azure's 404 ``Resource not found``; one not in
  :data:`API_VERSIONS`: Azure's 400 ``API version not supported``);
* ``/openai/v1/{chat/completions,embeddings,...}`` (the v1 API): the deployment is the
  body's ``model``, no ``api-version``;
* ``/models/chat/completions`` and ``/chat/completions`` (Azure AI Foundry model
  inference, :class:`FakeAzureAI`): the model is the body's ``model``.

Auth, checked on every route: the ``api-key`` header equal to :attr:`FakeAzure.key`, or
``Authorization: Bearer <t>`` with ``t`` in :attr:`FakeAzure.tokens` (an Entra ID token)
or, on the v1 and Foundry routes, the key; otherwise Azure's 401 body. An unknown
deployment is Azure's 404 ``DeploymentNotFound``.

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
import json
import re
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
}
"""Deployment name → the model it serves (what answers report as ``model``)."""
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
        self.tokens = tokens
        self.deployments = dict(DEPLOYMENTS if deployments is None else deployments)

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
        return token in self.tokens or (not dated and token == self.key)

    def handle(self, exchange: Exchange) -> None:
        """Check auth, api-version and deployment, then answer as OpenAI would."""
        req = exchange.request
        url = urlsplit(req.path)
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
        exchange.request = dataclasses.replace(req, path="/v1" + rest, body=new_body)
        super().handle(exchange)

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
    """A fake Azure AI Foundry model-inference endpoint: ``/models/chat/completions``
    (``*.services.ai.azure.com``) and ``/chat/completions``, the key as ``api-key`` or
    bearer, ``api-version`` optional."""

    def route(self, path: str) -> Optional[tuple[Optional[str], str, bool]]:
        if path in ("/models/chat/completions", "/chat/completions"):
            return None, "/chat/completions", False
        return None
