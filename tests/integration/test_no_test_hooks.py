"""The app's code holds no switches for its tests: what a test suite sets differently (the cost
of password hashes) is configuration, each app its own; no module keeps state that a function
rewrites for everyone in the process."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from argon2 import extract_parameters, profiles

from wijkraad import create_app
from wijkraad.auth import passwords
from wijkraad.auth import services as auth_services

PACKAGE = Path(__file__).resolve().parents[2] / "wijkraad"
PASSWORD = "een lang genoeg wachtwoord"

# Module state a function sets, each with its reason. Nothing a test may switch.
GLOBALS = {
    ("voting/live.py", "_TEMPLATES"): "the live templates' fingerprint, computed once a process",
}


def other_app(**config: object):
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "another-test-key",
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "SERVER_NAME": "localhost",
            **config,
        }
    )


def test_each_app_hashes_passwords_at_its_configured_cost(app):
    default = other_app()
    assert default.config["ARGON2_PROFILE"] == "RFC_9106_LOW_MEMORY"
    assert app.config["ARGON2_PROFILE"] == "CHEAPEST"  # the test suite's choice
    # Two apps in one process, in turn: neither changes the other's cost.
    with default.app_context():
        strong = auth_services.hash_password(PASSWORD)
    with app.app_context():
        cheap = auth_services.hash_password(PASSWORD)
    with default.app_context():
        again = auth_services.hash_password(PASSWORD)
    assert extract_parameters(strong) == extract_parameters(again) == profiles.RFC_9106_LOW_MEMORY
    assert extract_parameters(cheap) == profiles.CHEAPEST
    # A hash made at one cost is checked by an app of the other.
    with default.app_context():
        assert auth_services.verify_password(None, PASSWORD) is False
        assert passwords.verify(cheap, PASSWORD)
        assert not passwords.verify(cheap, "een ander wachtwoord")


def test_an_unknown_hashing_profile_is_refused_when_the_app_starts():
    with pytest.raises(ValueError, match="ARGON2_PROFILE"):
        other_app(ARGON2_PROFILE="FASTEST")


def assigned_globals(path: Path) -> set[str]:
    """The module-level names that a function of ``path`` assigns (``global`` statements)."""
    tree = ast.parse(path.read_text(), str(path))
    return {name for node in ast.walk(tree) if isinstance(node, ast.Global) for name in node.names}


def test_no_function_rewrites_module_state_but_the_listed_caches():
    found = {
        (str(path.relative_to(PACKAGE)), name)
        for path in sorted(PACKAGE.rglob("*.py"))
        for name in assigned_globals(path)
    }
    assert found == set(GLOBALS)
