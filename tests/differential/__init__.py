"""Differential tests: the same wire traffic through litellm and edgequake_litellm."""
