"""Property-based tests of the API from its own OpenAPI document (Schemathesis, in-process over
WSGI): generated requests to every operation, with an admin's read-write token and a viewer's
read token, on both engines; no server error, and every response as the document says
(status code, media type, headers, body schema)."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings

from tests.conftest import Tokens, bearer
from tests.factories import make_agreement, make_incident, make_place, make_source
from tracker.db import session_factory

schemathesis = pytest.importorskip("schemathesis")
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES = 25


@pytest.mark.parametrize("role", ["admin", "viewer"])
def test_generated_requests_get_documented_answers(
    app: Flask,
    database_url: str,
    token_for: Tokens,
    role: str,
) -> None:
    with session_factory(database_url)() as db, db.begin():
        agreement = make_agreement(db, slug="truce")
        place = make_place(db)
        for _ in range(3):
            make_incident(db, agreement=agreement, place=place, description_en="Shelling")
        make_source(db, title="Bulletin")
    headers = bearer(token_for(role, scope="write" if role == "admin" else "read"))
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 13
    for operation in operations:
        strategy = operation.as_strategy()

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def check(case: Any) -> None:
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS)

        check()
