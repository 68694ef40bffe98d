"""Sessions and API tokens that end (logout, a new password, an administrator disabling an
account or resetting its password), and account changes on record. On SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.conftest import PASSWORD, Web, bearer, csrf_from
from tests.integration.test_auth_security import AT_HOME, CHAIR, api_login, page_login
from wijkraad import clock
from wijkraad.audit import AuditEvent
from wijkraad.auth import accounts
from wijkraad.auth.models import ApiToken, User
from wijkraad.extensions import db

NEW_PASSWORD = "een heel nieuw wachtwoord"


def me(client, token: str) -> int:
    return client.get("/api/v1/me", headers=bearer(token)).status_code


def audit_rows(app, action: str) -> list[AuditEvent]:
    """The audit rows of ``action``, read in an app context of their own (and kept, loaded)."""
    with app.app_context():
        query = sa.select(AuditEvent).where(AuditEvent.action == action)
        return list(db.session.scalars(query.order_by(AuditEvent.id)))


# --- sessions and tokens end ------------------------------------------------------------------


def test_logging_out_ends_the_session_on_the_server(app, web, make, client):
    with app.app_context():
        make.user(CHAIR)
    web.login(CHAIR)
    copied = client.get_cookie("session").value
    assert web.get("/account").status_code == 200
    web.logout()
    client.set_cookie("session", copied)
    assert web.get("/account").status_code == 302


def test_logging_out_revokes_the_remember_me_cookie(app, make):
    with app.app_context():
        make.user(CHAIR)
    browser = app.test_client()
    assert page_login(browser, CHAIR, remember=True).status_code == 302
    remembered = browser.get_cookie("remember_token").value
    thief = app.test_client()
    thief.set_cookie("remember_token", remembered)
    assert thief.get("/account").status_code == 200  # the cookie alone logs in ...
    Web(browser).logout()
    assert thief.get("/account").status_code == 302  # ... until its owner logs out
    replay = app.test_client()
    replay.set_cookie("remember_token", remembered)
    assert replay.get("/account").status_code == 302


def change_password(browser, current: str, new: str = NEW_PASSWORD):
    form = {"action": "password", "pw-current_password": current}
    return Web(browser).post_form("/account", {**form, "pw-password": new, "pw-confirm": new})


def test_a_new_password_ends_every_other_session_and_token(app, make, client):
    with app.app_context():
        user = make.user(CHAIR)
        token = make.token(user)
        user_id = user.id
    elsewhere = app.test_client()
    assert page_login(elsewhere, CHAIR, remember=True).status_code == 302
    remembered = elsewhere.get_cookie("remember_token").value
    here = app.test_client()
    assert page_login(here, CHAIR, remember=True).status_code == 302
    assert change_password(here, PASSWORD).status_code == 302
    assert here.get("/account").status_code == 200  # the browser making the change stays in
    assert elsewhere.get("/account").status_code == 302
    replay = app.test_client()
    replay.set_cookie("remember_token", remembered)
    assert replay.get("/account").status_code == 302
    renewed = app.test_client()  # this browser's own remember-me cookie was renewed
    renewed.set_cookie("remember_token", here.get_cookie("remember_token").value)
    assert renewed.get("/account").status_code == 200
    assert me(client, token) == 401
    assert api_login(client, CHAIR, NEW_PASSWORD).status_code == 201
    (row,) = audit_rows(app, "user.set_password")[-1:]
    assert row.actor_user_id == user_id and row.data["tokens_revoked"] == 1


def test_a_new_password_needs_the_current_one(app, make, client):
    with app.app_context():
        user = make.user(CHAIR)
        token = make.token(user)
    browser = app.test_client()
    page_login(browser, CHAIR)
    response = change_password(browser, "niet mijn wachtwoord")
    assert response.status_code == 422
    assert "Uw huidige wachtwoord klopt niet." in response.get_data(as_text=True)
    assert me(client, token) == 200
    for _ in range(4):  # guessing it through a borrowed session is counted like logins
        assert change_password(browser, "niet mijn wachtwoord").status_code == 422
    assert change_password(browser, PASSWORD).status_code == 429
    assert api_login(client, CHAIR, PASSWORD, AT_HOME).status_code == 201


def test_the_token_making_a_change_is_kept(app, make, client):
    with app.app_context():
        user = make.user(CHAIR)
        keep, other = make.token(user), make.token(user)
        keep_id = min(db.session.scalars(sa.select(ApiToken.id).where(ApiToken.user_id == user.id)))
        accounts.change_own_password(
            db.session,
            user,
            PASSWORD,
            NEW_PASSWORD,
            remote_addr=AT_HOME,
            now=clock.now(),
            keep_token_id=keep_id,
        )
        db.session.commit()
    assert me(client, keep) == 200
    assert me(client, other) == 401


def test_disabling_an_account_ends_its_sessions_and_tokens(app, make, web, client):
    with app.app_context():
        admin = make.user("beheer@example.org", admin=True)
        user = make.user(CHAIR)
        token = make.token(user)
        admin_id, user_id = admin.id, user.id
    browser = app.test_client()
    page_login(browser, CHAIR, remember=True)
    web.login("beheer@example.org")
    page = f"/beheer/accounts/{user_id}"
    assert web.post_form(page + "/uitschakelen", {}, page=page).status_code == 302
    assert browser.get("/account").status_code == 302
    assert me(client, token) == 401
    assert page_login(app.test_client(), CHAIR).status_code == 401
    assert web.post_form(page + "/inschakelen", {}, page=page).status_code == 302
    assert page_login(app.test_client(), CHAIR).status_code == 302
    assert me(client, token) == 401  # stays revoked
    (disabled,) = audit_rows(app, "user.disable")
    assert disabled.actor_user_id == admin_id and disabled.subject_id == user_id
    assert disabled.data["tokens_revoked"] == 1
    assert audit_rows(app, "user.enable")[0].actor_user_id == admin_id


def invite_link(response) -> str:
    return re.search(r"(/uitnodiging/[A-Za-z0-9_.\-]+)", response.get_data(as_text=True)).group(1)


def test_resetting_a_password_ends_sessions_tokens_and_the_old_password(app, make, web, client):
    with app.app_context():
        admin = make.user("beheer@example.org", admin=True)
        user = make.user(CHAIR)
        token = make.token(user)
        admin_id, user_id = admin.id, user.id
    browser = app.test_client()
    page_login(browser, CHAIR, remember=True)
    web.login("beheer@example.org")
    page = f"/beheer/accounts/{user_id}"
    response = web.post_form(page + "/uitnodiging", {}, page=page)
    assert response.status_code == 200
    link = invite_link(response)
    assert browser.get("/account").status_code == 302
    assert me(client, token) == 401
    assert api_login(client, CHAIR, PASSWORD, AT_HOME).status_code == 401
    chair = Web(app.test_client())
    response = chair.post_form(link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert chair.get("/account").status_code == 200
    assert audit_rows(app, "user.reset_password")[0].actor_user_id == admin_id
    assert audit_rows(app, "user.reset_link")[0].actor_user_id == admin_id


def test_a_reset_does_not_bring_an_older_link_back(app, make, web):
    with app.app_context():
        make.user("beheer@example.org", admin=True)
    web.login("beheer@example.org")
    response = web.post_form(
        "/beheer/accounts/nieuw", {"name": "Nieuw", "email": CHAIR, "language": "nl"}
    )
    page = response.headers["Location"]
    first = invite_link(web.post_form(page + "/uitnodiging", {}, page=page))
    new = Web(app.test_client())
    assert new.post_form(first, {"password": PASSWORD, "confirm": PASSWORD}).status_code == 302
    second = invite_link(web.post_form(page + "/uitnodiging", {}, page=page))  # a reset
    assert web.get(first).status_code == 400
    assert web.get(second).status_code == 200
    assert len(audit_rows(app, "user.invite_link")) == 1
    assert len(audit_rows(app, "user.reset_link")) == 1


def test_administrators_cannot_disable_or_reset_themselves(app, make, web):
    with app.app_context():
        admin_id = make.user("beheer@example.org", admin=True).id
    web.login("beheer@example.org")
    page = f"/beheer/accounts/{admin_id}"
    assert "Account uitschakelen" not in web.get(page).get_data(as_text=True)
    assert web.post_form(page + "/uitschakelen", {}, page=page).status_code == 409
    assert web.post_form(page + "/uitnodiging", {}, page=page).status_code == 409
    assert web.get("/account").status_code == 200


@pytest.mark.parametrize(
    ("path", "admin_status"),
    [("/uitschakelen", 302), ("/inschakelen", 302), ("/gegevens", 422), ("/uitnodiging", 200)],
)
@pytest.mark.parametrize("role", ["anonymous", "member", "admin"])
def test_account_administration_is_for_administrators(app, make, role, path, admin_status):
    with app.app_context():
        make.user("beheer@example.org", admin=True)
        target = make.user(CHAIR).id
        make.user("lid@example.org")
    browser = Web(app.test_client())
    if role != "anonymous":
        browser.login("beheer@example.org" if role == "admin" else "lid@example.org")
    token = csrf_from(browser.get("/").get_data(as_text=True))
    response = browser.client.post(f"/beheer/accounts/{target}{path}", data={"csrf_token": token})
    expected = {"anonymous": 302, "member": 403, "admin": admin_status}[role]
    assert response.status_code == expected


# --- account changes are on record ------------------------------------------------------------


def test_own_details_and_language_changes_are_recorded(app, make, web):
    with app.app_context():
        user_id = make.user(CHAIR, name="Fatima").id
    web.login(CHAIR)
    form = {"action": "prefs", "prefs-name": "Fatima el Amrani", "prefs-language": "en"}
    assert web.post_form("/account", form).status_code == 302
    (row,) = audit_rows(app, "user.update")
    assert row.actor_user_id == user_id and row.subject_id == user_id
    assert row.data["changes"] == {"name": ["Fatima", "Fatima el Amrani"], "language": ["nl", "en"]}
    assert web.post_form("/account", form).status_code == 302  # nothing changed: no row
    assert len(audit_rows(app, "user.update")) == 1
    web.post_form("/taal", {"lang": "nl", "next": "/"}, page="/")
    assert audit_rows(app, "user.update")[-1].data["changes"] == {"language": ["en", "nl"]}


def test_an_administrators_changes_are_recorded(app, make, web):
    with app.app_context():
        admin_id = make.user("beheer@example.org", admin=True).id
        user_id = make.user(CHAIR).id
        make.user("bezet@example.org")
    web.login("beheer@example.org")
    page = f"/beheer/accounts/{user_id}"
    form = {"details-name": "Voorzitter", "details-email": "Nieuw@Example.org"}
    response = web.post_form(page + "/gegevens", {**form, "details-language": "nl"}, page=page)
    assert response.status_code == 302
    (row,) = audit_rows(app, "user.update")
    assert row.actor_user_id == admin_id
    assert row.data["changes"]["email"] == [CHAIR, "nieuw@example.org"]
    taken = {**form, "details-email": "bezet@example.org", "details-language": "nl"}
    response = web.post_form(page + "/gegevens", taken, page=page)
    assert response.status_code == 422
    assert "Er bestaat al een account met dit e-mailadres." in response.get_data(as_text=True)
    with app.app_context():
        new = make.user("nieuw2@example.org").id
        db.session.execute(sa.update(User).where(User.id == new).values(password_hash=None))
        db.session.commit()
    web.post_form(f"/beheer/accounts/{new}/uitnodiging", {}, page=page)
    (link,) = audit_rows(app, "user.invite_link")
    assert link.actor_user_id == admin_id and link.subject_id == new
