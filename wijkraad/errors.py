"""Domain errors, and how the HTML pages and the JSON API show them.

Services raise ``DomainError``s with a stable code; the API turns them into
``application/problem+json`` (RFC 9457), the pages into form errors or flash messages.
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request

from wijkraad.messages import message_for

PROBLEM_JSON = "application/problem+json"


class DomainError(Exception):
    status = 400

    def __init__(
        self,
        code: str,
        *,
        field: str | None = None,
        status: int | None = None,
        errors: list[FieldError] | None = None,
        extensions: dict[str, Any] | None = None,
        **params: Any,
    ) -> None:
        self.code = code
        # Members of the problem+json answer besides the standard ones (RFC 9457 section 3.2),
        # such as the money that remains when an amount does not fit.
        self.extensions = extensions or {}
        self.field = field
        self.params = params
        self.errors = errors or []
        if status is not None:
            if not isinstance(status, int):  # a parameter named "status" is a mistake
                raise TypeError("DomainError status must be an HTTP status code")
            self.status = status
        super().__init__(code)

    @property
    def message(self) -> str:
        return message_for(self.code, **self.params)

    @property
    def denies_access(self) -> bool:
        """Whether the actor may not be here at all: not logged in (401), nothing to see (404),
        or no right (a 403 without a reason of its own). The pages answer it with the login or
        the error page; a refusal with a reason (``not-entitled``) they explain in place."""
        return self.status in (401, 404) or (self.status == 403 and self.code == "forbidden")


class FieldError:
    def __init__(self, field: str, code: str, message: str | None = None, **params: Any):
        self.field = field
        self.code = code
        self._message = message
        self.params = params

    @property
    def message(self) -> str:
        return self._message or message_for(self.code, **self.params)

    def as_dict(self) -> dict[str, str]:
        out = {"field": self.field, "code": self.code, "detail": self.message}
        if "reason" in self.params:
            out["reason"] = str(self.params["reason"])
        if "found_ratio" in self.params:  # a contrast too low, as a number: "4.47"
            out["ratio"] = str(self.params["found_ratio"])
        return out


class NotFound(DomainError):
    status = 404

    def __init__(self, code: str = "not-found", **kw: Any) -> None:
        super().__init__(code, **kw)


class Forbidden(DomainError):
    status = 403

    def __init__(self, code: str = "forbidden", **kw: Any) -> None:
        super().__init__(code, **kw)


def require(allowed: bool) -> None:
    """Refuses with 403 unless ``allowed``: the one guard every service puts before a write."""
    if not allowed:
        raise Forbidden()


class Unauthorized(DomainError):
    status = 401

    def __init__(self, code: str = "unauthorized", **kw: Any) -> None:
        super().__init__(code, **kw)


class Conflict(DomainError):
    status = 409


class Invalid(DomainError):
    """Input that breaks a rule: 422, naming the fields."""

    status = 422

    def __init__(self, code: str, *, field: str | None = None, **kw: Any) -> None:
        errors = kw.pop("errors", None)
        if errors is None and field is not None:
            errors = [FieldError(field, code, **kw)]
        super().__init__(code, field=field, errors=errors, **kw)


class TooManyRequests(DomainError):
    status = 429

    def __init__(self, code: str, *, retry_after: int | None = None, **kw: Any) -> None:
        self.retry_after = retry_after  # seconds, for the Retry-After header
        super().__init__(code, **kw)


def problem(
    status: int,
    code: str,
    detail: str,
    *,
    title: str | None = None,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
    extensions: dict[str, Any] | None = None,
) -> Response:
    body: dict[str, Any] = {
        **(extensions or {}),
        "type": f"urn:wijkraad:problem:{code}",
        "title": title or message_for(f"title:{status}"),
        "status": status,
        "detail": detail,
        "code": code,
    }
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_JSON
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def problem_from(error: DomainError) -> Response:
    headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else {}
    if (retry_after := getattr(error, "retry_after", None)) is not None:
        headers["Retry-After"] = str(retry_after)
    return problem(
        error.status,
        error.code,
        error.message,
        errors=[e.as_dict() for e in error.errors],
        headers=headers,
        extensions=error.extensions,
    )


def wants_problem_json() -> bool:
    return request.path.startswith("/api/")
