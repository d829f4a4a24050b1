"""A fake AWS STS and a fake container credentials endpoint, issuing temporary credentials
that a :class:`~fakeprov.bedrock.FakeBedrock` then accepts.

STS speaks the Query API (docs.aws.amazon.com/STS/latest/APIReference/): a form ``POST /`` with
``Action`` and ``Version=2011-06-15``.

* ``AssumeRole`` must be SigV4-signed for service ``sts`` in :attr:`FakeSTS.region` by a known
  key (the base keys, or credentials this STS issued: role chains), recomputed here with the
  secret; the role must be one of :attr:`FakeSTS.roles` and its ``ExternalId`` the one
  :attr:`FakeSTS.external_ids` requires, else ``AccessDenied``.
* ``AssumeRoleWithWebIdentity`` needs no signature; its ``WebIdentityToken`` must be one of
  :attr:`FakeSTS.web_tokens`, else ``InvalidIdentityToken``.

Answers are STS's XML (``<Credentials>`` with ``AccessKeyId``, ``SecretAccessKey``,
``SessionToken``, ``Expiration`` :attr:`FakeSTS.lifetime` seconds from now); refusals are
``<ErrorResponse><Error><Type/><Code/><Message/>``. Every issued key is registered with the
Bedrock fake, so a Bedrock request verifies only if signed with the temporary secret and session
token.

:class:`FakeContainerCredentials` answers ``GET`` of its :attr:`~FakeContainerCredentials.path`
with ``{"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}`` when the ``Authorization``
header is its token (ECS / EKS Pod Identity), else ``401``.
"""

from __future__ import annotations

import itertools
import json
import time
from typing import Any
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

from .bedrock import (
    ACCESS_KEY,
    REGION,
    SECRET_KEY,
    SESSION_KEY,
    SESSION_SECRET,
    SESSION_TOKEN,
    FakeBedrock,
    SigV4Refused,
    verify_sigv4,
)
from .server import Exchange, FakeServer, Reply

ROLE = "arn:aws:iam::123456789012:role/bedrock-caller"
OTHER_ROLE = "arn:aws:iam::210987654321:role/cross-account"
#: A JWT-shaped token whose claims are ``aud=sts.amazonaws.com``, ``iss=https://oidc.eks``.
WEB_TOKEN = (
    "eyJhbGciOiJSUzI1NiJ9."
    "eyJhdWQiOiJzdHMuYW1hem9uYXdzLmNvbSIsImlzcyI6Imh0dHBzOi8vb2lkYy5la3MifQ."
    "c2lnbmF0dXJl"
)
CONTAINER_TOKEN = "cOnTaInEr-auth-token-0001"
_XMLNS = "https://sts.amazonaws.com/doc/2011-06-15/"
_STS_CODES = {
    "missing": "MissingAuthenticationToken",
    "unknown_key": "InvalidClientTokenId",
    "token": "InvalidClientTokenId",
    "scope": "SignatureDoesNotMatch",
    "signature": "SignatureDoesNotMatch",
    "hash": "SignatureDoesNotMatch",
}


def sts_error(status: int, code: str, message: str) -> Reply:
    """STS's XML error answer."""
    body = (
        f'<ErrorResponse xmlns="{_XMLNS}"><Error><Type>Sender</Type><Code>{escape(code)}</Code>'
        f"<Message>{escape(message)}</Message></Error><RequestId>req-1</RequestId></ErrorResponse>"
    )
    return Reply(status=status, body=body, headers={"Content-Type": "text/xml"})


def _expiration(lifetime: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + lifetime))


class _Issuer:
    """Temporary credentials, numbered, registered with the Bedrock fake."""

    def __init__(self, bedrock: FakeBedrock, prefix: str) -> None:
        self.bedrock = bedrock
        self.prefix = prefix
        self.issued: dict[str, tuple[str, str]] = {}
        self._n = itertools.count(1)

    def issue(self) -> tuple[str, str, str]:
        n = next(self._n)
        key = f"ASIA{self.prefix}{n:08d}"
        secret = f"tEmP/{self.prefix}/SeCrEt+{n:04d}/{time.monotonic_ns()}"
        token = f"IQoJb3JpZ2luX2VjEFAKE/{self.prefix}/{n}+tOkEn=="
        self.issued[key] = (secret, token)
        self.bedrock.keys[key] = (secret, token)
        return key, secret, token


class FakeSTS(FakeServer):
    """A fake STS endpoint (``aws_sts_endpoint`` / ``AWS_ENDPOINT_URL_STS`` = :attr:`url`)."""

    def __init__(self, bedrock: FakeBedrock, region: str = REGION, lifetime: float = 3600) -> None:
        super().__init__()
        self.region = region
        self.lifetime = lifetime
        self.roles = {ROLE, OTHER_ROLE}
        self.external_ids: dict[str, str] = {}
        self.web_tokens = {WEB_TOKEN}
        self.base_keys: dict[str, tuple[str, str | None]] = {
            ACCESS_KEY: (SECRET_KEY, None),
            SESSION_KEY: (SESSION_SECRET, SESSION_TOKEN),
        }
        self.calls: list[dict[str, str]] = []
        """Each answered call's form fields, plus ``signer`` (the key id, for AssumeRole)."""
        self._issuer = _Issuer(bedrock, "FAKESTS")

    @property
    def url(self) -> str:
        return self.base_url

    @property
    def issued(self) -> dict[str, tuple[str, str]]:
        """Issued key id → (secret, session token)."""
        return self._issuer.issued

    def handle(self, exchange: Exchange) -> None:
        req = exchange.request
        form = {k: v[0] for k, v in parse_qs(req.body.decode(), keep_blank_values=True).items()}

        def answer() -> None:
            reply = self._answer(req.method, req.path, req.headers, req.body, form)
            exchange.send(reply.status, reply.body_bytes(), reply.headers)

        exchange.send_reply(self.next_reply(), answer)

    def _answer(
        self, method: str, path: str, headers: dict[str, str], body: bytes, form: dict[str, str]
    ) -> Reply:
        if method != "POST" or form.get("Version") != "2011-06-15":
            return sts_error(400, "InvalidAction", "Could not find operation")
        if not headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            return sts_error(400, "InvalidParameterValue", "not a form")
        action = form.get("Action")
        role = form.get("RoleArn", "")
        if not role or not form.get("RoleSessionName"):
            return sts_error(400, "ValidationError", "RoleArn and RoleSessionName are required")
        if action == "AssumeRole":
            keys = {**self.base_keys, **self.issued}
            try:
                signer = verify_sigv4(method, path, headers, body, keys, self.region, "sts")
            except SigV4Refused as r:
                return sts_error(r.status, _STS_CODES[r.reason], str(r))
            if role not in self.roles or self.external_ids.get(role) != form.get("ExternalId"):
                return sts_error(
                    403,
                    "AccessDenied",
                    f"User: arn:aws:iam::123456789012:user/{signer} is not authorized to perform: "
                    f"sts:AssumeRole on resource: {role}",
                )
            self.calls.append({**form, "signer": signer})
        elif action == "AssumeRoleWithWebIdentity":
            if form.get("WebIdentityToken") not in self.web_tokens:
                return sts_error(
                    400,
                    "InvalidIdentityToken",
                    "Couldn't retrieve verification key from your identity provider",
                )
            if role not in self.roles:
                return sts_error(
                    403, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity"
                )
            self.calls.append(dict(form))
        else:
            return sts_error(400, "InvalidAction", f"Could not find operation {action}")
        key, secret, token = self._issuer.issue()
        result = f"{action}Result"
        xml = (
            f'<{action}Response xmlns="{_XMLNS}"><{result}>'
            f"<AssumedRoleUser><Arn>{escape(role)}/{escape(form['RoleSessionName'])}</Arn>"
            "</AssumedRoleUser><Credentials>"
            f"<AccessKeyId>{key}</AccessKeyId><SecretAccessKey>{escape(secret)}</SecretAccessKey>"
            f"<SessionToken>{escape(token)}</SessionToken>"
            f"<Expiration>{_expiration(self.lifetime)}</Expiration></Credentials>"
            f"<PackedPolicySize>6</PackedPolicySize></{result}>"
            f"<ResponseMetadata><RequestId>req-2</RequestId></ResponseMetadata></{action}Response>"
        )
        return Reply(body=xml, headers={"Content-Type": "text/xml"})


class FakeContainerCredentials(FakeServer):
    """A fake ECS / EKS Pod Identity credentials endpoint at :attr:`uri`."""

    path = "/v2/credentials/task-1"

    def __init__(
        self, bedrock: FakeBedrock, token: str | None = CONTAINER_TOKEN, lifetime: float = 21600
    ) -> None:
        super().__init__()
        self.token = token
        self.lifetime = lifetime
        self._issuer = _Issuer(bedrock, "FAKEECS")

    @property
    def uri(self) -> str:
        """``AWS_CONTAINER_CREDENTIALS_FULL_URI``."""
        return self.base_url + self.path

    @property
    def issued(self) -> dict[str, tuple[str, str]]:
        return self._issuer.issued

    def handle(self, exchange: Exchange) -> None:
        req = exchange.request
        if req.method != "GET" or req.path != self.path:
            exchange.send_json(404, {"code": "NotFound", "message": "no such path"})
            return
        if self.token is not None and req.headers.get("authorization") != self.token:
            exchange.send_json(401, {"code": "AccessDenied", "message": "invalid token"})
            return
        key, secret, token = self._issuer.issue()
        answer: dict[str, Any] = {
            "AccessKeyId": key,
            "SecretAccessKey": secret,
            "Token": token,
            "Expiration": _expiration(self.lifetime),
            "RoleArn": ROLE,
        }
        exchange.send_reply(
            self.next_reply(), lambda: exchange.send(200, json.dumps(answer).encode())
        )
