"""litellm's ``litellm.litellm_core_utils`` package."""
