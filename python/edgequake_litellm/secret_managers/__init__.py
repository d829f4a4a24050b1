"""litellm.secret_managers: where litellm code reads secrets from (the environment here)."""
