"""Views: templates."""
