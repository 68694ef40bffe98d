"""Helpers shared by the HTML views: safe redirects, showing domain errors in forms."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, request
from flask_wtf import FlaskForm

from wijkraad.errors import DomainError


def safe_next(target: str | None, fallback: str) -> str:
    """``target`` only when it is a path on this site; never another host (open redirect)."""
    if not target:
        return fallback
    target = target.strip()
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith(("//", "/\\"))
    ):
        return fallback
    if any(ch in target for ch in "\r\n\\"):
        return fallback
    return target


def show_error(form: FlaskForm | None, error: DomainError) -> None:
    """Puts a domain error on the form field it concerns, or flashes it."""
    placed = False
    if form is not None:
        for field_error in error.errors or []:
            field = getattr(form, field_error.field, None) if field_error.field else None
            if field is not None:
                field.errors = [*field.errors, field_error.message]
                placed = True
        if not placed and error.field and (field := getattr(form, error.field, None)) is not None:
            field.errors = [*field.errors, error.message]
            placed = True
    if not placed:
        flash(error.message, "error")


def client_addr() -> str:
    return request.remote_addr or "unknown"
