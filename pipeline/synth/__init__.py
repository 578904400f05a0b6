"""Synthetic sample dossiers: realistic Vietnamese papers drawn with their exact text and fields."""
