"""Tests in real Chromium against the running app."""
