"""Actions: templates."""
