"""Benchmarks: scripts that measure, print a table and write it to docs/BENCHMARKS.md."""
