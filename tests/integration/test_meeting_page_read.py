"""The meeting page's read: one frozen view model per viewer, standing on the same read as the
API's meeting, with the visibility decided once and the residents' names decided for the viewer.
The page's template gets that view model and nothing of the database."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from flask import template_rendered

from tests.conftest import Factory, bearer
from wijkraad import clock
from wijkraad.auth import services as auth_services
from wijkraad.auth.actor import ANONYMOUS, Actor
from wijkraad.councils.models import Membership
from wijkraad.councils.rules import Role, Seat
from wijkraad.db import Base
from wijkraad.errors import NotFound
from wijkraad.extensions import db
from wijkraad.meetings import attendance
from wijkraad.meetings import services as meetings
from wijkraad.meetings.rules import Presence
from wijkraad.motions import services as motions
from wijkraad.voting import meeting_reads
from wijkraad.voting import services as voting
from wijkraad.voting.meeting_page import MeetingPage, MotionEntry, meeting_page
from wijkraad.voting.rules import RoundMode

STARTS_AT = datetime(2026, 12, 1, 19, 30, tzinfo=clock.AMSTERDAM)
HIDDEN = None  # a resident's name where the council does not publish it


@dataclass
class West:
    """Council west, which does not publish residents' names, and its open meeting: a public
    item with a motion (submitted by Cor, co-signed by Dina and Frits), an amendment of it by
    Dina with an open round, a draft by Cor co-signed by Dina, and Eva recused; a confidential
    item with a sub-item and a motion on it; and a draft meeting."""

    members: dict[str, int]  # name -> membership id
    meeting_id: int
    draft_meeting_id: int
    motions: dict[str, int]
    items: dict[str, int]

    def actor(self, name: str) -> Actor:
        user = db.session.get(Membership, self.members[name]).person.user
        return auth_services.load_actor(db.session, user, clock.today())


@pytest.fixture
def west(app, make: Factory) -> West:
    with app.app_context():
        council = make.council("west", residents=5, councillors=2, public_names=False)
        people = [
            ("Anna", Seat.RESIDENT, Role.CHAIR),
            ("Bert", Seat.RESIDENT, Role.SECRETARY),
            ("Cor", Seat.RESIDENT, Role.MEMBER),
            ("Dina", Seat.RESIDENT, Role.MEMBER),
            ("Eva", Seat.RESIDENT, Role.MEMBER),
            ("Frits", Seat.COUNCILLOR, Role.MEMBER),
        ]
        members = {
            name: make.member(
                council, seat=seat, role=role, name=f"{name} West", email=f"{name}@w.nl"
            )
            for name, seat, role in people
        }
        admin, today, now = make.admin_actor, clock.today(), clock.now()
        meeting = meetings.create_meeting(
            db.session,
            admin,
            council,
            title="Vergadering west",
            starts_at=STARTS_AT,
            location="Zaal",
        )
        park = meetings.add_item(db.session, admin, meeting, title="Park")
        secret = meetings.add_item(
            db.session, admin, meeting, title="Personeel", is_confidential=True
        )
        sub = meetings.add_item(db.session, admin, meeting, title="Benoeming", parent_id=secret.id)
        meetings.publish(db.session, admin, meeting, now)
        for membership in members.values():
            attendance.mark(db.session, admin, meeting, membership.id, Presence.PRESENT, now)
        meetings.add_recusal(db.session, admin, park, members["Eva"].id, today)
        meetings.open_meeting(db.session, admin, meeting, now, today)
        db.session.commit()
        items = {"park": park.id, "secret": secret.id, "sub": sub.id}
        west = West({n: m.id for n, m in members.items()}, meeting.id, 0, {}, items)
        ids = [members["Dina"].id, members["Frits"].id]
        base = motions.submit_motion(
            db.session,
            west.actor("Cor"),
            park,
            title="Bankjes",
            text="Tien.",
            cosigner_ids=ids,
            on=today,
        )
        amendment = motions.submit_motion(
            db.session,
            west.actor("Dina"),
            park,
            title="Twintig",
            text="Twintig.",
            amends_id=base.id,
            on=today,
        )
        draft = motions.submit_motion(
            db.session,
            west.actor("Cor"),
            park,
            title="Concept",
            text="Nog niet.",
            cosigner_ids=[members["Dina"].id],
            on=today,
            draft=True,
        )
        secret_motion = motions.submit_motion(
            db.session, admin, sub, title="Geheim", text="Besloten.", on=today
        )
        voting.open_round(db.session, admin, amendment, mode=RoundMode.NAMED, now=now, on=today)
        west.motions = {"base": base.id, "amendment": amendment.id, "draft": draft.id}
        west.motions["secret"] = secret_motion.id
        draft_meeting = meetings.create_meeting(
            db.session, admin, council, title="Later", starts_at=STARTS_AT, location="Zaal"
        )
        west.draft_meeting_id = draft_meeting.id
        db.session.commit()
    return west


def entries(page: MeetingPage) -> Iterator[MotionEntry]:
    def walk(items: tuple[MotionEntry, ...]) -> Iterator[MotionEntry]:
        for entry in items:
            yield entry
            yield from walk(entry.amendments)

    for item in page.items:
        yield from walk(item.motions)


def entry(page: MeetingPage, motion_id: int) -> MotionEntry:
    return next(e for e in entries(page) if e.motion.id == motion_id)


def read(west: West, who: str | None) -> MeetingPage:
    actor = west.actor(who) if who else ANONYMOUS
    return meeting_page(db.session, actor, west.meeting_id, clock.today())


def test_the_page_and_the_api_stand_on_the_same_read(app, west, client, make):
    cases = {None: set(), "Eva": {"secret"}, "Dina": {"secret", "draft"}, "Bert": None}
    with app.app_context():
        for who, extra in cases.items():
            actor = west.actor(who) if who else ANONYMOUS
            page = read(west, who)
            assert page.meeting == meeting_reads.meeting_read(db.session, actor, west.meeting_id)
            assert [e.item for e in page.items] == list(page.meeting.agenda)
            listed = {m.id for item in page.meeting.agenda for m in item.motions}
            assert {e.motion.id for e in entries(page)} == listed
            names = {name for name, motion_id in west.motions.items() if motion_id in listed}
            if extra is not None:  # the secretary prepares meetings: sees everything
                assert names == {"base", "amendment"} | extra, who
            else:
                assert names == set(west.motions), who
        anonymous = read(west, None)
    assert [e.item.id for e in anonymous.items] == [west.items["park"]]

    api = client.get(f"/api/v1/meetings/{west.meeting_id}").get_json()
    assert [i["id"] for i in api["agenda"]] == [e.item.id for e in anonymous.items]
    assert [m["id"] for i in api["agenda"] for m in i["motions"]] == [
        west.motions["base"],
        west.motions["amendment"],
    ]
    with app.app_context():
        token = make.token(db.session.get(Membership, west.members["Dina"]).person.user)
        page = read(west, "Dina")
    api = client.get(f"/api/v1/meetings/{west.meeting_id}", headers=bearer(token)).get_json()
    assert [i["id"] for i in api["agenda"]] == [e.item.id for e in page.items]
    assert {m["id"] for i in api["agenda"] for m in i["motions"]} == {
        e.motion.id for e in entries(page)
    }


def test_amendments_are_nested_under_the_motion_they_amend(app, west):
    with app.app_context():
        page = read(west, "Anna")
        park = page.items[0]
        assert [e.motion.id for e in park.motions] == [west.motions["base"], west.motions["draft"]]
        base = park.motions[0]
        assert [a.motion.id for a in base.amendments] == [west.motions["amendment"]]
        amendment = base.amendments[0]
        assert amendment.open_round is not None and amendment.last_round is None
        assert [r.entry.motion.id for r in page.open_rounds] == [west.motions["amendment"]]
        assert page.open_rounds[0].number == "1"
        assert "amendments-first" in base.blockers  # the chair's reason: the amendment goes first
        assert read(west, "Cor").items[0].motions[0].blockers == ()  # only the chair sees them


def test_residents_names_are_decided_for_the_viewer(app, west):
    with app.app_context():
        anonymous = read(west, None)
        base = entry(anonymous, west.motions["base"])
        assert base.submitter is not None and base.submitter.name is HIDDEN
        assert [p.name for p in base.co_signers] == [HIDDEN, "Frits West"]
        assert [p.name for p in anonymous.items[0].recused] == [HIDDEN]
        assert {m.name for m in anonymous.members} == {HIDDEN, "Frits West"}

        member = read(west, "Eva")
        base = entry(member, west.motions["base"])
        assert base.submitter is not None and base.submitter.name == "Cor West"
        assert [p.name for p in base.co_signers] == ["Dina West", "Frits West"]
        assert [p.name for p in member.items[0].recused] == ["Eva West"]
        # Residents first, then by name.
        assert [m.name for m in member.members] == [
            "Anna West",
            "Bert West",
            "Cor West",
            "Dina West",
            "Eva West",
            "Frits West",
        ]
        assert all(m.presence is Presence.PRESENT for m in member.members)
        assert (member.present_count, member.seated_count, member.has_quorum) == (6, 6, True)


def test_what_the_viewer_may_do_with_each_motion(app, west):
    with app.app_context():
        cor, dina, anna = read(west, "Cor"), read(west, "Dina"), read(west, "Anna")
        assert entry(cor, west.motions["draft"]).may_submit
        assert not entry(dina, west.motions["draft"]).may_submit  # a co-signer does not submit
        assert entry(cor, west.motions["base"]).may_withdraw
        assert not entry(dina, west.motions["base"]).may_withdraw
        assert entry(anna, west.motions["base"]).may_withdraw  # the chair
        assert not any(e.may_withdraw or e.may_submit for e in entries(read(west, None)))
        assert (cor.can_submit, cor.can_manage, cor.can_chair, cor.is_member) == (
            True,
            False,
            False,
            True,
        )
        assert read(west, "Bert").can_manage and not read(west, "Bert").can_chair


def test_a_draft_meeting_is_not_found_for_whoever_does_not_prepare_it(app, west, client):
    with app.app_context():
        for who in (None, "Cor"):
            actor = west.actor(who) if who else ANONYMOUS
            with pytest.raises(NotFound):
                meeting_page(db.session, actor, west.draft_meeting_id, clock.today())
    assert client.get(f"/vergaderingen/{west.draft_meeting_id}").status_code == 404
    with app.app_context():
        page = meeting_page(db.session, west.actor("Bert"), west.draft_meeting_id, clock.today())
    assert page.meeting.status.value == "draft" and page.items == ()


def mutable_or_orm(value: Any, path: str = "") -> Iterator[str]:
    """Where in ``value`` there is a database object, a mutable collection or a dataclass
    that is not frozen."""
    if isinstance(value, Base):
        yield f"{path}: {type(value).__name__} (a database object)"
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        if not value.__dataclass_params__.frozen:  # type: ignore[attr-defined]
            yield f"{path}: {type(value).__name__} is not frozen"
        for f in dataclasses.fields(value):
            yield from mutable_or_orm(getattr(value, f.name), f"{path}.{f.name}")
    elif isinstance(value, list | dict | set):
        yield f"{path}: a {type(value).__name__}"
    elif isinstance(value, tuple | frozenset):
        for i, item in enumerate(value):
            yield from mutable_or_orm(item, f"{path}[{i}]")


@pytest.mark.parametrize("who", [None, "Eva", "Anna"])
def test_the_template_gets_frozen_view_models_only(west, app, web, who):
    if who:
        assert web.login(f"{who}@w.nl").status_code == 302
    seen: list[dict[str, Any]] = []

    def record(sender: Any, template: Any, context: dict[str, Any], **extra: Any) -> None:
        if template.name == "meetings/show.html":
            seen.append(context)

    with template_rendered.connected_to(record, app):
        assert web.get(f"/vergaderingen/{west.meeting_id}").status_code == 200
    (context,) = seen
    for name in ("page", "meeting", "council"):
        assert list(mutable_or_orm(context[name], name)) == [], name
    # What the view used to hand over beside the view model is gone.
    for name in ("items", "seated", "presence_of", "public_name", "may_see_names"):
        assert name not in context, name
    # The forms' choices come from the view model.
    choices = [(c.value, c.label) for c in context["current_form"].item_id.choices]
    assert choices[1:] == [
        (e.item.id, f"{e.item.number}. {e.item.title}") for e in context["page"].items
    ]
