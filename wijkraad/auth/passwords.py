"""Password hashing with Argon2, at the cost the app's configuration names
(``ARGON2_PROFILE``: a profile of ``argon2.profiles``). Each app keeps its own hasher."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, current_app

EXTENSION = "wijkraad.passwords"
PROFILES = ("RFC_9106_LOW_MEMORY", "RFC_9106_HIGH_MEMORY", "PRE_21_2", "CHEAPEST")


@dataclass(frozen=True)
class Hashing:
    hasher: PasswordHasher
    # Verified against when the e-mail address is unknown, so both paths cost the same time.
    dummy_hash: str

    @classmethod
    def from_profile(cls, name: str) -> Hashing:
        if name not in PROFILES:
            raise ValueError(f"ARGON2_PROFILE must be one of {', '.join(PROFILES)}, not {name!r}")
        hasher = PasswordHasher.from_parameters(getattr(profiles, name))
        return cls(hasher, hasher.hash(secrets.token_urlsafe(16)))


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = Hashing.from_profile(app.config["ARGON2_PROFILE"])


def hashing() -> Hashing:
    """The current app's hashing."""
    return current_app.extensions[EXTENSION]


def hash_password(password: str) -> str:
    return hashing().hasher.hash(password)


def verify(stored: str | None, password: str) -> bool:
    """Whether ``password`` matches the hash ``stored``; as costly when there is none."""
    current = hashing()
    try:
        matches = current.hasher.verify(stored or current.dummy_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    return matches and stored is not None
