"""The fake STS and container credentials endpoint against an independent client: botocore,
through litellm itself. botocore signs AssumeRole (the fake STS verifies it), parses the fake's
XML and JSON answers, and litellm signs the Bedrock request with the temporary credentials (the
fake Bedrock verifies it); we make the same calls against the same fakes and must send the same
STS fields."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import litellm
import pytest

import edgequake_litellm as ours
from fakeprov.aws_sts import (
    CONTAINER_TOKEN,
    OTHER_ROLE,
    ROLE,
    WEB_TOKEN,
    FakeContainerCredentials,
    FakeSTS,
)
from fakeprov.bedrock import ACCESS_KEY, SECRET_KEY, FakeBedrock

pytest.importorskip("botocore", reason="litellm fetches AWS credentials with botocore")
pytestmark = pytest.mark.filterwarnings("ignore:Pydantic serializer warnings:UserWarning")

MODEL = "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0"
_AWS_ENV = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_REGION_NAME",
    "AWS_PROFILE",
    "AWS_ROLE_NAME",
    "AWS_SESSION_NAME",
    "AWS_WEB_IDENTITY_TOKEN",
    "AWS_STS_ENDPOINT",
    "AWS_ROLE_ARN",
    "AWS_ROLE_SESSION_NAME",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
    "AWS_BEARER_TOKEN_BEDROCK",
)


@pytest.fixture(autouse=True)
def _isolated_aws(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No machine AWS settings; litellm's credential caches (per handler, keyed by the call's
    AWS arguments, ambient credentials kept 10 min) start empty."""
    import gc

    from litellm.llms.bedrock.base_aws_llm import BaseAWSLLM

    for o in gc.get_objects():
        if isinstance(o, BaseAWSLLM):
            o.iam_cache.flush_cache()
    for var in _AWS_ENV:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))


@pytest.fixture
def fakes() -> Iterator[tuple[FakeBedrock, FakeSTS]]:
    with FakeBedrock() as aws, FakeSTS(aws) as sts:
        yield aws, sts


def _both(aws: FakeBedrock, **kw: Any) -> None:
    """The same call through litellm, then through us; both must be answered."""
    for lib in (litellm, ours):
        r = lib.completion(
            model=MODEL,
            messages=[{"role": "user", "content": "hello there"}],
            aws_region_name="us-east-1",
            aws_bedrock_runtime_endpoint=aws.url,
            num_retries=0,
            **kw,
        )
        assert r.choices[0].message.content == "echo: hello there", lib.__name__


def _without_times(call: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in call.items() if k != "signer"}


def test_assume_role_as_botocore_calls_it(
    fakes: tuple[FakeBedrock, FakeSTS], monkeypatch: pytest.MonkeyPatch
) -> None:
    aws, sts = fakes
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", sts.url)  # litellm's GetCallerIdentity probe
    _both(
        aws,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        aws_role_name=ROLE,
        aws_session_name="diff-session",
        aws_sts_endpoint=sts.url,
    )
    theirs, mine = sts.calls
    assert theirs["signer"] == mine["signer"] == ACCESS_KEY
    assert _without_times(theirs) == _without_times(mine)
    assert [v.removeprefix("sigv4:") in sts.issued for v in aws.verified] == [True, True]


def test_web_identity_from_the_environment_as_botocore(
    fakes: tuple[FakeBedrock, FakeSTS], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    aws, sts = fakes
    token = tmp_path / "token"
    token.write_text(WEB_TOKEN)
    monkeypatch.setenv("AWS_WEB_IDENTITY_TOKEN_FILE", str(token))
    monkeypatch.setenv("AWS_ROLE_ARN", ROLE)
    monkeypatch.setenv("AWS_ROLE_SESSION_NAME", "pod-1")
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", sts.url)
    _both(aws)
    theirs, mine = sts.calls
    assert theirs == mine
    assert theirs["Action"] == "AssumeRoleWithWebIdentity"
    # Cross-account: the pod's web identity signs AssumeRole of another role.
    _both(aws, aws_role_name=OTHER_ROLE, aws_session_name="x-acct")
    actions = [(c["Action"], c["RoleArn"], c["RoleSessionName"]) for c in sts.calls[2:]]
    hop = [
        ("AssumeRoleWithWebIdentity", ROLE, "x-acct"),
        ("AssumeRole", OTHER_ROLE, "x-acct"),
    ]
    assert actions == hop * 2


def test_container_credentials_as_botocore_fetches_them(monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeBedrock() as aws, FakeContainerCredentials(aws) as ecs:
        monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", ecs.uri)
        monkeypatch.setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", CONTAINER_TOKEN)
        _both(aws)
        assert [r.headers.get("authorization") for r in ecs.requests] == [CONTAINER_TOKEN] * 2
        assert [v.removeprefix("sigv4:") in ecs.issued for v in aws.verified] == [True, True]
