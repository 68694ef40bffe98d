"""A round's snapshot is stored as the JSON it always was, and rows written before it had a
type still read."""

from __future__ import annotations

import json

import sqlalchemy as sa

from tests.conftest import bearer
from tests.integration.test_api_voting import council, meeting_with_motion  # noqa: F401  (fixture)
from wijkraad.extensions import db
from wijkraad.voting.models import VoteRound
from wijkraad.voting.rules import Choice
from wijkraad.voting.snapshot import RoundSnapshot


def raw_snapshot(round_id: int) -> dict:
    value = db.session.execute(
        sa.text("SELECT snapshot FROM vote_rounds WHERE id = :id"), {"id": round_id}
    ).scalar_one()
    return json.loads(value) if isinstance(value, str) else value


def test_a_closed_named_round_stores_the_known_format(app, client, council):  # noqa: F811
    meeting_id, _, motion_id = meeting_with_motion(client, council)
    chair = bearer(council.chair)
    client.post(f"/api/v1/meetings/{meeting_id}/open", headers=chair)
    round_id = client.post(
        f"/api/v1/motions/{motion_id}/rounds", json={}, headers=chair
    ).get_json()["id"]
    with app.app_context():
        opened = raw_snapshot(round_id)
    assert set(opened) == {"seated", "present", "absent_with_notice", "recused", "entitled"}
    everyone = sorted(m for m, _ in council.everyone)
    assert opened["entitled"] == opened["present"] == everyone
    assert {"id", "seat", "name"} == set(opened["seated"][0])

    (voter, token), (other, other_token) = council.residents[2], council.councillors[0]
    for who, choice in ((token, "yes"), (other_token, "no")):
        client.post(
            f"/api/v1/rounds/{round_id}/votes", json={"choice": choice}, headers=bearer(who)
        )
    client.post(f"/api/v1/rounds/{round_id}/close", headers=chair)
    with app.app_context():
        closed = raw_snapshot(round_id)
        assert closed == {**opened, "votes": {str(voter): "yes", str(other): "no"}}
        snap = db.session.get(VoteRound, round_id).snapshot
        assert isinstance(snap, RoundSnapshot)
        assert snap.votes == {voter: Choice.YES, other: Choice.NO}


def test_a_row_written_before_reads_as_a_snapshot(app, client, council):  # noqa: F811
    meeting_id, _, motion_id = meeting_with_motion(client, council)
    chair = bearer(council.chair)
    client.post(f"/api/v1/meetings/{meeting_id}/open", headers=chair)
    round_id = client.post(
        f"/api/v1/motions/{motion_id}/rounds", json={}, headers=chair
    ).get_json()["id"]
    member = council.residents[0][0]
    legacy = {
        "seated": [{"id": member, "seat": "resident", "name": "Anna Bakker"}],
        "present": [member],
        "absent_with_notice": [],
        "recused": [],
        "entitled": [member],
        "votes": {str(member): "abstain"},
    }
    with app.app_context():
        db.session.execute(
            sa.text("UPDATE vote_rounds SET snapshot = :snap WHERE id = :id"),
            {"snap": json.dumps(legacy), "id": round_id},
        )
        db.session.commit()
    with app.app_context():
        snap = db.session.get(VoteRound, round_id).snapshot
        assert snap.names == {member: "Anna Bakker"}
        assert snap.votes == {member: Choice.ABSTAIN}
        assert snap.to_json() == legacy
