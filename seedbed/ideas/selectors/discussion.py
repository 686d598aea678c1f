"""discussion reads."""
