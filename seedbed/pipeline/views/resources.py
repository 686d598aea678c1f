"""Views: resources."""
