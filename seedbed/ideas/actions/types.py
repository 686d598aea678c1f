"""Idea types and custom submission fields."""
