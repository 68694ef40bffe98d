"""Decisions in the API (API.md, "Decisions and open data"): a council's decisions a page at a
time with their filters, one decision with its vote, and a meeting's decision list as PDF; the
same visibility as the pages."""

from __future__ import annotations

import pytest

from tests.conftest import bearer
from tests.integration.public_site import EXPLANATION, build_site, close
from wijkraad import clock
from wijkraad.auth import services as auth_services
from wijkraad.extensions import db

FIELDS = {
    "id",
    "identifier",
    "title",
    "text",
    "outcome",
    "decided_on",
    "meeting_id",
    "motion_id",
    "counts",
    "groups",
    "votes",
    "budget_line_id",
    "amount_cents",
}


@pytest.fixture
def site(app):
    return build_site(app)


def token_of(app, email: str) -> dict[str, str]:
    with app.app_context():
        user = auth_services.find_user(db.session, email)
        value = auth_services.issue_token(db.session, None, user, "test")
        db.session.commit()
    return bearer(value)


def test_a_decision_as_the_contract_has_it(client, site):
    record = site.record
    response = client.get(f"/api/v1/decisions/{record.public[0]}")
    assert response.status_code == 200
    d = response.get_json()
    assert set(d) >= FIELDS
    assert d["identifier"] == site.identifiers[record.public[0]]
    assert d["outcome"] == "adopted" and d["meeting_id"] == record.meeting_id
    assert d["explanation"] == EXPLANATION
    assert d["budget_line_id"] == site.line_id and d["amount_cents"] == 125_000
    assert d["budget_line_name"] == "Groen en spelen"
    assert d["counts"] == {"yes": 3, "no": 0, "abstain": 1}
    assert d["groups"] == {
        "residents": {"yes": 2, "no": 0, "abstain": 1},
        "councillors": {"yes": 1, "no": 0, "abstain": 0},
    }
    assert d["url"] == f"http://localhost/besluiten/{d['identifier']}"
    # Residents' names are not published by this council: null, councillors by name.
    names = {(v["seat"], v["name"]) for v in d["votes"]}
    assert names == {("resident", None), ("councillor", "Dirk Raadslid")}
    assert sorted(v["choice"] for v in d["votes"]) == ["abstain", "yes", "yes", "yes"]


def test_a_formality_has_no_counts(client, site):
    d = client.get(f"/api/v1/decisions/{site.record.formality}").get_json()
    assert d["counts"] is None and d["groups"] is None and d["votes"] == []


def test_names_where_the_council_publishes_them_and_for_members(app, client, site):
    west = client.get(f"/api/v1/decisions/{site.other.public[0]}").get_json()
    assert "Carla Bewoner" in {v["name"] for v in west["votes"]}
    member = token_of(app, site.record.emails["member"])
    inside = client.get(f"/api/v1/decisions/{site.record.public[0]}", headers=member).get_json()
    assert "Carla Bewoner" in {v["name"] for v in inside["votes"]}


def test_hidden_decisions_are_not_found(app, client, site):
    confidential = site.record.confidential
    response = client.get(f"/api/v1/decisions/{confidential}")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["code"] == "decision-not-found"
    assert client.get("/api/v1/decisions/999999").status_code == 404
    assert client.get(f"/api/v1/decisions/{2**40}").status_code == 404
    member = token_of(app, site.record.emails["member"])
    assert client.get(f"/api/v1/decisions/{confidential}", headers=member).status_code == 200
    # A member of the other council is the public here.
    other = token_of(app, site.other.emails["member"])
    assert client.get(f"/api/v1/decisions/{confidential}", headers=other).status_code == 404


def test_the_list_newest_first_a_page_at_a_time(client, site):
    response = client.get("/api/v1/councils/oost/decisions?per_page=2")
    assert response.status_code == 200
    assert response.headers["X-Total-Count"] == "5"
    assert 'rel="next"' in response.headers["Link"]
    first = response.get_json()
    assert [d["id"] for d in first] == [site.record.public[3], site.record.public[2]]
    second = client.get("/api/v1/councils/oost/decisions?per_page=2&page=2").get_json()
    assert [d["id"] for d in second] == [site.record.public[1], site.record.public[0]]
    confidential = site.record.confidential
    everything = client.get("/api/v1/councils/oost/decisions?per_page=200").get_json()
    assert confidential not in {d["id"] for d in everything}


def test_the_list_filters_and_searches(client, site):
    def ids(query: str) -> list[int]:
        response = client.get(f"/api/v1/councils/oost/decisions?{query}")
        assert response.status_code == 200, response.get_data(as_text=True)
        return [d["id"] for d in response.get_json()]

    record = site.record
    assert len(ids("outcome=adopted")) == 3
    assert len(ids("outcome=rejected")) == 2
    assert len(ids(f"year={clock.now().year}")) == 5
    assert ids("year=1999") == []
    assert ids("q=vijver") == [record.public[0]]
    assert ids(f"budget_line_id={site.line_id}") == [record.public[0]]
    assert ids("q=bankjes&outcome=rejected") == [record.public[3], record.public[1]]
    link = client.get("/api/v1/councils/oost/decisions?q=bankjes&per_page=1").headers["Link"]
    assert "q=bankjes" in link


@pytest.mark.parametrize(
    "query",
    [
        "year=abc",
        "year=0",
        "outcome=maybe",
        "page=0",
        "per_page=201",
        "budget_line_id=-1",
        "q=" + "a" * 201,
    ],
)
def test_bad_filters_are_refused_by_name(client, site, query):
    response = client.get(f"/api/v1/councils/oost/decisions?{query}")
    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == "invalid-input"
    assert body["errors"][0]["field"] == query.split("=")[0]


def test_a_nul_in_the_search_is_refused(client, site):
    response = client.get("/api/v1/councils/oost/decisions?q=%00")
    assert response.status_code in (400, 422)
    assert response.mimetype == "application/problem+json"


def test_an_unknown_council_has_no_decisions(client, site):
    response = client.get("/api/v1/councils/nergens/decisions")
    assert response.status_code == 404 and response.get_json()["code"] == "council-not-found"


def test_the_decision_list_pdf_once_the_meeting_is_closed(app, client):
    site = build_site(app, closed=False)
    path = f"/api/v1/meetings/{site.record.meeting_id}/decision-list.pdf"
    early = client.get(path)
    assert early.status_code == 409
    assert early.mimetype == "application/problem+json"
    assert early.get_json()["code"] == "meeting-not-closed"
    with app.app_context():
        close(site.record)
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    again = client.get(path, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    # The same document as the site's address serves.
    site_pdf = client.get(f"/vergaderingen/{site.record.meeting_id}/besluitenlijst.pdf")
    assert site_pdf.headers["ETag"] == response.headers["ETag"]
    assert client.get("/api/v1/meetings/999999/decision-list.pdf").status_code == 404
