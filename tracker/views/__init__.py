"""Blueprints, one per area."""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    """Register every area's blueprint."""
    from tracker.views import auth, home

    app.register_blueprint(auth.bp)
    app.register_blueprint(home.bp)
