"""Rerank, as in ``litellm.rerank_api``."""
