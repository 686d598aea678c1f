"""Forms: portfolio."""
