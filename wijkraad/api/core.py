"""Authentication, body parsing and error mapping shared by every API endpoint."""

from __future__ import annotations

from typing import Any, TypeVar
from urllib.parse import urlencode

from flask import request, url_for
from pydantic import BaseModel, ValidationError

from wijkraad import clock
from wijkraad.api import bp, schemas
from wijkraad.auth.actor import ANONYMOUS, Actor
from wijkraad.auth.services import actor_for_token
from wijkraad.db import Window
from wijkraad.errors import DomainError, FieldError, Invalid, Unauthorized
from wijkraad.extensions import db
from wijkraad.security import current_actor, set_actor

M = TypeVar("M", bound=BaseModel)


@bp.before_request
def _authenticate() -> None:
    """Bearer tokens only: the API never trusts the session cookie (no CSRF on the API)."""
    set_actor(ANONYMOUS)
    header = request.headers.get("Authorization")
    if header is None or request.endpoint == "api.create_token":
        # A token is had for an e-mail address and password: one sent along means nothing
        # there, and its use stamp must not write before the login attempt is counted.
        return
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("invalid-token")
    who = actor_for_token(
        db.session,
        token.strip(),
        clock.now(),
        clock.today(),
        read_only=request.method in ("GET", "HEAD", "OPTIONS"),
    )
    if who is None:
        raise Unauthorized("invalid-token")
    set_actor(who)


def actor() -> Actor:
    return current_actor()


def require_actor() -> Actor:
    """The authenticated actor; 401 when the call carries no token."""
    who = current_actor()
    if not who.is_authenticated:
        raise Unauthorized()
    return who


class BadJson(DomainError):
    status = 400

    def __init__(self) -> None:
        super().__init__("invalid-json")


def _invalid(exc: ValidationError) -> Invalid:
    """422 naming each field pydantic refused."""
    errors = []
    for err in exc.errors(include_url=False):
        field = ".".join(str(part) for part in err["loc"]) or "body"
        if err["type"] == schemas.DATE_OUT_OF_RANGE:
            errors.append(FieldError(field, "date-out-of-range", reason=err["msg"], **err["ctx"]))
            continue
        code = "field-required" if err["type"] == "missing" else "field-invalid"
        errors.append(FieldError(field, code, reason=err["msg"]))
    return Invalid("invalid-input", errors=errors)


def body(model: type[M]) -> M:
    """The request's JSON body validated against ``model``; 400 for no JSON, 422 naming fields."""
    raw = request.get_data(cache=True)
    if request.mimetype not in ("application/json", "") and not request.mimetype.endswith("+json"):
        raise DomainError("unsupported-media-type", status=415)
    try:
        return model.model_validate_json(raw or b"{}")
    except ValidationError as exc:
        if any(
            err["type"] in ("json_invalid", "model_type") and not err["loc"]
            for err in exc.errors(include_url=False)
        ):
            raise BadJson() from None
        raise _invalid(exc) from None


def page_query() -> schemas.PageQuery:
    """The ``page`` and ``per_page`` a list is asked for; 422 naming the one out of range."""
    return query_args(schemas.PageQuery)


def query_args(model: type[M]) -> M:
    """The query parameters validated against ``model`` (a list's filters besides its page);
    422 naming each one refused."""
    try:
        return model.model_validate(request.args.to_dict())
    except ValidationError as exc:
        raise _invalid(exc) from None


def paged(
    items: list[dict[str, Any]], found: Window[Any], asked: schemas.PageQuery
) -> tuple[list[dict[str, Any]], int, dict[str, str]]:
    """A page of a list as the API answers it: the JSON array of the page's items, the total in
    ``X-Total-Count`` and the neighbouring pages in ``Link``."""
    last = max(1, -(-found.total // asked.per_page))
    pages = {"first": 1}
    if asked.page > 1:
        pages["prev"] = min(asked.page - 1, last)
    if asked.page < last:
        pages["next"] = asked.page + 1
    pages["last"] = last
    # Other parameters (filters) stay as they were asked; the path's own come from the route.
    kept = [(k, v) for k, v in request.args.items(multi=True) if k not in ("page", "per_page")]
    path = url_for(request.endpoint or "", **(request.view_args or {}))
    links = [
        f'<{path}?{urlencode([*kept, ("page", n), ("per_page", asked.per_page)])}>; rel="{rel}"'
        for rel, n in pages.items()
    ]
    return items, 200, {"X-Total-Count": str(found.total), "Link": ", ".join(links)}


def dump(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json")
