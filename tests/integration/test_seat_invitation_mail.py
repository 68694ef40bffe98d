"""A seat invitation goes to the invited address by mail, queued with the appointment (page or
API) and again with every renewed link: alike for a new address and for an existing account,
so the appointer still cannot tell the two apart. Each test runs on SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.conftest import bearer
from tests.integration.seats import EXISTING, NEW, TYPED, appoint, build_oost, masked_page, text
from wijkraad import clock
from wijkraad.auth import services as auth_services
from wijkraad.extensions import db
from wijkraad.mail.models import OutboxMessage

LINK = re.compile(r"http://localhost/zetel-uitnodiging/[\w.\-]+")


@pytest.fixture
def oost(app, make):
    return build_oost(app, make)


def mails_to(app, address: str) -> list[OutboxMessage]:
    with app.app_context():
        return list(
            db.session.scalars(
                sa.select(OutboxMessage)
                .where(OutboxMessage.recipient == address)
                .order_by(OutboxMessage.id)
            )
        )


def test_an_api_appointment_mails_the_link_to_a_new_and_an_existing_address(app, client, oost):
    for address in (NEW, EXISTING):
        answer = appoint(client, oost["secretary"], address, role="secretary")
        assert answer.status_code == 409  # the council has its secretary already
        answer = appoint(client, oost["secretary"], address)
        assert answer.status_code == 201, answer.get_json()
        [mail] = mails_to(app, address)
        link = answer.get_json()["invitation_url"]
        assert LINK.fullmatch(link)
        assert link in mail.text and f'href="{link}"' in mail.html
        assert mail.subject == "Uitnodiging voor een zetel in Wijkraad oost"
        for part in (mail.text, mail.html):
            assert f"Beste {TYPED}," in part
            assert "Wijkraad oost, Groningen" in part
            assert "als lid" in part
            assert "De link is geldig tot" in part
    # Only the invitee reads which way in is theirs.
    assert "meld u aan met uw eigen wachtwoord" in mails_to(app, EXISTING)[0].text
    assert "kiest u uw wachtwoord" in mails_to(app, NEW)[0].text


def test_the_mail_is_in_the_accounts_language(app, client, oost):
    with app.app_context():
        user = auth_services.find_user(db.session, EXISTING)
        user.language = "en"
        db.session.commit()
    assert appoint(client, oost["secretary"], EXISTING).status_code == 201
    [mail] = mails_to(app, EXISTING)
    assert mail.subject == "Invitation to a seat in Wijkraad oost"
    assert "Dear Getypte Naam," in mail.text
    assert '<html lang="en">' in mail.html


def test_the_appointment_page_mails_alike_and_says_so(app, web, oost):
    web.login("sec@example.org")
    pages = {}
    for address in (EXISTING, NEW):
        response = web.post_form(
            "/wijkraden/oost/leden/nieuw",
            {
                "name": TYPED,
                "email": address,
                "seat": "resident",
                "role": "member",
                "starts_on": clock.today().isoformat(),
            },
        )
        assert response.status_code == 302, text(response)
        page = text(web.get(response.headers["Location"]))
        assert "per e-mail verstuurd" in page
        [mail] = mails_to(app, address)
        link = re.search(r'id="invitation-link"[^>]*value="([^"]+)"', page).group(1)
        assert link in mail.text
        pages[address] = masked_page(page, **{address: "ADDRESS"})
    assert pages[EXISTING] == pages[NEW]


def test_a_renewed_link_is_mailed_again_and_the_old_one_is_not(app, web, client, oost):
    answer = appoint(client, oost["secretary"], NEW)
    member_id = answer.get_json()["id"]
    old = answer.get_json()["invitation_url"]
    renewed = client.post(
        f"/api/v1/members/{member_id}/invitation", headers=bearer(oost["secretary"])
    )
    assert renewed.status_code == 200, renewed.get_json()
    first, second = mails_to(app, NEW)
    new = renewed.get_json()["invitation_url"]
    assert old in first.text and new in second.text and old != new
    web.login("sec@example.org")
    page = f"/wijkraden/oost/leden/{member_id}/uitnodiging"
    response = web.post_form(page + "/vernieuwen", {}, page=page)
    assert response.status_code == 302
    third = mails_to(app, NEW)[2]
    shown = text(web.get(page))
    assert "ook per e-mail verstuurd" in shown
    link = re.search(r'id="invitation-link"[^>]*value="([^"]+)"', shown).group(1)
    assert link in third.text and new not in third.text


def test_a_refused_appointment_queues_no_mail(app, client, oost):
    assert appoint(client, oost["secretary"], NEW).status_code == 201
    again = appoint(client, oost["secretary"], NEW)
    assert again.status_code == 409
    assert len(mails_to(app, NEW)) == 1
