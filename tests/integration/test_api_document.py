"""The OpenAPI document at /api/v1/openapi.json describes the whole API as the app serves it:
every route and method of the URL map under /api/v1 and nothing else, each operation with its
answers (problem+json for the refusals), its security, and, for a list, its pagination."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask

from wijkraad import create_app

METHODS = {"get", "put", "post", "patch", "delete"}
_PARAMETER = re.compile(r"<[^>]+>|\{[^}]+\}")


def _shape(path: str) -> str:
    """A path with its parameters blanked: ``/meetings/<int:meeting_id>`` and
    ``/meetings/{id}`` are the same route."""
    return _PARAMETER.sub("{}", path)


def served(app: Flask) -> set[tuple[str, str]]:
    """Every (path, method) the app answers under /api/v1."""
    return {
        (_shape(rule.rule), method)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }


def documented(doc: dict[str, Any]) -> set[tuple[str, str]]:
    base = doc["servers"][0]["url"]
    return {
        (_shape(base + path), method.upper())
        for path, operations in doc["paths"].items()
        for method in operations
        if method in METHODS
    }


def operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in doc["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def test_every_api_route_and_method_is_documented(app, client):
    doc = client.get("/api/v1/openapi.json").get_json()
    routes = served(app)
    assert len(routes) >= 30
    assert sorted(routes - documented(doc)) == []
    assert sorted(documented(doc) - routes) == []


def test_a_route_without_its_documentation_is_found_missing():
    """The comparison above sees a route that the document lacks."""
    other = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key",
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "SERVER_NAME": "localhost",
        }
    )
    other.add_url_rule("/api/v1/undocumented/<int:thing_id>", "undocumented", lambda thing_id: "")
    doc = other.test_client().get("/api/v1/openapi.json").get_json()
    assert served(other) - documented(doc) == {("/api/v1/undocumented/{}", "GET")}


def test_the_paths_are_those_of_the_contract(client):
    """API.md writes paths relative to /api/v1 with one id as ``{id}``."""
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"] == "3.1.0"
    assert doc["servers"] == [{"url": "/api/v1"}]
    for path in [
        "/tokens",
        "/councils",
        "/councils/{slug}",
        "/councils/{slug}/members",
        "/members/{id}/end",
        "/councils/{slug}/meetings",
        "/meetings/{id}",
        "/meetings/{id}/agenda-items",
        "/meetings/{id}/publish",
        "/meetings/{id}/attendance",
        "/meetings/{id}/open",
        "/meetings/{id}/close",
        "/agenda-items/{id}/recusals",
        "/agenda-items/{id}/motions",
        "/motions/{id}",
        "/motions/{id}/rounds",
        "/rounds/{id}/votes",
        "/rounds/{id}/counts",
        "/rounds/{id}",
        "/rounds/{id}/close",
    ]:
        assert path in doc["paths"], path
    ids = doc["paths"]["/meetings/{id}"]["get"]["parameters"]
    assert ids == [
        {
            "name": "id",
            "in": "path",
            "required": True,
            "schema": {"type": "integer", "format": "int32"},
            "description": "the meeting's id",
        }
    ]


FILES = {
    "json": "application/json",
    "csv": "text/csv",
    "ics": "text/calendar",
    "atom": "application/atom+xml",
    "pdf": "application/pdf",
}
# A document's file is in whichever of these types it is.
DOCUMENT_FILE = (
    "/documents/{id}/content",
    ["application/pdf", "image/png", "image/jpeg", "image/webp"],
)


def test_every_operation_has_its_answers_refusals_and_security(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["components"]["securitySchemes"] == {"bearer": {"type": "http", "scheme": "bearer"}}
    schemas = doc["components"]["schemas"]
    seen_ids = set()
    for path, method, operation in operations(doc):
        where = f"{method.upper()} {path}"
        assert operation["summary"] and "<" not in operation["summary"], where
        assert operation["operationId"] not in seen_ids, where
        seen_ids.add(operation["operationId"])
        answers = operation["responses"]
        successes = [s for s in answers if s.startswith("2")]
        assert len(successes) == 1, where
        # JSON, but for the files that a path names by its extension (a CSV, a calendar, a feed,
        # a PDF): those in their own media type.
        media = (
            FILES.get(path.rsplit(".", 1)[-1], "application/json")
            if "." in path
            else ("application/json")
        )
        expected = DOCUMENT_FILE[1] if path == DOCUMENT_FILE[0] else [media]
        assert sorted(answers[successes[0]]["content"]) == sorted(expected), where
        for status, answer in answers.items():
            if int(status) >= 400:
                assert answer["content"] == {
                    "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
                }, f"{where} {status}"
        assert "401" in answers or operation["security"] == [], where
        if operation["security"] == [{"bearer": []}]:
            assert "unauthorized" in answers["401"]["description"], where
        if "requestBody" in operation:
            assert {"400", "415", "422"} <= set(answers), where
            # JSON, but for a file, sent as a multipart form.
            [(body_media, body)] = operation["requestBody"]["content"].items()
            assert body_media in ("application/json", "multipart/form-data"), where
            assert body["schema"]["$ref"].rsplit("/", 1)[1] in schemas, where
    assert "ValidationError" not in str(schemas)  # spectree's own shape of a refusal


def test_token_and_public_reads_say_what_a_token_does(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["paths"]["/tokens"]["post"]["security"] == []
    assert doc["paths"]["/councils/{slug}"]["get"]["security"] == [{}, {"bearer": []}]
    assert doc["paths"]["/councils"]["post"]["security"] == [{"bearer": []}]
    assert doc["paths"]["/councils"]["post"]["requestBody"]["required"] is True
    # Every field of these bodies has a default: the body may be left out.
    assert doc["paths"]["/members/{id}/end"]["post"]["requestBody"]["required"] is False
    assert doc["paths"]["/motions/{id}/rounds"]["post"]["requestBody"]["required"] is False


FILTERS = {"/councils/{slug}/decisions": {"year", "outcome", "q", "budget_line_id"}}


def test_every_list_is_paginated_the_same_way(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    schemas = doc["components"]["schemas"]
    lists = []
    for path, method, operation in operations(doc):
        ok = operation["responses"].get("200", {})
        ref = ok.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref")
        if method == "get" and ref and schemas[ref.rsplit("/", 1)[1]].get("type") == "array":
            lists.append(path)
            query = {p["name"]: p for p in operation["parameters"] if p["in"] == "query"}
            # A list's filters (the decisions' year, outcome, search, budget line) come beside
            # its page.
            assert set(query) - FILTERS.get(path, set()) == {"page", "per_page"}, path
            assert query["page"]["schema"]["minimum"] == 1, path
            assert query["per_page"]["schema"]["default"] == 50, path
            assert query["per_page"]["schema"]["maximum"] == 200, path
            assert set(ok["headers"]) == {"Link", "X-Total-Count"}, path
            assert "422" in operation["responses"], path
    assert sorted(lists) == [
        "/agenda-items/{id}/documents",
        "/councils",
        "/councils/{slug}/decisions",
        "/councils/{slug}/invitations",
        "/councils/{slug}/meetings",
        "/councils/{slug}/members",
        "/draws/{id}/invitations",
        "/motions/{id}/documents",
    ]
