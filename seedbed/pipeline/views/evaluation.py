"""Views: evaluation."""
