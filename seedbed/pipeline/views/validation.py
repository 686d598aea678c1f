"""Views: validation."""
