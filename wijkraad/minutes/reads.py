"""Reads for the minutes' screens, beside ``queries.minutes_view``: the page with where the
minutes were approved and where they can be, earlier revisions, and the facts of a meeting whose
decisions the secretary completes. Each in a fixed number of statements; who may see what is
decided as in ``minutes_view`` (drafts and revisions for members and administrators only).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from wijkraad.auth.actor import Actor
from wijkraad.auth.models import User
from wijkraad.errors import NotFound
from wijkraad.meetings import permissions
from wijkraad.meetings.models import Meeting
from wijkraad.meetings.rules import MeetingStatus
from wijkraad.minutes import queries
from wijkraad.minutes.models import Minutes, MinutesRevision
from wijkraad.minutes.queries import MinutesView
from wijkraad.minutes.rules import MinutesStatus
from wijkraad.voting import meeting_reads
from wijkraad.voting.meeting_reads import MotionRead
from wijkraad.voting.rules import Tally


@dataclass(frozen=True)
class MeetingLink:
    id: int
    title: str
    starts_at: datetime


@dataclass(frozen=True)
class MinutesPage:
    view: MinutesView
    council_id: int
    council_slug: str
    meeting_status: MeetingStatus
    approved_at: MeetingLink | None
    # Where the chair may approve the minutes now: the council's later meetings that are open.
    # Empty for anyone else, and once approved.
    candidates: tuple[MeetingLink, ...]
    inside: bool  # a member or an administrator: drafts and revisions


@dataclass(frozen=True)
class RevisionRead:
    number: int
    author: str | None
    created_at: datetime | None  # None: revision 0, the empty start
    remarks: str
    notes: dict[int, str] = field(default_factory=dict)  # agenda item id -> text

    def note(self, item_id: int) -> str:
        return self.notes.get(item_id, "")


@dataclass(frozen=True)
class MeetingFacts:
    id: int
    title: str
    starts_at: datetime
    status: MeetingStatus
    council_id: int
    council_name: str
    council_slug: str
    minutes_status: MinutesStatus | None

    @property
    def frozen(self) -> bool:
        return self.minutes_status is MinutesStatus.APPROVED


def _inside(actor: Actor, council_id: int) -> bool:
    return actor.is_admin or actor.is_member_of(council_id)


def minutes_page(session: Session, actor: Actor, meeting_id: int) -> MinutesPage:
    """The minutes as ``minutes_view`` reads them, with the meeting that approved them and,
    for the chair of a draft, the meetings that can."""
    view = queries.minutes_view(session, actor, meeting_id)
    # Loaded by the read above: from the identity map, without a statement.
    meeting = session.get(Meeting, meeting_id)
    assert meeting is not None
    approved_at = None
    if view.approved_at_meeting_id is not None:
        found = session.get(Meeting, view.approved_at_meeting_id)
        if found is not None:
            approved_at = MeetingLink(found.id, found.title, found.starts_at)
    candidates: tuple[MeetingLink, ...] = ()
    if view.status is MinutesStatus.DRAFT and permissions.can_chair(actor, meeting.council_id):
        candidates = tuple(
            MeetingLink(m.id, m.title, m.starts_at)
            for m in session.execute(
                sa.select(Meeting.id, Meeting.title, Meeting.starts_at)
                .where(
                    Meeting.council_id == meeting.council_id,
                    Meeting.starts_at > meeting.starts_at,
                    Meeting.status == MeetingStatus.OPEN,
                )
                .order_by(Meeting.starts_at, Meeting.id)
            )
        )
    return MinutesPage(
        view=view,
        council_id=meeting.council_id,
        council_slug=meeting.council.slug,
        meeting_status=meeting.status,
        approved_at=approved_at,
        candidates=candidates,
        inside=_inside(actor, meeting.council_id),
    )


def revisions(
    session: Session, actor: Actor, view: MinutesView, council_id: int, numbers: Iterable[int]
) -> dict[int, RevisionRead]:
    """The revisions ``numbers`` of the minutes ``view`` shows, with their full text, for a
    member or an administrator (NotFound for anyone else): one statement. Revision 0 is the
    empty start. Notes on an item ``view`` does not show are left out."""
    if not _inside(actor, council_id):
        raise NotFound("minutes-revision-not-found")
    wanted = set(numbers)
    visible = {i.item.id for i in view.items}
    found: dict[int, RevisionRead] = {}
    if 0 in wanted:
        found[0] = RevisionRead(0, None, None, "")
    rows = session.execute(
        sa.select(
            MinutesRevision.number,
            User.name,
            MinutesRevision.created_at,
            MinutesRevision.content,
        )
        .join(Minutes, Minutes.id == MinutesRevision.minutes_id)
        .outerjoin(User, User.id == MinutesRevision.author_id)
        .where(Minutes.meeting_id == view.meeting.id, MinutesRevision.number.in_(wanted))
    )
    for row in rows:
        content = row.content or {}
        notes = {}
        for key, text in (content.get("notes") or {}).items():
            if str(key).isdigit() and int(key) in visible:
                notes[int(key)] = str(text)
        found[row.number] = RevisionRead(
            row.number, row.name, row.created_at, str(content.get("remarks") or ""), notes
        )
    return found


def latest(view: MinutesView) -> RevisionRead:
    """The text as it stands now (the latest revision), from the view itself."""
    newest = view.revisions[0] if view.revisions else None
    return RevisionRead(
        view.revision,
        newest.author if newest else None,
        newest.created_at if newest else None,
        view.remarks,
        {i.item.id: i.notes for i in view.items if i.notes},
    )


def meeting_facts(session: Session, actor: Actor, meeting_id: int) -> MeetingFacts:
    """The meeting (NotFound when the actor may not see it) and the state of its minutes."""
    meeting = meeting_reads.visible_meeting(session, actor, meeting_id)
    status = session.scalar(sa.select(Minutes.status).where(Minutes.meeting_id == meeting_id))
    return MeetingFacts(
        id=meeting.id,
        title=meeting.title,
        starts_at=meeting.starts_at,
        status=meeting.status,
        council_id=meeting.council_id,
        council_name=meeting.council.name,
        council_slug=meeting.council.slug,
        minutes_status=status,
    )


def meeting_of_council(session: Session, council_id: int, meeting_id: int) -> Meeting | None:
    """A meeting of the council, or None: where the chair says the minutes were approved."""
    return session.scalar(
        sa.select(Meeting).where(Meeting.id == meeting_id, Meeting.council_id == council_id)
    )


def motion_outcome(motion: MotionRead) -> str | None:
    """What came of a motion in this meeting: the outcome of its last closed round, or
    "adopted" for a formality adopted without a vote; None while nothing was decided."""
    for vote_round in reversed(motion.rounds):
        if vote_round.state.outcome is not None:
            return vote_round.state.outcome.value
    if motion.decision is not None and motion.status == "adopted":
        return "adopted"
    return None


def last_tally(motion: MotionRead) -> Tally | None:
    """The counts of the motion's last closed round, if it had one."""
    for vote_round in reversed(motion.rounds):
        if vote_round.state.outcome is not None:
            return vote_round.state.tally
    return None
