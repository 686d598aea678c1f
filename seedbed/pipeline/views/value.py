"""Views: value."""
