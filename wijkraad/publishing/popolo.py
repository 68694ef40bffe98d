"""A council's record as Popolo (popoloproject.com): who sits in it, its meetings, its motions
and every public vote on them, in one JSON document anyone can check.

The document (``popolo_export``; its schema is in tests/schemas/popolo/)::

    {"meta": {...}, "organizations": [...], "persons": [...], "memberships": [...],
     "events": [...], "motions": [...], "vote_events": [...]}

- **organizations**: the council, and its two groups (``classification: "group"``,
  ``parent_id`` the council): the residents and the councillors.
- **persons**: everyone who held a seat. A resident of a council that does not publish
  residents' names is ``{"id": "<slug>/resident/<n>", "name": "bewoner"}``, one per seat,
  stable from one export to the next. Nobody's contact details, ever.
- **memberships**: each seat twice: in the council (``role`` ``chair | secretary | member``)
  and in its group; ``start_date`` and ``end_date`` (the day it ended) as dates.
- **events**: the meetings but their drafts (``classification: "meeting"``); ``status`` from
  Popolo's list (``confirmed | cancelled``), ours in ``extras.status``.
- **motions**: every public motion that was decided or voted on; ``result`` ``pass | fail``
  once decided, ``requirement`` in words (the code in ``extras.requirement``),
  ``legislative_session_id`` its meeting, ``identifier`` its decision's (``OST-2026-014``).
- **vote_events**: every closed public round. ``counts`` of ``yes``, ``no``, ``abstain`` and
  ``absent`` (seated but not voting), ``votes`` one per seated member of a named round
  (``absent`` for those who did not vote, as the round's snapshot says; none for a show of
  hands), ``group_results`` per group with its ``result`` and its own ``counts``: the
  residents' result is the residents' majority of the double majority. ``result`` is
  ``pass | fail``, or ``postponed`` (a tie) or ``invalid`` (too few took part), which Popolo's
  code list allows. ``extras`` holds what the council's rule needs to decide the round again
  (``flask --app wijkraad verify outcomes``): ``rule``, ``requirement``, ``entitled_present``,
  ``all_seated_present``, ``earlier_tie``, and the ``outcome`` and ``reason`` it gave.

Additional properties Popolo does not define are collected in ``extras`` (as Popolo's JSON
patterns suggest), except a group result's ``counts``, shaped as Popolo's Count. Confidential
items' motions and votes appear nowhere; the export is the public view whoever asks.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from wijkraad.councils.rules import Seat
from wijkraad.meetings.rules import MeetingStatus
from wijkraad.publishing import record as records
from wijkraad.publishing.record import CouncilRecord, RecordMember, RecordRound
from wijkraad.publishing.vocabulary import (
    GROUP_NAMES,
    REQUIREMENT_WORDS,
    ROLE_WORDS,
    SEAT_WORDS,
    UNNAMED,
    utc,
)
from wijkraad.voting.rules import Choice, GroupCounts, Outcome, RoundMode, passes

FORMAT = "popolo"
VERSION = 1

RESULTS = {
    Outcome.ADOPTED: "pass",
    Outcome.REJECTED: "fail",
    Outcome.POSTPONED: "postponed",
    Outcome.INVALID: "invalid",
}
ABSENT = "absent"
OPTIONS = (Choice.YES.value, Choice.NO.value, Choice.ABSTAIN.value, ABSENT)
GROUP_KEYS = {Seat.RESIDENT: "residents", Seat.COUNCILLOR: "councillors"}


def popolo_export(session: Session, slug: str) -> dict[str, Any]:
    """The council's Popolo document, read in a fixed number of statements; NotFound for an
    unknown council. Always the public view, whoever asks."""
    return popolo_document(records.council_record(session, slug))


def popolo_document(record: CouncilRecord) -> dict[str, Any]:
    """The Popolo document of a record (pure)."""
    slug = record.council.slug
    ids = _Ids(slug)
    members = {m.membership_id: m for m in record.members}
    decisions = {d.motion_id: d for d in record.decisions}
    items = {i.id: i for i in record.items}
    motions = {m.id: m for m in record.motions}
    return {
        "meta": {
            "format": FORMAT,
            "version": VERSION,
            "council": slug,
            "publishes_resident_names": record.council.publishes_resident_names,
        },
        "organizations": _organizations(record, ids),
        "persons": _persons(record.members, ids),
        "memberships": [m for member in record.members for m in _memberships(member, ids)],
        "events": [
            {
                "id": ids.meeting(m.id),
                "name": m.title,
                "classification": "meeting",
                "organization_id": ids.council,
                "start_date": utc(m.starts_at),
                **({"end_date": utc(m.closed_at)} if m.closed_at else {}),
                "location": m.location,
                "status": "cancelled" if m.status is MeetingStatus.CANCELLED else "confirmed",
                "extras": {"status": m.status.value},
            }
            for m in record.meetings
        ],
        "motions": [
            _motion(motion, decisions.get(motion.id), items.get(motion.agenda_item_id), record, ids)
            for motion in record.motions
        ],
        "vote_events": [
            _vote_event(r, motions[r.motion_id], members, record, ids) for r in record.rounds
        ],
    }


class _Ids:
    """The document's ids: stable strings under the council's slug."""

    def __init__(self, slug: str) -> None:
        self.council = slug

    def group(self, seat: Seat) -> str:
        return f"{self.council}/group/{GROUP_KEYS[seat]}"

    def person(self, member: RecordMember) -> str:
        return f"{self.council}/{member.person_key}"

    def membership(self, membership_id: int) -> str:
        return f"{self.council}/membership/{membership_id}"

    def meeting(self, meeting_id: int) -> str:
        return f"{self.council}/meeting/{meeting_id}"

    def motion(self, motion_id: int) -> str:
        return f"{self.council}/motion/{motion_id}"

    def vote_event(self, round_id: int) -> str:
        return f"{self.council}/vote-event/{round_id}"


def _organizations(record: CouncilRecord, ids: _Ids) -> list[dict[str, Any]]:
    council = record.council
    main = {
        "id": ids.council,
        "name": council.name,
        "classification": "council",
        "identifiers": [{"identifier": council.code, "scheme": "wijkraad-code"}],
        "extras": {
            "municipality": council.municipality,
            "decision_rule": council.decision_rule.value,
            "resident_seats": council.resident_seats,
            "councillor_seats": council.councillor_seats,
        },
    }
    groups = [
        {
            "id": ids.group(seat),
            "name": GROUP_NAMES[seat],
            "classification": "group",
            "parent_id": ids.council,
            "extras": {"seat": seat.value},
        }
        for seat in Seat
    ]
    return [main, *groups]


def _persons(members: tuple[RecordMember, ...], ids: _Ids) -> list[dict[str, Any]]:
    persons: dict[str, dict[str, Any]] = {}
    for member in members:
        persons.setdefault(ids.person(member), {"id": ids.person(member), "name": _name(member)})
    return list(persons.values())


def _name(member: RecordMember) -> str:
    return member.name if member.name is not None else UNNAMED


def _memberships(member: RecordMember, ids: _Ids) -> list[dict[str, Any]]:
    dates = {"start_date": member.starts_on.isoformat()}
    if member.ends_on is not None:
        dates["end_date"] = member.ends_on.isoformat()
    own = ids.membership(member.membership_id)
    return [
        {
            "id": own,
            "person_id": ids.person(member),
            "organization_id": ids.council,
            "role": member.role.value,
            "label": ROLE_WORDS[member.role],
            **dates,
            "extras": {"seat": member.seat.value},
        },
        {
            "id": f"{own}/group",
            "person_id": ids.person(member),
            "organization_id": ids.group(member.seat),
            "role": "member",
            "label": SEAT_WORDS[member.seat],
            **dates,
        },
    ]


def _motion(
    motion: records.RecordMotion,
    decision: records.DecisionView | None,
    item: records.RecordItem | None,
    record: CouncilRecord,
    ids: _Ids,
) -> dict[str, Any]:
    rule = record.council.decision_rule
    classification = "motion"
    if motion.amends_id is not None:
        classification = "amendment"
    elif item is not None and item.is_formality:
        classification = "formality"
    out: dict[str, Any] = {
        "id": ids.motion(motion.id),
        "organization_id": ids.council,
        "legislative_session_id": ids.meeting(motion.meeting_id),
        "classification": classification,
        "text": motion.text,
        "date": utc(motion.submitted_at),
        "requirement": REQUIREMENT_WORDS[rule, motion.requirement],
    }
    if decision is not None:
        out["identifier"] = decision.identifier
        out["result"] = RESULTS[decision.outcome]
    extras: dict[str, Any] = {"title": motion.title, "requirement": motion.requirement.value}
    if motion.amends_id is not None:
        extras["amends_id"] = ids.motion(motion.amends_id)
    if item is not None:
        extras["agenda_item"] = {"number": item.number, "title": item.title}
    if decision is not None:
        extras["decision"] = {
            "identifier": decision.identifier,
            "text": decision.text,
            "explanation": decision.explanation,
            "commitments": decision.commitments,
            "outcome": decision.outcome.value,
            "decided_on": decision.decided_on.isoformat(),
            "budget_line_id": decision.budget_line_id,
            "amount_cents": decision.amount_cents,
        }
    out["extras"] = extras
    return out


def _counts(counts: GroupCounts, absent: int) -> list[dict[str, Any]]:
    values = (counts.yes, counts.no, counts.abstain, absent)
    return [
        {"option": option, "value": value} for option, value in zip(OPTIONS, values, strict=True)
    ]


def _vote_event(
    vote_round: RecordRound,
    motion: records.RecordMotion,
    members: dict[int, RecordMember],
    record: CouncilRecord,
    ids: _Ids,
) -> dict[str, Any]:
    seats = {mid: members[mid].seat for mid in vote_round.seated if mid in members}
    tally = vote_round.tally
    group_counts = {Seat.RESIDENT: tally.residents, Seat.COUNCILLOR: tally.councillors}

    def seated_in(seat: Seat) -> int:
        return sum(1 for s in seats.values() if s is seat)

    absent = {seat: max(0, seated_in(seat) - group_counts[seat].cast) for seat in Seat}
    out: dict[str, Any] = {
        "id": ids.vote_event(vote_round.id),
        "motion_id": ids.motion(vote_round.motion_id),
        "organization_id": ids.council,
        "legislative_session_id": ids.meeting(vote_round.meeting_id),
        "start_date": utc(vote_round.opened_at),
        **({"end_date": utc(vote_round.closed_at)} if vote_round.closed_at else {}),
        "result": RESULTS[vote_round.outcome],
        "counts": _counts(tally.total, sum(absent.values())),
        "group_results": [
            {
                "group_id": ids.group(seat),
                "result": "pass" if passes(group_counts[seat], motion.requirement) else "fail",
                "counts": _counts(group_counts[seat], absent[seat]),
            }
            for seat in Seat
        ],
    }
    if vote_round.mode is RoundMode.NAMED:
        cast = dict(vote_round.votes)
        out["votes"] = [
            {
                "voter_id": ids.person(members[mid]),
                "option": cast[mid].value if mid in cast else ABSENT,
            }
            for mid in sorted(seats, key=lambda m: (seats[m] is not Seat.RESIDENT, m))
        ]
    out["extras"] = {
        "mode": vote_round.mode.value,
        "rule": record.council.decision_rule.value,
        "requirement": motion.requirement.value,
        "seated": len(vote_round.seated),
        "present": len(vote_round.present),
        "entitled_present": len(vote_round.entitled),
        "all_seated_present": vote_round.all_seated_present,
        "earlier_tie": vote_round.earlier_tie,
        "outcome": vote_round.outcome.value,
        "reason": vote_round.reason,
    }
    return out
