"""litellm.batch_completion: many chat requests at once."""
