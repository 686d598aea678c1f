"""Actions: evaluation."""
