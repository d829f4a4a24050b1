"""The Responses API, as in ``litellm.responses``."""
