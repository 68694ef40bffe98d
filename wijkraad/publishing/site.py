"""Reads of the public site beside the decisions themselves: a council's upcoming meetings and
recent decisions for its page, and its published meetings for the calendar feed. Always what
the public may see of meetings (never a draft); each read takes a fixed number of statements.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from wijkraad.auth.actor import ANONYMOUS, Actor
from wijkraad.councils.models import Council
from wijkraad.meetings.models import AgendaItem, Meeting
from wijkraad.meetings.rules import MeetingStatus
from wijkraad.publishing import queries

RECENT = 5
UPCOMING = 5
# The calendar holds the newest meetings; older ones stay in the calendars that had them.
CALENDAR_MEETINGS = 500
# A meeting that began up to this long ago still counts as upcoming: it may be running.
RUNNING = timedelta(hours=12)


@dataclass(frozen=True)
class PublicMeeting:
    id: int
    title: str
    starts_at: datetime
    location: str
    status: MeetingStatus
    published_at: datetime | None
    changed_at: datetime  # its last public change: published, opened, closed or cancelled
    agenda: tuple[str, ...]  # the public main items' titles, in order

    @property
    def is_cancelled(self) -> bool:
        return self.status is MeetingStatus.CANCELLED


@dataclass(frozen=True)
class CouncilFront:
    upcoming: tuple[PublicMeeting, ...]
    recent: queries.DecisionPage
    years: tuple[int, ...]  # with public decisions, newest first: the annual lists


def _public(council_id: int) -> sa.ColumnElement[bool]:
    """Meetings whose agenda was made public (a cancelled draft never was)."""
    return sa.and_(
        Meeting.council_id == council_id,
        Meeting.status != MeetingStatus.DRAFT,
        Meeting.published_at.is_not(None),
    )


def _meetings(session: Session, statement: sa.Select[tuple[Meeting]]) -> list[PublicMeeting]:
    """The meetings with the titles of their public main items: two statements."""
    meetings = list(session.scalars(statement))
    agendas: dict[int, list[str]] = {m.id: [] for m in meetings}
    if meetings:
        # Main items only: a sub-item's parent may be confidential.
        for meeting_id, title in session.execute(
            sa.select(AgendaItem.meeting_id, AgendaItem.title)
            .where(
                AgendaItem.meeting_id.in_(list(agendas)),
                AgendaItem.parent_id.is_(None),
                sa.not_(AgendaItem.is_confidential),
            )
            .order_by(AgendaItem.meeting_id, AgendaItem.position, AgendaItem.id)
        ):
            agendas[meeting_id].append(title)
    return [
        PublicMeeting(
            id=m.id,
            title=m.title,
            starts_at=m.starts_at,
            location=m.location,
            status=m.status,
            published_at=m.published_at,
            changed_at=max(
                t for t in (m.created_at, m.published_at, m.opened_at, m.closed_at) if t
            ),
            agenda=tuple(agendas[m.id]),
        )
        for m in meetings
    ]


def upcoming_meetings(
    session: Session, council_id: int, now: datetime, limit: int = UPCOMING
) -> list[PublicMeeting]:
    """The council's next public meetings (published or open), soonest first."""
    return _meetings(
        session,
        sa.select(Meeting)
        .where(
            _public(council_id),
            Meeting.status.in_([MeetingStatus.PUBLISHED, MeetingStatus.OPEN]),
            Meeting.starts_at > now - RUNNING,
        )
        .order_by(Meeting.starts_at, Meeting.id)
        .limit(limit),
    )


def council_front(session: Session, actor: Actor, council_id: int, now: datetime) -> CouncilFront:
    """What the council's page shows of its record: upcoming meetings, the latest decisions the
    actor may see, and the years with an annual decision list: six statements."""
    return CouncilFront(
        upcoming=tuple(upcoming_meetings(session, council_id, now)),
        recent=queries.decisions_of(session, actor, council_id, per_page=RECENT),
        years=queries.decision_years(session, ANONYMOUS, council_id),
    )


def calendar_meetings(session: Session, council: Council) -> list[PublicMeeting]:
    """The council's public meetings for its calendar, cancelled ones too (so that calendars
    that have them strike them out), newest first."""
    return _meetings(
        session,
        sa.select(Meeting)
        .where(_public(council.id))
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
        .limit(CALENDAR_MEETINGS),
    )
