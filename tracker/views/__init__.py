"""Blueprints, one per area."""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    """Register every area's blueprint and the template helpers."""
    from tracker.forms.users import ROLE_LABELS
    from tracker.views import (
        actors,
        agreements,
        api,
        # the API's areas add their views to its blueprint when imported
        api_catalogue,  # noqa: F401
        api_incidents,  # noqa: F401
        api_sources,  # noqa: F401
        api_tokens,
        auth,
        exports,
        home,
        imports,
        incidents,
        lookup,
        places,
        reports,
        review,
        sources,
        users,
    )
    from tracker.views.common import VERDICT_LABELS

    for area in (auth, home, users, agreements, actors, places, incidents, sources, lookup,
                 reports, review, exports, imports, api_tokens, api):  # fmt: skip
        app.register_blueprint(area.bp)
    app.add_template_global(lambda endpoint: endpoint in app.view_functions, "has_endpoint")
    app.jinja_env.globals["role_labels"] = ROLE_LABELS
    app.jinja_env.globals["verdict_labels"] = VERDICT_LABELS
