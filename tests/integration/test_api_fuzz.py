"""Property-based fuzzing of the whole API from its own OpenAPI document: whatever a client
sends, the answer is never a server error (API.md: "Never 500 for bad input").

Schemathesis generates valid and invalid requests for every operation; each runs against the
demo council with an administrator's token, so the writes reach the services and their rules.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from tests.conftest import bearer
from wijkraad import clock, demo
from wijkraad.auth import services as auth_services
from wijkraad.extensions import db


@pytest.fixture
def admin_headers(app) -> dict[str, str]:
    demo.load(db.session, clock.today())
    admin = auth_services.find_user(db.session, demo.ADMIN_EMAIL)
    token = auth_services.issue_token(db.session, None, admin, "fuzz")
    db.session.commit()
    return bearer(token)


SETTINGS = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)


def test_no_request_makes_a_server_error(app, admin_headers):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 25
    for operation in operations:

        @SETTINGS
        @given(case=operation.as_strategy())
        def call(case) -> None:
            case.call_and_validate(headers=admin_headers, checks=[not_a_server_error])

        call()
