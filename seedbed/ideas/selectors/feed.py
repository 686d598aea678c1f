"""feed reads."""
