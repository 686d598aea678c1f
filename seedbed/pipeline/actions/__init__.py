"""Every write of the pipeline, one module per area (DESIGN: one door per write)."""
