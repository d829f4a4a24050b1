"""litellm's ``types`` package: the response objects live in ``types.utils``."""
