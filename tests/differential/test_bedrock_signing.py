"""The fake Bedrock runtime's SigV4 check against an independent signer: botocore's, through
litellm itself. What the fake accepts from botocore and from us is one signing rule, so a
signature both produce for the fake is one AWS accepts (path double-encoding of ARN ids and
session tokens included)."""

from __future__ import annotations

from typing import Any

import litellm
import pytest

from fakeprov.bedrock import (
    ACCESS_KEY,
    SECRET_KEY,
    SESSION_KEY,
    SESSION_SECRET,
    SESSION_TOKEN,
    FakeBedrock,
)

pytest.importorskip("botocore", reason="litellm signs Bedrock requests with botocore")
pytestmark = pytest.mark.filterwarnings("ignore:Pydantic serializer warnings:UserWarning")

ARN = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123"


def _call(server: FakeBedrock, model: str, **creds: Any) -> Any:
    return litellm.completion(
        model=model,
        messages=[{"role": "user", "content": "hello there"}],
        aws_region_name="us-east-1",
        aws_bedrock_runtime_endpoint=server.url,
        num_retries=0,
        **creds,
    )


def test_botocore_signatures_verify() -> None:
    with FakeBedrock() as server:
        r = _call(
            server,
            "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0",
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )
        assert r.choices[0].message.content == "echo: hello there"
        _call(
            server,
            f"bedrock/converse/{ARN}",  # litellm 1.81.16 routes a bare ARN to invoke
            aws_access_key_id=SESSION_KEY,
            aws_secret_access_key=SESSION_SECRET,
            aws_session_token=SESSION_TOKEN,
        )
        assert server.last.path.startswith("/model/arn%3Aaws%3Abedrock%3A")
        assert server.verified == [f"sigv4:{ACCESS_KEY}", f"sigv4:{SESSION_KEY}"]


def test_botocore_signature_with_a_wrong_secret_is_refused() -> None:
    with FakeBedrock() as server:
        # litellm 1.81.16 raises APIConnectionError for it (we raise AuthenticationError).
        with pytest.raises(litellm.exceptions.APIConnectionError) as ei:
            _call(
                server,
                "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0",
                aws_access_key_id=ACCESS_KEY,
                aws_secret_access_key="not/the/secret",
            )
        assert "signature we calculated does not match" in str(ei.value)
        assert server.verified == []
