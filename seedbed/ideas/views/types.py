"""Idea types and their custom fields (managers)."""
