"""The meeting pages as their users meet them: the secretary prepares a meeting and keeps the
attendance, the chair opens it and leads the votes, members submit motions and vote on their
phones (with and without JavaScript), and the room follows it on the projector."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from html import unescape

import pytest
import sqlalchemy as sa
from flask import Flask

from tests.conftest import Web, csrf_from
from wijkraad import clock
from wijkraad.auth.actor import Actor
from wijkraad.councils.models import Council
from wijkraad.councils.rules import Role, Seat
from wijkraad.extensions import db
from wijkraad.meetings import attendance
from wijkraad.meetings import services as meetings
from wijkraad.meetings.models import AgendaItem, Meeting
from wijkraad.meetings.rules import Presence
from wijkraad.motions.models import Motion

STARTS_AT = datetime(2026, 12, 1, 19, 30, tzinfo=clock.AMSTERDAM)
RESIDENTS = [
    "Anna Bakker",  # chair
    "Bram de Vries",  # secretary
    "Chantal Smit",
    "Daan Visser",
    "Eva Mulder",
    "Fatima El Amrani",
    "Gijs Bos",
    "Hanna Dekker",
    "Ivo Jansen",
    "Jet Peters",
    "Koen Hendriks",
]
COUNCILLORS = [
    "Lotte Meijer",
    "Mehmet Yilmaz",
    "Noor de Boer",
    "Olaf Kok",
    "Pien Willems",
    "Quinten Vos",
]


def email(name: str) -> str:
    return name.lower().replace(" ", ".") + "@example.org"


def text(response) -> str:
    return response.get_data(as_text=True)


def squash(html: str) -> str:
    """The page's text with tags dropped and white space collapsed, for sentences that span
    elements ("Aanwezig: 9 van 17 zittende leden — quorum: ja")."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


@dataclass
class Oost:
    """Council oost: 11 residents (Anna chairs, Bram is the secretary) and 6 councillors."""

    app: Flask
    council_id: int
    admin: Actor
    members: dict[str, int] = field(default_factory=dict)  # name -> membership id

    def anonymous(self) -> Web:
        return Web(self.app.test_client())

    def browser(self, name: str) -> Web:
        """A separate browser (cookie jar) logged in as ``name``: an email or a member's name."""
        web = self.anonymous()
        response = web.login(name if "@" in name else email(name))
        assert response.status_code == 302, text(response)[:500]
        return web

    def ids(self, *names: str) -> list[int]:
        return [self.members[n] for n in names]


@pytest.fixture
def oost(app, make) -> Oost:
    with app.app_context():
        council = make.council("oost", residents=11, councillors=6)
        out = Oost(app, council.id, make.admin_actor)
        for i, name in enumerate(RESIDENTS):
            role = {0: Role.CHAIR, 1: Role.SECRETARY}.get(i, Role.MEMBER)
            out.members[name] = make.member(council, role=role, name=name, email=email(name)).id
        for name in COUNCILLORS:
            out.members[name] = make.member(
                council, seat=Seat.COUNCILLOR, name=name, email=email(name)
            ).id
        return out


CHAIR, SECRETARY, MEMBER = RESIDENTS[0], RESIDENTS[1], RESIDENTS[2]
# Nine of seventeen: quorum, and six residents against three councillors.
NINE = RESIDENTS[:6] + COUNCILLORS[:3]


def prepared(
    oost: Oost,
    *items: tuple[str, dict],
    present: list[str] = NINE,
    publish: bool = True,
    open_it: bool = True,
) -> tuple[int, list[int]]:
    """A meeting with ``items``, published, with ``present`` in the room, and opened: the
    preamble of the flows below, through the services (the pages that do this have tests of
    their own)."""
    with oost.app.app_context():
        admin = oost.admin
        meeting = meetings.create_meeting(
            db.session,
            admin,
            db.session.get(Council, oost.council_id),
            title="Wijkraadvergadering",
            starts_at=STARTS_AT,
            location="Buurthuis De Oosterpoort",
        )
        made = [meetings.add_item(db.session, admin, meeting, title=t, **kw) for t, kw in items]
        if publish:
            meetings.publish(db.session, admin, meeting, clock.now())
        for membership_id in oost.ids(*present):
            attendance.mark(
                db.session, admin, meeting, membership_id, Presence.PRESENT, clock.now()
            )
        if publish and open_it:
            meetings.open_meeting(db.session, admin, meeting, clock.now(), clock.today())
        db.session.commit()
        return meeting.id, [i.id for i in made]


def follow(web: Web, response) -> str:
    """The page a redirect leads to (with its flash messages)."""
    assert response.status_code in (302, 303), text(response)[:800]
    return text(web.get(response.headers["Location"]))


def post(web: Web, url: str, data: dict | None = None, **kw):
    """A form post with a CSRF token of this browser's session (the token is per session)."""
    token = csrf_from(text(web.get("/")))
    return web.client.post(url, data={**(data or {}), "csrf_token": token}, **kw)


def submit_motion(web: Web, item_id: int, title: str, body: str, **extra) -> int:
    url = f"/agendapunten/{item_id}/voorstellen/nieuw"
    response = web.post_form(
        url, {"title": title, "text": body, "requirement": "majority", **extra}
    )
    assert response.status_code == 303, text(response)[:800]
    with web.client.application.app_context():
        motion_id = db.session.scalar(sa.select(Motion.id).where(Motion.title == title))
    assert response.headers["Location"].endswith(f"#voorstel-{motion_id}")
    return motion_id


def open_round(chair: Web, motion_id: int, mode: str = "named") -> int:
    response = post(chair, f"/voorstellen/{motion_id}/stemming", {"mode": mode})
    assert response.status_code == 303, follow(chair, response)[:800]
    match = re.search(r"/stemmingen/(\d+)/voorzitter$", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


# What the confirmation page or dialog of a drastic button, and a vote's second step, send.
CONFIRMED = {"confirmed": "yes"}


def vote(web: Web, round_id: int, choice: str, **kw):
    """A confirmed vote (the second step, after the choice)."""
    return post(web, f"/stemmingen/{round_id}/stem", {"choice": choice, **CONFIRMED}, **kw)


# ---------------------------------------------------------------- preparing a meeting


def test_secretary_creates_a_meeting_and_bad_input_is_kept(oost):
    secretary = oost.browser(SECRETARY)
    url = "/wijkraden/oost/vergaderingen/nieuw"
    form = text(secretary.get(url))
    assert "Nieuwe vergadering" in form and 'name="starts_on"' in form

    response = secretary.post_form(
        url,
        {
            "title": "",
            "starts_on": "2026-12-01",
            "starts_time": "half acht",
            "location": "Buurthuis De Oosterpoort",
            "follow_up_of": "",
        },
    )
    assert response.status_code == 422
    page = text(response)
    assert "Er is iets niet goed ingevuld" in page
    assert "Titel: Dit veld is vereist." in squash(page)
    assert "Begintijd: Ongeldige waarde voor tijd." in squash(page)
    assert 'value="Buurthuis De Oosterpoort"' in page
    assert 'value="2026-12-01"' in page
    assert 'value="half acht"' in page
    with oost.app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Meeting)) == 0

    response = secretary.post_form(
        url,
        {
            "title": "Wijkraadvergadering december",
            "starts_on": "2026-12-01",
            "starts_time": "19:30",
            "location": "Buurthuis De Oosterpoort",
            "follow_up_of": "",
        },
    )
    assert response.status_code == 302
    with oost.app.app_context():
        meeting_id = db.session.scalar(sa.select(Meeting.id))
    assert response.headers["Location"].endswith(f"/vergaderingen/{meeting_id}")
    page = follow(secretary, response)
    assert "De vergadering is aangemaakt als concept." in page
    assert "Wijkraadvergadering december" in page
    assert "dinsdag 1 december 2026 om 19:30" in page
    assert "concept</span>" in page  # the status badge
    assert "Er staan nog geen punten op de agenda." in page


def agenda(page: str) -> list[tuple[str, str]]:
    """The agenda as shown: (number, title) in page order."""
    return re.findall(r'app-agenda__number">([\d.]+)\.</span> ([^<]+?)\s*</h3>', page)


def test_secretary_sets_the_agenda_moves_an_item_and_publishes(oost):
    meeting_id, _ = prepared(oost, present=[], publish=False)
    secretary, web = oost.browser(SECRETARY), oost.anonymous()
    page_url = f"/vergaderingen/{meeting_id}"
    add_url = f"/vergaderingen/{meeting_id}/agendapunten"
    assert web.get(page_url).status_code == 404  # a draft: not public yet

    def add(title: str, parent: int | str = "", **flags) -> int:
        data = {"title": title, "description": "", "parent_id": parent, **flags}
        response = secretary.post_form(add_url, data, page=page_url)
        assert response.status_code == 303, text(response)[:800]
        with oost.app.app_context():
            query = sa.select(AgendaItem.id).where(AgendaItem.title == title)
            item_id = db.session.scalar(query)
        assert response.headers["Location"].endswith(f"{page_url}#punt-{item_id}")
        return item_id

    add("Opening")
    playground = add("Speeltuin Oosterpark")
    add("Schommels", parent=playground)
    any_other = add("Rondvraag", is_formality="y")
    page = text(secretary.get(page_url))
    assert agenda(page) == [
        ("1", "Opening"),
        ("2", "Speeltuin Oosterpark"),
        ("2.1", "Schommels"),
        ("3", "Rondvraag"),
    ]
    assert page.count("hamerstuk</span>") == 1

    response = secretary.post_form(
        add_url, {"title": " ", "description": "Wat ik al typte", "parent_id": ""}, page=page_url
    )
    assert response.status_code == 422
    assert "Titel van het agendapunt: Dit veld is vereist." in squash(text(response))
    assert "Wat ik al typte" in text(response)
    assert len(agenda(text(secretary.get(page_url)))) == 4

    response = post(secretary, f"/agendapunten/{any_other}/verplaatsen", {"direction": "up"})
    assert response.status_code == 303
    page = follow(secretary, response)
    assert "Agendapunt 'Rondvraag' is verplaatst." in squash(page)
    assert agenda(page) == [
        ("1", "Opening"),
        ("2", "Rondvraag"),
        ("3", "Speeltuin Oosterpark"),
        ("3.1", "Schommels"),
    ]

    response = post(secretary, f"/vergaderingen/{meeting_id}/publiceren")
    assert response.status_code == 303
    page = follow(secretary, response)
    assert "De agenda is gepubliceerd." in page
    assert "gepubliceerd</span>" in page
    public = text(web.get(page_url))
    assert agenda(public) == agenda(page)
    assert "Agenda publiceren" not in public


# ------------------------------------------------------------- attendance and quorum


def attendance_line(page: str) -> str:
    found = re.search(r"Aanwezig: \d+ van \d+ zittende leden — quorum: (ja|nee)", squash(page))
    assert found, "no attendance line on the page"
    return found.group(0)


def test_attendance_counts_towards_quorum_and_the_chair_opens_only_with_it(oost):
    meeting_id, _ = prepared(oost, ("Opening", {}), present=[], open_it=False)
    secretary, chair = oost.browser(SECRETARY), oost.browser(CHAIR)
    page_url = f"/vergaderingen/{meeting_id}"
    assert attendance_line(text(secretary.get(page_url))) == (
        "Aanwezig: 0 van 17 zittende leden — quorum: nee"
    )

    response = post(chair, f"/vergaderingen/{meeting_id}/openen")
    assert response.status_code == 303
    page = follow(chair, response)
    assert "Er is geen quorum: meer dan de helft van de zittende leden moet aanwezig zijn." in page
    assert "gepubliceerd</span>" in page and "Vergadering openen" in page

    def mark(name: str, presence: str) -> str:
        url = f"/vergaderingen/{meeting_id}/aanwezigheid/{oost.members[name]}"
        response = post(secretary, url, {"presence": presence})
        assert response.status_code == 303
        # Back to the member's own line on the register.
        assert response.headers["Location"].endswith(f"{page_url}#lid-{oost.members[name]}")
        return follow(secretary, response)

    for name in NINE[:8]:
        page = mark(name, "present")
    assert f"{NINE[7]} is aanwezig." in page
    assert attendance_line(page) == "Aanwezig: 8 van 17 zittende leden — quorum: nee"
    page = mark(RESIDENTS[10], "absent_with_notice")
    assert f"{RESIDENTS[10]} is afwezig met bericht." in page
    assert attendance_line(page) == "Aanwezig: 8 van 17 zittende leden — quorum: nee"
    page = mark(NINE[8], "present")
    assert attendance_line(page) == "Aanwezig: 9 van 17 zittende leden — quorum: ja"
    page = mark(NINE[8], "absent")  # leaves early: counts from now
    assert f"{NINE[8]} is afwezig." in page
    assert attendance_line(page) == "Aanwezig: 8 van 17 zittende leden — quorum: nee"
    page = mark(NINE[8], "present")
    assert attendance_line(page) == "Aanwezig: 9 van 17 zittende leden — quorum: ja"

    response = post(chair, f"/vergaderingen/{meeting_id}/openen")
    assert response.status_code == 303
    page = follow(chair, response)
    assert "De vergadering is geopend." in page
    assert "geopend</span>" in page and "Vergadering sluiten" in page
    assert attendance_line(page) == "Aanwezig: 9 van 17 zittende leden — quorum: ja"


# ------------------------------------------------------------------------ motions


def test_member_submits_a_motion_through_the_form(oost):
    meeting_id, (item_id,) = prepared(oost, ("Speeltuin Oosterpark", {}))
    member = oost.browser(MEMBER)
    url = f"/agendapunten/{item_id}/voorstellen/nieuw"
    form = text(member.get(url))
    assert "Bij agendapunt 1. Speeltuin Oosterpark" in form
    assert MEMBER not in re.findall(r'for="cosigners-\d+">([^<]+)<', form)  # not oneself

    data = {"title": "Nieuwe schommels", "text": "", "requirement": "majority"}
    response = member.post_form(url, data)
    assert response.status_code == 422
    assert "Tekst van het voorstel: Dit veld is vereist." in squash(text(response))
    assert 'value="Nieuwe schommels"' in text(response)
    with oost.app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Motion)) == 0

    data["text"] = "De wijkraad besluit twee schommels te plaatsen."
    response = member.post_form(url, {**data, "cosigners": str(oost.members["Daan Visser"])})
    assert response.status_code == 303
    with oost.app.app_context():
        motion_id = db.session.scalar(sa.select(Motion.id))
    assert response.headers["Location"].endswith(
        f"/vergaderingen/{meeting_id}#voorstel-{motion_id}"
    )
    page = follow(member, response)
    assert "Uw voorstel 'Nieuwe schommels' is ingediend." in squash(page)
    assert "twee schommels te plaatsen" in page
    assert "ingediend</span>" in page
    assert "Ingediend door Chantal Smit; mede-ingediend door Daan Visser" in squash(page)
    assert f'id="voorstel-{motion_id}"' in page
    public = text(oost.anonymous().get(f"/vergaderingen/{meeting_id}"))
    assert "Nieuwe schommels" in public and "Voorstel indienen" not in public


# -------------------------------------------------------------------- named rounds


@dataclass
class Round:
    meeting_id: int
    motion_id: int
    round_id: int
    chair: Web


MOTION = "Nieuwe schommels"


@pytest.fixture
def named(oost) -> Round:
    """An open meeting, nine present, a motion by a member, and a named round the chair opened
    from the meeting page."""
    meeting_id, (item_id,) = prepared(oost, ("Speeltuin Oosterpark", {}))
    motion_id = submit_motion(
        oost.browser(MEMBER), item_id, MOTION, "De wijkraad besluit twee schommels te plaatsen."
    )
    chair = oost.browser(CHAIR)
    page = text(chair.get(f"/vergaderingen/{meeting_id}"))
    assert f"Stemming openen over '{MOTION}'" in squash(page)
    round_id = open_round(chair, motion_id, "named")
    return Round(meeting_id, motion_id, round_id, chair)


def waiting(page: str) -> list[str]:
    """The names under "Nog niet gestemd" on the chair's console."""
    found = re.search(r'app-waiting__list">(.*?)</ul>', page, re.S)
    return re.findall(r">([^<]+)</li>", found.group(1)) if found else []


def test_chair_opens_a_named_round_and_the_phone_page_shows_three_buttons(oost, named):
    console = text(named.chair.get(f"/stemmingen/{named.round_id}/voorzitter"))
    assert f"Stemming: {MOTION}" in console
    assert "hoofdelijk (telefoon)" in console
    assert "Nog niet gestemd (9 van 9)" in console

    member = oost.browser(MEMBER)
    phone = text(member.get(f"/vergaderingen/{named.meeting_id}/stemmen"))
    assert MOTION in phone
    assert "Daarna bevestigt u uw keuze; dan is uw stem definitief." in phone
    buttons = re.findall(
        r'<input type="hidden" name="keuze" value="(\w+)">\s*<button type="submit"[^>]*>(\w+)</button>',
        phone,
    )
    assert buttons == [("yes", "Voor"), ("no", "Tegen"), ("abstain", "Onthouden")]
    # Choosing records nothing (a GET); the chosen step confirms with a post.
    page_url = f"/vergaderingen/{named.meeting_id}/stemmen"
    assert phone.count(f'method="get" action="{page_url}"') == 3
    assert phone.count(f'hx-get="{page_url}/paneel"') == 1 + 3  # the poll, the choices
    assert f'action="/stemmingen/{named.round_id}/stem"' not in phone


def test_vote_without_javascript_redirects_with_the_confirmation(oost, named):
    member = oost.browser(MEMBER)
    response = vote(member, named.round_id, "yes")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/vergaderingen/{named.meeting_id}/stemmen")
    page = follow(member, response)
    assert "U hebt gestemd: Voor." in page  # the flash
    assert "Uw stem is vastgelegd en kan niet meer worden veranderd." in page
    assert 'name="keuze"' not in page  # no buttons any more

    response = vote(member, named.round_id, "no")
    assert response.status_code == 303
    page = follow(member, response)
    assert "U hebt al gestemd in deze stemming." in page
    assert "U hebt gestemd: Voor" in page  # the first vote stands
    live = oost.anonymous().get(f"/api/v1/rounds/{named.round_id}").get_json()
    assert live["counts"] == {"yes": 1, "no": 0, "abstain": 0}


HTMX = {"HX-Request": "true"}


def test_vote_with_htmx_answers_only_the_panel(oost, named):
    member = oost.browser("Daan Visser")
    response = vote(member, named.round_id, "no", headers=HTMX)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    fragment = text(response)
    assert "<html" not in fragment and "<body" not in fragment and "app-flashes" not in fragment
    assert response.headers["ETag"]  # the panel's tag, so the next poll keeps this answer
    done = re.search(r'role="status"[^>]*autofocus>(.*?)</div>', fragment, re.S)
    assert done and "U hebt gestemd: Tegen" in squash(done.group(1))
    assert 'name="keuze"' not in fragment

    response = vote(member, named.round_id, "yes", headers=HTMX)
    assert response.status_code == 200  # htmx swaps no 4xx answer into the page
    fragment = text(response)
    assert "<html" not in fragment
    assert re.search(r'role="alert".*U hebt al gestemd in deze stemming\.', fragment, re.S)
    assert "U hebt gestemd: Tegen" in fragment
    live = oost.anonymous().get(f"/api/v1/rounds/{named.round_id}").get_json()
    assert live["counts"] == {"yes": 0, "no": 1, "abstain": 0}
    # The panel revalidates with the tag it shows: no news, an empty 304.
    panel_url = f"/vergaderingen/{named.meeting_id}/stemmen/paneel"
    tag = {"If-None-Match": response.headers["ETag"]}
    assert member.get(panel_url, headers=tag).status_code == 304
    post(named.chair, f"/stemmingen/{named.round_id}/sluiten", CONFIRMED)
    news = member.get(panel_url, headers=tag)
    assert news.status_code == 200
    assert f"Vorige stemming, '{MOTION}': ongeldig (te weinig deelname)." in squash(text(news))


def test_a_member_not_in_the_room_is_not_entitled(oost, named):
    absent = oost.browser(RESIDENTS[10])
    not_entitled = (
        "U bent niet stemgerechtigd bij deze stemming (geen lid, niet aanwezig of verschoond)."
    )
    page = text(absent.get(f"/vergaderingen/{named.meeting_id}/stemmen"))
    assert not_entitled in page and 'name="keuze"' not in page
    response = vote(absent, named.round_id, "yes")
    assert response.status_code == 303
    assert not_entitled in follow(absent, response)
    response = vote(absent, named.round_id, "yes", headers=HTMX)
    assert response.status_code == 200 and not_entitled in text(response)
    live = oost.anonymous().get(f"/api/v1/rounds/{named.round_id}").get_json()
    assert live["counts"] == {"yes": 0, "no": 0, "abstain": 0}


def test_the_chair_console_lists_who_has_not_voted(oost, named):
    vote(oost.browser(MEMBER), named.round_id, "yes")
    vote(oost.browser("Lotte Meijer"), named.round_id, "abstain", headers=HTMX)
    console = text(named.chair.get(f"/stemmingen/{named.round_id}/voorzitter"))
    assert "Nog niet gestemd (7 van 9)" in console
    assert waiting(console) == sorted(set(NINE) - {MEMBER, "Lotte Meijer"})
    assert "Gestemd: 2 van 9. Voor 1, tegen 0, onthouden 1." in console
    stand = named.chair.get(f"/stemmingen/{named.round_id}/voorzitter/stand")
    assert stand.status_code == 200
    assert waiting(text(stand)) == waiting(console)
    # The poll revalidates the copy it shows: nothing changed, an empty 304.
    tag = {"If-None-Match": stand.headers["ETag"]}
    again = named.chair.get(f"/stemmingen/{named.round_id}/voorzitter/stand", headers=tag)
    assert again.status_code == 304 and again.get_data() == b""
    vote(oost.browser("Eva Mulder"), named.round_id, "no")
    changed = named.chair.get(f"/stemmingen/{named.round_id}/voorzitter/stand", headers=tag)
    assert changed.status_code == 200
    assert "Eva Mulder" not in waiting(text(changed))
    assert "Nog niet gestemd (6 van 9)" in text(changed)


def counts(page: str) -> dict[str, list[int]]:
    """The counts table per group: [yes, no, abstain, together]."""
    flat = squash(page)
    return {
        group: [int(n) for n in m.groups()]
        for group in ("Bewoners", "Raadsleden", "Totaal")
        if (m := re.search(rf"{group} (\d+) (\d+) (\d+) (\d+)", flat))
    }


def test_projector_follows_the_round_and_closing_shows_outcome_and_decision(oost, named):
    projector_url = f"/vergaderingen/{named.meeting_id}/projector"
    public = oost.anonymous()
    for name in (MEMBER, "Eva Mulder", "Fatima El Amrani", CHAIR, "Lotte Meijer"):
        assert vote(oost.browser(name), named.round_id, "yes").status_code == 303
    assert vote(oost.browser("Daan Visser"), named.round_id, "no").status_code == 303

    page = text(public.get(projector_url))
    assert "Er wordt gestemd" in page and MOTION in page
    assert "1. Speeltuin Oosterpark" in page  # opening the round made its item current
    assert "6 van 9 stemgerechtigden hebben gestemd" in page
    assert counts(page) == {
        "Bewoners": [4, 1, 0, 5],
        "Raadsleden": [1, 0, 0, 1],
        "Totaal": [5, 1, 0, 6],
    }
    stand = public.get(f"{projector_url}/stand")
    assert stand.status_code == 200 and "<html" not in text(stand)
    assert counts(text(stand)) == counts(page)
    assert 'hx-swap-oob="innerHTML"' in text(stand)
    tag = {"If-None-Match": stand.headers["ETag"]}
    assert public.get(f"{projector_url}/stand", headers=tag).status_code == 304

    response = post(named.chair, f"/stemmingen/{named.round_id}/sluiten", CONFIRMED)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/stemmingen/{named.round_id}/voorzitter")
    console = follow(named.chair, response)
    assert "De stemming is gesloten: aangenomen. Besluit OOS-2026-001." in console
    assert "De nodige meerderheid is gehaald, ook onder de bewoners." in console
    assert "Stemming sluiten" not in console and "Nog niet gestemd" not in console

    stand = public.get(f"{projector_url}/stand", headers=tag)
    assert stand.status_code == 200
    for page in (text(stand), text(public.get(projector_url))):
        assert "Uitslag" in page and "aangenomen" in page
        assert "Besluit OOS-2026-001" in page
        assert counts(page)["Totaal"] == [5, 1, 0, 6]

    meeting = squash(text(public.get(f"/vergaderingen/{named.meeting_id}")))
    assert "Uitslag: aangenomen — voor 5, tegen 1, onthouden 0 (bewoners: 4 voor, 1 tegen)" in (
        meeting
    )
    assert "Besluit OOS-2026-001 (aangenomen)" in meeting
    phone = oost.browser(MEMBER)
    page = squash(text(phone.get(f"/vergaderingen/{named.meeting_id}/stemmen")))
    assert "Er is nu geen stemming" in page
    assert f"Vorige stemming, '{MOTION}': aangenomen." in page
    late = oost.browser(SECRETARY)  # present, but too late
    assert "Deze stemming is gesloten." in follow(late, vote(late, named.round_id, "yes"))
    motion = public.get(f"/api/v1/motions/{named.motion_id}").get_json()
    assert motion["status"] == "adopted"
    assert motion["decision"]["identifier"] == "OOS-2026-001"


# ------------------------------------------------------------------- analog rounds


def field_input(page: str, name: str) -> str:
    found = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    assert found, f"no input {name}"
    return found.group(0)


COUNTS = ("residents_yes", "residents_no", "residents_abstain")
COUNTS += ("councillors_yes", "councillors_no", "councillors_abstain")


def test_analog_round_with_counts_entered_by_the_chair(oost):
    meeting_id, (item_id,) = prepared(oost, ("Verlichting", {}))
    motion_id = submit_motion(
        oost.browser(MEMBER), item_id, "Meer lantaarnpalen", "Tien palen erbij."
    )
    chair = oost.browser(CHAIR)
    round_id = open_round(chair, motion_id, "analog")
    console_url = f"/stemmingen/{round_id}/voorzitter"
    console = text(chair.get(console_url))
    assert "Handen tellen" in console and "handopsteking" in console
    phone = oost.browser("Eva Mulder")
    page = text(phone.get(f"/vergaderingen/{meeting_id}/stemmen"))
    assert "Bij deze stemming tellen we handen." in page and 'name="keuze"' not in page
    response = vote(phone, round_id, "yes")
    assert "Bij deze stemming telt de voorzitter de handen; stemmen via de telefoon kan niet." in (
        follow(phone, response)
    )

    # Six residents and three councillors are entitled: seven residents' hands cannot be.
    too_many = dict(zip(COUNTS, ("7", "0", "0", "1", "1", "0"), strict=True))
    response = chair.post_form(f"/stemmingen/{round_id}/aantallen", too_many, page=console_url)
    assert response.status_code == 422
    page = text(response)
    assert "Bewoners: samen 7 stemmen, maar er zijn 6 stemgerechtigd." in squash(page)
    assert 'value="7"' in field_input(page, "residents_yes")  # as typed
    assert 'value="1"' in field_input(page, "councillors_no")
    live = oost.anonymous().get(f"/api/v1/rounds/{round_id}").get_json()
    assert live["counts"] == {"yes": 0, "no": 0, "abstain": 0}

    not_a_number = {**too_many, "residents_yes": "veel"}
    response = chair.post_form(f"/stemmingen/{round_id}/aantallen", not_a_number, page=console_url)
    assert response.status_code == 422
    assert "Bewoners voor: Ongeldig getal." in squash(text(response))
    assert 'value="veel"' in field_input(text(response), "residents_yes")

    fine = dict(zip(COUNTS, ("4", "2", "0", "0", "3", "0"), strict=True))
    response = chair.post_form(f"/stemmingen/{round_id}/aantallen", fine, page=console_url)
    assert response.status_code == 303
    console = follow(chair, response)
    assert "De aantallen zijn ingevoerd." in console
    assert counts(console) == {
        "Bewoners": [4, 2, 0, 6],
        "Raadsleden": [0, 3, 0, 3],
        "Totaal": [4, 5, 0, 9],
    }
    projector = text(oost.anonymous().get(f"/vergaderingen/{meeting_id}/projector"))
    assert "Handopsteking: de voorzitter telt" in projector
    assert counts(projector)["Totaal"] == [4, 5, 0, 9]

    response = post(chair, f"/stemmingen/{round_id}/sluiten", CONFIRMED)
    console = follow(chair, response)
    assert "De stemming is gesloten: verworpen. Besluit OOS-2026-001." in console
    assert "De nodige meerderheid is niet gehaald." in console
    page = squash(text(oost.anonymous().get(f"/vergaderingen/{meeting_id}/projector/stand")))
    assert "verworpen" in page and "Besluit OOS-2026-001" in page


# --------------------------------------------------------------------- formalities

MINUTES = "Notulen van 3 november vaststellen"


@pytest.fixture
def formality(oost) -> Round:
    """An open meeting with a hamerstuk and its motion, submitted by the chair."""
    meeting_id, (item_id, _) = prepared(
        oost, ("Notulen vorige vergadering", {"is_formality": True}), ("Rondvraag", {})
    )
    chair = oost.browser(CHAIR)
    motion_id = submit_motion(chair, item_id, MINUTES, "De notulen worden vastgesteld.")
    return Round(meeting_id, motion_id, 0, chair)


def test_formality_is_adopted_by_hamerslag(oost, formality):
    page = text(formality.chair.get(f"/vergaderingen/{formality.meeting_id}"))
    assert ">Hamerslag<" in page and ">Stemming vragen<" in page
    response = post(formality.chair, f"/voorstellen/{formality.motion_id}/hamerslag")
    assert response.status_code == 303
    page = squash(follow(formality.chair, response))
    assert f"Hamerslag: '{MINUTES}' is aangenomen (besluit OOS-2026-001)." in page
    assert "Besluit OOS-2026-001 (aangenomen)" in page
    motion = oost.anonymous().get(f"/api/v1/motions/{formality.motion_id}").get_json()
    assert motion["status"] == "adopted" and motion["rounds"] == []
    assert motion["decision"]["identifier"] == "OOS-2026-001"


def test_formality_goes_to_a_vote_when_a_member_asks(oost, formality):
    member = oost.browser(MEMBER)
    page = text(member.get(f"/vergaderingen/{formality.meeting_id}"))
    assert ">Stemming vragen<" in page and ">Hamerslag<" not in page  # not the chair's
    response = post(member, f"/voorstellen/{formality.motion_id}/stemming-vragen")
    assert response.status_code == 303
    page = squash(follow(member, response))
    assert f"U hebt om stemming gevraagd over '{MINUTES}'." in page
    assert "Een lid heeft om stemming gevraagd." in page

    page = text(formality.chair.get(f"/vergaderingen/{formality.meeting_id}"))
    assert ">Hamerslag<" not in page
    response = post(formality.chair, f"/voorstellen/{formality.motion_id}/hamerslag")
    assert response.status_code == 303
    page = squash(follow(formality.chair, response))
    assert "Een lid heeft om stemming gevraagd: dit hamerstuk gaat niet zonder stemming." in page
    motion = oost.anonymous().get(f"/api/v1/motions/{formality.motion_id}").get_json()
    assert motion["status"] == "submitted" and motion["decision"] is None

    round_id = open_round(formality.chair, formality.motion_id, "analog")
    against = dict(zip(COUNTS, ("1", "5", "0", "1", "2", "0"), strict=True))
    post(formality.chair, f"/stemmingen/{round_id}/aantallen", against)
    console = follow(
        formality.chair, post(formality.chair, f"/stemmingen/{round_id}/sluiten", CONFIRMED)
    )
    assert "De stemming is gesloten: verworpen. Besluit OOS-2026-001." in console


def test_hamerslag_on_an_item_that_is_no_formality_is_refused(oost):
    meeting_id, (item_id,) = prepared(oost, ("Speeltuin Oosterpark", {}))
    chair = oost.browser(CHAIR)
    motion_id = submit_motion(chair, item_id, MOTION, "Twee schommels.")
    assert ">Hamerslag<" not in text(chair.get(f"/vergaderingen/{meeting_id}"))
    page = follow(chair, post(chair, f"/voorstellen/{motion_id}/hamerslag"))
    assert "Dit agendapunt is geen hamerstuk." in page
    motion = oost.anonymous().get(f"/api/v1/motions/{motion_id}").get_json()
    assert motion["status"] == "submitted"


# ----------------------------------------------------------------------- amendments


def test_adopted_amendment_changes_the_motion_text(oost):
    meeting_id, (item_id,) = prepared(oost, ("Speeltuin Oosterpark", {}))
    original = "De wijkraad besluit twee schommels te plaatsen."
    amended = "De wijkraad besluit drie schommels en een wip te plaatsen."
    motion_id = submit_motion(oost.browser(MEMBER), item_id, MOTION, original)
    proposer = oost.browser("Daan Visser")
    form = text(proposer.get(f"/agendapunten/{item_id}/voorstellen/nieuw"))
    assert f'<option value="{motion_id}">{MOTION}</option>' in form
    amendment_id = submit_motion(
        proposer, item_id, "Drie schommels en een wip", amended, amends_id=str(motion_id)
    )

    chair = oost.browser(CHAIR)
    page = squash(text(chair.get(f"/vergaderingen/{meeting_id}")))
    assert "Amendement: Drie schommels en een wip" in page
    assert "Stem eerst over de amendementen op dit voorstel." in page
    response = post(chair, f"/voorstellen/{motion_id}/stemming", {"mode": "named"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"#voorstel-{motion_id}")
    assert "Stem eerst over de amendementen op dit voorstel." in follow(chair, response)

    round_id = open_round(chair, amendment_id, "analog")
    adopt = dict(zip(COUNTS, ("5", "1", "0", "2", "1", "0"), strict=True))
    assert post(chair, f"/stemmingen/{round_id}/aantallen", adopt).status_code == 303
    console = follow(chair, post(chair, f"/stemmingen/{round_id}/sluiten", CONFIRMED))
    assert "De stemming is gesloten: aangenomen. Besluit OOS-2026-001." in console

    public = oost.anonymous()
    motion = public.get(f"/api/v1/motions/{motion_id}").get_json()
    assert motion["text"] == amended
    assert motion["status"] == "submitted"
    assert public.get(f"/api/v1/motions/{amendment_id}").get_json()["status"] == "adopted"
    page = text(chair.get(f"/vergaderingen/{meeting_id}"))
    assert "Eerdere teksten (1)" in page and original in page
    assert f"Stemming openen over '{MOTION}'" in squash(page)  # now the motion itself
    open_round(chair, motion_id, "named")


# --------------------------------------------------------- what the rules refuse


def test_follow_up_meeting_through_the_form_needs_no_quorum(oost):
    few = RESIDENTS[:3] + COUNCILLORS[:1]
    original_id, _ = prepared(oost, ("Speeltuin Oosterpark", {}), present=few, open_it=False)
    secretary, chair = oost.browser(SECRETARY), oost.browser(CHAIR)
    page = follow(chair, post(chair, f"/vergaderingen/{original_id}/openen"))
    assert "Er is geen quorum" in page

    url = "/wijkraden/oost/vergaderingen/nieuw"
    assert f'<option value="{original_id}">' in text(secretary.get(url))
    data = {
        "title": "Vervolgvergadering",
        "starts_on": "2026-12-02",
        "starts_time": "18:00",  # 23,5 hours after the original
        "location": "Buurthuis De Oosterpoort",
        "follow_up_of": str(original_id),
    }
    response = secretary.post_form(url, data)
    assert response.status_code == 422
    page = squash(text(response))
    assert "Een vervolgvergadering begint minstens 24 uur na de oorspronkelijke." in page
    with oost.app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Meeting)) == 1

    response = secretary.post_form(url, {**data, "starts_on": "2026-12-03", "starts_time": "19:30"})
    assert response.status_code == 302
    page = follow(secretary, response)
    follow_up_id = int(re.search(r"/vergaderingen/(\d+)$", response.headers["Location"]).group(1))
    assert "Vervolgvergadering van 'Wijkraadvergadering': er is geen quorum nodig." in squash(page)
    assert agenda(page) == [("1", "Speeltuin Oosterpark")]  # the same agenda
    post(secretary, f"/vergaderingen/{follow_up_id}/publiceren")
    for name in few[:2]:
        url = f"/vergaderingen/{follow_up_id}/aanwezigheid/{oost.members[name]}"
        post(secretary, url, {"presence": "present"})
    page = follow(chair, post(chair, f"/vergaderingen/{follow_up_id}/openen"))
    assert "De vergadering is geopend." in page
    assert "vervolgvergadering: geen quorum nodig" in page


def test_the_chair_sees_why_no_round_can_open(oost):
    # Four residents and five councillors in the room: quorum, but no residents' majority.
    present = RESIDENTS[:4] + COUNCILLORS[:5]
    meeting_id, (item_id,) = prepared(oost, ("Speeltuin Oosterpark", {}), present=present)
    chair = oost.browser(CHAIR)
    motion_id = submit_motion(chair, item_id, MOTION, "Twee schommels.")
    refusal = (
        "Er zijn niet meer stemgerechtigde bewoners dan raadsleden aanwezig: "
        "er kan niet worden gestemd."
    )
    page = text(chair.get(f"/vergaderingen/{meeting_id}"))
    assert "Er kan nu geen stemming worden geopend:" in page and refusal in page
    assert f"Stemming openen over '{MOTION}'" not in squash(page)
    response = post(chair, f"/voorstellen/{motion_id}/stemming", {"mode": "named"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(
        f"/vergaderingen/{meeting_id}#voorstel-{motion_id}"
    )
    assert refusal in follow(chair, response)
    motion = oost.anonymous().get(f"/api/v1/motions/{motion_id}").get_json()
    assert motion["status"] == "submitted" and motion["rounds"] == []


def test_a_recused_member_does_not_vote_on_the_item(oost):
    meeting_id, (item_id,) = prepared(oost, ("Speeltuin Oosterpark", {}))
    secretary, chair = oost.browser(SECRETARY), oost.browser(CHAIR)
    response = post(
        secretary,
        f"/agendapunten/{item_id}/verschoningen",
        {"member_id": oost.members["Eva Mulder"]},
    )
    assert response.status_code == 303
    page = squash(follow(secretary, response))
    assert "Eva Mulder stemt niet mee over 'Speeltuin Oosterpark'." in page
    assert "Verschoond (stemt niet mee): Eva Mulder" in page
    again = post(
        secretary,
        f"/agendapunten/{item_id}/verschoningen",
        {"member_id": oost.members["Eva Mulder"]},
    )
    assert "Dit lid heeft zich voor dit agendapunt al verschoond." in follow(secretary, again)

    motion_id = submit_motion(chair, item_id, MOTION, "Twee schommels.")
    round_id = open_round(chair, motion_id)
    console = text(chair.get(f"/stemmingen/{round_id}/voorzitter"))
    assert "Nog niet gestemd (8 van 8)" in console
    assert "Eva Mulder" not in waiting(console)
    eva = oost.browser("Eva Mulder")
    page = text(eva.get(f"/vergaderingen/{meeting_id}/stemmen"))
    assert "U bent niet stemgerechtigd bij deze stemming" in page and 'name="keuze"' not in page
    assert "U bent niet stemgerechtigd" in follow(eva, vote(eva, round_id, "yes"))


CLOSED = "Deze vergadering is gesloten of geannuleerd."


@pytest.mark.parametrize(
    ("who", "url", "data"),
    [
        (SECRETARY, "/vergaderingen/{meeting}/agendapunten", {"title": "Nog een punt"}),
        (SECRETARY, "/agendapunten/{a}/verplaatsen", {"direction": "down"}),
        (SECRETARY, "/vergaderingen/{meeting}/aanwezigheid/{absent}", {"presence": "present"}),
        (SECRETARY, "/agendapunten/{a}/verschoningen", {"member_id": "{member}"}),
        (CHAIR, "/vergaderingen/{meeting}/huidig-agendapunt", {"item_id": "{b}"}),
        (CHAIR, "/agendapunten/{a}/voorstellen/nieuw", {"title": "Laat", "text": "Te laat."}),
    ],
    ids=["add item", "move item", "attendance", "recusal", "current item", "motion"],
)
def test_a_closed_meeting_can_no_longer_be_changed(oost, who, url, data):
    meeting_id, (a, b) = prepared(oost, ("Opening", {}), ("Rondvraag", {}))
    chair = oost.browser(CHAIR)
    assert post(chair, f"/vergaderingen/{meeting_id}/sluiten", CONFIRMED).status_code == 303
    ids = {
        "meeting": meeting_id,
        "a": a,
        "b": b,
        "absent": oost.members[RESIDENTS[10]],
        "member": oost.members[MEMBER],
    }
    form = {"parent_id": "", "requirement": "majority", **data}
    before = public_state(oost, meeting_id)
    web = oost.browser(who)
    response = post(web, url.format(**ids), {k: v.format(**ids) for k, v in form.items()})
    page = follow(web, response) if response.status_code in (302, 303) else text(response)
    assert CLOSED in page
    assert public_state(oost, meeting_id) == before
    projector = text(oost.anonymous().get(f"/vergaderingen/{meeting_id}/projector"))
    assert "De vergadering is gesloten." in projector


def public_state(oost: Oost, meeting_id: int) -> dict:
    """What the API and the secretary's page show of a meeting: agenda, attendance, recusals."""
    meeting = oost.anonymous().get(f"/api/v1/meetings/{meeting_id}").get_json()
    page = squash(text(oost.browser(SECRETARY).get(f"/vergaderingen/{meeting_id}")))
    return {
        "meeting": meeting,
        "attendance": attendance_line(page) if "Aanwezig:" in page else None,
        "recused": re.findall(r"Verschoond \(stemt niet mee\): [^.]+", page),
    }


def test_resident_names_stay_private_where_the_council_does_not_publish_them(app, make):
    with app.app_context():
        council = make.council("noord", residents=3, councillors=2, public_names=False)
        make.member(council, role=Role.CHAIR, name="Roos Private", email="roos@example.org")
        make.member(council, seat=Seat.COUNCILLOR, name="Raadslid Publiek", email="r@example.org")
        meeting = meetings.create_meeting(
            db.session,
            make.admin_actor,
            council,
            title="Vergadering noord",
            starts_at=STARTS_AT,
            location="Wijkcentrum",
        )
        item = meetings.add_item(db.session, make.admin_actor, meeting, title="Park")
        meetings.publish(db.session, make.admin_actor, meeting, clock.now())
        db.session.commit()
        noord = Oost(app, council.id, make.admin_actor)
        meeting_id, item_id = meeting.id, item.id
    roos = noord.browser("roos@example.org")
    submit_motion(roos, item_id, "Meer bankjes", "Vijf bankjes.")
    public = text(noord.anonymous().get(f"/vergaderingen/{meeting_id}"))
    assert "Meer bankjes" in public
    assert "Roos Private" not in public
    assert "Ingediend door een bewoner (naam niet openbaar)" in squash(public)
    assert "Ingediend door Roos Private" in squash(text(roos.get(f"/vergaderingen/{meeting_id}")))
