"""Views: gates."""
