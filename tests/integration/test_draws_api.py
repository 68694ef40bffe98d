"""Draws by lot through the API (API.md "Draws by lot"): pool, announcement, seed, the public
record, invitations and replies, closing."""

from __future__ import annotations

import json

import sqlalchemy as sa

from tests.integration.draws_world import (
    DISTRICTS,
    drawn,
    new_draw,
    ok,
    pool_csv,
    put_pool,
    world,
)
from wijkraad.councils.models import Membership
from wijkraad.councils.rules import Seat
from wijkraad.extensions import db
from wijkraad.mail.models import OutboxMessage
from wijkraad.sortition import record
from wijkraad.sortition.models import PoolEntry

QUOTAS = {"district": {d: [1, 3] for d in DISTRICTS}}


def test_pool_counts_the_eligible_leaving_out_the_young_and_the_opted_out(app, client, make):
    w = world(app, make)
    ok(
        client.post(
            "/api/v1/councils/oost/opt-outs", json={"person_ref": "R00007"}, headers=w.admin
        ),
        201,
    )
    draw = new_draw(client, w)
    out = ok(put_pool(client, w, draw["id"], pool_csv(40, young=5)))
    assert (out["pool_size"], out["eligible"], out["status"]) == (40, 34, "open")
    # Uploading again replaces the pool.
    out = ok(put_pool(client, w, draw["id"], pool_csv(20)))
    assert (out["pool_size"], out["eligible"]) == (20, 19)


def test_a_bad_pool_is_refused_naming_its_line_and_nothing_is_read(app, client, make):
    w = world(app, make)
    draw = new_draw(client, w)
    ok(put_pool(client, w, draw["id"], pool_csv(10)))
    bad = pool_csv(10).replace(b"1951-02-11", b"1951-02-31")
    answer = put_pool(client, w, draw["id"], bad)
    assert answer.status_code == 422
    problem = answer.get_json()
    assert problem["code"] == "bad-pool" and problem["line"] == 3
    assert "regel 3" in problem["detail"]
    for faulty, line in [
        (b"person_ref,birth_date,name\nR1,2000-01-01,X\n", 1),
        (pool_csv(5, extra="R00001,1990-01-01,1,A,B,noord\n"), 7),
        (pool_csv(5, extra="R9,1990-01-01,1,A\n"), 7),
        (b"\xff\xfe", 1),
    ]:
        answer = put_pool(client, w, draw["id"], faulty)
        assert answer.status_code == 422, faulty
        assert answer.get_json()["line"] == line
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PoolEntry)) == 10


def test_only_administrators_touch_draws_and_invitations(app, client, make):
    w = world(app, make)
    body = {"purpose": "council", "invite": 6, "draw_on": "2026-12-01"}
    assert client.post("/api/v1/councils/oost/draws", json=body).status_code == 401
    assert client.post("/api/v1/councils/oost/draws", json=body, headers=w.user).status_code == 403
    draw = drawn(client, w)
    for url in (f"/api/v1/draws/{draw['id']}/invitations",):
        assert client.get(url).status_code == 401
        assert client.get(url, headers=w.user).status_code == 403
    answer = client.put(
        f"/api/v1/draws/{draw['id']}/pool",
        data=pool_csv(5),
        headers={**w.user, "Content-Type": "text/csv"},
    )
    assert answer.status_code == 403


def test_announce_fixes_the_pool_and_the_seed_ranks_everyone(app, client, make):
    w = world(app, make)
    draw = new_draw(client, w, invite=6, quotas=QUOTAS)
    seed_url = f"/api/v1/draws/{draw['id']}/seed"
    assert client.post(seed_url, json={"seed": "x"}, headers=w.admin).get_json()["code"] == (
        "draw-not-announced"
    )
    ok(put_pool(client, w, draw["id"], pool_csv(30)))
    out = ok(
        client.post(
            f"/api/v1/draws/{draw['id']}/announce",
            json={"seed_source": "Staatsloterij 10 december"},
            headers=w.admin,
        )
    )
    assert out["status"] == "announced" and len(out["pool_sha256"]) == 64 and out["procedure"]
    assert put_pool(client, w, draw["id"], pool_csv(31)).status_code == 409
    out = ok(client.post(seed_url, json={"seed": "4 8 15 16 23 42"}, headers=w.admin))
    assert out["status"] == "drawn"
    assert sorted(out["ranking"]) == list(range(1, 31))
    again = client.post(seed_url, json={"seed": "other"}, headers=w.admin)
    assert again.status_code == 409 and again.get_json()["code"] == "draw-drawn"
    invited = ok(client.get(f"/api/v1/draws/{draw['id']}/invitations", headers=w.admin))
    assert [i["position"] for i in invited] == out["ranking"]
    assert [i["status"] for i in invited] == ["invited"] * 6 + ["reserve"] * 24
    assert all(i["name"].startswith("Bewoner") for i in invited)


def test_impossible_quotas_are_refused_at_the_announcement(app, client, make):
    w = world(app, make)
    draw = new_draw(client, w, invite=6, quotas={"district": {"west": [1, 2]}})
    ok(put_pool(client, w, draw["id"], pool_csv(30)))
    answer = client.post(
        f"/api/v1/draws/{draw['id']}/announce", json={"seed_source": "x"}, headers=w.admin
    )
    assert answer.status_code == 422 and answer.get_json()["code"] == "quotas-impossible"
    bad = {
        "purpose": "council",
        "invite": 2,
        "draw_on": "2026-12-01",
        "quotas": {"d": {"a": [3, 4]}},
    }
    answer = client.post("/api/v1/councils/oost/draws", json=bad, headers=w.admin)
    assert answer.status_code == 422


def test_the_public_record_verifies_and_holds_no_personal_data(app, client, make):
    w = world(app, make)
    draw = drawn(client, w, quotas=QUOTAS)
    answer = client.get(f"/api/v1/draws/{draw['id']}")
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    data = answer.get_data()
    assert record.verify(data).ok
    public = json.loads(data)
    for field in (
        "id",
        "purpose",
        "status",
        "invite",
        "draw_on",
        "pool_size",
        "eligible",
        "pool_sha256",
        "procedure",
        "seed_source",
        "seed",
        "quotas",
        "ranking",
        "strata",
    ):
        assert field in public
    assert public["ranking"] == draw["ranking"]
    text = data.decode()
    # (Hex digests may hold any digits: the postcode is looked for with its letters.)
    for private in ("Bewoner", "R0000", "Straat", "9712 A", "1951-"):
        assert private not in text
    # One byte changed: it no longer verifies.
    changed = data.replace(b'"seed":"1 2 3 4 5 6"', b'"seed":"1 2 3 4 5 7"')
    assert changed != data and not record.verify(changed).ok


def test_a_decline_invites_the_next_reserve_and_an_acceptance_seats_the_resident(app, client, make):
    w = world(app, make)
    draw = drawn(client, w, invite=3)
    invited = ok(client.get(f"/api/v1/draws/{draw['id']}/invitations", headers=w.admin))
    first, second = invited[0], invited[1]
    out = ok(
        client.post(
            f"/api/v1/invitations/{first['id']}/reply", json={"reply": "declined"}, headers=w.admin
        )
    )
    assert out["status"] == "declined"
    now = ok(client.get(f"/api/v1/draws/{draw['id']}/invitations", headers=w.admin))
    assert [i["position"] for i in now] == draw["ranking"]
    assert [i["status"] for i in now[:5]] == [
        "declined",
        "invited",
        "invited",
        "invited",
        "reserve",
    ]
    assert now[3]["id"] is not None and now[4]["id"] is None
    again = client.post(
        f"/api/v1/invitations/{first['id']}/reply",
        json={"reply": "accepted", "email": "a@example.org"},
        headers=w.admin,
    )
    assert again.status_code == 409 and again.get_json()["code"] == "already-replied"
    missing = client.post(
        f"/api/v1/invitations/{second['id']}/reply", json={"reply": "accepted"}, headers=w.admin
    )
    assert missing.status_code == 422
    out = ok(
        client.post(
            f"/api/v1/invitations/{second['id']}/reply",
            json={"reply": "accepted", "email": "nieuw@example.org"},
            headers=w.admin,
        )
    )
    assert out["status"] == "accepted"
    with app.app_context():
        member = db.session.scalars(sa.select(Membership)).one()
        assert member.seat is Seat.RESIDENT and member.person.name == second["name"]
        assert member.ends_on is not None and (member.ends_on - member.starts_on).days <= 731
        # The account invitation of the appointment, with its link, is in the outbox.
        mail = db.session.scalars(sa.select(OutboxMessage)).one()
        assert mail.recipient == "nieuw@example.org" and "/zetel-uitnodiging/" in mail.text


def test_an_acceptance_beyond_the_resident_seats_is_refused(app, client, make):
    w = world(app, make, residents=1)
    draw = drawn(client, w, invite=2)
    invited = ok(client.get(f"/api/v1/draws/{draw['id']}/invitations", headers=w.admin))[:2]
    for n, invitation in enumerate(invited):
        answer = client.post(
            f"/api/v1/invitations/{invitation['id']}/reply",
            json={"reply": "accepted", "email": f"r{n}@example.org"},
            headers=w.admin,
        )
        assert answer.status_code == (200 if n == 0 else 409)
    assert answer.get_json()["code"] == "seats-full"
    still = ok(client.get(f"/api/v1/draws/{draw['id']}/invitations", headers=w.admin))
    assert [i["status"] for i in still[:3]] == ["accepted", "invited", "reserve"]


def test_closing_erases_the_personal_data_of_all_but_the_accepted(app, client, make):
    w = world(app, make)
    draw = drawn(client, w, invite=3)
    before = client.get(f"/api/v1/draws/{draw['id']}").get_data()
    invited = ok(client.get(f"/api/v1/draws/{draw['id']}/invitations", headers=w.admin))
    ok(
        client.post(
            f"/api/v1/invitations/{invited[0]['id']}/reply",
            json={"reply": "accepted", "email": "blijft@example.org"},
            headers=w.admin,
        )
    )
    out = ok(client.post(f"/api/v1/draws/{draw['id']}/close", headers=w.admin))
    assert out["status"] == "closed"
    with app.app_context():
        kept = db.session.scalars(sa.select(PoolEntry).where(PoolEntry.name.is_not(None))).all()
        assert [e.name for e in kept] == [invited[0]["name"]]
        assert db.session.scalar(sa.select(sa.func.count()).where(PoolEntry.code.is_not(None))) == 0
    after = client.get(f"/api/v1/draws/{draw['id']}").get_data()
    assert record.verify(after).ok
    assert json.loads(after)["pool_sha256"] == json.loads(before)["pool_sha256"]
    assert client.post(f"/api/v1/draws/{draw['id']}/close", headers=w.admin).status_code == 409


def test_the_young_and_the_opted_out_are_never_drawn_whatever_the_seed(app, client, make):
    w = world(app, make)
    for ref in ("R00010", "R00011", "R00012"):
        ok(
            client.post(
                "/api/v1/councils/oost/opt-outs", json={"person_ref": ref}, headers=w.admin
            ),
            201,
        )
    again = client.post(
        "/api/v1/councils/oost/opt-outs", json={"person_ref": "R00010"}, headers=w.admin
    )
    assert again.status_code == 409
    excluded = {f"R{n:05d}" for n in range(4)} | {"R00010", "R00011", "R00012"}
    drawn_refs: set[str] = set()
    for seed in range(12):
        draw = new_draw(client, w, invite=12)
        ok(put_pool(client, w, draw["id"], pool_csv(20, young=4)))
        url = f"/api/v1/draws/{draw['id']}"
        ok(client.post(f"{url}/announce", json={"seed_source": "lijst"}, headers=w.admin))
        out = ok(client.post(f"{url}/seed", json={"seed": f"seed {seed}"}, headers=w.admin))
        assert len(out["ranking"]) == 13
        invited = ok(client.get(f"{url}/invitations", headers=w.admin))
        drawn_refs |= {i["person_ref"] for i in invited}
    assert not drawn_refs & excluded
    assert len(drawn_refs) == 13  # everyone eligible was drawn by some seed
