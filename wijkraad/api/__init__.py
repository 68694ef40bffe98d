"""The JSON API, v1. Thin: parse, authenticate, call the same services as the pages, serialise."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from wijkraad.api import (  # noqa: E402, F401  (routes register on bp)
    budget,
    core,
    corrections,
    councils,
    decisions,
    documents,
    draws,
    look,
    meetings,
    openapi,
    panel,
    records,
    voting,
)
