"""litellm's ``litellm.caching`` package: ``Cache`` and its backends."""
