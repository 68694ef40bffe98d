"""The agenda as last mailed to the members, and the re-sending of a published agenda that
changed since: edits are not mailed one by one; the chair or the secretary sends the changed
agenda when it is ready, once, and the mail says what changed."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from sqlalchemy.orm import Session

from wijkraad import audit
from wijkraad.auth.actor import Actor
from wijkraad.errors import Conflict, require
from wijkraad.meetings import notices, permissions, rules
from wijkraad.meetings.corrections import lock
from wijkraad.meetings.models import Meeting
from wijkraad.meetings.rules import MeetingStatus, SentItem

RESENT = "agenda.resent"


def current(meeting: Meeting) -> list[SentItem]:
    """The agenda as a mail would show it now (confidential items are never mailed)."""
    shown, _hidden = notices.public_items(meeting)
    texts = {i.id: i.description for i in meeting.items}
    return [
        SentItem(
            item.id,
            item.number,
            item.title,
            hashlib.sha256(texts[item.id].encode()).hexdigest()[:16],
        )
        for item in shown
    ]


def stored(meeting: Meeting) -> list[SentItem] | None:
    if meeting.agenda_sent is None:
        return None
    return [SentItem(**value) for value in json.loads(meeting.agenda_sent)]


def remember(meeting: Meeting) -> None:
    """Keeps the agenda as it is mailed now."""
    meeting.agenda_sent = json.dumps(
        [vars(item) for item in current(meeting)], separators=(",", ":")
    )


def changes(meeting: Meeting) -> rules.AgendaChanges | None:
    """What changed in the published agenda since it was mailed; None when nothing did, or
    when it is not published (a draft was never mailed, an opened meeting's agenda is fixed)
    or was published before the mailed agenda was kept."""
    sent = stored(meeting)
    if meeting.status is not MeetingStatus.PUBLISHED or sent is None:
        return None
    found = rules.agenda_changes(sent, current(meeting))
    return found or None


def resend(session: Session, actor: Actor, meeting: Meeting, now: datetime) -> int:
    """Mails the changed agenda to every member, under the meeting's lock, so that two presses
    at once send it once: the second finds it unchanged (409 agenda-unchanged). Returns the
    number of mails queued."""
    require(permissions.can_manage_meeting(actor, meeting.council_id))
    lock(session, meeting)
    if meeting.status is not MeetingStatus.PUBLISHED:
        raise Conflict("meeting-status", current=meeting.status.value, target="published")
    found = changes(meeting)
    if found is None:
        raise Conflict("agenda-unchanged")
    sent = notices.times_done(session, meeting, RESENT) + 1
    queued = notices.agenda_changed(session, meeting, found, sent, now)
    remember(meeting)
    audit.record(
        session,
        actor.user_id,
        RESENT,
        meeting,
        council_id=meeting.council_id,
        new=sorted(found.new),
        changed=sorted(found.changed),
        removed=[item.id for item in found.removed],
        mails=queued,
    )
    return queued
