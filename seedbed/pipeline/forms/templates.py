"""Forms: templates."""
