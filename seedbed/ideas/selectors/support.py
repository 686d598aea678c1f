"""support reads."""
