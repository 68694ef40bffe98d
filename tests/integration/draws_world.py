"""A neighbourhood to draw from: pool files, an administrator's token and a draw made
through the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from tests.conftest import bearer

DISTRICTS = ("noord", "zuid", "oost")
HEADER = "person_ref,birth_date,postcode,name,address,district"


def pool_csv(size: int, *, young: int = 0, extra: str = "") -> bytes:
    """``size`` adults in three districts, ``young`` of them born too late to be drawn."""
    lines = [HEADER]
    for n in range(size):
        born = "2015-01-01" if n < young else f"{1950 + n % 50}-0{1 + n % 9}-1{n % 9}"
        lines.append(f"R{n:05d},{born},9712 A{n % 10},Bewoner {n},Straat {n},{DISTRICTS[n % 3]}")
    return ("\n".join(lines) + "\n" + extra).encode()


@dataclass
class World:
    slug: str
    admin: dict[str, str]
    user: dict[str, str]


def world(app: Any, make: Any, *, residents: int = 11, slug: str = "oost") -> World:
    with app.app_context():
        make.council(slug, residents=residents, councillors=residents - 1 if residents > 1 else 0)
        admin = make.token(make.user(f"beheer-{slug}@example.org", admin=True))
        user = make.token(make.user(f"iemand-{slug}@example.org"))
    return World(slug, bearer(admin), bearer(user))


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()


def new_draw(client: Any, w: World, **fields: Any) -> dict[str, Any]:
    body = {"purpose": "council", "invite": 6, "draw_on": "2026-12-01"} | fields
    return ok(client.post(f"/api/v1/councils/{w.slug}/draws", json=body, headers=w.admin), 201)


def put_pool(client: Any, w: World, draw_id: int, data: bytes) -> Any:
    return client.put(
        f"/api/v1/draws/{draw_id}/pool",
        data=data,
        headers={**w.admin, "Content-Type": "text/csv"},
    )


def drawn(client: Any, w: World, *, size: int = 30, seed: str = "1 2 3 4 5 6", **fields: Any):
    draw = new_draw(client, w, **fields)
    ok(put_pool(client, w, draw["id"], pool_csv(size)))
    ok(
        client.post(
            f"/api/v1/draws/{draw['id']}/announce",
            json={"seed_source": "dobbelstenen, openbare zitting 8 december"},
            headers=w.admin,
        )
    )
    return ok(client.post(f"/api/v1/draws/{draw['id']}/seed", json={"seed": seed}, headers=w.admin))


TODAY = date(2026, 12, 1)
