"""Selectors: templates."""
