"""Completing the decisions of a meeting: the secretary writes why (the explanation), what was
promised (the commitments) and may shorten the decision's text, until the meeting's minutes are
approved; from then on the decision is frozen with them.

An edit names the version it started from (``decision_version`` of the three texts as the form
showed them). Two secretaries saving the same decision at once: the update is conditional on
the texts it read, so the later one finds them changed and gets ``409 decision-changed``
instead of overwriting the earlier one silently.
"""

from __future__ import annotations

import hashlib
import json

import sqlalchemy as sa
from sqlalchemy.orm import Session

from wijkraad import audit
from wijkraad.auth.actor import Actor
from wijkraad.errors import Conflict, FieldError, Invalid, NotFound, require
from wijkraad.meetings import permissions
from wijkraad.minutes.diff import normalized
from wijkraad.minutes.models import Minutes
from wijkraad.minutes.rules import NOTE_MAX, MinutesStatus
from wijkraad.voting.models import Decision

# The decision itself, as ODS's besluitresultaat: at most 200 characters.
TEXT_MAX = 200


def get_decision(session: Session, decision_id: int) -> Decision:
    decision = session.get(Decision, decision_id)
    if decision is None:
        raise NotFound("decision-not-found")
    return decision


def decision_version(text: str, explanation: str, commitments: str) -> str:
    """A short key of the three texts: equal keys, equal texts."""
    blob = json.dumps([text, explanation, commitments], ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()[:20]


def _approved() -> sa.Exists:
    """The decision's meeting has approved minutes (inside an UPDATE of decisions)."""
    return (
        sa.select(Minutes.id)
        .where(Minutes.meeting_id == Decision.meeting_id, Minutes.status == MinutesStatus.APPROVED)
        .exists()
    )


def _checked(text: str, explanation: str, commitments: str) -> tuple[str, str, str]:
    text, explanation, commitments = (
        normalized(value).strip() for value in (text, explanation, commitments)
    )
    errors = []
    if not text:
        errors.append(FieldError("text", "decision-text-required"))
    elif len(text) > TEXT_MAX:
        errors.append(FieldError("text", "text-too-long", max=str(TEXT_MAX)))
    for name, value in (("explanation", explanation), ("commitments", commitments)):
        if len(value) > NOTE_MAX:
            errors.append(FieldError(name, "text-too-long", max=str(NOTE_MAX)))
    if errors:
        first = errors[0]
        raise Invalid(first.code, field=first.field, errors=errors, **first.params)
    return text, explanation, commitments


def complete_decision(
    session: Session,
    actor: Actor,
    decision: Decision,
    *,
    text: str,
    explanation: str,
    commitments: str,
    based_on: str | None = None,
) -> Decision:
    """Sets the decision's text (1 to 200 characters), explanation and commitments (each at
    most 20,000). ``based_on``: the ``decision_version`` the edit started from; without it,
    the texts as this call reads them."""
    require(permissions.can_manage_meeting(actor, decision.council_id))
    status = session.scalar(
        sa.select(Minutes.status).where(Minutes.meeting_id == decision.meeting_id)
    )
    if status is MinutesStatus.APPROVED:
        raise Conflict("decision-frozen")
    text, explanation, commitments = _checked(text, explanation, commitments)
    old = session.execute(
        sa.select(Decision.text, Decision.explanation, Decision.commitments).where(
            Decision.id == decision.id
        )
    ).one()
    if based_on is not None and based_on != decision_version(*old):
        raise Conflict("decision-changed")
    if (text, explanation, commitments) == tuple(old):
        return decision
    moved = session.execute(
        sa.update(Decision)
        .where(
            Decision.id == decision.id,
            Decision.text == old.text,
            Decision.explanation == old.explanation,
            Decision.commitments == old.commitments,
            sa.not_(_approved()),
        )
        .values(text=text, explanation=explanation, commitments=commitments)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:
        frozen = session.scalar(
            sa.select(Minutes.status).where(Minutes.meeting_id == decision.meeting_id)
        )
        raise Conflict(
            "decision-frozen" if frozen is MinutesStatus.APPROVED else "decision-changed"
        )
    session.refresh(decision)
    audit.record(
        session,
        actor.user_id,
        "decision.complete",
        decision,
        council_id=decision.council_id,
        meeting_id=decision.meeting_id,
        old={"text": old.text, "explanation": old.explanation, "commitments": old.commitments},
        new={"text": text, "explanation": explanation, "commitments": commitments},
    )
    return decision
