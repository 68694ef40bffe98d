"""The municipality's look through the JSON API: read by anyone, set by administrators with the
page's own checks (contrast, addresses, the logo by its content), audited, and of two saves
from the same version one takes effect. Each test runs on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlalchemy as sa

from tests.conftest import bearer
from tests.integration.test_look import png
from tests.integration.test_races import together
from tests.querycount import counting
from wijkraad.audit import AuditEvent
from wijkraad.extensions import db
from wijkraad.look.models import SiteLook

LOOK = "/api/v1/look"
LOGO = "/api/v1/look/logo"


def tokens(app, make) -> tuple[str, str]:
    """An administrator's token and a member's (no administrator)."""
    with app.app_context():
        admin = make.token(make.user("beheer@example.org", admin=True))
        member = make.token(make.user("lid@example.org"))
    return admin, member


def audited(app) -> list[AuditEvent]:
    with app.app_context():
        return list(
            db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "look.update"))
        )


def look_row(app) -> SiteLook | None:
    with app.app_context():
        return db.session.get(SiteLook, 1)


def test_anyone_reads_the_look_the_theme_s_own_while_nothing_is_set(client):
    response = client.get(LOOK)
    assert response.status_code == 200
    assert response.headers["ETag"] == '"look-0"'
    look = response.get_json()
    assert look["version"] == 0 and look["municipality_name"] == ""
    assert look["primary_color"] is None and look["logo"] is None
    assert look["stylesheet_url"] == "/huisstijl.css?v=0"


def test_the_look_is_read_in_one_statement(app, make, client):
    admin, _ = tokens(app, make)
    client.put(LOGO, data=png(), content_type="image/png", headers=bearer(admin))
    client.get(LOOK)  # what a first request does once
    with app.app_context():
        engine = db.engine
    with counting(engine) as count:
        assert client.get(LOOK).status_code == 200
    assert count.total == 1, count.grouped()


def test_an_administrator_sets_the_look_which_the_site_then_shows(app, make, client):
    admin, _ = tokens(app, make)
    response = client.put(
        LOOK,
        json={
            "version": 0,
            "municipality_name": "Gemeente Groningen",
            "primary_color": "#0B4EA2",
            "link_color": "#7a0019",
            "contact_email": "info@groningen.example",
            "privacy_text": "Onze privacytekst.",
            "accessibility_url": "https://www.groningen.example/toegankelijkheid",
        },
        headers=bearer(admin),
    )
    assert response.status_code == 200, response.get_json()
    look = response.get_json()
    assert look["version"] == 1 and look["primary_color"] == "#0b4ea2"
    assert response.headers["ETag"] == '"look-1"'

    public = client.get(LOOK).get_json()  # anonymous
    assert public == look
    assert public["contact_email"] == "info@groningen.example"
    css = client.get("/huisstijl.css?v=1").get_data(as_text=True)
    assert "--utrecht-button-primary-action-background-color: #0b4ea2;" in css
    assert "--utrecht-link-color: #7a0019;" in css
    assert "Onze privacytekst." in client.get("/privacy").get_data(as_text=True)
    [event] = audited(app)
    assert event.data["version"] == 1
    assert "municipality_name" in event.data["fields"] and "primary_color" in event.data["fields"]


def test_only_administrators_set_the_look(app, make, client):
    _, member = tokens(app, make)
    for method, url, kwargs in (
        ("PUT", LOOK, {"json": {"version": 0, "municipality_name": "X"}}),
        ("PUT", LOGO, {"data": png(), "content_type": "image/png"}),
        ("DELETE", LOGO, {}),
    ):
        anonymous = client.open(url, method=method, **kwargs)
        assert anonymous.status_code == 401, (method, url)
        assert anonymous.mimetype == "application/problem+json"
        refused = client.open(url, method=method, headers=bearer(member), **kwargs)
        assert refused.status_code == 403, (method, url)
        assert refused.get_json()["code"] == "forbidden"
    assert look_row(app) is None
    assert audited(app) == []


def test_too_little_contrast_is_refused_naming_the_field_and_the_ratio(app, make, client):
    admin, _ = tokens(app, make)
    response = client.put(LOOK, json={"version": 0, "link_color": "#777777"}, headers=bearer(admin))
    assert response.status_code == 422
    problem = response.get_json()
    assert problem["code"] == "colour-contrast"
    [error] = problem["errors"]
    assert error["field"] == "link_color" and error["ratio"] == "4.47"
    assert "4,47:1" in error["detail"]

    bad = client.put(
        LOOK,
        json={"version": 0, "header_background": "blauw", "privacy_url": "javascript:alert(1)"},
        headers=bearer(admin),
    )
    assert bad.status_code == 422
    fields = {e["field"]: e["code"] for e in bad.get_json()["errors"]}
    assert fields == {"header_background": "colour-invalid", "privacy_url": "url-invalid"}

    unknown = client.put(LOOK, json={"version": 0, "logo": "x"}, headers=bearer(admin))
    assert unknown.status_code == 422
    assert [e["field"] for e in unknown.get_json()["errors"]] == ["logo"]
    missing = client.put(LOOK, json={"municipality_name": "X"}, headers=bearer(admin))
    assert missing.status_code == 422
    assert [e["field"] for e in missing.get_json()["errors"]] == ["version"]
    assert look_row(app) is None


def test_a_save_from_an_older_version_is_refused(app, make, client):
    admin, _ = tokens(app, make)
    first = client.put(LOOK, json={"version": 0, "municipality_name": "A"}, headers=bearer(admin))
    assert first.status_code == 200
    stale = client.put(LOOK, json={"version": 0, "municipality_name": "B"}, headers=bearer(admin))
    assert stale.status_code == 409 and stale.get_json()["code"] == "look-changed"
    assert client.get(LOOK).get_json()["municipality_name"] == "A"


def test_the_logo_is_set_checked_by_its_content_and_removed(app, make, client):
    admin, _ = tokens(app, make)
    client.put(LOOK, json={"version": 0, "municipality_name": "Gemeente X"}, headers=bearer(admin))
    data = png()

    wrong_type = client.put(LOGO, data=data, content_type="image/svg+xml", headers=bearer(admin))
    assert wrong_type.status_code == 415 and wrong_type.get_json()["code"] == "logo-media-type"
    not_an_image = client.put(
        LOGO, data=b"%PDF-1.4\n%%EOF\n", content_type="image/png", headers=bearer(admin)
    )
    assert not_an_image.status_code == 422 and not_an_image.get_json()["code"] == "logo-type"
    too_large = client.put(
        LOGO, data=data + b"\0" * (512 * 1024), content_type="image/png", headers=bearer(admin)
    )
    assert too_large.status_code == 413
    assert too_large.mimetype == "application/problem+json"
    assert look_row(app).version == 1

    response = client.put(LOGO, data=data, content_type="image/png", headers=bearer(admin))
    assert response.status_code == 200, response.get_json()
    look = response.get_json()
    assert look["logo"] == {"url": "/huisstijl/logo?v=2", "media_type": "image/png"}
    assert look["municipality_name"] == "Gemeente X"  # the rest stays
    public = client.get(LOOK).get_json()
    assert public["logo"]["url"] == "/huisstijl/logo?v=2"
    served = client.get(public["logo"]["url"])
    assert served.status_code == 200 and served.data == data

    removed = client.delete(LOGO, headers=bearer(admin))
    assert removed.status_code == 200 and removed.get_json()["logo"] is None
    assert client.get("/huisstijl/logo?v=3").status_code == 404
    assert client.get(LOOK).get_json()["municipality_name"] == "Gemeente X"
    assert [e.data["version"] for e in audited(app)] == [1, 2, 3]


def test_of_two_saves_at_once_from_the_same_version_one_takes_effect(app, make):
    admin, _ = tokens(app, make)

    def saving(name: str):
        return lambda client: client.put(
            LOOK, json={"version": 0, "municipality_name": name}, headers=bearer(admin)
        )

    answers = together(app, [saving("Gemeente A"), saving("Gemeente B")])
    assert sorted(a.status_code for a in answers) == [200, 409]
    refused = next(a for a in answers if a.status_code == 409)
    assert refused.get_json()["code"] == "look-changed"
    saved = next(a for a in answers if a.status_code == 200).get_json()["municipality_name"]
    row = look_row(app)
    assert row.version == 1 and row.municipality_name == saved
    assert len(audited(app)) == 1
