"""The agenda items as the motions on them concern them: removing an item before the meeting
opens, and the motion a formality (hamerstuk) is decided on.

Removing an item: refused while it has sub-items, documents, or any motion that is not a
draft (a submitted motion is public, and may have been voted on: it has to be withdrawn or put
elsewhere first; withdrawn motions stay too, as the record of them does). Drafts on it, which
nobody but their authors and the meeting's preparers has seen, go with it.

A formality is adopted by the chair's gavel on the item itself: the item's motion, or when it
has none, a motion made from the item (its title and explanation). A member who asks for a vote
on the item gets that same motion, marked: from then on it goes the way of a vote.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from wijkraad import audit
from wijkraad.auth.actor import Actor
from wijkraad.errors import Conflict, Forbidden, require
from wijkraad.meetings import corrections, permissions
from wijkraad.meetings import services as meetings
from wijkraad.meetings.corrections import fresh_item
from wijkraad.meetings.models import AgendaItem, Meeting, Recusal
from wijkraad.meetings.rules import MeetingStatus
from wijkraad.motions import rules, services
from wijkraad.motions.models import Motion, MotionSigner, MotionVersion
from wijkraad.motions.rules import MotionStatus

# Read by name, as these packages stand above this one: what else may hang on an item.
_DOCUMENTS = sa.table("documents", sa.column("agenda_item_id"), sa.column("motion_id"))
_NOTES = sa.table("minutes_notes", sa.column("agenda_item_id"))


def motions_on(session: Session, item: AgendaItem) -> list[Motion]:
    """Every motion on the item, read afresh, oldest first."""
    return list(
        session.scalars(
            sa.select(Motion)
            .where(Motion.agenda_item_id == item.id)
            .order_by(Motion.id)
            .execution_options(populate_existing=True)
        )
    )


def removal_problem(session: Session, item: AgendaItem) -> str | None:
    """Why the item cannot be removed now (an error code), or None."""
    if session.scalar(sa.select(AgendaItem.id).where(AgendaItem.parent_id == item.id).limit(1)):
        return "item-has-sub-items"
    found = motions_on(session, item)
    if any(m.status is not MotionStatus.DRAFT for m in found):
        return "item-has-motions"
    ids = [m.id for m in found]
    documents = sa.or_(
        _DOCUMENTS.c.agenda_item_id == item.id,
        _DOCUMENTS.c.motion_id.in_(ids) if ids else sa.false(),
    )
    if session.scalar(sa.select(sa.func.count()).select_from(_DOCUMENTS).where(documents)):
        return "item-has-documents"
    if session.scalar(
        sa.select(sa.func.count()).select_from(_NOTES).where(_NOTES.c.agenda_item_id == item.id)
    ):
        return "item-has-notes"
    return None


def remove_item(session: Session, actor: Actor, item: AgendaItem) -> list[int]:
    """Removes the item and the drafts on it, until the meeting opens; the items after it
    move up. Returns the ids of the drafts that went with it."""
    meeting = item.meeting
    require(permissions.can_manage_meeting(actor, meeting.council_id))
    meetings.lock(session, meeting)
    corrections.check_correctable(meeting)
    item = fresh_item(session, item.id)
    if problem := removal_problem(session, item):
        raise Conflict(problem)
    number = meetings.numbers(meeting).get(item.id)
    drafts = motions_on(session, item)
    draft_ids = [m.id for m in drafts]
    audit.record(
        session,
        actor.user_id,
        "agenda.remove",
        item,
        council_id=meeting.council_id,
        meeting_id=meeting.id,
        number=number,
        title=item.title,
        description=item.description,
        is_formality=item.is_formality,
        is_confidential=item.is_confidential,
        drafts=draft_ids,
    )
    if draft_ids:
        session.execute(sa.delete(MotionSigner).where(MotionSigner.motion_id.in_(draft_ids)))
        session.execute(sa.delete(MotionVersion).where(MotionVersion.motion_id.in_(draft_ids)))
        for draft in drafts:
            session.delete(draft)
    session.execute(sa.delete(Recusal).where(Recusal.agenda_item_id == item.id))
    if meeting.current_item_id == item.id:
        meeting.current_item_id = None
    session.flush()
    corrections.renumber(session, item)
    session.delete(item)
    session.flush()
    session.expire(meeting, ["items"])
    return draft_ids


def item_motion(session: Session, item: AgendaItem) -> Motion | None:
    """The motion a formality is decided on: the item's first motion (not an amendment) that
    is neither a draft nor withdrawn."""
    return next(
        (
            m
            for m in motions_on(session, item)
            if m.amends_id is None and m.status not in (MotionStatus.DRAFT, MotionStatus.WITHDRAWN)
        ),
        None,
    )


@dataclass(frozen=True)
class FormalityInDiscussion:
    """The formality item under discussion, on which a member can still ask for a vote."""

    item_id: int
    number: str
    title: str


def formality_in_discussion(
    session: Session, actor: Actor, meeting_id: int
) -> FormalityInDiscussion | None:
    """For a member's phone: the open meeting's item under discussion when it is a formality
    nobody has asked a vote on and nothing is decided yet; None otherwise (and for those who
    are no member, or may not see the item). Three statements, whatever there is."""
    meeting = meetings.get_meeting(session, meeting_id)
    items = {i.id: i for i in meeting.items}
    rows = session.execute(
        sa.select(AgendaItem.id, Motion.status, Motion.vote_requested)
        .join(Meeting, Meeting.current_item_id == AgendaItem.id)
        .outerjoin(
            Motion, sa.and_(Motion.agenda_item_id == AgendaItem.id, Motion.amends_id.is_(None))
        )
        .where(Meeting.id == meeting.id)
    ).all()
    if not rows or meeting.status is not MeetingStatus.OPEN:
        return None
    item = items[rows[0].id]
    if not item.is_formality or not actor.is_member_of(meeting.council_id):
        return None
    if item.id in meetings.hidden_item_ids(actor, meeting):
        return None
    state = rules.formality_state(
        [(r.status, r.vote_requested) for r in rows if r.status is not None]
    )
    if state not in (rules.FormalityState.GAVEL, rules.FormalityState.MOTION):
        return None
    return FormalityInDiscussion(item.id, meetings.numbers(meeting).get(item.id, ""), item.title)


def check_formality(item: AgendaItem, motion: Motion | None) -> None:
    if not item.is_formality:
        raise Conflict("not-a-formality")
    if motion is not None and motion.status in (MotionStatus.ADOPTED, MotionStatus.REJECTED):
        raise Conflict("formality-decided")


def motion_from_item(
    session: Session, actor: Actor, item: AgendaItem, *, vote_requested: bool = False
) -> Motion:
    """A motion made from the formality item itself: its title, and its explanation as text."""
    motion = Motion(
        agenda_item=item,
        title=item.title,
        text=item.description or item.title,
        status=MotionStatus.SUBMITTED,
        vote_requested=vote_requested,
    )
    session.add(motion)
    session.flush()
    audit.record(
        session,
        actor.user_id,
        "motion.from_item",
        motion,
        council_id=item.meeting.council_id,
        item_id=item.id,
        title=motion.title,
        vote_requested=vote_requested,
    )
    return motion


def formality_motion(session: Session, actor: Actor, item: AgendaItem) -> Motion:
    """The motion for the chair's gavel on ``item``, made from the item when it has none.
    Call under the meeting's lock."""
    item = fresh_item(session, item.id)
    motion = item_motion(session, item)
    check_formality(item, motion)
    return motion if motion is not None else motion_from_item(session, actor, item)


def request_vote_on_item(session: Session, actor: Actor, item: AgendaItem) -> Motion:
    """A member asks for a vote on a formality item: on its motion, made from the item when it
    has none (under the meeting's lock, so that two members asking make one motion)."""
    meeting = item.meeting
    if not actor.is_member_of(meeting.council_id):
        raise Forbidden()
    meetings.lock(session, meeting)
    if meeting.status not in (MeetingStatus.PUBLISHED, MeetingStatus.OPEN):
        raise Conflict("meeting-not-open")
    item = fresh_item(session, item.id)
    motion = item_motion(session, item)
    check_formality(item, motion)
    if motion is not None and not rules.votable(motion.status):
        raise Conflict("motion-not-votable")
    if motion is None:
        return motion_from_item(session, actor, item, vote_requested=True)
    services.request_vote(session, actor, motion)
    return motion
