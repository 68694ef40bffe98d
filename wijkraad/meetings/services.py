"""Meetings: create, agenda, publish, open and close, the current item, recusals. Attendance
and quorum are in ``attendance``."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from wijkraad import audit
from wijkraad.auth.actor import Actor
from wijkraad.councils.models import Council
from wijkraad.errors import Conflict, Invalid, NotFound, require
from wijkraad.meetings import agenda_sent, notices, permissions, rules
from wijkraad.meetings.attendance import check_editable, presences, quorum, seated
from wijkraad.meetings.corrections import lock as lock
from wijkraad.meetings.corrections import move_item as move_item
from wijkraad.meetings.models import AgendaItem, Meeting, Recusal
from wijkraad.meetings.rules import MeetingStatus


def get_meeting(session: Session, meeting_id: int) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound("meeting-not-found")
    return meeting


def get_item(session: Session, item_id: int) -> AgendaItem:
    item = session.get(AgendaItem, item_id)
    if item is None:
        raise NotFound("agenda-item-not-found")
    return item


def may_see(actor: Actor, meeting: Meeting) -> bool:
    """Drafts only for those who prepare them; everything else is public."""
    if meeting.status is MeetingStatus.DRAFT:
        return permissions.can_see_draft(actor, meeting.council_id)
    return True


def hidden_item_ids(actor: Actor, meeting: Meeting) -> set[int]:
    """The meeting's items ``actor`` may not see: confidential items and the sub-items of one,
    which are for members only."""
    if permissions.can_see_confidential(actor, meeting.council_id):
        return set()
    confidential = {i.id for i in meeting.items if i.is_confidential}
    return confidential | {i.id for i in meeting.items if i.parent_id in confidential}


def create_meeting(
    session: Session,
    actor: Actor,
    council: Council,
    *,
    title: str,
    starts_at: datetime,
    location: str,
    follow_up_of_id: int | None = None,
) -> Meeting:
    """A draft meeting. A follow-up (art. 20) gets a copy of its original's agenda; the pages
    and the API create meetings through ``motions.services.create_meeting``, which moves the
    motions still undecided there along."""
    require(permissions.can_manage_meeting(actor, council.id))
    if not title.strip():
        raise Invalid("field-required", field="title")
    if not location.strip():
        raise Invalid("field-required", field="location")
    meeting = Meeting(
        council=council, title=title.strip(), starts_at=starts_at, location=location.strip()
    )
    if follow_up_of_id is not None:
        original = session.get(Meeting, follow_up_of_id)
        if original is None or original.council_id != council.id:
            raise Invalid("follow-up-unknown", field="follow_up_of")
        if problem := rules.follow_up_problem(
            original.starts_at, original.opened_at is not None, starts_at
        ):
            raise Invalid(problem, field="follow_up_of")
        meeting.follow_up_of = original
    session.add(meeting)
    session.flush()
    if meeting.follow_up_of is not None:
        # The same agenda (art. 20): copy the items of the meeting that lacked quorum.
        _copy_agenda(session, meeting.follow_up_of, meeting)
    audit.record(
        session,
        actor.user_id,
        "meeting.create",
        meeting,
        council_id=council.id,
        title=meeting.title,
        starts_at=starts_at,
        follow_up_of=follow_up_of_id,
    )
    return meeting


def _copy_agenda(session: Session, source: Meeting, target: Meeting) -> None:
    """Copies ``source``'s items into ``target`` in the order of their numbers, so that each copy
    bears its original's number (the motions on them follow in ``motions.services``)."""
    copies: dict[int, AgendaItem] = {}
    for _, item in ordered_items(source):
        copy = AgendaItem(
            meeting=target,
            parent_id=copies[item.parent_id].id if item.parent_id in copies else None,
            position=item.position,
            title=item.title,
            description=item.description,
            is_formality=item.is_formality,
            is_confidential=item.is_confidential,
        )
        session.add(copy)
        session.flush()
        copies[item.id] = copy


def add_item(
    session: Session,
    actor: Actor,
    meeting: Meeting,
    *,
    title: str,
    description: str = "",
    is_formality: bool = False,
    is_confidential: bool = False,
    parent_id: int | None = None,
) -> AgendaItem:
    require(permissions.can_manage_meeting(actor, meeting.council_id))
    check_editable(meeting)
    if not title.strip():
        raise Invalid("field-required", field="title")
    if parent_id is not None:
        parent = session.get(AgendaItem, parent_id)
        if parent is None or parent.meeting_id != meeting.id:
            raise Invalid("parent-unknown", field="parent_id")
        if parent.parent_id is not None:
            raise Invalid("parent-too-deep", field="parent_id")
    siblings = [i for i in meeting.items if i.parent_id == parent_id]
    item = AgendaItem(
        meeting=meeting,
        parent_id=parent_id,
        position=max((i.position for i in siblings), default=0) + 1,
        title=title.strip(),
        description=description.strip(),
        is_formality=is_formality,
        is_confidential=is_confidential,
    )
    session.add(item)
    session.flush()
    audit.record(
        session,
        actor.user_id,
        "agenda.add",
        item,
        council_id=meeting.council_id,
        meeting_id=meeting.id,
        title=item.title,
        parent_id=parent_id,
    )
    return item


def next_meeting(session: Session, council_id: int, now: datetime) -> Meeting | None:
    """The council's next public meeting (published or open), if one is planned."""
    return session.scalar(
        sa.select(Meeting)
        .where(
            Meeting.council_id == council_id,
            Meeting.status.in_([MeetingStatus.PUBLISHED, MeetingStatus.OPEN]),
            Meeting.starts_at > now - timedelta(hours=12),
        )
        .order_by(Meeting.starts_at)
        .limit(1)
    )


def numbers(meeting: Meeting) -> dict[int, str]:
    return rules.agenda_numbers(
        [rules.ItemPosition(i.id, i.parent_id, i.position) for i in meeting.items]
    )


def ordered_items(meeting: Meeting) -> list[tuple[str, AgendaItem]]:
    numbered = numbers(meeting)
    by_id = {i.id: i for i in meeting.items}

    def key(number: str) -> tuple[int, ...]:
        return tuple(int(part) for part in number.split("."))

    return [(n, by_id[i]) for i, n in sorted(numbered.items(), key=lambda kv: key(kv[1]))]


# When a meeting reached each status.
_STAMPS = {
    MeetingStatus.PUBLISHED: "published_at",
    MeetingStatus.OPEN: "opened_at",
    MeetingStatus.CLOSED: "closed_at",
}


def move_refusal(meeting: Meeting, target: MeetingStatus) -> Conflict | None:
    """Why ``meeting`` cannot move to ``target`` now (what ``move`` refuses with), or None.
    A drastic button's question asks it too, so that it never asks what cannot be done."""
    if rules.may_move(meeting.status, target):
        return None
    return Conflict("meeting-status", current=meeting.status.value, target=target.value)


def move(
    session: Session, actor: Actor, meeting: Meeting, target: MeetingStatus, now: datetime
) -> None:
    """Moves the meeting to ``target`` as the table allows (``rules.MOVES``), under its lock,
    with the time of the move and an audit row ``meeting.<target>``; any other move is refused
    (409 meeting-status). A closed meeting has no item under discussion any more.

    Closing goes through ``voting.services.close_meeting``, which first makes sure that no vote
    round is open in it.
    """
    lock(session, meeting)
    if (refusal := move_refusal(meeting, target)) is not None:
        raise refusal
    before = meeting.status
    meeting.status = target
    if stamp := _STAMPS.get(target):
        setattr(meeting, stamp, now)
    if target is MeetingStatus.CLOSED:
        meeting.current_item_id = None
    audit.record(
        session,
        actor.user_id,
        f"meeting.{target.value}",
        meeting,
        council_id=meeting.council_id,
        before=before.value,
        at=now,
    )


def publish(session: Session, actor: Actor, meeting: Meeting, now: datetime) -> None:
    """Publishes the agenda, and mails it to every member with the meeting for their
    calendar, in the same transaction; the agenda as mailed is kept, to tell of changes."""
    require(permissions.can_manage_meeting(actor, meeting.council_id))
    move(session, actor, meeting, MeetingStatus.PUBLISHED, now)
    notices.agenda_published(session, meeting, now)
    agenda_sent.remember(meeting)


def cancel(session: Session, actor: Actor, meeting: Meeting, now: datetime) -> None:
    """Cancels the meeting; the members who got its agenda get a notice (and the calendar's
    cancellation), in the same transaction."""
    require(permissions.can_manage_meeting(actor, meeting.council_id))
    move(session, actor, meeting, MeetingStatus.CANCELLED, now)
    notices.meeting_cancelled(session, meeting, now)


def open_meeting(session: Session, actor: Actor, meeting: Meeting, now: datetime, on: date) -> None:
    require(permissions.can_chair(actor, meeting.council_id))
    lock(session, meeting)
    if meeting.status is MeetingStatus.OPEN:
        raise Conflict("meeting-status", current=meeting.status.value, target="open")
    if meeting.status is MeetingStatus.PUBLISHED and not quorum(
        meeting, presences(session, meeting, on)
    ):
        raise Conflict("no-quorum")
    move(session, actor, meeting, MeetingStatus.OPEN, now)


def set_current_item(
    session: Session, actor: Actor, meeting: Meeting, item: AgendaItem | None
) -> None:
    require(permissions.can_chair(actor, meeting.council_id))
    check_editable(meeting)
    if item is not None and item.meeting_id != meeting.id:
        raise Invalid("agenda-item-not-found", field="item_id")
    meeting.current_item_id = item.id if item else None
    audit.record(
        session,
        actor.user_id,
        "meeting.current_item",
        meeting,
        council_id=meeting.council_id,
        item_id=meeting.current_item_id,
    )


def add_recusal(
    session: Session, actor: Actor, item: AgendaItem, membership_id: int, on: date
) -> Recusal:
    meeting = item.meeting
    require(permissions.can_keep_attendance(actor, meeting.council_id))
    check_editable(meeting)
    if membership_id not in {m.id for m in seated(meeting.council, on)}:
        raise Invalid("not-seated", field="member_id", ids=str(membership_id))
    existing = session.scalar(
        sa.select(Recusal).where(
            Recusal.agenda_item_id == item.id, Recusal.membership_id == membership_id
        )
    )
    if existing is not None:
        raise Conflict("already-recused")
    recusal = Recusal(agenda_item=item, membership_id=membership_id)
    session.add(recusal)
    session.flush()
    audit.record(
        session,
        actor.user_id,
        "agenda.recusal",
        recusal,
        council_id=meeting.council_id,
        item_id=item.id,
        membership_id=membership_id,
    )
    return recusal


def recused_ids(item: AgendaItem) -> set[int]:
    return {r.membership_id for r in item.recusals}
