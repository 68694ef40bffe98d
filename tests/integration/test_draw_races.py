"""Races of a draw by lot, on SQLite and PostgreSQL: two seeds at once, two replies to one
invitation at once, two acceptances of the last resident seat at once. Exactly one wins."""

from __future__ import annotations

import sqlalchemy as sa

from tests.integration.draws_world import drawn, new_draw, ok, pool_csv, put_pool, world
from tests.integration.test_races import together
from wijkraad.councils.models import Membership
from wijkraad.extensions import db
from wijkraad.sortition import record
from wijkraad.sortition.models import Invitation


def test_two_seeds_at_once_draw_once(app, client, make):
    w = world(app, make)
    draw = new_draw(client, w, invite=4)
    ok(put_pool(client, w, draw["id"], pool_csv(30)))
    url = f"/api/v1/draws/{draw['id']}"
    ok(client.post(f"{url}/announce", json={"seed_source": "dobbelstenen"}, headers=w.admin))
    answers = together(
        app,
        [
            lambda c, s=seed: c.post(f"{url}/seed", json={"seed": s}, headers=w.admin)
            for seed in ("een", "twee")
        ],
    )
    assert sorted(a.status_code for a in answers) == [200, 409]
    winner = next(a.get_json() for a in answers if a.status_code == 200)
    assert client.get(url).get_json()["seed"] == winner["seed"]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 4


def test_two_replies_to_one_invitation_at_once_count_once(app, client, make):
    w = world(app, make)
    draw = drawn(client, w, invite=3)
    first = ok(client.get(f"/api/v1/draws/{draw['id']}/invitations", headers=w.admin))[0]
    url = f"/api/v1/invitations/{first['id']}/reply"
    answers = together(
        app,
        [
            lambda c: c.post(url, json={"reply": "declined"}, headers=w.admin),
            lambda c: c.post(url, json={"reply": "no_response"}, headers=w.admin),
        ],
    )
    assert sorted(a.status_code for a in answers) == [200, 409]
    # One decline, one replacement.
    listed = ok(client.get(f"/api/v1/draws/{draw['id']}/invitations", headers=w.admin))
    assert len([i for i in listed if i["status"] != "reserve"]) == 4


def test_two_acceptances_of_the_last_resident_seat_seat_one(app, client, make):
    w = world(app, make, residents=1)
    draw = drawn(client, w, invite=2)
    invited = ok(client.get(f"/api/v1/draws/{draw['id']}/invitations", headers=w.admin))[:2]
    answers = together(
        app,
        [
            lambda c, i=inv, n=n: c.post(
                f"/api/v1/invitations/{i['id']}/reply",
                json={"reply": "accepted", "email": f"r{n}@example.org"},
                headers=w.admin,
            )
            for n, inv in enumerate(invited)
        ],
    )
    assert sorted(a.status_code for a in answers) == [200, 409]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Membership)) == 1


def test_an_upload_during_the_announcement_comes_before_it_or_is_refused(app, client, make):
    w = world(app, make)
    draw = new_draw(client, w, invite=4)
    ok(put_pool(client, w, draw["id"], pool_csv(30)))
    url = f"/api/v1/draws/{draw['id']}"
    upload, announce = together(
        app,
        [
            lambda c: put_pool(c, w, draw["id"], pool_csv(40)),
            lambda c: c.post(f"{url}/announce", json={"seed_source": "loterij"}, headers=w.admin),
        ],
    )
    assert announce.status_code == 200
    assert upload.status_code in (200, 409)
    public = client.get(url)
    assert record.verify(public.get_data()).ok
    # The commitment is of the pool that stands: the new one when the upload came first.
    assert public.get_json()["pool_size"] == (40 if upload.status_code == 200 else 30)
    assert announce.get_json()["pool_sha256"] == public.get_json()["pool_sha256"]
