"""Security by default: response headers on every response (error pages included), session
cookie settings, and the address of the client behind a TLS proxy."""

from __future__ import annotations

import base64
import hashlib
import traceback
from types import MethodType, TracebackType
from urllib.parse import urlsplit

import psycopg
from flask import Flask, has_request_context, request
from sqlalchemy.exc import DBAPIError
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

BASE_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def tile_origin(tile_url: str) -> str | None:
    """The ``scheme://host[:port]`` of a map tile URL template, or None when it has none
    (``{s}`` sub-domain placeholders become a wildcard)."""
    parts = urlsplit(tile_url.strip())
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return None
    host = parts.netloc.replace("{s}", "*")
    if any(c in host for c in "{}'\" ;"):
        return None
    return f"{parts.scheme}://{host}"


def _policy(tile_url: str) -> dict[str, str]:
    policy = dict(BASE_POLICY)
    origin = tile_origin(tile_url) if tile_url else None
    if origin:
        policy["img-src"] = f"{policy['img-src']} {origin}"
    return policy


def _written(policy: dict[str, str]) -> str:
    return "; ".join(f"{name} {value}" for name, value in policy.items())


def content_security_policy(tile_url: str = "") -> str:
    """The Content-Security-Policy header: nothing inline, nothing from elsewhere, except map
    tiles from the configured tile server."""
    return _written(_policy(tile_url))


def file_content_security_policy(inline_css: str, tile_url: str = "") -> str:
    """The policy of a self-contained report file (a ``<meta>`` tag, since a file has no
    headers): the web pages' policy with no script at all and, as the only style, the file's
    own inline stylesheet (by its SHA-256); ``frame-ancestors`` has no effect in a meta tag and
    is left out."""
    digest = base64.b64encode(hashlib.sha256(inline_css.encode("utf-8")).digest()).decode()
    policy = _policy(tile_url)
    del policy["frame-ancestors"]
    policy.update(
        {
            "default-src": "'none'",
            "script-src": "'none'",
            "style-src": f"'sha256-{digest}'",
            "form-action": "'none'",
        }
    )
    return _written(policy)


def security_headers(tile_url: str = "") -> dict[str, str]:
    """The headers added to every response."""
    return {
        "Content-Security-Policy": content_security_policy(tile_url),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
    }


def safe_description(error: BaseException) -> str:
    """What a log may say of ``error``: for a database error its class, SQLSTATE, the
    server's primary message and the statement, never the parameters nor the server's detail
    (PostgreSQL's "Failing row contains (...)" holds the row's values)."""
    if isinstance(error, DBAPIError):
        original = error.orig
        diag = getattr(original, "diag", None)
        primary = getattr(diag, "message_primary", None) or type(original).__name__
        state = getattr(original, "sqlstate", None) or ""
        return f"{type(error).__name__} {state}: {primary} [SQL: {error.statement}]"
    if isinstance(error, psycopg.Error):
        return f"{type(error).__name__} {error.sqlstate or ''}: {error.diag.message_primary}"
    return f"{type(error).__name__}: {error}"


def _log_exception_safely(
    app: Flask,
    exc_info: tuple[type[BaseException], BaseException, TracebackType] | tuple[None, None, None],
) -> None:
    """Flask's log of an unhandled exception, with its frames but without values a database
    error carries (see :func:`safe_description`)."""
    _kind, error, trace = exc_info
    frames = "".join(traceback.format_tb(trace)) if trace is not None else ""
    description = safe_description(error) if error is not None else "unknown error"
    where = f"{request.method} {request.path}" if has_request_context() else "outside a request"
    app.logger.error("Exception on %s: %s\n%s", where, description, frames)


def init_app(app: Flask) -> None:
    """Cookie settings (HttpOnly, SameSite=Lax, Secure behind TLS), the proxy's client address
    behind TLS, and the security headers on every response."""
    behind_tls = bool(app.config.get("BEHIND_TLS"))
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=behind_tls,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=behind_tls,
        PREFERRED_URL_SCHEME="https" if behind_tls else "http",
    )
    if behind_tls:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)  # type: ignore[method-assign]
    headers = security_headers(str(app.config.get("MAP_TILE_URL") or ""))
    app.log_exception = MethodType(_log_exception_safely, app)  # type: ignore[method-assign]

    @app.after_request
    def _add_security_headers(response: Response) -> Response:
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        if response.mimetype == "text/html":
            response.headers.setdefault("Cache-Control", "no-store")
        return response
