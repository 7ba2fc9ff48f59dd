"""Static files with long cache lifetimes: every URL carries a digest of the file's content,
so a browser keeps a file for a year and fetches it again only when it changed."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from flask import Flask

#: A year, in seconds: what browsers may keep a versioned static file for.
MAX_AGE = 365 * 24 * 3600


def init_app(app: Flask) -> None:
    """Add ``?v=<digest>`` to every ``url_for("static", ...)`` and serve static files with a
    one-year ``Cache-Control: max-age``. The digests are computed once per file and process."""
    folder = Path(app.static_folder or "")
    digests: dict[str, str] = {}

    def version(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint != "static" or "filename" not in values or "v" in values:
            return
        filename = str(values["filename"])
        digest = digests.get(filename)
        if digest is None:
            path = folder / filename
            if not path.is_file():
                return
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
            digests[filename] = digest
        values["v"] = digest

    app.url_defaults(version)
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = MAX_AGE
