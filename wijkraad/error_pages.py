"""How the pages and the API answer what went wrong: a domain error, an HTTP error, a database
that is not there, anything unexpected. Pages get the error page (or the login page, for a
visitor asked to log in), the API ``application/problem+json``."""

from __future__ import annotations

from typing import Any

import sqlalchemy.exc as sa_exc
from flask import Flask, g, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from wijkraad.auth.actor import ANONYMOUS
from wijkraad.errors import DomainError, problem, problem_from, wants_problem_json
from wijkraad.extensions import db, login_manager
from wijkraad.messages import message_for
from wijkraad.security import set_actor


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def handle_domain_error(error: DomainError) -> Any:
        # A refused request writes nothing (a login failure commits its count before raising).
        db.session.rollback()
        if wants_problem_json():
            return problem_from(error)
        if error.status in (401, 403) and not current_user.is_authenticated:
            # Someone who is not logged in is asked to log in, and comes back here after.
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return render_template("errors/error.html", status=error.status, message=error.message), (
            error.status
        )

    @app.errorhandler(HTTPException)
    def handle_http_error(error: HTTPException) -> Any:
        status = error.code or 500
        code = {
            400: "bad-request",
            401: "unauthorized",
            403: "forbidden",
            404: "not-found",
            405: "method-not-allowed",
            413: "too-large",
            415: "unsupported-media-type",
            429: "too-many-requests",
        }.get(status, "http-error")
        if wants_problem_json():
            return problem(status, code, message_for(code))
        if status == 400 and error.description and "CSRF" in str(error.description):
            code = "csrf"
        return render_template(
            "errors/error.html", status=status, message=message_for(code)
        ), status

    @app.errorhandler(sa_exc.DBAPIError)
    @app.errorhandler(sa_exc.TimeoutError)
    def handle_database_error(error: sa_exc.SQLAlchemyError) -> Any:
        if not database_unavailable(error):
            return handle_unexpected(error)
        # Down, restarting, unreachable, out of connections, or a deadlock: all pass, so the
        # client is asked to come back rather than told that something broke.
        app.logger.error("database unavailable: %s", error, exc_info=error)
        _without_database()
        headers = {"Retry-After": str(app.config["RETRY_AFTER_SECONDS"])}
        if wants_problem_json():
            return problem(
                503, "service-unavailable", message_for("service-unavailable"), headers=headers
            )
        page = render_template(
            "errors/error.html", status=503, message=message_for("service-unavailable")
        )
        return page, 503, headers

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception) -> Any:
        app.logger.exception("unexpected error")
        if wants_problem_json():
            return problem(500, "server-error", message_for("server-error"))
        return render_template(
            "errors/error.html", status=500, message=message_for("server-error")
        ), 500


def database_unavailable(error: BaseException) -> bool:
    """A database error that says nothing about the request: the database is not there now."""
    return isinstance(
        error, sa_exc.OperationalError | sa_exc.InterfaceError | sa_exc.TimeoutError
    ) or bool(getattr(error, "connection_invalidated", False))


def _without_database() -> None:
    """Lets the error page render without a query: the request's work is dropped and the page
    is shown as to a visitor (who is logged in cannot be looked up now)."""
    try:
        db.session.rollback()
    except sa_exc.SQLAlchemyError:
        db.session.remove()
    g._login_user = login_manager.anonymous_user()
    set_actor(ANONYMOUS)
