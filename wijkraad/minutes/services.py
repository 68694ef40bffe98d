"""Minutes (notulen): the secretary writes notes per agenda item beside what the app already
knows; every save keeps a revision; the chair records them as approved at a later meeting of
the council, after which they are published and frozen.

A save names the revision it started from: two people saving at once both read revision 3,
one of them gets revision 4 and the other ``409 minutes-changed`` (a conditional update, so it
holds on any number of workers), and nothing anyone typed is lost silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from wijkraad import audit
from wijkraad.auth.actor import Actor
from wijkraad.errors import Conflict, Invalid, NotFound, require
from wijkraad.meetings import permissions
from wijkraad.meetings.models import AgendaItem, Meeting
from wijkraad.meetings.rules import MeetingStatus
from wijkraad.minutes.models import Minutes, MinutesNote, MinutesRevision
from wijkraad.minutes.rules import NOTE_MAX, MinutesStatus, editable

# Minutes are kept of a meeting that took place (or is taking place).
HELD = (MeetingStatus.OPEN, MeetingStatus.CLOSED)


def minutes_of(session: Session, meeting_id: int) -> Minutes | None:
    return session.scalar(sa.select(Minutes).where(Minutes.meeting_id == meeting_id))


def start(session: Session, actor: Actor, meeting: Meeting, now: datetime) -> Minutes:
    """The meeting's minutes, begun as an empty draft the first time. Two secretaries starting
    at once get the same minutes (the meeting has at most one: a unique key)."""
    require(permissions.can_manage_meeting(actor, meeting.council_id))
    if meeting.status not in HELD:
        raise Conflict("minutes-before-meeting")
    found = minutes_of(session, meeting.id)
    if found is not None:
        return found
    inserted = session.execute(
        _insert_ignoring_duplicate(session).values(
            meeting_id=meeting.id,
            status=MinutesStatus.DRAFT,
            remarks="",
            revision=0,
            created_at=now,
        )
    )
    minutes = minutes_of(session, meeting.id)
    assert minutes is not None
    if inserted.rowcount:
        audit.record(
            session,
            actor.user_id,
            "minutes.start",
            minutes,
            council_id=meeting.council_id,
            meeting_id=meeting.id,
        )
    return minutes


def _insert_ignoring_duplicate(session: Session) -> sa.Insert:
    """INSERT ... ON CONFLICT DO NOTHING, in the database's own dialect."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(Minutes).on_conflict_do_nothing(index_elements=["meeting_id"])


def save(
    session: Session,
    actor: Actor,
    minutes: Minutes,
    *,
    based_on: int,
    remarks: str,
    notes: Mapping[int, str],
    now: datetime,
) -> Minutes:
    """Saves the remarks and the notes per agenda item as revision ``based_on + 1``."""
    meeting = session.get(Meeting, minutes.meeting_id)
    assert meeting is not None
    require(permissions.can_manage_meeting(actor, meeting.council_id))
    if not editable(minutes.status):
        raise Conflict("minutes-approved")
    item_ids = set(
        session.scalars(sa.select(AgendaItem.id).where(AgendaItem.meeting_id == meeting.id))
    )
    unknown = set(notes) - item_ids
    if unknown:
        raise Invalid("agenda-item-not-found", field="notes")
    for text in (remarks, *notes.values()):
        if len(text) > NOTE_MAX:
            raise Invalid("text-too-long", field="notes", max=str(NOTE_MAX))
    # The revision moves only from the one this edit started from, and only while a draft.
    moved = session.execute(
        sa.update(Minutes)
        .where(
            Minutes.id == minutes.id,
            Minutes.revision == based_on,
            Minutes.status == MinutesStatus.DRAFT,
        )
        .values(revision=based_on + 1, remarks=remarks)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:
        session.refresh(minutes)
        if not editable(minutes.status):
            raise Conflict("minutes-approved")
        raise Conflict("minutes-changed", revision=str(minutes.revision))
    existing = {
        note.agenda_item_id: note
        for note in session.scalars(
            sa.select(MinutesNote).where(MinutesNote.minutes_id == minutes.id)
        )
    }
    for item_id, text in notes.items():
        if item_id in existing:
            existing[item_id].text = text
        else:
            session.add(MinutesNote(minutes_id=minutes.id, agenda_item_id=item_id, text=text))
    content_notes = {str(k): v.text for k, v in existing.items()}
    content_notes.update({str(k): v for k, v in notes.items()})
    session.add(
        MinutesRevision(
            minutes_id=minutes.id,
            number=based_on + 1,
            author_id=actor.user_id,
            created_at=now,
            content={"remarks": remarks, "notes": content_notes},
        )
    )
    session.flush()
    session.refresh(minutes)
    audit.record(
        session,
        actor.user_id,
        "minutes.save",
        minutes,
        council_id=meeting.council_id,
        meeting_id=meeting.id,
        revision=minutes.revision,
    )
    return minutes


def approve(
    session: Session,
    actor: Actor,
    minutes: Minutes,
    *,
    at_meeting: Meeting,
    on: date,
) -> Minutes:
    """Records the minutes as approved at ``at_meeting``, a later meeting of the same council
    that is being held: published from then on, and frozen."""
    meeting = session.get(Meeting, minutes.meeting_id)
    if meeting is None:
        raise NotFound("meeting-not-found")
    require(permissions.can_chair(actor, meeting.council_id))
    if at_meeting.council_id != meeting.council_id or at_meeting.starts_at <= meeting.starts_at:
        raise Invalid("approve-at-later-meeting", field="meeting_id")
    if at_meeting.status is not MeetingStatus.OPEN:
        raise Conflict("approve-at-open-meeting")
    if minutes.revision == 0:
        raise Conflict("minutes-empty")
    moved = session.execute(
        sa.update(Minutes)
        .where(Minutes.id == minutes.id, Minutes.status == MinutesStatus.DRAFT)
        .values(
            status=MinutesStatus.APPROVED,
            approved_on=on,
            approved_at_meeting_id=at_meeting.id,
            approved_by_id=actor.user_id,
        )
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:
        raise Conflict("minutes-approved")
    session.refresh(minutes)
    audit.record(
        session,
        actor.user_id,
        "minutes.approve",
        minutes,
        council_id=meeting.council_id,
        meeting_id=meeting.id,
        at_meeting_id=at_meeting.id,
        on=on.isoformat(),
    )
    return minutes
