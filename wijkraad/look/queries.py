"""The look as the pages read it: one statement, once per request."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from wijkraad.look import rules
from wijkraad.look.models import SiteLook

log = logging.getLogger("wijkraad.look")


@dataclass(frozen=True)
class Look:
    version: int = 0
    municipality_name: str = ""
    logo_sha256: str | None = None
    logo_media_type: str | None = None
    colours: dict[str, str | None] = field(default_factory=dict)
    contact_address: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    contact_url: str = ""
    privacy_text: str = ""
    privacy_url: str = ""
    accessibility_text: str = ""
    accessibility_url: str = ""

    @property
    def has_logo(self) -> bool:
        return self.logo_sha256 is not None

    @property
    def has_contact(self) -> bool:
        return any((self.contact_address, self.contact_email, self.contact_phone, self.contact_url))

    @property
    def address_lines(self) -> list[str]:
        return [line.strip() for line in self.contact_address.splitlines() if line.strip()]

    @property
    def privacy_paragraphs(self) -> list[str]:
        return rules.paragraphs(self.privacy_text)

    @property
    def accessibility_paragraphs(self) -> list[str]:
        return rules.paragraphs(self.accessibility_text)


def current_look(session: Session) -> Look:
    row = session.scalar(sa.select(SiteLook).where(SiteLook.id == 1))
    if row is None:
        return Look()
    return Look(
        version=row.version,
        municipality_name=row.municipality_name,
        logo_sha256=row.logo_sha256,
        logo_media_type=row.logo_media_type,
        colours={name: getattr(row, name) for name in rules.COLOUR_FIELDS},
        contact_address=row.contact_address,
        contact_email=row.contact_email,
        contact_phone=row.contact_phone,
        contact_url=row.contact_url,
        privacy_text=row.privacy_text,
        privacy_url=row.privacy_url,
        accessibility_text=row.accessibility_text,
        accessibility_url=row.accessibility_url,
    )


def shown_look(session: Session) -> Look:
    """The look for a page: the theme's own when the database cannot be read, so that the
    error page of a failing database still shows."""
    try:
        return current_look(session)
    except SQLAlchemyError:
        log.exception("the look could not be read")
        session.rollback()
        return Look()
