"""Actions: resources."""
