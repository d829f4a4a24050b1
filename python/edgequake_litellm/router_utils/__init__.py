"""Router internals: the per-deployment usage, cooldown and latency state."""
