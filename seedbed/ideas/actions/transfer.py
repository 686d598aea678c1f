"""Import of ideas from CSV (dry run, then all or nothing)."""
