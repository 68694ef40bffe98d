"""The meeting page's read: one frozen view model of everything the page shows, for one viewer.

It stands on the API's read of the meeting (``meeting_reads.read_meeting``): the same visible
items, motions, rounds and decisions, so one decision about visibility serves both. To that it
adds what only the page shows: who submitted, co-signed and is recused (their names decided
here for the viewer, as the council publishes them), the earlier texts, the amendments under
the motion they amend, the register and quorum, why no round can open (for the chair), and
what the viewer may do. In a fixed number of statements whatever the number of motions or
members.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session, selectinload

from wijkraad.auth.actor import Actor
from wijkraad.budget import queries as budget_queries
from wijkraad.budget import transfers
from wijkraad.budget.queries import LineChoice
from wijkraad.councils import services as councils
from wijkraad.meetings import permissions
from wijkraad.meetings import queries as meeting_queries
from wijkraad.meetings import rules as meeting_rules
from wijkraad.meetings import services as meetings
from wijkraad.meetings.apologies import Apology
from wijkraad.meetings.attendance import Presences
from wijkraad.meetings.models import AgendaItem, Meeting
from wijkraad.meetings.register import Register, RegisterLine, read_register, register_loads
from wijkraad.meetings.rules import MeetingStatus
from wijkraad.motions import permissions as motion_permissions
from wijkraad.motions import rules as motion_rules
from wijkraad.motions.models import Motion
from wijkraad.motions.rules import MotionStatus
from wijkraad.voting import rules as voting_rules
from wijkraad.voting import services as voting_services
from wijkraad.voting.meeting_reads import (
    ItemRead,
    MeetingRead,
    MotionRead,
    read_meeting,
    visible_meeting,
)
from wijkraad.voting.queries import RoundState
from wijkraad.voting.rules import RoundStatus
from wijkraad.voting.snapshot import RoundSnapshot, SeatedMember


@dataclass(frozen=True)
class MemberName:
    """A member as the viewer may see them: ``name`` is None for a resident whose name the
    council does not publish (the page says "een bewoner (naam niet openbaar)")."""

    id: int  # the membership
    name: str | None


@dataclass(frozen=True)
class MotionEntry:
    motion: MotionRead
    submitter: MemberName | None
    co_signers: tuple[MemberName, ...]
    versions: tuple[str, ...]  # the earlier texts, oldest first
    amendments: tuple[MotionEntry, ...]  # the visible amendments of this motion, in order
    open_round: RoundState | None  # the latest round, while it is open
    last_round: RoundState | None  # the latest round, once it is closed
    on_formality: bool  # its agenda item is a formality (hamerstuk)
    blockers: tuple[str, ...]  # why the chair can open no round on it now (codes)
    line: LineChoice | None  # the budget line its amount would come from, with what remains
    may_submit: bool  # the viewer may submit this draft
    may_withdraw: bool
    source: LineChoice | None = None  # a transfer: the line the amount moves from


@dataclass(frozen=True)
class ItemEntry:
    item: ItemRead
    is_first: bool  # among the items with the same parent
    is_last: bool
    recused: tuple[MemberName, ...]
    motions: tuple[MotionEntry, ...]  # amendments are under the motion they amend
    formality: motion_rules.FormalityState | None  # None: the item is no formality


@dataclass(frozen=True)
class RoundOnAgenda:
    """An open round, where the page lists them at the top."""

    number: str  # of the agenda item
    entry: MotionEntry


@dataclass(frozen=True)
class CouncilRef:
    id: int
    slug: str
    name: str


@dataclass(frozen=True)
class LaterItem:
    """An item of a later meeting, where a postponed motion can go."""

    id: int
    starts_at: datetime  # of its meeting
    number: str
    title: str


@dataclass(frozen=True)
class MeetingPage:
    meeting: MeetingRead
    council: CouncilRef
    items: tuple[ItemEntry, ...]  # the visible items, in the order of their numbers
    current_item: ItemEntry | None
    current_hidden: bool  # an item is under discussion that the viewer may not see
    open_rounds: tuple[RoundOnAgenda, ...]
    register: Register
    members: tuple[RegisterLine, ...]  # the seated members, residents first, by name
    present_count: int
    seated_count: int
    quorum_needed: int
    has_quorum: bool
    later_items: tuple[LaterItem, ...]  # for those who prepare meetings, else empty
    editable: bool  # neither closed nor cancelled
    correctable: bool  # not yet open: the meeting and its agenda can be corrected
    can_manage: bool
    can_chair: bool
    can_submit: bool  # the viewer may submit a motion here now
    is_member: bool
    apology: Apology | None  # the viewer's own apologies, while they may send or withdraw them


# What the page shows beyond the API's read, loaded with the meeting: the council's members
# with their persons (names, the register), and each item's recusals.
_PAGE_LOADS = (
    *register_loads(),
    selectinload(Meeting.items).selectinload(AgendaItem.recusals),
)


def meeting_page(session: Session, actor: Actor, meeting_id: int, on: date) -> MeetingPage:
    """The meeting page for ``actor`` on day ``on``: eleven statements, two more for those who
    prepare meetings (the later meetings' items), one more for the chair of an open meeting
    (the top-ups whose decision is finished). NotFound for a draft ``actor`` may not see."""
    meeting = visible_meeting(session, actor, meeting_id, *_PAGE_LOADS)
    read, motions = read_meeting(session, actor, meeting)
    council = meeting.council
    council_id = council.id
    can_manage = permissions.can_manage_meeting(actor, council_id)
    can_chair = permissions.can_chair(actor, council_id)
    editable = meeting.status not in (MeetingStatus.CLOSED, MeetingStatus.CANCELLED)

    may_see_names = actor.is_admin or actor.is_member_of(council_id)
    people = {
        m.id: MemberName(m.id, councils.public_name(m, viewer_may_see=may_see_names))
        for m in council.memberships
    }
    own_seat = actor.seats.get(council_id)
    register, state = read_register(
        session,
        meeting,
        on,
        may_see_names=may_see_names,
        sees_reasons=can_manage,
        own=own_seat.membership_id if own_seat else None,
    )

    chairing = can_chair and meeting.status is MeetingStatus.OPEN
    lines = budget_queries.lines_by_id(
        session,
        {i for m in motions for i in (m.budget_line_id, m.source_line_id) if i is not None},
    )
    # The top-ups whose decision's execution is finished: their round cannot open. One
    # statement for the chair of the open meeting, whatever the number of motions.
    closed_top_ups = (
        transfers.closed_top_ups(
            session,
            {
                m.supplements_decision_id
                for m in motions
                if m.supplements_decision_id is not None and motion_rules.votable(m.status)
            },
        )
        if chairing
        else set()
    )
    entries = _motion_entries(
        read,
        motions,
        people,
        actor,
        council_id,
        state if chairing else None,
        lines,
        closed_top_ups,
    )
    items = _item_entries(read, meeting, entries, people)
    current = next((e for e in items if e.item.id == meeting.current_item_id), None)
    return MeetingPage(
        meeting=read,
        council=CouncilRef(council_id, council.slug, council.name),
        items=items,
        current_item=current,
        current_hidden=meeting.current_item_id is not None and current is None,
        open_rounds=tuple(
            RoundOnAgenda(item.item.number, entry)
            for item in items
            for entry in _with_amendments(item.motions)
            if entry.open_round is not None
        ),
        register=register,
        members=register.lines,
        present_count=register.present_count,
        seated_count=register.seated_count,
        quorum_needed=register.quorum_needed,
        has_quorum=register.has_quorum,
        later_items=_later_items(session, meeting) if can_manage else (),
        editable=editable,
        correctable=meeting.status in (MeetingStatus.DRAFT, MeetingStatus.PUBLISHED),
        can_manage=can_manage,
        can_chair=can_chair,
        can_submit=permissions.can_submit_motion(actor, council_id) and editable,
        is_member=actor.is_member_of(council_id),
        apology=_own_apology(actor, meeting, register),
    )


def _own_apology(actor: Actor, meeting: Meeting, register: Register) -> Apology | None:
    """The viewer's apologies, from the register already read, while they may send them."""
    seat = actor.seats.get(meeting.council_id)
    if seat is None or not meeting_rules.may_send_apologies(meeting.status):
        return None
    line = register.line(seat.membership_id)
    if line is None:  # not seated on the day
        return None
    return Apology(line.id, line.apologised_at, line.reason, line.presence)


def _with_amendments(entries: Iterable[MotionEntry]) -> list[MotionEntry]:
    return [e for entry in entries for e in (entry, *_with_amendments(entry.amendments))]


def _motion_entries(
    read: MeetingRead,
    motions: list[Motion],
    people: Mapping[int, MemberName],
    actor: Actor,
    council_id: int,
    state: Presences | None,
    lines: Mapping[int, LineChoice],
    closed_top_ups: Collection[int],
) -> dict[int, MotionEntry]:
    """An entry for each visible motion that amends no visible motion, its amendments nested,
    by motion id. ``state``: the register while the chair runs the open meeting, for their
    blockers (None: no blockers). The chair sees every motion of the meeting, so the visible
    ones are all there are."""
    loaded = {m.id: m for m in motions}
    visible = sorted((m for i in read.agenda for m in i.motions), key=lambda m: m.id)
    formality = {i.id: i.is_formality for i in read.agenda}
    open_ids = {
        m.id
        for m in visible
        if m.latest_round is not None and m.latest_round.status is RoundStatus.OPEN
    }
    blockers = (
        _blockers(
            [loaded[m.id] for m in visible if motion_rules.votable(m.status)],
            state,
            open_ids,
            lines,
            closed_top_ups,
        )
        if state is not None
        else {}
    )
    seat = actor.seats.get(council_id)
    chair = permissions.can_chair(actor, council_id)
    ids = {m.id for m in visible}
    amendments: dict[int, list[MotionRead]] = defaultdict(list)
    for motion in visible:
        if motion.amends_id in ids:
            amendments[motion.amends_id].append(motion)

    def entry(motion: MotionRead) -> MotionEntry:
        latest = motion.latest_round
        is_open = latest is not None and latest.status is RoundStatus.OPEN
        return MotionEntry(
            motion=motion,
            submitter=people[motion.submitted_by_id] if motion.submitted_by_id else None,
            co_signers=tuple(people[i] for i in motion.signer_ids),
            versions=tuple(v.text for v in loaded[motion.id].versions),
            amendments=tuple(entry(a) for a in amendments[motion.id]),
            open_round=latest if is_open else None,
            last_round=latest if not is_open else None,
            on_formality=formality[motion.agenda_item_id],
            blockers=tuple(blockers.get(motion.id, ())),
            line=lines.get(motion.budget_line_id) if motion.budget_line_id else None,
            may_submit=motion.status is MotionStatus.DRAFT
            and motion_permissions.can_submit_draft(actor, council_id, motion.submitted_by_id),
            may_withdraw=motion_rules.may_move(motion.status, MotionStatus.WITHDRAWN)
            and (chair or (seat is not None and seat.membership_id == motion.submitted_by_id)),
            source=lines.get(motion.source_line_id) if motion.source_line_id else None,
        )

    return {m.id: entry(m) for m in visible if m.amends_id not in ids}


def _item_entries(
    read: MeetingRead,
    meeting: Meeting,
    entries: Mapping[int, MotionEntry],
    people: Mapping[int, MemberName],
) -> tuple[ItemEntry, ...]:
    loaded = {i.id: i for i in meeting.items}
    # First and last among all the items with the same parent, also those the viewer may not
    # see: only those who may see them all move items.
    siblings: dict[int | None, list[int]] = defaultdict(list)
    for i in sorted(meeting.items, key=lambda i: (i.position, i.id)):
        siblings[i.parent_id].append(i.id)

    result = []
    for item in read.agenda:
        order = siblings[item.parent_id]
        recusals = sorted(loaded[item.id].recusals, key=lambda r: r.id)
        result.append(
            ItemEntry(
                item=item,
                is_first=order[0] == item.id,
                is_last=order[-1] == item.id,
                recused=tuple(people[r.membership_id] for r in recusals),
                motions=tuple(entries[m.id] for m in item.motions if m.id in entries),
                formality=motion_rules.formality_state(
                    [(m.status, m.vote_requested) for m in item.motions if m.amends_id is None]
                )
                if item.is_formality
                else None,
            )
        )
    return tuple(result)


def _blockers(
    motions: Iterable[Motion],
    state: Presences,
    open_round_motion_ids: set[int],
    lines: Mapping[int, LineChoice],
    closed_top_ups: Collection[int],
) -> dict[int, list[str]]:
    """Why no round can open on each of ``motions`` now, from what is loaded already: the
    register (``state``), each item's recusals, the motions' amendments and the decisions
    that top-ups can no longer add to (``closed_top_ups``). The same rules as ``services.
    blockers`` and ``services.open_round``, without a statement per motion."""
    seated = [SeatedMember(m.id, m.seat, m.person.name) for m in state.seated]
    result = {}
    for motion in motions:
        snap = RoundSnapshot.taken(
            seated,
            present=state.present,
            absent_with_notice=state.absent_with_notice,
            recused=meetings.recused_ids(motion.agenda_item),
        )
        money_line = transfers.money_line_id(motion)
        line = lines.get(money_line) if money_line else None
        ctx = voting_services.context(
            motion,
            snap,
            round_open=motion.id in open_round_motion_ids,
            line_remaining_cents=line.remaining_cents if line else None,
        )
        found = voting_rules.round_blockers(ctx)
        if not motion_rules.votable(motion.status) and "round-already-open" not in found:
            found.append("motion-not-votable")
        if motion_rules.open_amendments_block([a.status for a in motion.amendments]):
            found.append("amendments-first")
        if motion.supplements_decision_id in closed_top_ups:
            found.append("top-up-closed")
        result[motion.id] = found
    return result


def _later_items(session: Session, meeting: Meeting) -> tuple[LaterItem, ...]:
    """Where a postponed motion can go: the items of the council's later, unfinished meetings."""
    return tuple(
        LaterItem(item.id, later.starts_at, number, item.title)
        for later in meeting_queries.later_meetings(session, meeting)
        for number, item in meetings.ordered_items(later)
    )
