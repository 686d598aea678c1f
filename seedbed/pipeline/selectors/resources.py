"""Selectors: resources."""
