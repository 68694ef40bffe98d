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

_MEETING = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}


def _write(
    summary: str, request: type[BaseModel] | None, ok: tuple, errors: dict[int, str]
) -> dict:
    return _op(summary, request=request, ok=ok, auth=True, errors={403: "not allowed", **errors})


PATHS.update(
    {
        "/councils/{slug}/meetings": {
            "parameters": [_SLUG],
            "get": _op("The council's meetings", ok=(200, "meetings", {"type": "array"})),
            "post": _write(
                "Create a meeting (chair, secretary, administrators)",
                schemas.MeetingCreate,
                (201, "the meeting", _ref(schemas.MeetingCreated)),
                {422: "invalid input, follow-up-too-soon"},
            ),
        },
        "/meetings/{id}": {
            "parameters": [_MEETING],
            "get": _op(
                "A meeting with its agenda; confidential items only for members",
                ok=(200, "the meeting", _ref(schemas.MeetingOut)),
                errors={404: "no such meeting"},
            ),
        },
        "/meetings/{id}/agenda-items": {
            "parameters": [_MEETING],
            "post": _write(
                "Add an agenda item",
                schemas.AgendaItemCreate,
                (201, "the item", _ref(schemas.AgendaItemCreated)),
                {409: "meeting-closed", 422: "invalid input"},
            ),
        },
        "/meetings/{id}/publish": {
            "parameters": [_MEETING],
            "post": _write(
                "Publish the agenda", None, (200, "published", None), {409: "meeting-status"}
            ),
        },
        "/meetings/{id}/attendance": {
            "parameters": [_MEETING],
            "get": _op(
                "Attendance and quorum", ok=(200, "attendance", _ref(schemas.AttendanceOut))
            ),
            "put": _write(
                "Set the attendance register",
                schemas.AttendanceSet,
                (200, "attendance and quorum", _ref(schemas.AttendanceOut)),
                {422: "not-seated"},
            ),
        },
        "/meetings/{id}/open": {
            "parameters": [_MEETING],
            "post": _write(
                "Open the meeting (chair)", None, (200, "open", None), {409: "no-quorum"}
            ),
        },
        "/meetings/{id}/close": {
            "parameters": [_MEETING],
            "post": _write(
                "Close the meeting (chair)", None, (200, "closed", None), {409: "round-still-open"}
            ),
        },
        "/agenda-items/{id}/recusals": {
            "parameters": [_ID],
            "post": _write(
                "Recuse a member from an item",
                schemas.RecusalCreate,
                (201, "recused", None),
                {409: "already-recused", 422: "not-seated"},
            ),
        },
        "/agenda-items/{id}/motions": {
            "parameters": [_ID],
            "post": _write(
                "Submit a motion or amendment (members)",
                schemas.MotionCreate,
                (201, "the motion", _ref(schemas.MotionCreated)),
                {409: "meeting-closed", 422: "invalid input"},
            ),
        },
        "/motions/{id}": {
            "parameters": [_ID],
            "get": _op(
                "A motion with its rounds and decision",
                ok=(200, "the motion", _ref(schemas.MotionOut)),
            ),
        },
        "/motions/{id}/submit": {
            "parameters": [_ID],
            "post": _write(
                "Submit a draft motion (its submitter, the chair, the secretary)",
                None,
                (200, "the motion", _ref(schemas.MotionOut)),
                {404: "no such motion, or a draft you may not see", 409: "motion-status"},
            ),
        },
        "/motions/{id}/withdraw": {
            "parameters": [_ID],
            "post": _write(
                "Withdraw a motion",
                None,
                (200, "the motion", _ref(schemas.MotionOut)),
                {409: "motion-status"},
            ),
        },
        "/motions/{id}/schedule": {
            "parameters": [_ID],
            "post": _write(
                "Put a postponed motion on a later meeting's agenda item",
                schemas.MotionSchedule,
                (200, "the motion", _ref(schemas.MotionOut)),
                {409: "motion-status, meeting-closed", 422: "agenda-item-not-found"},
            ),
        },
        "/motions/{id}/request-vote": {
            "parameters": [_ID],
            "post": _write(
                "Ask for a vote on a formality (members)",
                None,
                (200, "the motion", _ref(schemas.MotionOut)),
                {},
            ),
        },
        "/motions/{id}/adopt-formality": {
            "parameters": [_ID],
            "post": _write(
                "Adopt a formality without a vote (chair)",
                None,
                (200, "the motion", _ref(schemas.MotionOut)),
                {409: "vote-requested, not-a-formality"},
            ),
        },
        "/motions/{id}/rounds": {
            "parameters": [_ID],
            "post": _write(
                "Open a vote round (chair)",
                schemas.RoundCreate,
                (201, "the round", _ref(schemas.Round)),
                {
                    409: "meeting-not-open, no-quorum, no-resident-majority, round-already-open, budget-exceeded, amendments-first"
                },
            ),
        },
        "/rounds/{id}": {
            "parameters": [_ID],
            "get": _op("A round with its live counts", ok=(200, "the round", _ref(schemas.Round))),
        },
        "/rounds/{id}/votes": {
            "parameters": [_ID],
            "post": _write(
                "Cast the vote of the member behind the token",
                schemas.VoteCreate,
                (201, "the vote", None),
                {403: "not-entitled", 409: "already-voted, round-closed"},
            ),
        },
        "/rounds/{id}/counts": {
            "parameters": [_ID],
            "put": _write(
                "Enter a show of hands per group (chair, analog rounds)",
                schemas.CountsSet,
                (200, "the round", _ref(schemas.Round)),
                {409: "round-closed, round-is-named", 422: "counts-exceed-entitled"},
            ),
        },
        "/rounds/{id}/close": {
            "parameters": [_ID],
            "post": _write(
                "Close a round and decide (chair)",
                None,
                (200, "the round", _ref(schemas.Round)),
                {409: "round-closed"},
            ),
        },
    }
)

# Every request and response shape the schemas module defines.
MODELS: list[type[BaseModel]] = [
    value
    for value in vars(schemas).values()
    if isinstance(value, type)
    and issubclass(value, BaseModel)
    and value.__module__ == schemas.__name__
    and value is not schemas.In
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
