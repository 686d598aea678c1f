"""Selectors: validation."""
