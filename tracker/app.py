"""The application factory: configuration, database session, sign-in, languages, pages."""

from __future__ import annotations

import gc
from typing import Any

from flask import Flask

from tracker import (
    auth,
    date_display,
    db,
    errors,
    history_words,
    i18n,
    input_guard,
    permissions,
    static_files,
    views,
)
from tracker import config as tracker_config
from tracker.resources import shipped_folder


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the web application: configuration, database session, then the blueprints."""
    instance_path = tracker_config.default_instance_path()
    app = Flask(
        "tracker",
        instance_path=str(instance_path),
        template_folder=str(shipped_folder("templates")),
    )
    app.config.update(tracker_config.resolve(instance_path, config))
    db.init_app(app)
    input_guard.init_app(app)
    auth.init_app(app)
    i18n.init_app(app)
    date_display.init_app(app)
    history_words.init_app(app)
    errors.init_app(app)
    static_files.init_app(app)
    views.register_blueprints(app)
    permissions.init_app(app)
    return app


#: Container objects allocated (net) between two collections of the youngest generation when a
#: process serves the app (Python's default is 700). A large report allocates a few hundred
#: thousand short-lived tuples and rows, almost all freed by reference counting; at 700 the
#: collector ran about 120 times per report request (25 ms of a 340 ms page at 1,000,000
#: incidents), at 50,000 about once every few requests.
SERVING_GC_THRESHOLD = (50_000, 20, 20)


def freeze_startup_heap(app: Flask) -> None:
    """Collect once, then hide everything alive from the garbage collector (``gc.freeze()``)
    and let the youngest generation grow to :data:`SERVING_GC_THRESHOLD` before a collection,
    unless ``FREEZE_STARTUP_HEAP`` is off. For a process that serves ``app`` from now on: the
    WSGI entry point calls it, the factory does not (tests build hundreds of apps)."""
    if app.config["FREEZE_STARTUP_HEAP"]:
        gc.collect()
        gc.freeze()
        gc.set_threshold(*SERVING_GC_THRESHOLD)
