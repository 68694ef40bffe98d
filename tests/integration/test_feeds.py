"""A council's feeds, read back as a client reads them: the iCalendar of its meetings parsed by
icalendar, the Atom feed of its decisions by an XML parser, each checked for what its standard
requires. The public view only, at the site's and the API's addresses alike, stable between
requests (ETag, 304)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from tests.integration.public_site import build_site
from wijkraad import clock
from wijkraad.auth.actor import Actor
from wijkraad.councils.models import Council
from wijkraad.extensions import db
from wijkraad.meetings import services as meetings

ATOM = "{http://www.w3.org/2005/Atom}"
ADMIN = Actor(user_id=None, is_admin=True)


@pytest.fixture
def site(app):
    site = build_site(app)
    with app.app_context():
        council = db.session.get(Council, site.record.council_id)
        later = {}
        for title, days in (("Najaarsvergadering", 20), ("Afgelaste avond", 30), ("Concept", 40)):
            later[title] = meetings.create_meeting(
                db.session,
                ADMIN,
                council,
                title=title,
                starts_at=clock.now() + timedelta(days=days),
                location="Buurthuis De Oosterpoort",
            )
            meetings.add_item(db.session, ADMIN, later[title], title="Speeltuin")
            meetings.add_item(
                db.session, ADMIN, later[title], title="Geheim punt", is_confidential=True
            )
        meetings.publish(db.session, ADMIN, later["Najaarsvergadering"], clock.now())
        meetings.publish(db.session, ADMIN, later["Afgelaste avond"], clock.now())
        meetings.cancel(db.session, ADMIN, later["Afgelaste avond"], clock.now())
        db.session.commit()
        site.later = {title: m.id for title, m in later.items()}  # type: ignore[attr-defined]
    return site


def parsed(data: bytes) -> ET.Element:
    return ET.fromstring(data)  # noqa: S314  (the app's own feed, in a test)


def events(response) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(response.data)
    return {str(e["SUMMARY"]).split(": ", 1)[1]: e for e in calendar.walk("VEVENT")}


def test_the_calendar_holds_the_published_meetings(client, site):
    response = client.get("/wijkraden/oost/vergaderingen.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(response.data)
    assert str(calendar["VERSION"]) == "2.0" and str(calendar["PRODID"])
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    found = events(response)
    assert set(found) == {"Wijkraadvergadering", "Najaarsvergadering", "Afgelaste avond"}
    autumn = found["Najaarsvergadering"]
    start = autumn.decoded("DTSTART")
    assert start.tzinfo == ZoneInfo("Europe/Amsterdam")
    assert autumn["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert autumn.decoded("DTEND") > start
    assert str(autumn["UID"]) == f"vergadering-{site.later['Najaarsvergadering']}@localhost"
    assert str(autumn["LOCATION"]) == "Buurthuis De Oosterpoort"
    assert str(autumn["URL"]).endswith(f"/vergaderingen/{site.later['Najaarsvergadering']}")
    assert "Speeltuin" in str(autumn["DESCRIPTION"])
    assert "Geheim" not in response.get_data(as_text=True)
    assert str(autumn["STATUS"]) == "CONFIRMED"
    assert str(found["Afgelaste avond"]["STATUS"]) == "CANCELLED"
    assert "DTSTAMP" in autumn


def test_the_calendar_is_the_same_at_each_request_and_at_the_api(client, site):
    first = client.get("/wijkraden/oost/vergaderingen.ics")
    second = client.get("/wijkraden/oost/vergaderingen.ics")
    assert first.data == second.data
    api = client.get("/api/v1/councils/oost/meetings.ics")
    assert api.status_code == 200 and api.mimetype == "text/calendar" and api.data == first.data
    again = client.get(
        "/wijkraden/oost/vergaderingen.ics", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304


def test_an_unknown_council_has_no_feeds(client, site):
    assert client.get("/wijkraden/nergens/vergaderingen.ics").status_code == 404
    assert client.get("/wijkraden/nergens/besluiten.atom").status_code == 404
    for path in ("meetings.ics", "decisions.atom"):
        response = client.get(f"/api/v1/councils/nergens/{path}")
        assert response.status_code == 404
        assert response.mimetype == "application/problem+json"


def test_the_atom_feed_holds_the_public_decisions(client, site):
    response = client.get("/wijkraden/oost/besluiten.atom")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    feed = parsed(response.data)
    assert feed.tag == f"{ATOM}feed"
    # RFC 4287 4.1.1: id, title, updated; an author (for the feed or every entry).
    for required in ("id", "title", "updated", "author/" + ATOM + "name"):
        found = feed.find(ATOM + required)
        assert found is not None and (found.text or "").strip(), required
    self_link = feed.find(f"{ATOM}link[@rel='self']")
    assert self_link is not None
    assert self_link.get("href") == "http://localhost/wijkraden/oost/besluiten.atom"
    entries = feed.findall(f"{ATOM}entry")
    record = site.record
    assert len(entries) == len(record.public) + 1  # and the formality, not the confidential
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids)
    for entry in entries:
        for required in ("id", "title", "updated"):
            assert (entry.findtext(ATOM + required) or "").strip(), required
        link = entry.find(f"{ATOM}link[@rel='alternate']")
        assert link is not None and link.get("href") == entry.findtext(f"{ATOM}id")
        updated = entry.findtext(f"{ATOM}updated") or ""
        assert updated.endswith(("+01:00", "+02:00")), updated  # Dutch time, with its offset
    newest = entries[0]
    identifier = site.identifiers[record.public[-1]]
    assert newest.findtext(f"{ATOM}title", "").startswith(identifier)
    assert newest.findtext(f"{ATOM}id") == f"http://localhost/besluiten/{identifier}"
    assert site.identifiers[record.confidential] not in response.get_data(as_text=True)
    assert "Benoeming" not in response.get_data(as_text=True)


def test_the_atom_feed_is_stable_and_at_the_api(client, site):
    first = client.get("/wijkraden/oost/besluiten.atom")
    assert client.get("/wijkraden/oost/besluiten.atom").data == first.data
    api = client.get("/api/v1/councils/oost/decisions.atom")
    assert api.status_code == 200 and api.mimetype == "application/atom+xml"
    assert api.data == first.data
    etag = first.headers["ETag"]
    assert (
        client.get("/wijkraden/oost/besluiten.atom", headers={"If-None-Match": etag}).status_code
        == 304
    )


def test_an_empty_council_has_valid_feeds(app, client, make):
    with app.app_context():
        make.council("leeg")
    feed = parsed(client.get("/wijkraden/leeg/besluiten.atom").data)
    assert feed.findtext(f"{ATOM}updated") and feed.findall(f"{ATOM}entry") == []
    calendar = icalendar.Calendar.from_ical(client.get("/wijkraden/leeg/vergaderingen.ics").data)
    assert list(calendar.walk("VEVENT")) == []


def test_the_pages_name_their_feeds(client, site):
    for page in (
        "/wijkraden/oost",
        "/wijkraden/oost/besluiten",
        f"/vergaderingen/{site.record.meeting_id}",
    ):
        html = client.get(page).get_data(as_text=True)
        assert (
            '<link rel="alternate" type="application/atom+xml" href="/wijkraden/oost/besluiten.atom"'
            in html
        ), page
        assert (
            '<link rel="alternate" type="text/calendar" href="/wijkraden/oost/vergaderingen.ics"'
            in html
        ), page
