"""Forms: validation."""
