"""``get_secret`` and ``get_secret_bool``, as litellm's (``litellm/secret_managers/main.py``).

Secrets come from the environment only: litellm's key-management backends (AWS/Azure/Google
secret managers, OIDC tokens) are not implemented; a name naming one raises ``ValueError``
rather than answering ``None`` for a secret that exists elsewhere.
"""

from __future__ import annotations

import os
from typing import Optional, Union

__all__ = ["get_secret", "get_secret_bool"]


def get_secret(
    secret_name: str, default_value: Optional[Union[str, bool]] = None
) -> Optional[Union[str, bool]]:
    """The environment variable ``secret_name`` (an ``"os.environ/"`` prefix is removed).

    Returns ``default_value`` when it is unset. Raises ``ValueError`` for an ``"oidc/..."``
    name (litellm fetches those tokens from a provider; not implemented here).
    """
    prefix = "os.environ/"
    name = secret_name[len(prefix) :] if secret_name.startswith(prefix) else secret_name
    if name.startswith("oidc/"):
        raise ValueError(f"OIDC secrets are not supported by edgequake-litellm: {secret_name!r}")
    value = os.environ.get(name)
    return default_value if value is None else value


def get_secret_bool(secret_name: str, default_value: Optional[bool] = None) -> Optional[bool]:
    """``get_secret`` read as a boolean, as litellm: ``"true"`` / ``"false"`` (any case,
    spaces stripped); ``None`` when unset (and no default) or any other text."""
    value = get_secret(secret_name, default_value)
    if value is None or isinstance(value, bool):
        return value
    return {"true": True, "false": False}.get(value.strip().lower())
