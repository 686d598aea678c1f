"""Selectors: portfolio."""
