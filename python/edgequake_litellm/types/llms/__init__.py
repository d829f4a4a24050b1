"""Provider request/response shapes, named as in ``litellm.types.llms``."""
