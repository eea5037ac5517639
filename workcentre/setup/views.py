"""The first-run pages."""
