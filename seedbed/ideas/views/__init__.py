"""Ideation pages, one module per area (see models/)."""
