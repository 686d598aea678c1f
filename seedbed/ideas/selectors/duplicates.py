"""duplicates reads."""
