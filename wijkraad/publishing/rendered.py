"""Files made once and kept in the database (``rendered_files``), shared by every app server:
the PDFs and the draws' public records. One row per kind and subject, under the digest of what
it shows; a newer digest replaces the row."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from wijkraad.db import utcnow
from wijkraad.publishing.models import RenderedFile


def keep(
    session: Session, *, kind: str, subject: str, digest: str, media_type: str, content: bytes
) -> None:
    """Keeps ``content`` as the file of ``kind`` and ``subject`` (the caller commits): one
    upsert, so two requests keeping the same file at once both succeed, the later one wins."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    insert = dialect.insert(RenderedFile).values(
        kind=kind,
        subject=subject,
        digest=digest,
        media_type=media_type,
        content=content,
        created_at=utcnow(),
    )
    session.execute(
        insert.on_conflict_do_update(
            index_elements=["kind", "subject"],
            set_={
                "digest": insert.excluded.digest,
                "media_type": insert.excluded.media_type,
                "content": insert.excluded.content,
                "created_at": insert.excluded.created_at,
            },
        )
    )
