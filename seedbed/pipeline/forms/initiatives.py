"""Forms: initiatives."""
