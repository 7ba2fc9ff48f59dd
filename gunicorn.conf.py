"""Gunicorn settings for production: ``gunicorn -c gunicorn.conf.py`` from the project folder.

The application is built once in the master process (``preload_app``), where
:mod:`tracker.wsgi` also freezes the start-up heap out of the garbage collector's sight; the
workers are forked from it and share that memory. Every setting can be overridden on the
command line (``-w``, ``--threads``, ``-b``) or through the environment variables named below.
"""

import os

wsgi_app = "tracker.wsgi:app"
preload_app = True

#: Loopback by default: put a TLS proxy in front and set TRACKER_BEHIND_TLS=true.
bind = os.environ.get("TRACKER_BIND", "127.0.0.1:8000")

# Pages cost CPU in Python, so one process per core does the work (the GIL lets one thread of
# a process run Python at a time); two threads per process keep a core busy while the other
# thread waits for the database or a slow client. 2 cores: 2 workers x 2 threads; 16 cores:
# 16 workers x 2 threads (with PostgreSQL on the same machine, leave it a core or two: -w 14).
# WEB_CONCURRENCY is gunicorn's usual variable for the count.
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 2))
threads = int(os.environ.get("TRACKER_THREADS", "2"))

#: Rebuilding the stored report totals of a large agreement inside a request can take a while.
timeout = 120
graceful_timeout = 30
keepalive = 5

#: Each worker is replaced after this many requests (forked again from the frozen master), so
#: memory that a large report left fragmented is given back.
max_requests = 5000
max_requests_jitter = 500

accesslog = "-"
errorlog = "-"
