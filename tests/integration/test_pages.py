"""The HTML pages as a user meets them: login, language, councils, appointing, refusals."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from tests.conftest import PASSWORD
from wijkraad import clock
from wijkraad.auth.actor import Actor
from wijkraad.councils.models import Council
from wijkraad.councils.rules import Role, Seat
from wijkraad.extensions import db
from wijkraad.meetings import services as meetings
from wijkraad.meetings.models import Meeting


def text(response) -> str:
    return response.get_data(as_text=True)


def test_login_and_logout(app, web, make):
    with app.app_context():
        make.user("a@example.org", name="Anouk")
    response = web.login("a@example.org")
    assert response.status_code == 302
    page = text(web.get("/"))
    assert "Anouk" in page
    assert web.logout().status_code == 302
    assert "Anouk" not in text(web.get("/"))


def test_login_refusal_is_clear_and_keeps_the_email(app, web, make):
    with app.app_context():
        make.user("a@example.org")
    response = web.login("a@example.org", "verkeerd wachtwoord")
    assert response.status_code == 401
    assert "E-mailadres of wachtwoord klopt niet." in text(response)
    assert 'value="a@example.org"' in text(response)


def test_login_refusal_marks_both_fields_and_the_title(app, web, make):
    with app.app_context():
        make.user("a@example.org")
    page = text(web.login("a@example.org", "verkeerd wachtwoord"))
    assert re.search(r"<title>Fout: Aanmelden", page)
    summary = re.search(r'<div [^>]*id="error-summary"[^>]*>', page)
    assert summary and 'role="alert"' in summary.group(0)
    error = re.search(r'<li [^>]*id="([^"]+)">E-mailadres of wachtwoord klopt niet.</li>', page)
    assert error
    for name in ("email", "password"):
        field = re.search(rf'<input [^>]*name="{name}"[^>]*>', page)
        assert field and 'aria-invalid="true"' in field.group(0), name
        assert f'aria-describedby="{error.group(1)}"' in field.group(0), name
    # Too many attempts is no fault of the fields.
    for _ in range(5):
        web.login("a@example.org", "fout fout fout")
    page = text(web.login("a@example.org", PASSWORD))
    assert "Te veel mislukte pogingen" in page and "aria-invalid" not in page


def test_login_is_rate_limited(app, web, make):
    with app.app_context():
        make.user("a@example.org")
    for _ in range(5):
        assert web.login("a@example.org", "fout fout fout").status_code == 401
    response = web.login("a@example.org", PASSWORD)
    assert response.status_code == 429
    assert "Te veel mislukte pogingen" in text(response)


def test_login_redirects_to_a_safe_next_only(app, web, make):
    with app.app_context():
        make.user("a@example.org")
    page = text(web.get("/aanmelden?next=/wijkraden/oost"))
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = web.client.post(
        "/aanmelden",
        data={
            "email": "a@example.org",
            "password": PASSWORD,
            "next": "/wijkraden/oost",
            "csrf_token": token,
        },
    )
    assert response.headers["Location"].endswith("/wijkraden/oost")
    web.logout()
    page = text(web.get("/aanmelden"))
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = web.client.post(
        "/aanmelden",
        data={
            "email": "a@example.org",
            "password": PASSWORD,
            "next": "//evil.example/x",
            "csrf_token": token,
        },
    )
    assert "evil.example" not in response.headers["Location"]


def test_anonymous_is_sent_to_login_and_back(app, web, make):
    with app.app_context():
        make.user("admin@example.org", admin=True)
    response = web.get("/beheer/accounts")
    assert response.status_code == 302
    assert "/aanmelden?next=/beheer/accounts" in response.headers["Location"]


def test_language_switch_to_english(app, web, make):
    with app.app_context():
        make.council("oost")
    assert "Wijkraden" in text(web.get("/"))
    response = web.post_form("/taal", {"lang": "en", "next": "/wijkraden/oost"}, page="/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/wijkraden/oost")
    page = text(web.get("/"))
    assert '<html lang="en"' in page
    assert "Councils" in page or "councils" in page


def test_council_page_shows_members_and_vacancies(app, web, make):
    with app.app_context():
        council = make.council("oost", residents=3, councillors=2)
        make.member(council, role=Role.CHAIR, name="Fatima el Amrani", email="fatima@example.org")
        make.member(council, seat=Seat.COUNCILLOR, name="Gerrit Dijkstra")
    page = text(web.get("/wijkraden/oost"))
    assert "Fatima el Amrani" in page and "Gerrit Dijkstra" in page
    assert "fatima@example.org" not in page
    assert "Voorzitter" in page
    # 3 resident seats with 1 taken, 2 councillor seats with 1 taken.
    assert re.search(r"2\s+vacature", page) and re.search(r"1\s+vacature", page)
    assert web.get("/wijkraden/nergens").status_code == 404


def test_admin_creates_a_council_and_sees_rule_errors(app, web, make):
    with app.app_context():
        make.user("admin@example.org", admin=True)
    web.login("admin@example.org")
    data = {
        "slug": "noord",
        "name": "Wijkraad Noord",
        "municipality": "Groningen",
        "resident_seats": "5",
        "councillor_seats": "5",
        "decision_rule": "cooperative",
    }
    response = web.post_form("/beheer/wijkraden/nieuw", data)
    assert response.status_code == 422
    assert "bewoners meer zetels dan raadsleden" in text(response)
    assert 'value="Wijkraad Noord"' in text(response)  # nothing typed is lost
    response = web.post_form("/beheer/wijkraden/nieuw", {**data, "resident_seats": "7"})
    assert response.status_code == 302
    assert "Wijkraad Noord" in text(web.get("/wijkraden/noord"))
    response = web.post_form("/beheer/wijkraden/nieuw", {**data, "resident_seats": "7"})
    assert response.status_code == 422
    assert "korte naam" in text(response)


def test_secretary_appoints_and_ends_a_membership(app, web, make):
    with app.app_context():
        council = make.council("oost", residents=2, councillors=1)
        make.member(council, role=Role.SECRETARY, email="sec@example.org")
        seated = make.member(council, seat=Seat.COUNCILLOR, name="Zittend Raadslid").id
    web.login("sec@example.org")
    form = {
        "name": "Nieuwe Bewoner",
        "email": "nieuw@example.org",
        "seat": "resident",
        "role": "member",
        "starts_on": make.today.isoformat(),
    }
    response = web.post_form("/wijkraden/oost/leden/nieuw", form)
    assert response.status_code == 302, text(response)
    page = text(web.get(response.headers["Location"]))
    assert "Nieuwe Bewoner is benoemd." in page
    assert re.search(r'value="http://localhost/zetel-uitnodiging/[^"]+"', page)
    # Seated at once, and listed among the open invitations until the link is answered.
    page = text(web.get("/wijkraden/oost"))
    assert "2 van 2 zetels bezet" in page
    assert "Openstaande uitnodigingen" in page and "Nieuwe Bewoner" in page
    # Both resident seats are now taken: a third is refused with a clear message.
    response = web.post_form(
        "/wijkraden/oost/leden/nieuw", {**form, "name": "Te Veel", "email": "teveel@example.org"}
    )
    assert response.status_code == 422
    assert "zetels voor bewoners zijn in die periode bezet" in text(response)
    url = f"/wijkraden/oost/leden/{seated}/beeindigen"
    assert web.post_form(url, {"ends_on": make.today.isoformat()}).status_code == 302
    assert "Het lidmaatschap van Zittend Raadslid is beëindigd." in text(web.get("/wijkraden/oost"))
    assert "Zittend Raadslid" not in text(web.get("/wijkraden/oost"))  # the flash is gone now


def test_admin_sees_rule_refusals_in_the_appointment_form(app, web, make):
    with app.app_context():
        make.council("oost", residents=2, councillors=1)
        make.user("admin@example.org", admin=True)
    web.login("admin@example.org")
    response = web.post_form(
        "/wijkraden/oost/leden/nieuw",
        {
            "name": "Raadslid",
            "email": "r@example.org",
            "seat": "councillor",
            "role": "chair",
            "starts_on": "2026-01-01",
        },
    )
    assert response.status_code == 422
    assert "De voorzitter moet een bewoner zijn." in text(response)
    assert 'value="Raadslid"' in text(response)


def test_admin_creates_account_and_invitation_sets_password(app, web, make, client):
    with app.app_context():
        make.user("admin@example.org", admin=True)
    web.login("admin@example.org")
    response = web.post_form(
        "/beheer/accounts/nieuw", {"name": "Nieuw", "email": "nieuw@example.org", "language": "nl"}
    )
    assert response.status_code == 302
    account_page = response.headers["Location"]
    response = web.post_form(account_page + "/uitnodiging", {}, page=account_page)
    link = re.search(r"(/uitnodiging/[A-Za-z0-9_.\-]+)", text(response)).group(1)
    web.logout()
    response = web.post_form(
        link, {"password": "mijn nieuwe wachtwoord", "confirm": "mijn nieuwe wachtwoord"}
    )
    assert response.status_code == 302
    web.logout()
    assert web.login("nieuw@example.org", "mijn nieuwe wachtwoord").status_code == 302
    # The link works once.
    assert web.get(link).status_code == 400


def test_account_page_issues_and_revokes_tokens(app, web, make, client):
    with app.app_context():
        make.user("a@example.org")
    web.login("a@example.org")
    response = web.post_form("/account", {"action": "token", "token-label": "website"})
    token = re.search(r"(wr_[A-Za-z0-9_\-]{20,})", text(response)).group(1)
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_security_headers_and_cookies(app, web, make):
    with app.app_context():
        make.user("a@example.org")
    response = web.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    response = web.login("a@example.org")
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_pages_have_no_inline_scripts_or_styles(app, web, make):
    with app.app_context():
        council = make.council("oost")
        make.member(council)
    for url in ["/", "/wijkraden/oost", "/aanmelden"]:
        page = text(web.get(url))
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), url
        assert " style=" not in page and "<style" not in page, url


def test_unknown_page_is_a_friendly_404(web):
    response = web.get("/bestaat-niet")
    assert response.status_code == 404
    assert "<h1" in text(response)


def test_council_page_leads_to_its_next_meeting(app, web, make):
    with app.app_context():
        make.council("oost")
    page = text(web.get("/wijkraden/oost"))
    assert "Er is nog geen volgende vergadering gepland." in page
    assert "/wijkraden/oost/vergaderingen" in page
    admin = Actor(user_id=None, is_admin=True)
    with app.app_context():
        meeting = meetings.create_meeting(
            db.session,
            admin,
            db.session.scalar(sa.select(Council).where(Council.slug == "oost")),
            title="Voorjaarsvergadering",
            starts_at=clock.now() + timedelta(days=7),
            location="Buurthuis",
        )
        db.session.commit()
        meeting_id = meeting.id
    assert "Voorjaarsvergadering" not in text(web.get("/wijkraden/oost"))  # a draft is not public
    with app.app_context():
        meetings.publish(db.session, admin, db.session.get(Meeting, meeting_id), clock.now())
        db.session.commit()
    page = text(web.get("/wijkraden/oost"))
    assert "Voorjaarsvergadering" in page and f"/vergaderingen/{meeting_id}" in page
