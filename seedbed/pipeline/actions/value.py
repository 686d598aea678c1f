"""Actions: value."""
