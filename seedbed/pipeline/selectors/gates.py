"""Selectors: gates."""
