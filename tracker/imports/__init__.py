"""Imports: readers of outside formats, and the restore of the tracker's own SQL dumps."""
