"""What the tests of the minutes' pages share: the record's people, logging in as one of them,
reading a form back from a page as a browser would send it, and a later open meeting."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import PASSWORD, csrf_from
from tests.record_world import Record, actor_of
from wijkraad import clock
from wijkraad.auth.actor import Actor
from wijkraad.councils.models import Membership
from wijkraad.extensions import db
from wijkraad.meetings import attendance
from wijkraad.meetings import services as meetings
from wijkraad.meetings.models import AgendaItem, Meeting

ANNA, BRAM, CARLA, DIRK = "Anna de Voorzitter", "Bram Bewoner", "Carla Bewoner", "Dirk Raadslid"


def actor(record: Record, name: str) -> Actor:
    return actor_of(db.session.get(Membership, record.members[name]))


def email(record: Record, name: str) -> str:
    return f"{name.split()[0].lower()}.{record.slug}@example.org"


def client_of(app: Flask, record: Record | None = None, name: str | None = None) -> FlaskClient:
    """A test client of its own, logged in as ``name`` of ``record`` (anonymous without)."""
    client = app.test_client()
    if record is not None and name is not None:
        page = client.get("/aanmelden").get_data(as_text=True)
        response = client.post(
            "/aanmelden",
            data={
                "email": email(record, name),
                "password": PASSWORD,
                "csrf_token": csrf_from(page),
            },
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client


def item_ids(record: Record) -> dict[str, int]:
    rows = db.session.query(AgendaItem).filter(AgendaItem.meeting_id == record.meeting_id)
    return {item.title: item.id for item in rows}


@dataclass
class _Form:
    action: str
    fields: dict[str, str] = field(default_factory=dict)


class _Forms(HTMLParser):
    """The page's forms with the values a browser would send (text inputs, hidden inputs,
    textareas and the selected option of a select)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[_Form] = []
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(_Form(a.get("action", "")))
        elif not self.forms:
            return
        elif tag == "input" and a.get("name") and a.get("type") not in ("submit", "checkbox"):
            self.forms[-1].fields[a["name"]] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.forms[-1].fields[self._textarea or ""] = ""
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select:
            fields = self.forms[-1].fields
            if "selected" in a or self._select not in fields:
                fields[self._select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self.forms[-1].fields[self._textarea] += data


def _first_line_end_dropped(value: str) -> str:
    for end in ("\r\n", "\n"):
        if value.startswith(end):
            return value[len(end) :]
    return value


def form_on(html: str, action: str) -> dict[str, str]:
    """The values of the form that posts to ``action``, as the page shows them."""
    parser = _Forms()
    parser.feed(html)
    for form in parser.forms:
        if form.action.endswith(action):
            # A textarea drops one leading line end, as browsers do.
            return {k: _first_line_end_dropped(v) for k, v in form.fields.items()}
    raise AssertionError(f"no form posting to {action}")


def later_open_meeting(record: Record, *, days: int = 28, open_it: bool = True) -> int:
    """A later meeting of the record's council, everyone present, opened (or only published)."""
    chair = actor(record, ANNA)
    meeting = db.session.get(Meeting, record.meeting_id)
    later = meetings.create_meeting(
        db.session,
        chair,
        meeting.council,
        title=f"Vergadering over {days} dagen",
        starts_at=meeting.starts_at + timedelta(days=days),
        location="Buurthuis",
    )
    meetings.publish(db.session, chair, later, clock.now())
    attendance.set_attendance(
        db.session,
        chair,
        later,
        present=set(record.members.values()),
        absent_with_notice=set(),
        now=clock.now(),
        on=clock.today(),
    )
    if open_it:
        meetings.open_meeting(db.session, chair, later, clock.now(), clock.today())
    db.session.commit()
    return later.id
