"""litellm's ``litellm_core_utils`` package: model map, provider resolution, token counting."""
