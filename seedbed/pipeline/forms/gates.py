"""Forms: gates."""
