"""Marking duplicates, merging ideas and undoing a merge."""
