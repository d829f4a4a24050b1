"""Image generation, as in ``litellm.images``."""
