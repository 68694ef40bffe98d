"""Open data: the Popolo export (validated against Popolo's schemas and ours), the same in ODS
Open Raadsinformatie's vocabulary, the decisions as CSV; always the public view, whoever asks;
residents' names only where the council publishes them; a fixed number of statements."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.open_data_world import build_open_data_record
from tests.popolo_schema import VALIDATOR, valid
from tests.querycount import counting
from tests.record_world import build_record
from wijkraad.extensions import db
from wijkraad.motions.models import Motion
from wijkraad.publishing.exports import decisions_csv
from wijkraad.publishing.ods import ods_export
from wijkraad.publishing.popolo import popolo_export
from wijkraad.voting.models import Decision

RESIDENTS = ("Anna", "Bram", "Carla", "Oud-bewoner")


def test_the_schemas_catch_what_they_should():
    """The validator is not a rubber stamp: a person with an e-mail address, a wrong date, an
    unknown option are refused."""
    document = {
        "meta": {"format": "popolo", "version": 1, "council": "x", "publishes_resident_names": 1},
        "organizations": [],
        "persons": [{"id": "x/person/1", "name": "A", "email": "a@example.org"}],
        "memberships": [
            {"id": "m", "person_id": "p", "organization_id": "x", "role": "chair",
             "label": "Voorzitter", "start_date": "1 mei 2026"}
        ],
        "events": [],
        "motions": [],
        "vote_events": [],
    }  # fmt: skip
    messages = " ".join(e.message for e in VALIDATOR.iter_errors(document))
    assert "'email' was unexpected" in messages and 'is not of type "boolean"' in messages
    assert '"1 mei 2026" does not match' in messages  # the membership's date
    assert "has less than 3 items" in messages  # three organizations at least


@pytest.fixture
def hidden(app):
    """A council that does not publish residents' names, with every kind of round."""
    with app.app_context():
        return build_open_data_record(db.session, public_names=False, past=1)


def motion_by_title(document: dict, title: str) -> dict:
    return next(m for m in document["motions"] if m["extras"]["title"] == title)


def events_of(document: dict, motion: dict) -> list[dict]:
    return [e for e in document["vote_events"] if e["motion_id"] == motion["id"]]


def test_popolo_export_is_valid_and_complete(app, hidden):
    with app.app_context():
        document = valid(popolo_export(db.session, "oost"))
        again = popolo_export(db.session, "oost")
        confidential = db.session.get(Decision, hidden.record.confidential).identifier
    assert again == document  # stable: the same record gives the same file
    text = json.dumps(document, ensure_ascii=False)
    # Nothing confidential, no resident's name, no address.
    assert confidential not in text and "Benoeming" not in text and "Personeel" not in text
    assert not any(name in text for name in RESIDENTS)
    assert "@" not in text and "example.org" not in text
    names = {p["name"] for p in document["persons"]}
    assert names == {"bewoner", "Dirk Raadslid", "Eva Raadslid"}
    assert len([p for p in document["persons"] if p["name"] == "bewoner"]) == 4  # one a former
    council, residents, councillors = document["organizations"]
    assert council["extras"]["decision_rule"] == "cooperative"
    assert (residents["parent_id"], councillors["parent_id"]) == (council["id"], council["id"])
    roles = {m["role"] for m in document["memberships"] if m["organization_id"] == council["id"]}
    assert roles == {"chair", "secretary", "member"}
    assert any("end_date" in m for m in document["memberships"])  # the former resident
    (meeting,) = document["events"]
    assert meeting["extras"]["status"] == "open" and meeting["status"] == "confirmed"

    formality = motion_by_title(document, "De agenda vaststellen")
    assert formality["classification"] == "formality" and formality["result"] == "pass"
    assert events_of(document, formality) == []
    assert formality["identifier"].startswith("OST-") and formality["requirement"]

    park = events_of(document, motion_by_title(document, "Bankjes in het park 1"))[0]
    counts = {c["option"]: c["value"] for c in park["counts"]}
    assert counts == {"yes": 3, "no": 0, "abstain": 1, "absent": 1}  # Eva sent notice
    assert sorted(v["option"] for v in park["votes"]) == ["absent", "abstain", "yes", "yes", "yes"]
    eva = next(p["id"] for p in document["persons"] if p["name"] == "Eva Raadslid")
    assert {"voter_id": eva, "option": "absent"} in park["votes"]

    split = motion_by_title(document, "Parkeren op het plein")
    (event,) = events_of(document, split)
    assert split["result"] == "fail" and event["result"] == "fail"
    assert event["extras"]["reason"] == "residents-majority-not-reached"
    results = {g["group_id"]: g["result"] for g in event["group_results"]}
    assert results == {residents["id"]: "fail", councillors["id"]: "pass"}

    hands = motion_by_title(document, "Boom planten bij de school")
    (event,) = events_of(document, hands)
    assert "votes" not in event and event["extras"]["mode"] == "analog"
    assert hands["extras"]["requirement"] == "two_thirds" and "twee derde" in hands["requirement"]
    groups = {
        g["group_id"]: {c["option"]: c["value"] for c in g["counts"]}
        for g in event["group_results"]
    }
    assert groups[residents["id"]] == {"yes": 3, "no": 0, "abstain": 0, "absent": 0}
    assert groups[councillors["id"]]["no"] == 1 and hands["result"] == "pass"

    invalid = motion_by_title(document, "Straatfeest in juni")
    (event,) = events_of(document, invalid)
    assert event["result"] == "invalid" and "result" not in invalid and "identifier" not in invalid

    tied = motion_by_title(document, "Hondenveldje")
    first, second = events_of(document, tied)
    assert (first["result"], first["extras"]["earlier_tie"]) == ("postponed", False)
    assert (second["result"], second["extras"]["earlier_tie"]) == ("fail", True)
    assert second["extras"]["reason"] == "second-tie" and tied["result"] == "fail"


def test_popolo_names_residents_where_the_council_publishes_them(app):
    with app.app_context():
        build_record(db.session, public_names=True, public=1)
        document = valid(popolo_export(db.session, "oost"))
    names = {p["name"] for p in document["persons"]}
    assert {"Anna de Voorzitter", "Carla Bewoner", "Dirk Raadslid"} <= names
    assert "bewoner" not in names
    assert "@" not in json.dumps(document)


def test_ods_export_speaks_the_ods_vocabulary(app, hidden):
    url = "https://wijkraad.example/wijkraden/oost/open-data/ods.json"
    with app.app_context():
        document = ods_export(db.session, "oost", url=url)
        confidential = db.session.get(Decision, hidden.record.confidential).identifier
    text = json.dumps(document, ensure_ascii=False)
    assert confidential not in text and "Benoeming" not in text
    assert not any(name in text for name in RESIDENTS) and "@" not in text
    for objects in document.values():
        for obj in objects if isinstance(objects, list) else []:
            assert len(obj["id"]) <= 40 and obj["url"] == f"{url}#{obj['id']}"
    assert {v["status"] for v in document["vergaderingen"]} == {"gepland"}
    assert {s["keuzeStemming"] for s in document["stemmen"]} == {
        "voor",
        "tegen",
        "onthouden",
        "afwezig",
    }
    results = [s.get("resultaatMondelingeStemming") for s in document["stemmingen"]]
    assert set(results) == {"voor", "tegen", "gelijk", None}  # None: the invalid round
    assert {s["stemmingstype"] for s in document["stemmingen"]} == {"hoofdelijk", "regulier"}
    besluiten = {b["id"]: b for b in document["besluiten"]}
    assert all(len(b["besluitresultaat"]) <= 200 for b in besluiten.values())
    assert any(b["besluitresultaat"].startswith("Verworpen: ") for b in besluiten.values())
    by_url = {s["url"]: s for s in document["stemmingen"]}
    for besluit in besluiten.values():
        for stemming in besluit["stemmingen"]:
            assert by_url[stemming]["besluit"]["id"] == besluit["id"]
    assert {
        p["naamNatuurlijkPersoon"]["volledigeNaam"] for p in document["natuurlijkePersonen"]
    } == {
        "bewoner",
        "Dirk Raadslid",
        "Eva Raadslid",
    }
    fracties = {r.get("fractiestemresultaat") for r in document["stemresultatenPerFractie"]}
    # None: the councillors of the invalid round, who did not vote
    assert fracties == {"aangenomen", "verworpen", "verdeeld", None}


def test_ods_shortens_long_texts_to_its_limits(app):
    with app.app_context():
        record = build_record(db.session, public=1)
        decision = db.session.get(Decision, record.public[0])
        decision.text = "Een bankje " * 18  # 198 characters, and "Aangenomen: " before it
        decision.explanation = "Toelichting. " * 40
        identifier = decision.identifier
        db.session.commit()
        document = ods_export(db.session, "oost", url="https://x.example/ods.json")
    besluit = next(b for b in document["besluiten"] if b["id"] == identifier)
    assert len(besluit["besluitresultaat"]) <= 200 and besluit["besluitresultaat"].endswith("…")
    assert len(besluit["besluittoelichting"]) <= 200


def read_csv(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


def test_decisions_csv(app, hidden):
    with app.app_context():
        text = decisions_csv(db.session, "oost")
        confidential = db.session.get(Decision, hidden.record.confidential).identifier
    rows = read_csv(text)
    assert "\r\n" in text and confidential not in text and "Benoeming" not in text
    # The formality, two park decisions, and three of the extra motions (one was invalid).
    assert len(rows) == 6
    first = rows[0]
    assert (first["wijze"], first["voor"], first["uitkomst"]) == ("hamerstuk", "", "aangenomen")
    split = next(r for r in rows if r["titel"] == "Parkeren op het plein")
    assert (split["voor"], split["tegen"], split["onthouden"]) == ("2", "1", "1")
    assert (split["bewoners_voor"], split["bewoners_tegen"]) == ("1", "1")
    assert (split["raadsleden_voor"], split["uitkomst"]) == ("1", "verworpen")
    assert split["vereiste"] == "dubbele meerderheid"
    hands = next(r for r in rows if r["titel"] == "Boom planten bij de school")
    assert (hands["wijze"], hands["vereiste"]) == ("handopsteken", "dubbele tweederdemeerderheid")


def test_csv_quotes_and_defuses_formulas(app):
    with app.app_context():
        record = build_record(db.session, public=4)
        hostile = ['=HYPERLINK("http://x";"klik")', "+31 6 1234", "-1 bank", "@SUM(A1)"]
        for decision_id, text in zip(record.public, hostile, strict=True):
            decision = db.session.get(Decision, decision_id)
            decision.text = text
            db.session.get(Motion, decision.motion_id).title = 'Bankje; "groot"\nof klein'
        db.session.commit()
        text = decisions_csv(db.session, "oost")
    rows = read_csv(text)
    assert [r["besluit"] for r in rows[1:]] == ["'" + h for h in hostile]
    assert {r["titel"] for r in rows[1:]} == {'Bankje; "groot"\nof klein'}


def test_exports_are_the_public_view_whoever_asks(app, hidden, web):
    """A member of the council (who sees its confidential items on the site) downloads the
    same public file as anyone."""
    public = web.get("/wijkraden/oost/open-data/popolo.json")
    assert web.login(hidden.record.emails["member"]).status_code in (302, 303)
    inside = web.get("/wijkraden/oost/open-data/popolo.json")
    csv_inside = web.get("/wijkraden/oost/open-data/besluiten.csv")
    assert public.status_code == inside.status_code == 200
    assert inside.get_json() == public.get_json()
    assert "Benoeming" not in inside.get_data(as_text=True)
    assert "Carla" not in inside.get_data(as_text=True)
    assert "Benoeming" not in csv_inside.get_data(as_text=True)


def test_downloads_have_their_types_names_and_etags(app, hidden, client):
    for path, media_type, filename in (
        ("popolo.json", "application/json; charset=utf-8", "wijkraad-oost-popolo.json"),
        ("ods.json", "application/json; charset=utf-8", "wijkraad-oost-ods.json"),
        ("besluiten.csv", "text/csv; charset=utf-8; header=present", "wijkraad-oost-besluiten.csv"),
    ):
        response = client.get(f"/wijkraden/oost/open-data/{path}")
        assert response.status_code == 200
        assert response.headers["Content-Type"] == media_type
        assert response.headers["Content-Disposition"] == f'attachment; filename="{filename}"'
        etag = response.headers["ETag"]
        again = client.get(f"/wijkraden/oost/open-data/{path}", headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.data == b""
    ods = client.get("/wijkraden/oost/open-data/ods.json").get_json()
    assert ods["vergaderingen"][0]["url"].startswith(
        "http://localhost/wijkraden/oost/open-data/ods.json#"
    )
    assert client.get("/wijkraden/nergens/open-data/popolo.json").status_code == 404
    assert client.get("/wijkraden/nergens/open-data/besluiten.csv").status_code == 404


def test_statements_do_not_grow_with_decisions_or_members(app):
    counts = []
    for slug, code, public, past in (("klein", "KLN", 1, 0), ("groot", "GRT", 8, 6)):
        with app.app_context():
            build_open_data_record(db.session, slug=slug, code=code, public=public, past=past)
        with app.app_context():
            db.session.remove()
            with counting(db.engine) as count:
                popolo = popolo_export(db.session, slug)
                ods_export(db.session, slug, url="https://x.example/ods.json")
                decisions_csv(db.session, slug)
            assert len(popolo["motions"]) == public + 5  # and the formality and four more
            counts.append(count.total)
    assert counts[0] == counts[1], counts
