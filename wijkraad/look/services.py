"""Saving the look: administrators only, checked, audited, and refused when someone else saved
in between (the form carries the version it showed)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import format_decimal
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from wijkraad import audit
from wijkraad.auth import rules as auth_rules
from wijkraad.auth.actor import Actor
from wijkraad.documents import content
from wijkraad.documents.rules import MediaType
from wijkraad.documents.storage import Storage
from wijkraad.errors import Conflict, FieldError, Forbidden, Invalid
from wijkraad.look import messages as _messages  # noqa: F401  (registers the refusals)
from wijkraad.look import rules
from wijkraad.look.models import SiteLook

_TABLE = SiteLook.__table__
_URL = re.compile(r"https?://[^\s/]+\.[^\s]+", re.IGNORECASE)
_LOGO_TYPES = {MediaType.PNG, MediaType.JPEG, MediaType.WEBP}


@dataclass
class LookData:
    municipality_name: str = ""
    colours: dict[str, str | None] = field(default_factory=dict)
    contact_address: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    contact_url: str = ""
    privacy_text: str = ""
    privacy_url: str = ""
    accessibility_text: str = ""
    accessibility_url: str = ""


def _problems(data: LookData) -> list[FieldError]:
    errors = [
        # The contrast as the page's language writes a number (4,47 in Dutch) for the message,
        # and as found (4.47) for the API's machines.
        FieldError(
            p.field,
            p.code,
            **{k: format_decimal(Decimal(v), "0.00") for k, v in p.params},
            **{f"found_{k}": v for k, v in p.params},
        )
        for p in rules.colour_problems(data.colours)
    ]
    for name in ("contact_url", "privacy_url", "accessibility_url"):
        value = getattr(data, name)
        if value and not _URL.fullmatch(value):
            errors.append(FieldError(name, "url-invalid"))
    if data.contact_email and not auth_rules.looks_like_email(data.contact_email):
        errors.append(FieldError("contact_email", "field-invalid"))
    return errors


def checked_logo(data: bytes) -> str:
    """The logo's media type, from its content: a PNG, JPEG or WebP that opens as one."""
    if len(data) > rules.LOGO_MAX_BYTES:
        raise Invalid("logo-too-large", field="logo", kilobytes=rules.LOGO_MAX_BYTES // 1024)
    try:
        media = content.media_type_of(data)
    except Invalid:
        raise Invalid("logo-type", field="logo") from None
    if media not in _LOGO_TYPES:
        raise Invalid("logo-type", field="logo")
    return media.value


def logo_key(data: bytes) -> str:
    """The logo's key in the documents' storage: a SHA-256 of its own kind, so that no
    document with the same bytes ever shares (and, removed, takes away) the logo's file."""
    return hashlib.sha256(b"wijkraad-logo\0" + data).hexdigest()


def _insert(session: Session) -> sa.Insert:
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(_TABLE)  # type: ignore[no-any-return]


def save_look(
    session: Session,
    actor: Actor,
    data: LookData,
    *,
    seen_version: int,
    now: datetime,
    storage: Storage,
    logo: bytes | None = None,
    remove_logo: bool = False,
) -> int:
    """Saves the look and returns its new version. Refused (409 ``look-changed``) when the look
    is no longer at ``seen_version``: of two saves from the same form, one takes effect."""
    if not actor.is_admin:
        raise Forbidden()
    data.municipality_name = data.municipality_name.strip()[: rules.NAME_MAX]
    data.colours = {name: rules.normalise_colour(data.colours.get(name)) for name in rules.DEFAULTS}
    for name in ("contact_email", "contact_phone", "contact_url", "privacy_url"):
        setattr(data, name, getattr(data, name).strip())
    data.accessibility_url = data.accessibility_url.strip()
    if errors := _problems(data):
        first = errors[0]
        raise Invalid(first.code, field=first.field, errors=errors, **first.params)
    values: dict[str, object] = {
        "municipality_name": data.municipality_name,
        **data.colours,
        **{k: v for k, v in asdict(data).items() if k not in ("municipality_name", "colours")},
        "updated_by_id": actor.user_id,
        "updated_at": now,
    }
    if logo is not None:
        media_type = checked_logo(logo)
        key = logo_key(logo)
        storage.put(key, logo)
        values.update(logo_sha256=key, logo_media_type=media_type)
    elif remove_logo:
        values.update(logo_sha256=None, logo_media_type=None)
    # The row, made once (two first saves at once make it once), then changed only from the
    # version the form showed.
    session.execute(
        _insert(session)
        .values(id=1, version=0, updated_at=now)
        .on_conflict_do_nothing(index_elements=[_TABLE.c.id])
    )
    before = session.execute(sa.select(_TABLE).where(_TABLE.c.id == 1)).mappings().one()
    result = session.execute(
        sa.update(_TABLE)
        .where(_TABLE.c.id == 1, _TABLE.c.version == seen_version)
        .values(version=_TABLE.c.version + 1, **values)
        .returning(_TABLE.c.version)
    )
    version = result.scalar()
    if version is None:
        raise Conflict("look-changed")
    changed = sorted(
        k for k, v in values.items() if k not in ("updated_by_id", "updated_at") and before[k] != v
    )
    audit.record_event(
        session, actor.user_id, "look.update", "site_look", 1, version=version, fields=changed
    )
    return version
