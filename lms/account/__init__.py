"""A person's own account: their API tokens."""
