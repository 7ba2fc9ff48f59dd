"""Reads shared by pages, reports, exports and commands."""
