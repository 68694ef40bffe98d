"""Property-based fuzzing of the whole API from its own OpenAPI document: whatever a client
sends, the answer is never a server error (API.md: "Never 500 for bad input"), and it is one
the document gives: a status it lists for that path and method, in the media type it lists,
with a body its JSON schema accepts, and the headers it names.

Schemathesis generates valid and invalid requests for every operation; each runs against the
demo council with an administrator's token, so the writes reach the services and their rules.
"""

from __future__ import annotations

import json
from typing import Any

import jsonschema_rs
import pytest
import schemathesis
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from tests.conftest import bearer
from wijkraad import clock, demo
from wijkraad.auth import services as auth_services
from wijkraad.councils.models import Council, Membership
from wijkraad.extensions import db
from wijkraad.meetings.models import AgendaItem, Meeting
from wijkraad.motions.models import Motion
from wijkraad.voting.models import Decision, VoteRound


@pytest.fixture
def admin_headers(app) -> dict[str, str]:
    with app.app_context():
        demo.load(db.session, clock.today())
        admin = auth_services.find_user(db.session, demo.ADMIN_EMAIL)
        token = auth_services.issue_token(db.session, None, admin, "fuzz")
        db.session.commit()
    return bearer(token)


def demo_things() -> dict[str, dict[str, Any]]:
    """Path parameters that name things of the demo, by a path's first segment: the latest of
    each kind (the published meeting ahead, a decided motion and its closed round)."""

    def last(column: Any) -> int:
        return db.session.scalar(sa.select(sa.func.max(column)))

    return {
        "councils": {"slug": db.session.scalar(sa.select(Council.slug))},
        "meetings": {"id": last(Meeting.id)},
        "agenda-items": {"id": last(AgendaItem.id)},
        "motions": {"id": last(Motion.id)},
        "rounds": {"id": last(VoteRound.id)},
        "members": {"id": last(Membership.id)},
        "decisions": {"id": last(Decision.id)},
    }


SETTINGS = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)


class Documented:
    """Checks answers against the document: one JSON-schema validator per documented answer,
    each resolving ``$ref`` in the document's components."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.validators: dict[tuple[str, str, str, str], Any] = {}

    def problems(
        self, method: str, path: str, status: int, headers: dict[str, list[str]], content: bytes
    ) -> list[str]:
        """What is wrong with this answer to ``method path`` (a path of the document)."""
        answers = self.document["paths"][path][method.lower()]["responses"]
        answer = answers.get(str(status))
        if answer is None:
            return [f"status {status} is not documented (only {', '.join(answers)})"]
        found = [h.lower() for h in headers]
        missing = [
            f"header {name} missing"
            for name in answer.get("headers", {})
            if name.lower() not in found
        ]
        media = (headers.get("content-type") or headers.get("Content-Type") or [""])[0]
        media = media.split(";")[0].strip()
        if media not in answer.get("content", {}):
            return [
                *missing,
                f"{media or 'no body'} is not the documented {list(answer.get('content', {}))}",
            ]
        if not media.endswith("json"):
            # A file in its own format (CSV, iCalendar, Atom, PDF): documented as a string; its
            # content is the format's own tests' to check.
            return missing if content or status == 304 else [*missing, "an empty file"]
        key = (method, path, str(status), media)
        if key not in self.validators:
            schema = answer["content"][media]["schema"]
            self.validators[key] = jsonschema_rs.validator_for(
                {**schema, "components": self.document["components"]}
            )
        try:
            body = json.loads(content)
        except ValueError:
            return [*missing, "the body is not JSON"]
        return missing + [
            ("/".join(map(str, e.instance_path)) + ": " if e.instance_path else "") + e.message
            for e in self.validators[key].iter_errors(body)
        ]


def test_no_request_makes_a_server_error_and_every_answer_is_documented(app, admin_headers):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    documented = Documented(app.test_client().get("/api/v1/openapi.json").get_json())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 30
    with app.app_context():
        things = demo_things()
    strategies = []
    for operation in operations:
        strategies.append(operation.as_strategy())
        # Made-up ids mostly find nothing (404): once more with the demo's own.
        known = things.get(operation.path.split("/")[1])
        if known and "{" in operation.path:
            strategies.append(operation.as_strategy(path_parameters=known))
    for strategy in strategies:

        @SETTINGS
        @given(case=strategy)
        def call(case) -> None:
            response = case.call(headers=admin_headers)
            case.validate_response(response, checks=[not_a_server_error])
            wrong = documented.problems(
                case.method,
                case.operation.path,
                response.status_code,
                response.headers,
                response.content,
            )
            assert not wrong, (
                f"{case.method} {case.formatted_path} -> {response.status_code}: {wrong}\n"
                f"{response.content[:500]!r}"
            )

        call()


DOC = {
    "paths": {
        "/things": {
            "get": {
                "responses": {
                    "200": {
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}
                        },
                        "headers": {"X-Total-Count": {"schema": {"type": "integer"}}},
                    }
                }
            }
        }
    },
    "components": {
        "schemas": {
            "Thing": {
                "type": "object",
                "properties": {"id": {"type": "integer"}},
                "required": ["id"],
            }
        }
    },
}
JSON = {"content-type": ["application/json"], "x-total-count": ["1"]}


@pytest.mark.parametrize(
    ("status", "headers", "content", "wrong"),
    [
        (200, JSON, b'{"id": 1}', []),
        (404, JSON, b'{"id": 1}', ["status 404 is not documented (only 200)"]),
        (200, JSON, b'{"id": "one"}', ['id: "one" is not of type "integer"']),
        (200, JSON, b"{}", ['"id" is a required property']),
        (
            200,
            {"content-type": ["application/json"]},
            b'{"id": 1}',
            ["header X-Total-Count missing"],
        ),
        (
            200,
            {"content-type": ["text/html"], "x-total-count": ["1"]},
            b"<p>",
            ["text/html is not the documented ['application/json']"],
        ),
    ],
)
def test_the_check_refuses_what_the_document_does_not_give(status, headers, content, wrong):
    problems = Documented(DOC).problems("GET", "/things", status, headers, content)
    assert problems == wrong
