"""Actions: portfolio."""
