"""Classify pages and split scans into components (issue 4)."""
