"""Ceasefire Tracker: record ceasefire agreements and the violations reported against them.

Importing the package loads nothing else: the web application is built by
:func:`tracker.app.create_app`, and served by :mod:`tracker.wsgi`."""
