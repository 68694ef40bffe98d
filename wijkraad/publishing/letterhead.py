"""The municipality at the head of the PDFs: its name and, once an administrator set one, its
logo (beheer/huisstijl).

A kept PDF's digest includes the letterhead, the logo by its SHA-256, so a new name or a new
logo renders the kept PDFs again. The logo reaches the renderer under one fixed address,
``LOGO_URL``, which the renderer's fetcher answers from memory with exactly the logo's bytes
(``pdf.OwnStaticFiles``): no other file and no outside URL is opened for it."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from wijkraad.documents.storage import current_storage
from wijkraad.look import queries as looks

log = logging.getLogger("wijkraad.publishing")

# Under the renderer's own host that never resolves (RFC 2606), beside its static files.
LOGO_URL = "https://wijkraad.invalid/huisstijl/logo"


@dataclass(frozen=True)
class Letterhead:
    """What a document's head shows of the municipality; its ``repr`` goes into the digest."""

    municipality: str = ""
    logo_sha256: str | None = None
    logo_media_type: str | None = None

    @property
    def has_logo(self) -> bool:
        return self.logo_sha256 is not None and self.logo_media_type is not None


@dataclass(frozen=True)
class Image:
    """A file the renderer is given by address, from memory."""

    content: bytes = field(repr=False)
    media_type: str


def current(session: Session) -> Letterhead:
    """The letterhead as the look now has it: one statement."""
    look = looks.current_look(session)
    return Letterhead(
        municipality=look.municipality_name,
        logo_sha256=look.logo_sha256,
        logo_media_type=look.logo_media_type,
    )


def logo_of(letterhead: Letterhead) -> Image | None:
    """The logo's bytes from the documents' storage; None without a logo, and (logged) when its
    file is missing: the document is then rendered without it."""
    if not letterhead.has_logo:
        return None
    assert letterhead.logo_sha256 is not None and letterhead.logo_media_type is not None
    try:
        with current_storage().open(letterhead.logo_sha256) as stream:
            return Image(stream.read(), letterhead.logo_media_type)
    except FileNotFoundError:
        log.error("PDF: the logo's file %s is missing", letterhead.logo_sha256)
        return None


def images(logo: Image | None) -> dict[str, Image]:
    """What the renderer may read besides its static files: the logo under ``LOGO_URL``."""
    return {LOGO_URL: logo} if logo is not None else {}
