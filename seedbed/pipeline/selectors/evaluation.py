"""Selectors: evaluation."""
