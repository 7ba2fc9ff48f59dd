"""The WSGI entry point for production servers: ``gunicorn --preload tracker.wsgi:app``.

The application is built once at import; with ``--preload`` that happens in gunicorn's master
process before the workers fork. What the application holds from then on lives as long as the
process, so it is moved out of the garbage collector's sight (``gc.freeze()``): later full
collections (large reports trigger several) no longer walk it, and the forked workers keep
sharing its memory pages instead of copying them when the collector touches them. Set
``TRACKER_FREEZE_STARTUP_HEAP=false`` to keep the collector's default behaviour."""

from __future__ import annotations

from tracker.app import create_app, freeze_startup_heap

app = create_app()
freeze_startup_heap(app)
