"""Selectors: value."""
