"""The minutes' pages: the public reads approved minutes only, members the draft and its
history; the secretary writes (and two writers at once lose nothing), the chair approves at a
later open meeting, after which everything is frozen; no confidential item shows in public."""

from __future__ import annotations

import json
import re
import threading

import pytest
import sqlalchemy as sa

from tests.conftest import csrf_from
from tests.integration.minutes_pages import (
    ANNA,
    BRAM,
    CARLA,
    actor,
    client_of,
    form_on,
    item_ids,
    later_open_meeting,
)
from tests.record_world import build_record
from wijkraad import clock
from wijkraad.audit import AuditEvent
from wijkraad.auth.actor import ANONYMOUS
from wijkraad.errors import NotFound
from wijkraad.extensions import db
from wijkraad.minutes import api_data
from wijkraad.minutes.models import Minutes, MinutesRevision
from wijkraad.minutes.rules import NOTE_MAX, MinutesStatus
from wijkraad.voting.models import Decision

SECRET = "Geheim: de kandidaat heet Fien."


@pytest.fixture
def record(app):
    with app.app_context():
        return build_record(db.session, public_names=False, public=2)


def text(response) -> str:
    return response.get_data(as_text=True)


def minutes_url(record, tail: str = "") -> str:
    return f"/vergaderingen/{record.meeting_id}/verslag{tail}"


def edit(client, record, change: dict[str, str] | None = None):
    """Loads the edit form and posts it back with ``change`` (field -> text)."""
    page = client.get(minutes_url(record, "/bewerken"))
    assert page.status_code == 200, text(page)[:500]
    data = form_on(text(page), minutes_url(record, "/bewerken"))
    return client.post(minutes_url(record, "/bewerken"), data={**data, **(change or {})})


def note(record, title: str) -> str:
    with_ids = item_ids(record)
    return f"note_{with_ids[title]}"


def written(app, record, *, secret: bool = True) -> None:
    """The secretary writes the minutes through the page: remarks, a public item's notes, and
    (with ``secret``) notes on the confidential sub-item."""
    bram = client_of(app, record, BRAM)
    with app.app_context():
        fields = {
            "remarks": "Opening om 19.30 uur door de voorzitter.",
            note(record, "Speeltuin Oosterpark"): "Veel insprekers over de bankjes.",
        }
        if secret:
            fields[note(record, "Benoeming")] = SECRET
    assert edit(bram, record, fields).status_code == 303


def approved(app, record) -> int:
    with app.app_context():
        later = later_open_meeting(record)
    anna = client_of(app, record, ANNA)
    page = text(anna.get(minutes_url(record)))
    data = form_on(page, minutes_url(record, "/vaststellen"))
    assert data["meeting_id"] == str(later)
    response = anna.post(minutes_url(record, "/vaststellen"), data=data)
    assert response.status_code == 303
    return later


# ------------------------------------------------------------------- reading


def test_the_public_reads_approved_minutes_only(app, record):
    anonymous = app.test_client()
    assert anonymous.get(minutes_url(record)).status_code == 404
    written(app, record)
    assert anonymous.get(minutes_url(record)).status_code == 404
    member = client_of(app, record, CARLA)
    draft = text(member.get(minutes_url(record)))
    assert "Concept" in draft and "nog niet vastgesteld" in draft

    later = approved(app, record)
    page = anonymous.get(minutes_url(record))
    assert page.status_code == 200
    html = text(page)
    assert "Concept" not in html
    with app.app_context():
        minutes = db.session.scalar(sa.select(Minutes))
        assert minutes.status is MinutesStatus.APPROVED and minutes.approved_at_meeting_id == later
        identifiers = [
            d.identifier for d in db.session.scalars(sa.select(Decision).order_by(Decision.number))
        ]
    assert re.search(r"Vastgesteld op \d+ \w+ \d{4} in de vergadering van", html)
    assert f'href="/vergaderingen/{later}"' in html
    assert "Wijkraad Oost" in html and "Buurthuis De Oosterpoort" in html
    assert "Opening om 19.30 uur door de voorzitter." in html
    assert "Veel insprekers over de bankjes." in html
    # Residents' names are not published by this council; the councillors' are.
    assert "Dirk Raadslid" in html and "Eva Raadslid" in html
    assert "Anna de Voorzitter" not in html and "Bram Bewoner" not in html
    assert "bewoner" in html
    assert re.search(r"Afwezig met bericht \(1\)</dt>\s*<dd[^>]*>Eva Raadslid", html)
    # The public decisions link to their pages; the confidential one shows nowhere.
    for identifier in identifiers[:3]:
        assert f'href="/besluiten/{identifier}"' in html
    assert identifiers[3] not in html
    assert "aangenomen" in html and "verworpen" in html
    for hidden in ("Personeel", "Benoeming", "Fien", "buurtconciërge"):
        assert hidden not in html
    assert "Versies" not in html
    assert anonymous.get(minutes_url(record, "/versies/1")).status_code == 404


def test_a_member_reads_the_draft_and_its_history(app, record):
    written(app, record, secret=False)
    bram = client_of(app, record, BRAM)
    with app.app_context():
        park = note(record, "Speeltuin Oosterpark")
    changed = {park: "Veel insprekers over de nieuwe bankjes.\nDe wethouder komt langs."}
    assert edit(bram, record, changed).status_code == 303

    carla = client_of(app, record, CARLA)
    html = text(carla.get(minutes_url(record)))
    assert "Concept" in html
    assert "Anna de Voorzitter" in html and "Carla Bewoner" in html  # members see names
    assert re.search(r"Versie 2</a></th>\s*<td[^>]*>Bram Bewoner", html)
    assert minutes_url(record, "/versies/1") in html

    first = text(carla.get(minutes_url(record, "/versies/1")))
    assert "Veel insprekers over de bankjes." in first
    assert "De wethouder" not in first
    second = carla.get(minutes_url(record, "/versies/2"))
    assert second.status_code == 200
    diff = text(second)
    assert re.search(r"<del[^>]*>.*?\bbankjes", diff, re.S) is None  # "bankjes" stayed
    assert re.search(r"<ins[^>]*><span[^>]*>\[toegevoegd: </span>nieuwe ", diff)
    assert re.search(r"<ins[^>]*>.*?De wethouder komt langs\.", diff, re.S)
    whole = text(carla.get(minutes_url(record, "/versies/2?vergelijk=0")))
    assert "het lege begin" in whole and "Opening om 19.30 uur" in whole

    assert carla.get(minutes_url(record, "/versies/3")).status_code == 404
    assert carla.get(minutes_url(record, "/versies/0")).status_code == 404
    assert carla.get(minutes_url(record, "/versies/2?vergelijk=twee")).status_code == 400
    assert carla.get(minutes_url(record, "/versies/2?vergelijk=9")).status_code == 404
    assert carla.get(minutes_url(record, "/versies/99999999999")).status_code == 404
    with app.app_context():
        west = build_record(db.session, slug="west", code="WST")
    stranger = client_of(app, west, CARLA)
    assert stranger.get(minutes_url(record)).status_code == 404
    assert stranger.get(minutes_url(record, "/versies/1")).status_code == 404
    assert app.test_client().get("/vergaderingen/999999/verslag").status_code == 404


# ------------------------------------------------------------------- writing


def test_the_secretary_edits(app, record):
    bram = client_of(app, record, BRAM)
    page = bram.get(minutes_url(record, "/bewerken"))
    assert page.status_code == 200
    with app.app_context():
        assert db.session.scalar(sa.select(Minutes.revision)) == 0
        starts = db.session.scalar(
            sa.select(sa.func.count()).where(AuditEvent.action == "minutes.start")
        )
        assert starts == 1
        fields = item_ids(record)
    data = form_on(text(page), minutes_url(record, "/bewerken"))
    assert data["based_on"] == "0"
    # One field per agenda item the secretary sees (the confidential ones too), plus remarks.
    assert {f"note_{i}" for i in fields.values()} | {"remarks"} <= set(data)

    response = bram.post(
        minutes_url(record, "/bewerken"),
        data={**data, "remarks": "Opening.\r\nMededelingen."},
    )
    assert response.status_code == 303
    again = text(bram.get(response.headers["Location"]))
    assert "opgeslagen als versie 1" in again
    assert form_on(again, minutes_url(record, "/bewerken"))["remarks"] == "Opening.\nMededelingen."
    assert form_on(again, minutes_url(record, "/bewerken"))["based_on"] == "1"

    empty = {k: ("" if k != "csrf_token" and k != "based_on" else v) for k, v in data.items()}
    empty["based_on"] = "1"
    refused = bram.post(minutes_url(record, "/bewerken"), data=empty)
    assert refused.status_code == 422 and "Het verslag is leeg" in text(refused)
    long = {**empty, "remarks": "x" * (NOTE_MAX + 1)}
    refused = bram.post(minutes_url(record, "/bewerken"), data=long)
    assert refused.status_code == 422 and "te lang" in text(refused)
    for based_on in ("", "een", "-1"):
        refused = bram.post(
            minutes_url(record, "/bewerken"), data={**empty, "remarks": "x", "based_on": based_on}
        )
        assert refused.status_code == 422, based_on
    no_csrf = {k: v for k, v in data.items() if k != "csrf_token"}
    assert bram.post(minutes_url(record, "/bewerken"), data=no_csrf).status_code == 400
    with app.app_context():
        assert db.session.scalar(sa.select(Minutes.revision)) == 1

    # A member who is not the secretary or the chair may not; the public is asked to log in.
    carla = client_of(app, record, CARLA)
    assert carla.get(minutes_url(record, "/bewerken")).status_code == 403
    assert carla.post(minutes_url(record, "/bewerken"), data=data).status_code in (400, 403)
    anonymous = app.test_client().get(minutes_url(record, "/bewerken"))
    assert anonymous.status_code == 302 and "/aanmelden" in anonymous.headers["Location"]


def test_no_minutes_before_the_meeting_opens(app, record):
    with app.app_context():
        later = later_open_meeting(record, open_it=False)
    bram = client_of(app, record, BRAM)
    page = bram.get(f"/vergaderingen/{later}/verslag/bewerken")
    assert page.status_code == 409
    assert "pas als de vergadering is geopend" in text(page)
    assert "<textarea" not in text(page)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Minutes.id))) == 0


def test_two_writers_at_once_through_the_pages(app, record):
    bram, anna = client_of(app, record, BRAM), client_of(app, record, ANNA)
    url = minutes_url(record, "/bewerken")
    with app.app_context():
        park = note(record, "Speeltuin Oosterpark")
        agenda = note(record, "Vaststellen agenda")
    loaded = {who: form_on(text(c.get(url)), url) for who, c in (("bram", bram), ("anna", anna))}
    mine = {"remarks": "Anna: opening om 19.31 uur.", park: "Anna: drie insprekers."}
    theirs = {
        "remarks": "Bram: opening om 19.30 uur.",
        park: "Bram: vier insprekers.",
        agenda: "Bram: de agenda is vastgesteld.",  # a part only Bram changes
    }
    assert bram.post(url, data={**loaded["bram"], **theirs}).status_code == 303

    conflict = anna.post(url, data={**loaded["anna"], **mine})
    assert conflict.status_code == 409
    html = text(conflict)
    assert "Uw tekst is nog niet opgeslagen" in html
    shown = form_on(html, url)
    assert shown["remarks"] == mine["remarks"] and shown[park] == mine[park]  # nothing lost
    assert "Bram: opening om 19.30 uur." in html and "Bram: vier insprekers." in html
    assert "Intussen opgeslagen door Bram Bewoner (versie 1)" in html
    assert shown["based_on"] == "1"
    # What only Bram changed is taken over, so saving again does not undo it.
    assert shown[agenda] == "Bram: de agenda is vastgesteld."
    assert "Overgenomen uit versie 1 van Bram Bewoner" in html

    merged = {**shown, park: "Drie of vier insprekers."}
    assert anna.post(url, data=merged).status_code == 303
    with app.app_context():
        revisions = db.session.scalars(
            sa.select(MinutesRevision).order_by(MinutesRevision.number)
        ).all()
        assert [r.number for r in revisions] == [1, 2]
        assert revisions[1].content["remarks"] == mine["remarks"]
        notes = revisions[1].content["notes"]
        assert notes[park.removeprefix("note_")] == "Drie of vier insprekers."
        assert notes[agenda.removeprefix("note_")] == "Bram: de agenda is vastgesteld."


def test_two_saves_posted_at_the_same_moment(app, record):
    url = minutes_url(record, "/bewerken")
    clients = [client_of(app, record, BRAM), client_of(app, record, ANNA)]
    forms = [form_on(text(c.get(url)), url) for c in clients]
    barrier = threading.Barrier(2)
    statuses: dict[int, int] = {}

    def save(index: int) -> None:
        barrier.wait(timeout=30)
        data = {**forms[index], "remarks": f"schrijver {index}"}
        statuses[index] = clients[index].post(url, data=data).status_code

    threads = [threading.Thread(target=save, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses.values()) == [303, 409]
    with app.app_context():
        assert db.session.scalar(sa.select(Minutes.revision)) == 1


# ------------------------------------------------------------------ approving


def test_approval_at_a_later_open_meeting_then_frozen(app, record):
    anna = client_of(app, record, ANNA)
    written(app, record)
    page = text(anna.get(minutes_url(record)))
    assert "zodra die geopend is" in page  # no later open meeting yet: no form
    assert minutes_url(record, "/vaststellen") not in page
    with app.app_context():
        published_only = later_open_meeting(record, days=14, open_it=False)
        later = later_open_meeting(record, days=28)
        west = build_record(db.session, slug="west", code="WST")
        elsewhere = west.meeting_id
    page = text(anna.get(minutes_url(record)))
    options = re.findall(r'<option value="(\d+)"', page.split('id="vaststellen"')[1])
    assert options == [str(later)]  # not this meeting, not an unopened one, not elsewhere
    data = form_on(page, minutes_url(record, "/vaststellen"))

    bram = client_of(app, record, BRAM)
    token = csrf_from(text(bram.get(minutes_url(record))))
    mine = {**data, "csrf_token": token}
    assert bram.post(minutes_url(record, "/vaststellen"), data=mine).status_code == 403
    # The secretary still has the edit form open while the chair approves.
    edit_url = minutes_url(record, "/bewerken")
    still_open = form_on(text(bram.get(edit_url)), edit_url)
    for wrong in (record.meeting_id, published_only, elsewhere, "999999", ""):
        response = anna.post(
            minutes_url(record, "/vaststellen"), data={**data, "meeting_id": str(wrong)}
        )
        assert response.status_code == 303, wrong
        shown = text(anna.get(response.headers["Location"]))
        assert "wordt vastgesteld" in shown and "Concept" in shown, wrong
    assert anna.post(minutes_url(record, "/vaststellen"), data={}).status_code == 400

    response = anna.post(minutes_url(record, "/vaststellen"), data=data)
    assert response.status_code == 303
    html = text(anna.get(response.headers["Location"]))
    assert "Het verslag is vastgesteld en gepubliceerd." in html
    assert minutes_url(record, "/vaststellen") not in html
    again = anna.post(minutes_url(record, "/vaststellen"), data=data)
    assert "vastgesteld en verandert niet meer" in text(anna.get(again.headers["Location"]))

    frozen = bram.get(minutes_url(record, "/bewerken"))
    assert frozen.status_code == 409
    assert "vastgesteld en verandert niet meer" in text(frozen)
    assert "<textarea" not in text(frozen)
    late = bram.post(edit_url, data={**still_open, "remarks": "Nog een zin."})
    assert late.status_code == 409 and "<textarea" not in text(late)
    with app.app_context():
        assert db.session.scalar(sa.select(Minutes.revision)) == 1
        approvals = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "minutes.approve")
        ).all()
        assert len(approvals) == 1 and approvals[0].data["at_meeting_id"] == later


def test_empty_minutes_are_not_approved(app, record):
    with app.app_context():
        later = later_open_meeting(record)
    anna = client_of(app, record, ANNA)
    assert anna.get(minutes_url(record, "/bewerken")).status_code == 200  # started, empty
    page = text(anna.get(minutes_url(record)))
    data = form_on(page, minutes_url(record, "/vaststellen"))
    assert data["meeting_id"] == str(later)
    response = anna.post(minutes_url(record, "/vaststellen"), data=data)
    assert "Een leeg verslag kan niet worden vastgesteld." in text(
        anna.get(response.headers["Location"])
    )
    with app.app_context():
        assert db.session.scalar(sa.select(Minutes.status)) is MinutesStatus.DRAFT


# ------------------------------------------------------------------ the API's data


def test_the_api_data_drafts_for_members_only(app, record):
    with app.app_context():
        with pytest.raises(NotFound):
            api_data.meeting_minutes(db.session, ANONYMOUS, record.meeting_id)
        draft = api_data.meeting_minutes(db.session, actor(record, CARLA), record.meeting_id)
    assert draft["status"] == "draft" and draft["revision"] == 0
    assert draft["approved_on"] is None
    written(app, record)
    with app.app_context():
        with pytest.raises(NotFound):
            api_data.meeting_minutes(db.session, ANONYMOUS, record.meeting_id)
        west = build_record(db.session, slug="west", code="WST")
        with pytest.raises(NotFound):
            api_data.meeting_minutes(db.session, actor(west, CARLA), record.meeting_id)
        inside = api_data.meeting_minutes(db.session, actor(record, CARLA), record.meeting_id)
    assert inside["status"] == "draft" and inside["revision"] == 1
    titles = [i["title"] for i in inside["items"]]
    assert titles == ["Vaststellen agenda", "Speeltuin Oosterpark", "Personeel", "Benoeming"]
    assert inside["items"][3]["notes"] == SECRET
    assert inside["items"][3]["number"] == "3.1"

    approved(app, record)
    with app.app_context():
        public = api_data.meeting_minutes(db.session, ANONYMOUS, record.meeting_id)
        identifiers = [
            d.identifier
            for d in db.session.scalars(
                sa.select(Decision)
                .where(Decision.council_id == record.council_id)
                .order_by(Decision.number)
            )
        ]
    json.dumps(public)  # JSON-ready as it is
    assert public["status"] == "approved"
    assert public["approved_on"] == clock.today().isoformat()
    assert [i["title"] for i in public["items"]] == ["Vaststellen agenda", "Speeltuin Oosterpark"]
    formality, park = public["items"]
    assert park["notes"] == "Veel insprekers over de bankjes."
    assert formality["motions"][0]["outcome"] == "adopted"
    assert formality["motions"][0]["counts"] is None
    assert formality["motions"][0]["decision"]["identifier"] == identifiers[0]
    first, second = park["motions"]
    assert (first["outcome"], second["outcome"]) == ("adopted", "rejected")
    assert first["counts"] == {"yes": 3, "no": 0, "abstain": 1}
    assert first["groups"]["residents"] == {"yes": 2, "no": 0, "abstain": 1}
    assert [m["decision"]["identifier"] for m in park["motions"]] == identifiers[1:3]
    residents = [
        a for group in public["attendance"].values() for a in group if a["seat"] == "resident"
    ]
    assert residents and {a["name"] for a in residents} == {None}
    assert [a["name"] for a in public["attendance"]["absent_with_notice"]] == ["Eva Raadslid"]
    dumped = json.dumps(public, ensure_ascii=False)
    for hidden in ("Personeel", "Benoeming", "Fien", identifiers[3], "Anna de Voorzitter"):
        assert hidden not in dumped
