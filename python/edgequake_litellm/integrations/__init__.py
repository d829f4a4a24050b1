"""litellm's ``litellm.integrations`` package: ``custom_logger`` and ``opentelemetry``."""
