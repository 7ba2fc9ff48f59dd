"""Exports: SQL dumps with manifests, and incident tables as CSV, JSON, GeoJSON and ACLED CSV."""
