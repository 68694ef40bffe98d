"""The public record of a draw, kept once made: a read of a draw of 100,000 does not build its
record again (every entry's row, the pool's hash, the shares) on every request.

Kept in the database (``rendered_files``, kind ``draw-record``), so every app server shares it,
under the digest of the draw's own row: whatever changes the record (announcing, the seed,
closing, a renamed council) changes the digest, and the record is made again. The pool itself
is fixed from the announcement on (its hash is in the digest); an open draw's record is made
on every read and not kept, as its pool may still be replaced."""

from __future__ import annotations

import hashlib
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from wijkraad.publishing import rendered
from wijkraad.publishing.models import RenderedFile
from wijkraad.sortition import procedure, queries
from wijkraad.sortition.models import Draw
from wijkraad.sortition.rules import DrawStatus

KIND = "draw-record"
MEDIA_TYPE = "application/json"


def digest(draw: Draw) -> str:
    """The SHA-256 of everything of the draw's row its record is made of."""
    facts: dict[str, Any] = {
        "id": draw.id,
        "council": draw.council.slug,
        "purpose": draw.purpose.value,
        "status": draw.status.value,
        "invite": draw.invite,
        "draw_on": draw.draw_on.isoformat(),
        "pool_size": draw.pool_size,
        "eligible": draw.eligible,
        "pool_sha256": draw.pool_sha256,
        "procedure": draw.procedure,
        "quotas": draw.quotas or {},
        "seed_source": draw.seed_source,
        "seed": draw.seed,
        "ranking": draw.ranking,
        "announced_at": draw.announced_at.isoformat() if draw.announced_at else None,
        "drawn_at": draw.drawn_at.isoformat() if draw.drawn_at else None,
        "closed_at": draw.closed_at.isoformat() if draw.closed_at else None,
    }
    return hashlib.sha256(procedure.canonical_json(facts)).hexdigest()


def record_bytes(session: Session, draw: Draw) -> bytes:
    """The draw's public record as the API answers it: the kept bytes when they are of the
    draw as it is now (one statement), otherwise made now and kept in place of the old ones
    (the caller commits). Two reads doing this at once both succeed with the same bytes."""
    if draw.status is DrawStatus.OPEN:
        return queries.record_bytes(session, draw)
    subject = f"draw:{draw.id}"
    version = digest(draw)
    content = session.scalar(
        sa.select(RenderedFile.content).where(
            RenderedFile.kind == KIND,
            RenderedFile.subject == subject,
            RenderedFile.digest == version,
        )
    )
    if content is not None:
        return bytes(content)
    content = queries.record_bytes(session, draw)
    rendered.keep(
        session, kind=KIND, subject=subject, digest=version, media_type=MEDIA_TYPE, content=content
    )
    return content
