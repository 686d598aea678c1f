"""Actions: validation."""
