"""Every change of a motion's status goes through the table of moves and leaves an audit row."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.conftest import bearer
from tests.integration.test_api_voting import council, meeting_with_motion  # noqa: F401  (fixture)
from wijkraad.audit import AuditEvent
from wijkraad.auth.actor import Actor
from wijkraad.errors import Conflict
from wijkraad.extensions import db
from wijkraad.motions import services as motions
from wijkraad.motions.models import Motion
from wijkraad.motions.rules import MotionStatus

ADMIN = Actor(user_id=None, is_admin=True)


def moves(motion_id: int) -> list[tuple[str, str]]:
    rows = db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.subject_type == "motions", AuditEvent.subject_id == motion_id)
        .where(AuditEvent.action != "motion.submit")
        .order_by(AuditEvent.id)
    )
    return [(row.data["before"], row.action.removeprefix("motion.")) for row in rows]


def test_a_vote_moves_the_motion_through_voting(app, client, council):  # noqa: F811
    meeting_id, _, motion_id = meeting_with_motion(client, council)
    chair = bearer(council.chair)
    client.post(f"/api/v1/meetings/{meeting_id}/open", headers=chair)
    round_id = client.post(
        f"/api/v1/motions/{motion_id}/rounds", json={"mode": "analog"}, headers=chair
    ).get_json()["id"]
    counts = {"residents": {"yes": 9, "no": 2, "abstain": 0}}
    counts["councillors"] = {"yes": 3, "no": 3, "abstain": 0}
    client.put(f"/api/v1/rounds/{round_id}/counts", json=counts, headers=chair)
    closed = client.post(f"/api/v1/rounds/{round_id}/close", headers=chair).get_json()
    assert closed["outcome"] == "adopted"
    with app.app_context():
        assert moves(motion_id) == [("submitted", "voting"), ("voting", "adopted")]


def test_a_formality_is_adopted_from_the_agenda(app, client, council):  # noqa: F811
    meeting_id, _, _ = meeting_with_motion(client, council)
    chair = bearer(council.chair)
    formality_item = client.post(
        f"/api/v1/meetings/{meeting_id}/agenda-items",
        json={"title": "Verslag", "is_formality": True},
        headers=bearer(council.secretary),
    ).get_json()["id"]
    motion_id = client.post(
        f"/api/v1/agenda-items/{formality_item}/motions",
        json={"title": "Vaststellen", "text": "Vastgesteld."},
        headers=chair,
    ).get_json()["id"]
    client.post(f"/api/v1/meetings/{meeting_id}/open", headers=chair)
    r = client.post(f"/api/v1/motions/{motion_id}/adopt-formality", headers=chair)
    assert r.status_code == 200 and r.get_json()["status"] == "adopted"
    with app.app_context():
        assert moves(motion_id) == [("submitted", "adopted")]


def test_an_illegal_move_is_refused_with_where_it_stands(app, client, council):  # noqa: F811
    _, _, motion_id = meeting_with_motion(client, council)
    with app.app_context():
        motion = db.session.get(Motion, motion_id)
        # Not a formality: a motion is adopted by a vote only.
        with pytest.raises(Conflict) as refused:
            motions.move(db.session, ADMIN, motion, MotionStatus.ADOPTED)
        assert refused.value.code == "motion-status"
        assert refused.value.params == {"current": "submitted", "target": "adopted"}
        assert motion.status is MotionStatus.SUBMITTED
        assert moves(motion_id) == []
