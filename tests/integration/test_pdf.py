"""The public record's PDFs read back: a meeting's decision list (a draft until its minutes are
approved, 409 before the meeting is closed), the annual list, the agenda; PDF/A-3u, tagged, in
Dutch, with the decisions as Popolo JSON attached; nothing confidential in any of them."""

from __future__ import annotations

import io
import re

import pikepdf
import pytest
import sqlalchemy as sa

from tests.conftest import PASSWORD
from tests.integration.pdf_record import (
    approve,
    attached_json,
    attachments,
    close,
    give_amount,
    pages_text,
    start_minutes,
    structure_types,
    text_of,
)
from tests.popolo_schema import valid
from tests.querycount import counting
from tests.record_world import ADMIN as ADMIN_ACTOR
from tests.record_world import build_record
from wijkraad import clock
from wijkraad.auth.actor import ANONYMOUS
from wijkraad.extensions import db
from wijkraad.meetings import services as meetings
from wijkraad.meetings.models import Meeting
from wijkraad.publishing import documents
from wijkraad.voting.models import Decision

CONFIDENTIAL = ("Personeel", "Benoeming", "buurtconciërge")


@pytest.fixture
def record(app):
    """A closed meeting of a council that does not publish residents' names; minutes started
    but not approved."""
    with app.app_context():
        built = build_record(db.session, public_names=False, public=4)
        built.minutes_id = start_minutes(built)  # type: ignore[attr-defined]
        give_amount(built)
        close(built)
        built.identifiers = {  # type: ignore[attr-defined]
            d.id: d.identifier for d in db.session.query(Decision).all()
        }
        return built


def list_url(record) -> str:
    return f"/vergaderingen/{record.meeting_id}/besluitenlijst.pdf"


def test_the_draft_decision_list_says_everything_public_and_nothing_confidential(app, record):
    response = app.test_client().get(list_url(record))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    year = clock.today().year
    filename = f"OST-{year}-vergadering-{record.meeting_id}-besluitenlijst-concept.pdf"
    assert response.headers["Content-Disposition"] == f'inline; filename="{filename}"'
    assert response.headers["Cache-Control"] == "private, no-cache"
    assert re.fullmatch(r'"[0-9a-f]{64}"', response.headers["ETag"])

    pages = pages_text(response.data)
    text = "\n".join(pages)
    assert all("CONCEPT" in page for page in pages)
    assert "Besluitenlijst (concept)" in text
    assert all(f"pagina {n} van {len(pages)}" in page for n, page in enumerate(pages, 1))
    assert all("Wijkraad Oost" in page for page in pages)  # the header, on every page
    for fact in ("Wijkraadvergadering", "Buurthuis De Oosterpoort", "Aanwezig (4)"):
        assert fact in text
    assert "Afwezig met kennisgeving (1)" in text and "Eva Raadslid" in text
    for public_id in [record.formality, *record.public]:
        assert record.identifiers[public_id] in text
    assert record.identifiers[record.confidential] not in text
    for title in CONFIDENTIAL:
        assert title not in text
    assert "Vaststellen agenda" in text and "hamerstuk" in text.lower()
    assert "Hamerstuk: aangenomen zonder stemming." in text
    assert "Bankjes in het park 1" in text and "Bankjes in het park 4" in text
    assert "aangenomen" in text and "verworpen" in text
    # Residents' names are not published: "bewoner"; councillors are named.
    assert "Dirk Raadslid" in text
    for resident in ("Anna de Voorzitter", "Bram Bewoner", "Carla Bewoner"):
        assert resident not in text
    assert "bewoner (naam niet openbaar)" in text  # the chair and the secretary
    assert "3 bewoners (namen niet openbaar)" in text  # present
    flat = re.sub(r"\s+", " ", text)
    assert "Voor (3): Dirk Raadslid, bewoner, bewoner;" in flat
    assert "Onthouden (1): bewoner" in flat
    # The first decision: residents 2 yes 0 no 1 abstain, councillors 1-0-0, total 3-0-1.
    assert "Bewoners 2 voor · 0 tegen · 1 onthouden" in flat
    assert "Raadsleden 1 voor · 0 tegen · 0 onthouden" in flat
    assert "Totaal 3 voor · 0 tegen · 1 onthouden" in flat
    assert "Bedrag: € 1.250,00" in flat


def test_names_are_shown_where_the_council_publishes_them(app):
    with app.app_context():
        built = build_record(db.session, slug="west", code="WST", public_names=True, public=1)
        close(built)
    text = text_of(app.test_client().get(list_url(built)).data)
    assert "Anna de Voorzitter" in text and "Carla Bewoner" in text
    assert "niet openbaar" not in text


def test_approved_minutes_make_the_list_final(app, record):
    client = app.test_client()
    draft = client.get(list_url(record))
    with app.app_context():
        approve(record, record.minutes_id)
    final = client.get(list_url(record))
    assert final.status_code == 200
    assert final.headers["ETag"] != draft.headers["ETag"]
    assert final.headers["Cache-Control"] == "public, max-age=3600"
    assert "concept" not in final.headers["Content-Disposition"]
    text = text_of(final.data)
    assert "CONCEPT" not in text and "concept" not in text
    assert "Vastgesteld met het verslag op" in text


def test_no_list_before_the_meeting_is_closed(app, web):
    with app.app_context():
        open_record = build_record(db.session, slug="noord", code="NRD", public=1)
        chair = open_record.emails["chair"]
        meeting = db.session.get(Meeting, open_record.meeting_id)
        draft = meetings.create_meeting(
            db.session,
            ADMIN_ACTOR,
            meeting.council,
            title="Nog in voorbereiding",
            starts_at=meeting.starts_at,
            location="Buurthuis",
        )
        db.session.commit()
        draft_id = draft.id
    client = app.test_client()
    refused = client.get(list_url(open_record))
    assert refused.status_code == 409
    assert "zodra de vergadering is gesloten" in refused.get_data(as_text=True)
    # A draft meeting: hidden from the public, not yet closed for whoever prepares it.
    assert client.get(f"/vergaderingen/{draft_id}/besluitenlijst.pdf").status_code == 404
    assert client.get("/vergaderingen/999999/besluitenlijst.pdf").status_code == 404
    assert client.get("/vergaderingen/99999999999/besluitenlijst.pdf").status_code == 404
    web.login(chair, PASSWORD)
    assert web.get(f"/vergaderingen/{draft_id}/besluitenlijst.pdf").status_code == 409


def test_pdfa_tagged_dutch_with_metadata_and_the_decisions_attached(app, record, tmp_path):
    content = app.test_client().get(list_url(record)).data
    with pikepdf.open(io.BytesIO(content)) as document:
        metadata = document.open_metadata()
        assert metadata.pdfa_status == "3U"
        assert str(document.Root.Lang) == "nl"
        assert "/StructTreeRoot" in document.Root and bool(document.Root.MarkInfo.Marked)
        assert {"H1", "H2", "H3", "Table", "TH", "TD", "L"} <= structure_types(document)
        info = document.docinfo
        assert str(info.Author) == "Wijkraad Oost"
        assert str(info.Title).startswith("Besluitenlijst (concept) — Wijkraad Oost")
        assert "De besluiten van de vergadering van Wijkraad Oost" in str(info.Subject)
    name, data = attached_json(content)
    year = clock.today().year
    assert name == f"OST-{year}-vergadering-{record.meeting_id}-besluiten.json"
    public_ids = [record.identifiers[i] for i in [record.formality, *record.public]]
    # The council's export format, cut to the meeting: valid against its schemas.
    valid(data)
    assert [m["identifier"] for m in data["motions"]] == public_ids
    assert data["organizations"][0]["name"] == "Wijkraad Oost"
    identifier_of = {m["id"]: m["identifier"] for m in data["motions"]}
    assert [identifier_of[e["motion_id"]] for e in data["vote_events"]] == public_ids[1:]
    first = data["vote_events"][0]
    assert first["counts"] == [
        {"option": "yes", "value": 3},
        {"option": "no", "value": 0},
        {"option": "abstain", "value": 1},
        {"option": "absent", "value": 1},  # Eva Raadslid, absent with notice
    ]
    names = {p["id"]: p["name"] for p in data["persons"]}
    voters = sorted((names[v["voter_id"]], v["option"]) for v in first["votes"])
    assert voters == [
        ("Dirk Raadslid", "yes"),
        ("Eva Raadslid", "absent"),
        ("bewoner", "abstain"),
        ("bewoner", "yes"),
        ("bewoner", "yes"),
    ]
    assert data["motions"][1]["extras"]["decision"]["amount_cents"] == 125_000
    raw = repr(data)
    assert record.identifiers[record.confidential] not in raw
    assert all(title not in raw for title in CONFIDENTIAL)
    # Anyone can decide the attached outcomes again, as with the council's whole export.
    path = tmp_path / name
    path.write_bytes(attachments(content)[name])
    checked = app.test_cli_runner().invoke(args=["verify", "outcomes", str(path)])
    assert checked.exit_code == 0, checked.output
    assert f"All {len(data['vote_events'])} vote events agree" in checked.output


def test_the_annual_list_groups_the_years_decisions_by_meeting(app, record):
    year = clock.today().year
    client = app.test_client()
    response = client.get(f"/wijkraden/oost/besluiten/{year}.pdf")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, no-cache"
    assert f'filename="OST-{year}-besluiten.pdf"' in response.headers["Content-Disposition"]
    text = text_of(response.data)
    assert f"Besluiten {year}" in text and "5 besluiten" in text
    assert "genomen in 1 vergadering" in text
    for public_id in [record.formality, *record.public]:
        assert record.identifiers[public_id] in text
    assert record.identifiers[record.confidential] not in text
    assert all(title not in text for title in CONFIDENTIAL)
    assert "CONCEPT" not in text
    assert re.search(r"3\s*–\s*0\s*–\s*1", text)
    name, data = attached_json(response.data)
    assert name == f"OST-{year}-besluiten.json" and len(data["motions"]) == 5
    assert client.get(f"/wijkraden/oost/besluiten/{year - 1}.pdf").status_code == 404
    assert client.get(f"/wijkraden/bestaat-niet/besluiten/{year}.pdf").status_code == 404
    assert client.get("/wijkraden/oost/besluiten/0.pdf").status_code == 404


def test_the_agenda_public_for_published_meetings_drafts_for_who_prepares_them(app, web):
    with app.app_context():
        built = build_record(db.session, slug="zuid", code="ZDR", public=1)
        meeting = db.session.get(Meeting, built.meeting_id)
        draft = meetings.create_meeting(
            db.session,
            ADMIN_ACTOR,
            meeting.council,
            title="Extra vergadering",
            starts_at=meeting.starts_at,
            location="Wijkcentrum",
        )
        meetings.add_item(db.session, ADMIN_ACTOR, draft, title="Het nieuwe plein")
        db.session.commit()
        draft_id = draft.id
    client = app.test_client()
    response = client.get(f"/vergaderingen/{built.meeting_id}/agenda.pdf")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, no-cache"
    text = text_of(response.data)
    assert "Agenda" in text and "Speeltuin Oosterpark" in text and "Vaststellen agenda" in text
    assert "Bankjes in het park 1" in text  # the motions on an item
    assert all(title not in text for title in CONFIDENTIAL)
    assert "CONCEPT" not in text
    assert client.get(f"/vergaderingen/{draft_id}/agenda.pdf").status_code == 404
    web.login(built.emails["chair"], PASSWORD)
    mine = web.get(f"/vergaderingen/{draft_id}/agenda.pdf")
    assert mine.status_code == 200
    assert "no-store" in mine.headers["Cache-Control"] or "private" in mine.headers["Cache-Control"]
    draft_text = pages_text(mine.data)
    assert all("CONCEPT" in page for page in draft_text)
    assert "Het nieuwe plein" in "\n".join(draft_text)


def test_statements_of_the_decision_list_do_not_grow_with_the_decisions(app):
    counts = []
    for slug, code, n in (("klein", "KLN", 1), ("groot", "GRT", 8)):
        with app.app_context():
            built = build_record(db.session, slug=slug, code=code, public=n)
            close(built)
        with app.app_context():
            db.session.remove()
            with counting(db.engine) as count:
                view = documents.decision_list(db.session, ANONYMOUS, built.meeting_id)
            assert len(view.decisions) == n + 1
            counts.append(count.total)
    assert counts[0] == counts[1], counts


def test_texts_are_printed_as_written_never_read_as_markup(app, record):
    with app.app_context():
        db.session.execute(
            sa.update(Decision)
            .where(Decision.id == record.public[0])
            .values(explanation='Zie <b>dit</b> en <img src="file:///etc/passwd">.')
        )
        db.session.commit()
    text = text_of(app.test_client().get(list_url(record)).data)
    assert 'Zie <b>dit</b> en <img src="file:///etc/passwd">.' in re.sub(r"\s+", " ", text)
