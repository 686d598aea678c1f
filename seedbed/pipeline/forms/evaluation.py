"""Forms: evaluation."""
