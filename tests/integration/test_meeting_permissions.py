"""Every meeting and voting page and form write against every role: anonymous, member,
secretary, chair, admin, and a member of another council. Drafts are hidden (404) from whoever
may not prepare them; confidential agenda items from whoever is not a member.

Writes carry a valid CSRF token taken from "/", so only the permission check can refuse them; each
write also checks its effect in the database: done for the roles that may, absent for the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
import sqlalchemy as sa
from flask import Flask

from tests.conftest import PASSWORD, Web, csrf_from
from wijkraad import clock
from wijkraad.auth.services import load_actor
from wijkraad.councils.models import Council
from wijkraad.councils.rules import Role, Seat
from wijkraad.extensions import db
from wijkraad.meetings import attendance
from wijkraad.meetings import services as meetings
from wijkraad.meetings.models import AgendaItem, Attendance, Meeting, Recusal
from wijkraad.meetings.rules import MeetingStatus, Presence
from wijkraad.motions import services as motions
from wijkraad.motions.models import Motion
from wijkraad.motions.rules import MotionStatus
from wijkraad.voting import decisions
from wijkraad.voting import services as voting
from wijkraad.voting.models import Vote, VoteRound
from wijkraad.voting.rules import RoundMode, RoundStatus

ROLES = ["anonymous", "member", "secretary", "chair", "admin", "other"]
EMAILS = {
    "member": "member@example.org",
    "secretary": "secretary@example.org",
    "chair": "chair@example.org",
    "admin": "admin@example.org",
    "other": "other@example.org",
}
STARTS_AT = datetime(2026, 12, 1, 19, 30, tzinfo=clock.AMSTERDAM)
CONFIDENTIAL = "Grondaankoop Vinkhuizen"
CONFIDENTIAL_SUB = "Taxatie perceel 12"
CONFIDENTIAL_MOTION = "Perceel 12 kopen"


class World(dict):
    """Council oost (residents: the chair and the member; councillor: the secretary) and council
    west (the other council's member). Meetings are built when a test first names one of their
    ids, so that each test pays only for what it uses:

    draft       a draft meeting with items draft_item and one more
    published   a published meeting: items p1, p2 (public), secret (confidential) with a
                sub-item secret_sub; everyone present, so it has quorum
    open        an open meeting: motion (by the member, on item o1), formality (on a hamerstuk),
                named_round and analog_round (open, each on its own motion)
    quiet       an open meeting without rounds (to close)
    hidden      an open meeting whose current item is confidential, with an open round on it
    """

    def __init__(self, app: Flask, make) -> None:
        super().__init__()
        self.app = app
        with app.app_context():
            oost = make.council("oost", residents=3, councillors=2)
            west = make.council("west", residents=3, councillors=2)
            make.user(EMAILS["admin"], admin=True)
            chair = make.member(
                oost, role=Role.CHAIR, email=EMAILS["chair"], name="Carla Voorzitter"
            )
            secretary = make.member(
                oost,
                role=Role.SECRETARY,
                seat=Seat.COUNCILLOR,
                email=EMAILS["secretary"],
                name="Sem Secretaris",
            )
            member = make.member(oost, email=EMAILS["member"], name="Mia Lid")
            make.member(west, email=EMAILS["other"], name="Otto Elders")
            self.council_id = oost.id
            self.seated = [chair.id, secretary.id, member.id]
            self.admin = make.admin_actor
            self.as_member = load_actor(db.session, member.person.user, clock.today())
            self.update(member=member.id, chair_member=chair.id)
        self.builders: dict[str, Callable[[], None]] = {}
        for builder, keys in (
            (self._draft, "draft draft_item"),
            (self._published, "published p1 p2 secret secret_sub"),
            (self._open, "open o1 motion formality analog_round named_round"),
            (self._quiet, "quiet"),
            (self._hidden, "hidden hidden_round"),
        ):
            self.builders.update(dict.fromkeys(keys.split(), builder))

    def build(self, *keys: str) -> None:
        for key in keys:
            self[key]

    def __missing__(self, key: str) -> int:
        with self.app.app_context():
            self.builders[key]()
            db.session.commit()
        return self[key]

    @property
    def council(self) -> Council:
        return db.session.get(Council, self.council_id)

    def _opened(self, title: str, *items: tuple[str, dict]) -> tuple[Meeting, list[AgendaItem]]:
        """A published meeting with everyone present, opened."""
        meeting = _meeting(self.admin, self.council, title)
        made = [_item(self.admin, meeting, t, **kw) for t, kw in items]
        meetings.publish(db.session, self.admin, meeting, clock.now())
        for m in self.seated:
            attendance.mark(db.session, self.admin, meeting, m, Presence.PRESENT, clock.now())
        meetings.open_meeting(db.session, self.admin, meeting, clock.now(), clock.today())
        return meeting, made

    def _draft(self) -> None:
        draft = _meeting(self.admin, self.council, "Conceptvergadering")
        self.update(draft=draft.id, draft_item=_item(self.admin, draft, "Nog geheim punt").id)
        _item(self.admin, draft, "Nog een geheim punt")

    def _published(self) -> None:
        meeting = _meeting(self.admin, self.council, "Gepubliceerde vergadering")
        p1, p2 = (_item(self.admin, meeting, t) for t in ("Speeltuin", "Bankjes"))
        secret = _item(self.admin, meeting, CONFIDENTIAL, is_confidential=True)
        sub = _item(self.admin, meeting, CONFIDENTIAL_SUB, parent_id=secret.id)
        meetings.publish(db.session, self.admin, meeting, clock.now())
        for m in self.seated:
            attendance.mark(db.session, self.admin, meeting, m, Presence.PRESENT, clock.now())
        self.update(published=meeting.id, p1=p1.id, p2=p2.id, secret=secret.id, secret_sub=sub.id)

    def _open(self) -> None:
        meeting, (o1, formality, o3, o4) = self._opened(
            "Open vergadering",
            ("Verkeer", {}),
            ("Notulen vorige vergadering", {"is_formality": True}),
            ("Groen", {}),
            ("Verlichting", {}),
        )
        analog = _round(self.admin, _motion(self.admin, o4, "Lantaarnpalen"), RoundMode.ANALOG)
        named = _round(self.admin, _motion(self.admin, o3, "Bomen planten"), RoundMode.NAMED)
        self.update(
            open=meeting.id,
            o1=o1.id,
            motion=_motion(self.as_member, o1, "Drempels in de Vinkenstraat").id,
            formality=_motion(self.admin, formality, "Notulen vaststellen").id,
            analog_round=analog.id,
            named_round=named.id,
        )

    def _quiet(self) -> None:
        meeting, _ = self._opened("Rustige vergadering", ("Rondvraag", {}))
        self["quiet"] = meeting.id

    def _hidden(self) -> None:
        meeting, (_, secret) = self._opened(
            "Vergadering met besloten punt",
            ("Opening", {}),
            (CONFIDENTIAL, {"is_confidential": True}),
        )
        motion = _motion(self.admin, secret, CONFIDENTIAL_MOTION)
        self.update(hidden=meeting.id, hidden_round=_round(self.admin, motion, RoundMode.NAMED).id)


def _meeting(admin, council, title: str) -> Meeting:
    return meetings.create_meeting(
        db.session, admin, council, title=title, starts_at=STARTS_AT, location="Buurthuis"
    )


def _item(admin, meeting: Meeting, title: str, **kw) -> AgendaItem:
    return meetings.add_item(db.session, admin, meeting, title=title, **kw)


def _motion(actor, item: AgendaItem, title: str) -> Motion:
    return motions.submit_motion(
        db.session,
        actor,
        item,
        title=title,
        text=f"De wijkraad besluit: {title}.",
        on=clock.today(),
    )


def _round(admin, motion: Motion, mode: RoundMode) -> VoteRound:
    return voting.open_round(
        db.session, admin, motion, mode=mode, now=clock.now(), on=clock.today()
    )


@pytest.fixture
def world(app, make) -> World:
    return World(app, make)


def as_role(web: Web, role: str) -> Web:
    if role != "anonymous":
        response = web.login(EMAILS[role], PASSWORD)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return web


def codes(default: int, **by_role: int) -> dict[str, int]:
    return {role: by_role.get(role, default) for role in ROLES}


# Who may do what, as expected answers per role.
PUBLIC = codes(200)
LOGGED_IN = codes(200, anonymous=302)
MANAGERS = codes(403, anonymous=302, secretary=200, chair=200, admin=200)
CHAIRS = codes(403, anonymous=302, chair=200, admin=200)
MEMBERS = codes(200, anonymous=302, other=403)
# A draft exists only for those who prepare it.
DRAFT = codes(404, secretary=200, chair=200, admin=200)
DRAFT_LOGGED_IN = {**DRAFT, "anonymous": 302}


def success(expected: dict[str, int], ok: int = 303) -> dict[str, int]:
    """The same table for a write: ``ok`` (a redirect) where a page would be 200."""
    return {role: ok if code == 200 else code for role, code in expected.items()}


PAGES = [
    ("index", "/wijkraden/oost/vergaderingen", PUBLIC),
    ("new meeting form", "/wijkraden/oost/vergaderingen/nieuw", MANAGERS),
    ("draft meeting", "/vergaderingen/{draft}", DRAFT),
    ("published meeting", "/vergaderingen/{published}", PUBLIC),
    ("open meeting", "/vergaderingen/{open}", PUBLIC),
    ("vote page", "/vergaderingen/{open}/stemmen", LOGGED_IN),
    ("vote panel", "/vergaderingen/{open}/stemmen/paneel", LOGGED_IN),
    ("vote page of a draft", "/vergaderingen/{draft}/stemmen", DRAFT_LOGGED_IN),
    ("projector", "/vergaderingen/{open}/projector", PUBLIC),
    ("projector stand", "/vergaderingen/{open}/projector/stand", PUBLIC),
    ("projector of published", "/vergaderingen/{published}/projector", PUBLIC),
    ("projector of a draft", "/vergaderingen/{draft}/projector", DRAFT),
    ("projector stand of a draft", "/vergaderingen/{draft}/projector/stand", DRAFT),
    ("chair console", "/stemmingen/{named_round}/voorzitter", CHAIRS),
    ("chair console stand", "/stemmingen/{named_round}/voorzitter/stand", CHAIRS),
    ("motion form", "/agendapunten/{p1}/voorstellen/nieuw", MEMBERS),
    ("motion form on a draft", "/agendapunten/{draft_item}/voorstellen/nieuw", DRAFT),
]

# Routes that find a draft through its agenda item check the permission first, so a plain member
# learns that the draft item exists (403), and the public is asked to log in (302), where the
# meeting's own pages answer 404.


def cases(table: list[tuple]) -> list:
    params = []
    for case in table:
        for role in ROLES:
            params.append(pytest.param(role, *case, id=f"{case[0]}-{role}"))
    return params


def assert_answer(response, expected: int, role: str) -> None:
    body = response.get_data(as_text=True)
    assert response.status_code == expected, body[:800]
    if expected in (302, 303):
        location = response.headers["Location"]
        if role == "anonymous":
            assert "/aanmelden?next=" in location
        else:
            assert "/aanmelden" not in location


@pytest.mark.parametrize(("role", "name", "url", "expected"), cases(PAGES))
def test_pages(web, world, role, name, url, expected):
    as_role(web, role)
    response = web.get(url.format_map(world))
    assert_answer(response, expected[role], role)


# ------------------------------------------------------------------------------------- writes


def _count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def _get(model, id_: int):
    return db.session.get(model, id_)


NEW_MEETING = {
    "title": "Extra vergadering",
    "starts_on": "2026-12-15",
    "starts_time": "19:30",
    "location": "Wijkcentrum",
    "follow_up_of": "",
}

# (name, url, form data, expected answers, whether the write happened, roles it happens for)
# Drastic buttons and votes act only when confirmed (the confirmation page or dialog).
CONFIRMED = {"confirmed": "yes"}

WRITES: list[tuple[str, str, dict, dict[str, int], Callable[[dict], bool], set[str] | None]] = [
    (
        "create meeting",
        "/wijkraden/oost/vergaderingen/nieuw",
        NEW_MEETING,
        success(MANAGERS, 302),
        lambda ids: _count(Meeting, Meeting.title == "Extra vergadering") == 1,
        None,
    ),
    (
        "add item",
        "/vergaderingen/{published}/agendapunten",
        {"title": "Nieuw punt", "parent_id": ""},
        success(MANAGERS),
        lambda ids: _count(AgendaItem, AgendaItem.title == "Nieuw punt") == 1,
        None,
    ),
    (
        "add item to draft",
        "/vergaderingen/{draft}/agendapunten",
        {"title": "Nieuw punt", "parent_id": ""},
        success(DRAFT),
        lambda ids: _count(AgendaItem, AgendaItem.title == "Nieuw punt") == 1,
        None,
    ),
    (
        "move item",
        "/agendapunten/{p1}/verplaatsen",
        {"direction": "down"},
        success(MANAGERS),
        lambda ids: _get(AgendaItem, ids["p1"]).position == 2,
        None,
    ),
    (
        "move draft item",
        "/agendapunten/{draft_item}/verplaatsen",
        {"direction": "down"},
        success(DRAFT),
        lambda ids: _get(AgendaItem, ids["draft_item"]).position == 2,
        None,
    ),
    (
        "publish",
        "/vergaderingen/{draft}/publiceren",
        {},
        success(DRAFT),
        lambda ids: _get(Meeting, ids["draft"]).status is MeetingStatus.PUBLISHED,
        None,
    ),
    (
        "cancel",
        "/vergaderingen/{published}/annuleren",
        CONFIRMED,
        success(MANAGERS),
        lambda ids: _get(Meeting, ids["published"]).status is MeetingStatus.CANCELLED,
        None,
    ),
    (
        "open meeting",
        "/vergaderingen/{published}/openen",
        {},
        success(CHAIRS),
        lambda ids: _get(Meeting, ids["published"]).status is MeetingStatus.OPEN,
        None,
    ),
    (
        "close meeting",
        "/vergaderingen/{quiet}/sluiten",
        CONFIRMED,
        success(CHAIRS),
        lambda ids: _get(Meeting, ids["quiet"]).status is MeetingStatus.CLOSED,
        None,
    ),
    (
        "current item",
        "/vergaderingen/{open}/huidig-agendapunt",
        {"item_id": "{o1}"},
        success(CHAIRS),
        lambda ids: _get(Meeting, ids["open"]).current_item_id == ids["o1"],
        None,
    ),
    (
        "attendance",
        "/vergaderingen/{published}/aanwezigheid/{member}",
        {"presence": "absent_with_notice"},
        success(MANAGERS),
        lambda ids: (
            _count(
                Attendance,
                Attendance.meeting_id == ids["published"],
                Attendance.membership_id == ids["member"],
                Attendance.presence == Presence.ABSENT_WITH_NOTICE,
            )
            == 1
        ),
        None,
    ),
    (
        "everyone present",
        "/vergaderingen/{draft}/iedereen-aanwezig",
        {},
        success(DRAFT),
        lambda ids: (
            _count(
                Attendance,
                Attendance.meeting_id == ids["draft"],
                Attendance.presence == Presence.PRESENT,
            )
            > 0
        ),
        None,
    ),
    (
        # Members send their own apologies; the administrator holds no seat.
        "apologies",
        "/vergaderingen/{published}/afmelden",
        {"reason": "Ziek"},
        codes(403, anonymous=302, member=303, secretary=303, chair=303),
        lambda ids: (
            _count(
                Attendance,
                Attendance.meeting_id == ids["published"],
                Attendance.presence == Presence.ABSENT_WITH_NOTICE,
            )
            == 1
        ),
        None,
    ),
    (
        "recusal",
        "/agendapunten/{p1}/verschoningen",
        {"member_id": "{member}"},
        success(MANAGERS),
        lambda ids: _count(Recusal, Recusal.agenda_item_id == ids["p1"]) == 1,
        None,
    ),
    (
        "recusal on draft item",
        "/agendapunten/{draft_item}/verschoningen",
        {"member_id": "{member}"},
        success(DRAFT),
        lambda ids: _count(Recusal, Recusal.agenda_item_id == ids["draft_item"]) == 1,
        None,
    ),
    (
        "submit motion",
        "/agendapunten/{p1}/voorstellen/nieuw",
        {"title": "Nieuw voorstel", "text": "Tekst.", "requirement": "majority"},
        success(MEMBERS),
        lambda ids: _count(Motion, Motion.title == "Nieuw voorstel") == 1,
        None,
    ),
    (
        "open round",
        "/voorstellen/{motion}/stemming",
        {"mode": "named"},
        success(CHAIRS),
        lambda ids: _count(VoteRound, VoteRound.motion_id == ids["motion"]) == 1,
        None,
    ),
    (
        "hamerslag",
        "/voorstellen/{formality}/hamerslag",
        {},
        success(CHAIRS),
        lambda ids: _get(Motion, ids["formality"]).status is MotionStatus.ADOPTED,
        None,
    ),
    (
        # Asking for a vote is a member's right (3.8); an administrator is no member.
        "ask for a vote",
        "/voorstellen/{formality}/stemming-vragen",
        {},
        codes(303, anonymous=302, admin=403, other=403),
        lambda ids: _get(Motion, ids["formality"]).vote_requested,
        None,
    ),
    (
        # The member submitted it; the chair may withdraw any motion.
        "withdraw",
        "/voorstellen/{motion}/intrekken",
        CONFIRMED,
        codes(303, anonymous=302, secretary=403, other=403),
        lambda ids: _get(Motion, ids["motion"]).status is MotionStatus.WITHDRAWN,
        None,
    ),
    (
        "analog counts",
        "/stemmingen/{analog_round}/aantallen",
        {
            "residents_yes": "2",
            "residents_no": "0",
            "residents_abstain": "0",
            "councillors_yes": "0",
            "councillors_no": "1",
            "councillors_abstain": "0",
        },
        success(CHAIRS),
        lambda ids: _get(VoteRound, ids["analog_round"]).residents_yes == 2,
        None,
    ),
    (
        "close round",
        "/stemmingen/{named_round}/sluiten",
        CONFIRMED,
        success(CHAIRS),
        lambda ids: _get(VoteRound, ids["named_round"]).status is RoundStatus.CLOSED,
        None,
    ),
    (
        # Everyone logged in is sent back to the voting page; only seated members' votes count.
        "vote",
        "/stemmingen/{named_round}/stem",
        {"choice": "yes", **CONFIRMED},
        codes(303, anonymous=302),
        lambda ids: _count(Vote, Vote.round_id == ids["named_round"]) == 1,
        {"member", "secretary", "chair"},
    ),
]


@pytest.mark.parametrize(
    ("role", "name", "url", "data", "expected", "happened", "doers"), cases(WRITES)
)
def test_form_writes(app, web, world, role, name, url, data, expected, happened, doers):
    as_role(web, role)
    token = csrf_from(web.get("/").get_data(as_text=True))
    form = {key: value.format_map(world) for key, value in data.items()}
    response = web.client.post(url.format_map(world), data={**form, "csrf_token": token})
    assert_answer(response, expected[role], role)
    if doers is None:
        doers = {r for r, code in expected.items() if code in (302, 303) and r != "anonymous"}
    with app.app_context():
        assert happened(world) is (role in doers)


# ------------------------------------------------------------------------ confidential items

SEES_CONFIDENTIAL = {"member", "secretary", "chair", "admin"}


@pytest.mark.parametrize("role", ROLES)
def test_confidential_items_on_the_meeting_page(web, world, role):
    as_role(web, role)
    page = web.get(f"/vergaderingen/{world['published']}").get_data(as_text=True)
    assert "Speeltuin" in page
    assert (CONFIDENTIAL in page) is (role in SEES_CONFIDENTIAL)
    assert (CONFIDENTIAL_SUB in page) is (role in SEES_CONFIDENTIAL)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("suffix", ["", "/stand"])
def test_confidential_item_and_round_on_the_projector(web, world, role, suffix):
    as_role(web, role)
    response = web.get(f"/vergaderingen/{world['hidden']}/projector{suffix}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    if role in SEES_CONFIDENTIAL:
        assert CONFIDENTIAL in page and CONFIDENTIAL_MOTION in page
        assert "0 van 3 stemgerechtigden hebben gestemd" in page
    else:
        assert CONFIDENTIAL not in page and CONFIDENTIAL_MOTION not in page
        assert "2. Besloten agendapunt" in page
        assert "Stemming over een besloten agendapunt" in page
        assert "stemgerechtigden hebben gestemd" not in page


@pytest.mark.parametrize("role", ROLES)
def test_confidential_result_on_the_projector(app, web, world, role):
    round_id = world["hidden_round"]
    with app.app_context():
        vote_round = db.session.get(VoteRound, round_id)
        decisions.close_round(
            db.session, world.admin, vote_round, now=clock.now(), on=clock.today()
        )
        db.session.commit()
    as_role(web, role)
    page = web.get(f"/vergaderingen/{world['hidden']}/projector").get_data(as_text=True)
    if role in SEES_CONFIDENTIAL:
        assert CONFIDENTIAL_MOTION in page and "ongeldig (te weinig deelname)" in page
    else:
        assert CONFIDENTIAL_MOTION not in page and "ongeldig" not in page
        assert "Uitslag van een besloten agendapunt: niet openbaar" in page


@pytest.mark.parametrize("role", ROLES)
def test_drafts_are_listed_only_for_those_who_prepare_them(web, world, role):
    world.build("draft", "published")
    as_role(web, role)
    page = web.get("/wijkraden/oost/vergaderingen").get_data(as_text=True)
    assert "Gepubliceerde vergadering" in page
    assert ("Conceptvergadering" in page) is (role in {"secretary", "chair", "admin"})
    assert ("Nieuwe vergadering" in page) is (role in {"secretary", "chair", "admin"})


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_only_members_get_the_voting_buttons(web, world, role):
    as_role(web, role)
    page = web.get(f"/vergaderingen/{world['open']}/stemmen").get_data(as_text=True)
    is_member = role in {"member", "secretary", "chair"}
    assert page.count('name="keuze"') == (3 if is_member else 0)
    assert ("U bent geen lid van deze wijkraad." in page) is not is_member
    if not is_member:
        token = csrf_from(page)
        response = web.client.post(
            f"/stemmingen/{world['named_round']}/stem",
            data={"choice": "yes", "confirmed": "yes", "csrf_token": token},
        )
        refused = web.get(response.headers["Location"]).get_data(as_text=True)
        assert "U bent niet stemgerechtigd bij deze stemming" in refused
