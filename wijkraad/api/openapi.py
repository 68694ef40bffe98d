"""The OpenAPI 3.1 document of the API, built from the same pydantic models that parse it."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask.wrappers import Response
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from wijkraad.api import bp, schemas

REF = "#/components/schemas/{model}"


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": REF.format(model=model.__name__)}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": _ref(schemas.Problem)}},
    }


def _op(
    summary: str,
    *,
    ok: tuple[int, str, dict[str, Any] | None],
    request: type[BaseModel] | None = None,
    auth: bool = False,
    errors: dict[int, str] | None = None,
) -> dict[str, Any]:
    status, description, schema = ok
    responses: dict[str, Any] = {str(status): {"description": description}}
    if schema is not None:
        responses[str(status)].update(_json(schema))
    for code, text in (errors or {}).items():
        responses[str(code)] = _problem(text)
    op: dict[str, Any] = {"summary": summary, "responses": responses}
    if request is not None:
        op["requestBody"] = {"required": True, **_json(_ref(request))}
    if auth:
        op["security"] = [{"bearer": []}]
        responses.setdefault("401", _problem("missing or bad token"))
    return op


_SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}

# Each domain adds its paths here when it registers its endpoints.
PATHS: dict[str, dict[str, Any]] = {
    "/tokens": {
        "post": _op(
            "Exchange e-mail and password for an API token",
            request=schemas.TokenRequest,
            ok=(201, "the new token", _ref(schemas.TokenResponse)),
            errors={401: "bad credentials", 422: "invalid input", 429: "too many failed attempts"},
        )
    },
    "/me": {
        "get": _op("The account behind the token", ok=(200, "me", _ref(schemas.Me)), auth=True)
    },
    "/councils": {
        "get": _op(
            "List councils", ok=(200, "councils", {"type": "array", "items": _ref(schemas.Council)})
        ),
        "post": _op(
            "Create a council (administrators)",
            request=schemas.CouncilCreate,
            ok=(201, "the council", _ref(schemas.Council)),
            auth=True,
            errors={403: "not an administrator", 409: "slug-taken", 422: "invalid input"},
        ),
    },
    "/councils/{slug}": {
        "parameters": [_SLUG],
        "get": _op(
            "A council with its current members",
            ok=(200, "the council", _ref(schemas.CouncilDetail)),
            errors={404: "no such council"},
        ),
        "patch": _op(
            "Change a council (administrators)",
            request=schemas.CouncilUpdate,
            ok=(200, "the council", _ref(schemas.CouncilDetail)),
            auth=True,
            errors={
                403: "not allowed",
                404: "no such council",
                409: "seats-below-seated",
                422: "invalid input",
            },
        ),
    },
    "/councils/{slug}/members": {
        "parameters": [_SLUG],
        "post": _op(
            "Appoint a member (administrators, the council's secretary)",
            request=schemas.MemberCreate,
            ok=(201, "the membership", _ref(schemas.Member)),
            auth=True,
            errors={
                403: "not allowed",
                404: "no such council",
                409: "seats-full, role-taken, already-member",
                422: "chair-not-resident or invalid input",
            },
        ),
    },
    "/members/{id}/end": {
        "parameters": [_ID],
        "post": _op(
            "End a membership",
            request=schemas.MemberEnd,
            ok=(200, "the membership", _ref(schemas.Member)),
            auth=True,
            errors={
                403: "not allowed",
                404: "no such member",
                409: "already-ended",
                422: "ends-before-start",
            },
        ),
    },
}

MODELS: list[type[BaseModel]] = [
    schemas.TokenRequest,
    schemas.TokenResponse,
    schemas.Me,
    schemas.Council,
    schemas.CouncilCreate,
    schemas.CouncilUpdate,
    schemas.CouncilDetail,
    schemas.Member,
    schemas.MemberCreate,
    schemas.MemberEnd,
    schemas.Problem,
]


def document() -> dict[str, Any]:
    _, definitions = models_json_schema([(m, "validation") for m in MODELS], ref_template=REF)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "wijkraad API",
            "version": "1",
            "description": "Councils, members, meetings, voting, decisions and budget of "
            "cooperative neighbourhood councils. Errors are application/problem+json with a "
            "stable `code`.",
        },
        "servers": [{"url": "/api/v1"}],
        "paths": PATHS,
        "components": {
            "schemas": definitions.get("$defs", {}),
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


@bp.get("/openapi.json")
def openapi() -> Response:
    return jsonify(document())
