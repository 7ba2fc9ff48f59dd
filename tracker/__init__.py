"""Ceasefire Tracker: record ceasefire agreements and the violations reported against them."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

from flask import Flask

from tracker import auth, db, i18n, input_guard, permissions, views
from tracker import config as tracker_config

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the web application: configuration, database session, then the blueprints."""
    instance_path = tracker_config.default_instance_path()
    app = Flask(
        __name__,
        instance_path=str(instance_path),
        template_folder=str(PROJECT_ROOT / "templates"),
    )
    app.config.update(tracker_config.resolve(instance_path, config))
    db.init_app(app)
    input_guard.init_app(app)
    auth.init_app(app)
    i18n.init_app(app)
    views.register_blueprints(app)
    permissions.init_app(app)
    if app.config["FREEZE_STARTUP_HEAP"]:
        # What the app holds from here on lives as long as the process: moving it out of the
        # collector's sight spares every later full collection from walking it (requests
        # that build large reports pay for several) and keeps it shared after a fork.
        gc.collect()
        gc.freeze()
    return app
