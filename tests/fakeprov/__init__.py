"""In-process fake LLM provider servers for tests (stdlib only)."""
