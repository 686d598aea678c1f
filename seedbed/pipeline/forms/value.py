"""Forms: value."""
