"""Forms: resources."""
