"""All 17 members vote at the same moment, from threads: exactly 17 votes, the right outcome.

Runs on SQLite and on PostgreSQL (see conftest). Each thread has its own client, so its own
request, session and database connection, as several workers would.
"""

from __future__ import annotations

import threading

from tests.conftest import bearer
from tests.integration.test_api_voting import council, meeting_with_motion  # noqa: F401  (fixture)
from wijkraad.extensions import db
from wijkraad.voting.models import Vote


def _vote_together(app, round_id: int, ballots: list[tuple[str, str]]) -> list[int]:
    barrier = threading.Barrier(len(ballots))
    statuses: list[int] = []
    lock = threading.Lock()

    def cast(token: str, choice: str) -> None:
        client = app.test_client()
        barrier.wait(timeout=30)
        response = client.post(
            f"/api/v1/rounds/{round_id}/votes", json={"choice": choice}, headers=bearer(token)
        )
        with lock:
            statuses.append(response.status_code)

    threads = [threading.Thread(target=cast, args=ballot) for ballot in ballots]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


def test_seventeen_members_vote_at_once(app, client, council):  # noqa: F811
    meeting_id, _, motion_id = meeting_with_motion(client, council)
    chair = bearer(council.chair)
    client.post(f"/api/v1/meetings/{meeting_id}/open", headers=chair)
    round_id = client.post(
        f"/api/v1/motions/{motion_id}/rounds", json={}, headers=chair
    ).get_json()["id"]
    # Residents 8 yes, 3 no; councillors 1 yes, 5 no: 9 yes, 8 no overall, residents for.
    ballots = [(token, "yes") for _, token in council.residents[:8]]
    ballots += [(token, "no") for _, token in council.residents[8:]]
    ballots += [(token, "yes") for _, token in council.councillors[:1]]
    ballots += [(token, "no") for _, token in council.councillors[1:]]
    assert len(ballots) == 17
    statuses = _vote_together(app, round_id, ballots)
    assert sorted(statuses) == [201] * 17
    with app.app_context():
        assert db.session.query(Vote).filter_by(round_id=round_id).count() == 17
    closed = client.post(f"/api/v1/rounds/{round_id}/close", headers=chair).get_json()
    assert closed["counts"] == {"yes": 9, "no": 8, "abstain": 0}
    assert closed["groups"]["residents"] == {"yes": 8, "no": 3, "abstain": 0}
    assert closed["outcome"] == "adopted"


def test_the_same_member_voting_twice_at_once_counts_once(app, client, council):  # noqa: F811
    meeting_id, _, motion_id = meeting_with_motion(client, council)
    chair = bearer(council.chair)
    client.post(f"/api/v1/meetings/{meeting_id}/open", headers=chair)
    round_id = client.post(
        f"/api/v1/motions/{motion_id}/rounds", json={}, headers=chair
    ).get_json()["id"]
    _, token = council.residents[2]
    statuses = _vote_together(app, round_id, [(token, "yes")] * 6)
    assert sorted(statuses) == [201] + [409] * 5
    with app.app_context():
        assert db.session.query(Vote).filter_by(round_id=round_id).count() == 1
