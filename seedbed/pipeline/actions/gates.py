"""Actions: gates."""
