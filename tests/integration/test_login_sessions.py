"""Each login is a session of its own: logging out ends that one only, "Mijn account" lists them
and ends one or all others, and sessions expire on the server. On SQLite and PostgreSQL."""

from __future__ import annotations

import re
import threading

import sqlalchemy as sa

from tests.conftest import PASSWORD, Web, csrf_from
from tests.integration.test_auth_security import CHAIR, frozen, page_login  # noqa: F401
from tests.integration.test_auth_sessions import audit_rows, change_password, me
from wijkraad import clock
from wijkraad.auth import sessions
from wijkraad.auth.models import LoginSession, User
from wijkraad.auth.rules import SessionPolicy
from wijkraad.auth.views import load_user
from wijkraad.extensions import db

LAPTOP = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
PHONE = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)
DAY = 24 * 3600


def browser(app, *, remember: bool = False, agent: str = LAPTOP, email: str = CHAIR):
    """A browser of its own, logged in."""
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = agent
    assert page_login(client, email, remember=remember).status_code == 302
    return client


def logged_in(client) -> bool:
    status = client.get("/account").status_code
    assert status in (200, 302)
    return status == 200


def cookie_id(client) -> str:
    """What the browser's cookies carry: "user id:token"."""
    with client.session_transaction() as saved:
        return saved["_user_id"]


def session_rows(app) -> list[LoginSession]:
    """The login sessions, read in an app context of their own (and kept, loaded)."""
    with app.app_context():
        return list(db.session.scalars(sa.select(LoginSession).order_by(LoginSession.id)))


def end_path(client) -> list[str]:
    html = client.get("/account").get_data(as_text=True)
    return re.findall(r'action="(/account/sessies/\d+/beeindigen)"', html)


def post(client, url: str):
    token = csrf_from(client.get("/account").get_data(as_text=True))
    return client.post(url, data={"csrf_token": token})


# --- logging out ends this session only -------------------------------------------------------


def test_logging_out_on_one_browser_leaves_the_other_logged_in(app, make):
    with app.app_context():
        make.user(CHAIR)
    laptop = browser(app)  # the community centre's shared laptop
    phone = browser(app, agent=PHONE)  # the chair votes with it
    response = Web(laptop).logout()
    assert response.status_code == 302
    assert not logged_in(laptop)
    assert logged_in(phone)
    (ended,) = audit_rows(app, "session.end")
    assert ended.data == {"user_id": ended.actor_user_id, "current": True}
    assert len(session_rows(app)) == 1


def test_a_replayed_cookie_of_a_logged_out_session_is_refused(app, make):
    with app.app_context():
        make.user(CHAIR)
    laptop = browser(app, remember=True)
    phone = browser(app, remember=True, agent=PHONE)
    copied_session = laptop.get_cookie("session").value
    copied_remember = laptop.get_cookie("remember_token").value
    Web(laptop).logout()
    replay = app.test_client()
    replay.set_cookie("session", copied_session)
    assert not logged_in(replay)
    replay = app.test_client()
    replay.set_cookie("remember_token", copied_remember)
    assert not logged_in(replay)
    assert logged_in(phone)


# --- the list on "Mijn account" ---------------------------------------------------------------


def test_my_account_lists_where_i_am_logged_in(app, make):
    with app.app_context():
        make.user(CHAIR)
        make.user("ander@example.org")
    browser(app, email="ander@example.org")  # someone else's session is not listed
    phone = browser(app, agent=PHONE, remember=True)
    laptop = browser(app)
    html = laptop.get("/account").get_data(as_text=True)
    assert "Waar u bent aangemeld" in html
    assert "Firefox · Windows" in html and "Chrome · Android" in html
    assert html.index("Firefox · Windows") < html.index("dit apparaat") < html.index("Chrome")
    assert len(end_path(laptop)) == 2
    assert "Overal anders afmelden" in html
    # The phone's own page marks the phone.
    html = phone.get("/account").get_data(as_text=True)
    assert html.index("Chrome · Android") < html.index("dit apparaat") < html.index("Firefox")


def test_ending_one_listed_session_ends_it(app, make):
    with app.app_context():
        user = make.user(CHAIR).id
        stranger = make.user("ander@example.org").id
    theirs = browser(app, email="ander@example.org")
    phone = browser(app, agent=PHONE)
    tablet = browser(app, agent="Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X)")
    laptop = browser(app)
    phone_id = next(s.id for s in session_rows(app) if s.device == "Chrome · Android")
    path = f"/account/sessies/{phone_id}/beeindigen"
    assert path in end_path(laptop)
    response = post(laptop, path)
    assert response.status_code == 302
    assert not logged_in(phone)
    assert logged_in(laptop) and logged_in(tablet)
    (ended,) = audit_rows(app, "session.end")
    assert ended.actor_user_id == user and ended.subject_id == phone_id
    assert ended.data["current"] is False
    # Twice (a double click, two tabs): nothing more happens, nothing breaks.
    response = post(laptop, path)
    assert response.status_code == 302
    assert "Die sessie was al beëindigd." in laptop.get("/account").get_data(as_text=True)
    assert len(audit_rows(app, "session.end")) == 1
    # Someone else's session cannot be ended from here.
    (their_id,) = [s.id for s in session_rows(app) if s.user_id == stranger]
    post(laptop, f"/account/sessies/{their_id}/beeindigen")
    assert logged_in(theirs)


def test_ending_this_session_from_the_list_logs_out(app, make):
    with app.app_context():
        make.user(CHAIR)
    laptop = browser(app, remember=True)
    phone = browser(app, agent=PHONE)
    (this,) = [s.id for s in session_rows(app) if s.device == "Firefox · Windows"]
    remembered = laptop.get_cookie("remember_token").value
    assert post(laptop, f"/account/sessies/{this}/beeindigen").status_code == 302
    assert not logged_in(laptop)
    replay = app.test_client()
    replay.set_cookie("remember_token", remembered)
    assert not logged_in(replay)
    assert logged_in(phone)


def test_ending_all_other_sessions_keeps_this_one(app, make):
    with app.app_context():
        user_id = make.user(CHAIR).id
    phone = browser(app, agent=PHONE, remember=True)
    remembered = phone.get_cookie("remember_token").value
    tablet = browser(app)
    laptop = browser(app)
    response = post(laptop, "/account/sessies/andere-beeindigen")
    assert response.status_code == 302
    assert logged_in(laptop)
    assert not logged_in(phone) and not logged_in(tablet)
    replay = app.test_client()
    replay.set_cookie("remember_token", remembered)
    assert not logged_in(replay)
    (row,) = audit_rows(app, "session.end_others")
    assert row.actor_user_id == user_id and row.data == {"sessions_ended": 2}
    html = laptop.get("/account").get_data(as_text=True)
    assert len(end_path(laptop)) == 1 and "Overal anders afmelden" not in html


def test_the_session_buttons_need_the_csrf_token_and_a_login(app, make):
    with app.app_context():
        make.user(CHAIR)
    phone = browser(app, agent=PHONE)
    laptop = browser(app)
    (phone_id,) = [s.id for s in session_rows(app) if s.device == "Chrome · Android"]
    assert laptop.post(f"/account/sessies/{phone_id}/beeindigen").status_code == 400
    assert laptop.post("/account/sessies/andere-beeindigen").status_code == 400
    assert logged_in(phone)
    anonymous = Web(app.test_client())
    response = anonymous.post_form("/account/sessies/andere-beeindigen", {}, page="/")
    assert response.status_code == 302 and "/aanmelden" in response.headers["Location"]
    assert logged_in(phone)


# --- everything that ends every session -------------------------------------------------------


def test_a_new_password_ends_the_other_sessions_and_tokens_but_not_this_one(app, make, client):
    with app.app_context():
        user = make.user(CHAIR)
        token = make.token(user)
    phone = browser(app, agent=PHONE, remember=True)
    laptop = browser(app, remember=True)
    copied = laptop.get_cookie("session").value
    assert change_password(laptop, PASSWORD).status_code == 302
    assert logged_in(laptop)
    assert not logged_in(phone)
    assert me(client, token) == 401
    # This browser goes on under a new token: a copy of its cookie from before is worth nothing.
    replay = app.test_client()
    replay.set_cookie("session", copied)
    assert not logged_in(replay)
    (row,) = session_rows(app)
    assert row.device == "Firefox · Windows" and row.remember
    (changed,) = audit_rows(app, "user.set_password")[-1:]
    assert changed.data == {"sessions_ended": 1, "tokens_revoked": 1}


def test_a_session_of_a_disabled_account_is_refused(app, make):
    with app.app_context():
        user_id = make.user(CHAIR).id
    laptop = browser(app, remember=True)
    remembered = laptop.get_cookie("remember_token").value
    # Disabled behind the application's back: the rows are still there, yet count for nothing.
    with app.app_context():
        db.session.execute(sa.update(User).where(User.id == user_id).values(is_enabled=False))
        db.session.commit()
    assert len(session_rows(app)) == 1
    assert not logged_in(laptop)
    replay = app.test_client()
    replay.set_cookie("remember_token", remembered)
    assert not logged_in(replay)


def test_disabling_or_resetting_ends_every_session_of_the_account(app, make, web):
    with app.app_context():
        admin_id = make.user("beheer@example.org", admin=True).id
        user_id = make.user(CHAIR).id
    phone, laptop = browser(app, agent=PHONE), browser(app, remember=True)
    web.login("beheer@example.org")
    page = f"/beheer/accounts/{user_id}"
    assert "2 apparaten" in web.get(page).get_data(as_text=True)
    assert web.post_form(page + "/uitschakelen", {}, page=page).status_code == 302
    assert not logged_in(phone) and not logged_in(laptop)
    assert [s.user_id for s in session_rows(app)] == [admin_id]  # the administrator's own
    assert audit_rows(app, "user.disable")[0].data == {"sessions_ended": 2, "tokens_revoked": 0}
    web.post_form(page + "/inschakelen", {}, page=page)
    phone = browser(app, agent=PHONE)
    web.post_form(page + "/uitnodiging", {}, page=page)
    assert not logged_in(phone)
    assert audit_rows(app, "user.reset_password")[0].data == {
        "sessions_ended": 1,
        "tokens_revoked": 0,
    }
    assert "Actieve sessies" in web.get(page).get_data(as_text=True)


def test_a_login_racing_a_password_change_does_not_survive_it(app, make):
    """A login checked the old password; before it stored its session, the password changed
    (and the other sessions ended). Its session began under the old version: refused."""
    with app.app_context():
        user = make.user(CHAIR)
        db.session.get(User, user.id)  # the login read the account, version and all
        with db.engine.begin() as other:  # meanwhile, a password change elsewhere commits
            other.execute(
                sa.update(User)
                .where(User.id == user.id)
                .values(session_version=User.session_version + 1)
            )
        key = sessions.start(db.session, user, remember=True, user_agent=LAPTOP, now=clock.now())
        db.session.commit()
        user_id, cookie = user.id, f"{user.id}:{key.token}"
    with app.test_request_context():
        assert load_user(cookie) is None
    with app.app_context():
        user = db.session.get(User, user_id)
        assert sessions.active(db.session, user, now=clock.now(), policy=SessionPolicy()) == []
    result = app.test_cli_runner().invoke(args=["auth", "prune"])
    assert "deleted 1 login sessions" in result.output
    assert session_rows(app) == []


# --- expiry and "last seen" -------------------------------------------------------------------


def test_sessions_expire_on_the_server(app, make, frozen):  # noqa: F811
    with app.app_context():
        make.user(CHAIR)
    brief = browser(app)  # ends with the browser: on the server after 14 idle days
    kept = browser(app, remember=True)  # "remember me": as long as its cookie, a year
    frozen.advance(13 * DAY)
    assert logged_in(brief) and logged_in(kept)
    frozen.advance(14 * DAY - 1)
    assert logged_in(brief)
    frozen.advance(14 * DAY + 1)
    assert not logged_in(brief)
    assert logged_in(kept)
    frozen.advance(340 * DAY)
    assert not logged_in(kept)
    result = app.test_cli_runner().invoke(args=["auth", "prune"])
    assert result.exit_code == 0 and "deleted 2 login sessions" in result.output
    assert session_rows(app) == []


def test_the_idle_time_is_configurable(app, make, frozen, monkeypatch):  # noqa: F811
    monkeypatch.setitem(app.config, "SESSION_IDLE_DAYS", 1)
    with app.app_context():
        make.user(CHAIR)
    brief = browser(app)
    frozen.advance(DAY + 1)
    assert not logged_in(brief)


def count_statements(app, run):
    statements: list[str] = []

    def listen(conn, cursor, statement, *args):
        statements.append(statement)

    # A request of its own, with a database session of its own: nothing cached, the loader has
    # to ask the database.
    with app.test_request_context():
        sa.event.listen(db.engine, "before_cursor_execute", listen)
        try:
            result = run()
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", listen)
    return result, statements


def test_the_user_loader_costs_one_statement(app, make, frozen):  # noqa: F811
    with app.app_context():
        user_id = make.user(CHAIR).id
    laptop = browser(app)
    value = cookie_id(laptop)
    found, statements = count_statements(app, lambda: load_user(value))
    assert found is not None and found.id == user_id
    assert len(statements) == 1, statements
    # "Last seen" is written at most once per five minutes, and kept (committed) when written.
    frozen.advance(299)
    _, statements = count_statements(app, lambda: load_user(value))
    assert len(statements) == 1
    frozen.advance(2)
    _, statements = count_statements(app, lambda: load_user(value))
    assert [s.split()[0] for s in statements] == ["SELECT", "UPDATE"]
    (row,) = session_rows(app)
    assert row.last_seen_at == frozen.now
    _, statements = count_statements(app, lambda: load_user(value))
    assert len(statements) == 1


def test_a_malformed_cookie_is_refused_without_a_query(app):
    for value in ["", "1", "x:y", "0:abc", "99999999999:abc", "1:" + "a" * 101, "-1:abc"]:
        found, statements = count_statements(app, lambda v=value: load_user(v))
        assert found is None and statements == [], value


def test_two_logouts_of_one_session_at_once(app, make, monkeypatch):
    with app.app_context():
        make.user(CHAIR)
    laptop = browser(app, remember=True)
    token = csrf_from(laptop.get("/").get_data(as_text=True))
    cookies = {name: laptop.get_cookie(name).value for name in ("session", "remember_token")}
    # Both requests have found the session logged in before either ends it.
    both_in = threading.Barrier(2)
    end = sessions.end

    def end_together(*args, **kwargs):
        both_in.wait(timeout=30)
        return end(*args, **kwargs)

    monkeypatch.setattr(sessions, "end", end_together)
    statuses: list[int] = []
    lock = threading.Lock()

    def log_out() -> None:
        client = app.test_client()
        for name, value in cookies.items():
            client.set_cookie(name, value)
        response = client.post("/afmelden", data={"csrf_token": token})
        with lock:
            statuses.append(response.status_code)

    threads = [threading.Thread(target=log_out) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [302, 302]
    assert len(audit_rows(app, "session.end")) == 1
    assert session_rows(app) == []
    replay = app.test_client()
    for name, value in cookies.items():
        replay.set_cookie(name, value)
    assert not logged_in(replay)


def test_login_records_the_session(app, make):
    with app.app_context():
        user = make.user(CHAIR)
        user_id, version = user.id, user.session_version
    laptop = browser(app, remember=True)
    (row,) = session_rows(app)
    assert (row.user_id, row.device, row.remember, row.version) == (
        user_id,
        "Firefox · Windows",
        True,
        version,
    )
    value = cookie_id(laptop)
    assert value.startswith(f"{user_id}:") and row.token_hash not in value
    (started,) = audit_rows(app, "session.start")
    assert started.subject_id == row.id and started.data == {
        "device": "Firefox · Windows",
        "remember": True,
    }


def test_logging_in_over_a_forgotten_login_ends_it(app, make):
    with app.app_context():
        make.user(CHAIR)
        make.user("ander@example.org")
    laptop = browser(app, remember=True)  # the chair forgot to log out at the centre ...
    remembered = laptop.get_cookie("remember_token").value
    phone = browser(app, agent=PHONE)
    assert page_login(laptop, "ander@example.org").status_code == 302  # ... someone else logs in
    laptop.delete_cookie("session")  # the browser closes; the chair's cookie is still there
    assert laptop.get_cookie("remember_token").value == remembered
    assert not logged_in(laptop)
    assert logged_in(phone)
    assert [s.device for s in session_rows(app)] == ["Chrome · Android", "Firefox · Windows"]
