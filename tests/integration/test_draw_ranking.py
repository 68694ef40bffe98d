"""The administrators' list of a drawn draw: the whole ranking in ranking order, the reserve
list included, a page at a time; erased persons stay as positions once the draw is closed."""

from __future__ import annotations

from tests.integration.draws_world import drawn, new_draw, ok, pool_csv, put_pool, world
from tests.integration.test_api_pagination import links, walk
from tests.integration.test_draw_pages import login_admin


def test_the_whole_ranking_is_listed_page_by_page_with_the_reserves(app, client, make):
    w = world(app, make)
    draw = drawn(client, w, invite=3, size=40)
    url = f"/api/v1/draws/{draw['id']}/invitations"
    first = client.get(f"{url}?per_page=7", headers=w.admin)
    assert first.status_code == 200
    assert first.headers["X-Total-Count"] == str(len(draw["ranking"])) == "40"
    assert links(first)["last"].endswith("page=6&per_page=7")
    seen = walk(client, url, 7, w.admin)
    assert [i["position"] for i in seen] == draw["ranking"]
    assert [i["status"] for i in seen] == ["invited"] * 3 + ["reserve"] * 37
    assert all(i["id"] is None for i in seen[3:]) and all(i["id"] for i in seen[:3])
    assert all(i["name"] and i["person_ref"] for i in seen)
    # A decline invites the first reserve: it is listed as invited at its own place.
    ok(
        client.post(
            f"/api/v1/invitations/{seen[0]['id']}/reply",
            json={"reply": "declined"},
            headers=w.admin,
        )
    )
    now = walk(client, url, 100, w.admin)
    assert [i["position"] for i in now] == draw["ranking"]
    assert [i["status"] for i in now[:5]] == [
        "declined",
        "invited",
        "invited",
        "invited",
        "reserve",
    ]
    assert now[3]["id"] is not None
    assert client.get(f"{url}?per_page=0", headers=w.admin).status_code == 422


def test_before_the_seed_the_list_is_empty(app, client, make):
    w = world(app, make)
    draw = new_draw(client, w)
    ok(put_pool(client, w, draw["id"], pool_csv(10)))
    answer = client.get(f"/api/v1/draws/{draw['id']}/invitations", headers=w.admin)
    assert answer.get_json() == [] and answer.headers["X-Total-Count"] == "0"


def test_after_closing_the_erased_are_positions_only(app, client, make):
    w = world(app, make)
    draw = drawn(client, w, invite=2, size=12)
    url = f"/api/v1/draws/{draw['id']}/invitations"
    listed = ok(client.get(url, headers=w.admin))
    ok(
        client.post(
            f"/api/v1/invitations/{listed[0]['id']}/reply",
            json={"reply": "accepted", "email": "blijft@example.org"},
            headers=w.admin,
        )
    )
    ok(client.post(f"/api/v1/draws/{draw['id']}/close", headers=w.admin))
    closed = ok(client.get(url, headers=w.admin))
    assert [i["position"] for i in closed] == draw["ranking"]
    assert closed[0]["name"] == listed[0]["name"] and closed[0]["status"] == "accepted"
    assert all(i["name"] is None and i["person_ref"] is None for i in closed[1:])
    assert [i["status"] for i in closed[1:3]] == ["invited", "reserve"]


def test_the_draw_page_shows_the_reserve_list_a_page_at_a_time(app, client, make, web):
    w = world(app, make)
    draw = drawn(client, w, invite=3, size=60)
    login_admin(app, make, web)
    listed = walk(client, f"/api/v1/draws/{draw['id']}/invitations", 100, w.admin)
    html = web.get(f"/lotingen/{draw['id']}/beheer").get_data(as_text=True)
    assert "Reservelijst" in html and "Nog 57 inwoners op de lijst" in html
    assert listed[3]["name"] in html and listed[52]["name"] + "<" in html
    assert listed[53]["name"] + "<" not in html and "Pagina 1 van 2" in html
    second = web.get(f"/lotingen/{draw['id']}/beheer?reserves=2").get_data(as_text=True)
    assert listed[53]["name"] + "<" in second and listed[59]["name"] + "<" in second
    assert listed[52]["name"] + "<" not in second and "Pagina 2 van 2" in second
