"""Reads of meetings for the pages and the API, each in a fixed number of statements, and
visibility decided in one place. The meeting page's own read, which shows the rounds and
decisions too, is ``voting.meeting_page``."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload

from wijkraad.auth.actor import Actor
from wijkraad.councils.models import Council, Membership
from wijkraad.db import Window, window
from wijkraad.errors import NotFound
from wijkraad.meetings import permissions, services
from wijkraad.meetings.models import AgendaItem, Attendance, Meeting
from wijkraad.meetings.rules import MeetingStatus, Presence


def visible_item(session: Session, actor: Actor, item_id: int) -> AgendaItem:
    """The agenda item, or NotFound when its meeting is hidden from the actor, or the item is
    confidential (or under a confidential item) and the actor no member."""
    item = services.get_item(session, item_id)
    if not services.may_see(actor, item.meeting) or item.id in services.hidden_item_ids(
        actor, item.meeting
    ):
        raise NotFound("agenda-item-not-found")
    return item


def later_meetings(session: Session, meeting: Meeting) -> list[Meeting]:
    """The council's later meetings that are not over, with their agendas: two statements."""
    return list(
        session.scalars(
            sa.select(Meeting)
            .where(
                Meeting.council_id == meeting.council_id,
                Meeting.starts_at > meeting.starts_at,
                Meeting.status.in_(
                    [MeetingStatus.DRAFT, MeetingStatus.PUBLISHED, MeetingStatus.OPEN]
                ),
            )
            .options(selectinload(Meeting.items))
            .order_by(Meeting.starts_at)
        )
    )


def seated_with_persons(session: Session, council: Council, on: date) -> list[Membership]:
    """The members seated on ``on`` with their persons, in one statement."""
    members = session.scalars(
        sa.select(Membership)
        .where(Membership.council_id == council.id)
        .options(joinedload(Membership.person))
        .order_by(Membership.id)
    ).all()
    return [m for m in members if m.period.is_current(on)]


def meetings_of(
    session: Session, actor: Actor, council: Council, *, newest_first: bool = True
) -> list[Meeting]:
    """The council's meetings the actor may see (drafts only for those who prepare them)."""
    query = sa.select(Meeting).where(Meeting.council_id == council.id)
    if not permissions.can_see_draft(actor, council.id):
        query = query.where(Meeting.status != MeetingStatus.DRAFT)
    order = (
        (Meeting.starts_at.desc(), Meeting.id.desc())
        if newest_first
        else (Meeting.starts_at, Meeting.id)
    )
    return list(session.scalars(query.order_by(*order)))


def meeting_window(
    session: Session, actor: Actor, council: Council, *, offset: int, limit: int
) -> Window[Meeting]:
    """A page of the council's meetings the actor may see, oldest first: two statements."""
    query = sa.select(Meeting).where(Meeting.council_id == council.id)
    if not permissions.can_see_draft(actor, council.id):
        query = query.where(Meeting.status != MeetingStatus.DRAFT)
    return window(
        session, query.order_by(Meeting.starts_at, Meeting.id), offset=offset, limit=limit
    )


def follow_up_candidates(session: Session, council: Council) -> list[Meeting]:
    """Published meetings that never opened: the ones that may have lacked quorum."""
    return list(
        session.scalars(
            sa.select(Meeting)
            .where(
                Meeting.council_id == council.id,
                Meeting.status == MeetingStatus.PUBLISHED,
                Meeting.opened_at.is_(None),
            )
            .order_by(Meeting.starts_at.desc())
        )
    )


def presence_of(session: Session, meeting: Meeting) -> dict[int, Presence]:
    """Each member's line on the register, by membership id."""
    return {
        row.membership_id: row.presence
        for row in session.execute(
            sa.select(Attendance.membership_id, Attendance.presence).where(
                Attendance.meeting_id == meeting.id
            )
        )
    }


def member_of(session: Session, council_id: int, membership_id: int) -> Membership:
    """A membership of the council, or NotFound."""
    membership = session.get(Membership, membership_id)
    if membership is None or membership.council_id != council_id:
        raise NotFound("member-not-found")
    return membership
