"""search reads."""
