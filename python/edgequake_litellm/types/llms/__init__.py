"""Provider-family types, as in ``litellm.types.llms``."""
