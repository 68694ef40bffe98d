"""The mails about meetings, to every seated member with an account: the agenda when a
meeting is published, a notice when a published meeting moves (another start or place) or is
cancelled, each with the meeting as an iCalendar attachment (a calendar updates or removes the
same event by its UID, taking the one with the highest SEQUENCE).
Queued in the transaction of the move; once per member and meeting (a dedupe key)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import icalendar
import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from wijkraad.audit import AuditEvent
from wijkraad.auth.models import User
from wijkraad.i18n import format_day, local
from wijkraad.mail import outbox
from wijkraad.mail.compose import Attachment, absolute_url, compose
from wijkraad.meetings import rules
from wijkraad.meetings.attendance import seated
from wijkraad.meetings.models import Meeting


@dataclass(frozen=True)
class ShownItem:
    id: int
    number: str
    title: str
    is_formality: bool


def public_items(meeting: Meeting) -> tuple[list[ShownItem], bool]:
    """The agenda as mailed: confidential items (and theirs) left out, as mail leaves the
    site; the second value says whether any were, so the mail can say so."""
    numbers = rules.agenda_numbers(
        [rules.ItemPosition(i.id, i.parent_id, i.position) for i in meeting.items]
    )
    hidden = {i.id for i in meeting.items if i.is_confidential}
    hidden |= {i.id for i in meeting.items if i.parent_id in hidden}
    shown = [
        ShownItem(i.id, numbers[i.id], i.title, i.is_formality)
        for i in meeting.items
        if i.id not in hidden
    ]
    shown.sort(key=lambda item: tuple(int(part) for part in item.number.split(".")))
    return shown, bool(hidden)


def recipients(meeting: Meeting, now: datetime) -> list[User]:
    """The members seated now who can receive mail: an enabled account, each once."""
    users: dict[int, User] = {}
    for membership in seated(meeting.council, local(now).date()):
        user = membership.person.user
        if user is not None and user.is_enabled:
            users.setdefault(user.id, user)
    return sorted(users.values(), key=lambda u: u.id)


# The audit action of a published meeting's move; each one raises the event's SEQUENCE.
MOVED = "meeting.moved"


def times_done(session: Session, meeting: Meeting, action: str) -> int:
    """How often ``action`` was done to the meeting, by its audit trail (this transaction's
    included once it is recorded)."""
    return (
        session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditEvent)
            .where(
                AuditEvent.action == action,
                AuditEvent.subject_type == Meeting.__tablename__,
                AuditEvent.subject_id == meeting.id,
            )
        )
        or 0
    )


def moves(session: Session, meeting: Meeting) -> int:
    """How often the published meeting moved (this transaction's move included)."""
    return times_done(session, meeting, MOVED)


def calendar(
    meeting: Meeting, now: datetime, *, cancelled: bool, link: str | None, sequence: int = 0
) -> bytes:
    """The meeting as an iCalendar event (RFC 5545). No end is kept for a meeting, so the
    event has none: calendars show its start. ``sequence``: the event's revision, 0 as
    published, one higher for every move and for the cancellation."""
    base = current_app.config.get("BASE_URL") or ""
    host = urlsplit(base).hostname or "wijkraad"
    cal = icalendar.Calendar()
    cal.add("prodid", "-//wijkraad//vergaderingen//NL")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = icalendar.Event()
    event.add("uid", f"meeting-{meeting.id}@{host}")
    event.add("dtstamp", now)
    event.add("dtstart", meeting.starts_at)
    event.add("summary", f"{meeting.council.name}: {meeting.title}")
    event.add("location", meeting.location)
    items, _hidden = public_items(meeting)
    event.add("description", "\n".join(f"{i.number}. {i.title}" for i in items))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("sequence", sequence)
    if link:
        event.add("url", link)
    cal.add_component(event)
    return cal.to_ical()


def _send(
    session: Session,
    meeting: Meeting,
    now: datetime,
    *,
    kind: str,
    cancelled: bool = False,
    sequence: int = 0,
    revision: int | None = None,
    **context: object,
) -> int:
    link = absolute_url("meetings.show", meeting_id=meeting.id)
    ics = Attachment(
        "vergadering.ics",
        "text/calendar",
        calendar(meeting, now, cancelled=cancelled, link=link, sequence=sequence),
        {"method": "CANCEL" if cancelled else "PUBLISH"},
    )
    items, hidden = public_items(meeting)
    queued = 0
    for user in recipients(meeting, now):

        def subject() -> str:
            if kind == "cancelled":
                return _("Vergadering geannuleerd: %(title)s", title=meeting.title)
            if kind == "moved":
                return _("Vergadering verplaatst: %(title)s", title=meeting.title)
            if kind == "agenda_changed":
                return _(
                    "Agenda gewijzigd: %(title)s %(date)s",
                    title=meeting.title,
                    date=format_day(meeting.starts_at, "d MMMM y"),
                )
            return _("Agenda: %(title)s", title=meeting.title)

        message = compose(
            kind,
            user.language,
            subject,
            name=user.name,
            council=meeting.council.name,
            meeting=meeting,
            starts_at=local(meeting.starts_at),
            items=items,
            hidden=hidden,
            link=link,
            **context,
        )
        # Each move is news of its own: its revision is in the key.
        key = f"meeting:{meeting.id}:{kind}:{user.id}"
        if kind == "moved":
            key = f"meeting:{meeting.id}:{kind}-{sequence}:{user.id}"
        if revision is not None:
            key = f"meeting:{meeting.id}:{kind}-{revision}:{user.id}"
        queued += outbox.enqueue(
            session, user.email, message, now=now, attachments=[ics], dedupe_key=key
        )
    return queued


def agenda_published(session: Session, meeting: Meeting, now: datetime) -> int:
    """The agenda to every member, unless the meeting has begun already."""
    if meeting.starts_at <= now - timedelta(minutes=1):
        return 0
    return _send(session, meeting, now, kind="agenda", cancelled=False)


def meeting_cancelled(session: Session, meeting: Meeting, now: datetime) -> int:
    """The notice that a published meeting will not take place; a draft was never sent."""
    if meeting.published_at is None or meeting.starts_at <= now - timedelta(minutes=1):
        return 0
    return _send(
        session,
        meeting,
        now,
        kind="cancelled",
        cancelled=True,
        sequence=moves(session, meeting) + 1,
    )


def agenda_changed(
    session: Session, meeting: Meeting, changes: rules.AgendaChanges, sent: int, now: datetime
) -> int:
    """The changed agenda to every member: all its items, the ones new or changed since the
    last mailing marked, and the ones removed since listed. ``sent``: the how-manieth re-send
    this is, which keeps each its own mail."""
    return _send(
        session,
        meeting,
        now,
        kind="agenda_changed",
        sequence=moves(session, meeting),
        revision=sent,
        changes=changes,
    )


def meeting_moved(
    session: Session, meeting: Meeting, old_start: datetime, old_location: str, now: datetime
) -> int:
    """The notice that a published meeting has another start or place, with the old and the
    new, and the calendar's updated event (a higher SEQUENCE). Called after the move's audit
    row ``MOVED`` is written."""
    return _send(
        session,
        meeting,
        now,
        kind="moved",
        sequence=moves(session, meeting),
        old_starts_at=local(old_start),
        old_location=old_location,
    )
