"""Reads of meetings for the pages and the API, each in a fixed number of statements: the
meeting with what its page shows loaded at once, and visibility decided in one place."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload

from wijkraad.auth.actor import Actor
from wijkraad.councils.models import Council, Membership
from wijkraad.errors import NotFound
from wijkraad.meetings import services
from wijkraad.meetings.models import AgendaItem, Meeting, Recusal
from wijkraad.meetings.rules import MeetingStatus


def meeting_for_page(session: Session, actor: Actor, meeting_id: int) -> Meeting:
    """The meeting with its council, the council's members and their persons, and the agenda
    with its recusals, loaded in a fixed number of statements; NotFound for a meeting the
    actor may not see."""
    meeting = session.scalar(
        sa.select(Meeting)
        .where(Meeting.id == meeting_id)
        .options(
            joinedload(Meeting.council)
            .selectinload(Council.memberships)
            .joinedload(Membership.person),
            selectinload(Meeting.items)
            .selectinload(AgendaItem.recusals)
            .joinedload(Recusal.membership),
        )
    )
    if meeting is None or not services.may_see(actor, meeting):
        raise NotFound("meeting-not-found")
    return meeting


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
