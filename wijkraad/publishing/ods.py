"""A council's record in the vocabulary of the VNG's ODS Open Raadsinformatie (the Dutch
standard for council information, its "mini-ORI" OpenAPI specification): the same public data
as the Popolo export, as one JSON document with a list per ODS resource.

Every object has ODS's ``id`` (at most 40 characters) and ``url``: the export's own address
with the id as fragment (``…/ods.json#stemming-12``), as these objects have no page of their
own. References are ODS's ``VerwijzingNaarResource`` (``{"id", "url"}``). The mapping:

================================  ============================================================
ODS (resource: fields)            wijkraad
================================  ============================================================
``gremium``                       the council: ``gremiumidentificatie`` its decision code
                                  (``OST``), ``gremiumnaam`` its name
``vergaderingen``: Vergadering    a meeting but drafts. ``naam`` its title, ``locatie``,
                                  ``vergaderdatum`` (the date in Amsterdam),
                                  ``geplandeAanvangVergadering`` when it was to start,
                                  ``aanvangVergadering``/``eindeVergadering`` when it opened
                                  and closed, ``vergaderingstype`` ``raadsvergadering`` (a
                                  council's own meeting), ``status`` (VergaderingStatus):
                                  published or open → ``gepland``, closed → ``gehouden``,
                                  cancelled → ``geannuleerd`` (an open meeting is held only
                                  once it closes)
``agendapunten``: Agendapunt      an agenda item a public decision or vote is on (and its
                                  parent): ``agendapuntKenmerk`` its number (``3.1``),
                                  ``agendapuntvolgnummer`` its place on the agenda,
                                  ``agendapuntTitel``, ``hoofdagendapunt``,
                                  ``indicatieHamerstuk`` (a formality), ``indicatorBesloten``
                                  always false (confidential items are not published)
``besluiten``: Besluit            a public decision, ``id`` its identifier (``OST-2026-014``).
                                  ``besluitresultaat`` (≤ 200): "Aangenomen: " or
                                  "Verworpen: " and the decision's text;
                                  ``besluittoelichting`` (≤ 200) and ``toezegging`` (≤ 500)
                                  the explanation and the commitments, shortened with "…" where
                                  longer (the Popolo export has them whole); ``stemmingen`` the
                                  round that decided
``stemmingen``: Stemming          a closed public round: ``stemmingstype`` ``hoofdelijk``
                                  (named) or ``regulier`` (show of hands),
                                  ``resultaatMondelingeStemming`` (StemmingResultaat):
                                  adopted → ``voor``, rejected → ``tegen``, a tie (postponed,
                                  or rejected for a tie) → ``gelijk``; a round that decided
                                  nothing (too few took part) has none; ``besluit``, ``stemmen``
``stemmen``: Stem                 a seated member's vote in a named round, ``keuzeStemming``
                                  (StemKeuze): yes → ``voor``, no → ``tegen``, abstain →
                                  ``onthouden``, did not vote (as the round's snapshot says) →
                                  ``afwezig``
``aanwezigeDeelnemers``           a member seated at a meeting's rounds: ``rolnaam`` chair →
                                  ``voorzitter``, secretary → ``griffier``, a councillor →
                                  ``raadslid``, a resident → ``overig``
``natuurlijkePersonen``           a member: ``naamNatuurlijkPersoon`` ``volledigeNaam`` (the
                                  name as typed) and ``achternaam`` (what follows the first
                                  word); a resident of a council that does not publish
                                  residents' names is "bewoner" under a pseudonymous id;
                                  ``functie`` ``raadslid`` (councillor) or ``overig``
``fracties``                      the two groups, "Bewoners" and "Raadsleden" (the residents'
                                  majority is a majority within the "Bewoners" group)
``fractieLidmaatschappen``        a seat in its group, with its dates; ``indicatieVoorzitter``
                                  for the council's chair
``stemresultatenPerFractie``      per round and group, ``fractiestemresultaat``: all of the
                                  group who voted for → ``aangenomen``, all against →
                                  ``verworpen``, some for and some against → ``verdeeld``
                                  (none when the group only abstained)
================================  ============================================================

ODS has no code for a council's municipality (``gemeente`` needs the CBS code): left out.
Always the public view, whoever asks; nobody's contact details.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from wijkraad.councils.rules import Role, Seat
from wijkraad.meetings.rules import MeetingStatus
from wijkraad.publishing import record as records
from wijkraad.publishing.record import CouncilRecord, RecordMember, RecordRound
from wijkraad.publishing.vocabulary import GROUP_NAMES, UNNAMED, clip, local_date, utc
from wijkraad.voting.rules import Choice, GroupCounts, Outcome, RoundMode

VERGADERING_STATUS = {
    MeetingStatus.PUBLISHED: "gepland",
    MeetingStatus.OPEN: "gepland",
    MeetingStatus.CLOSED: "gehouden",
    MeetingStatus.CANCELLED: "geannuleerd",
}
STEM_KEUZE = {Choice.YES: "voor", Choice.NO: "tegen", Choice.ABSTAIN: "onthouden"}
AFWEZIG = "afwezig"
TIES = {"tie-postponed", "tie-full-attendance", "second-tie"}
GROUP_IDS = {Seat.RESIDENT: "fractie-bewoners", Seat.COUNCILLOR: "fractie-raadsleden"}


def ods_export(session: Session, slug: str, *, url: str) -> dict[str, Any]:
    """The council's ODS document; ``url`` is the address it is served at (each object's
    ``url`` is that address with the object's id as fragment). Always the public view."""
    return ods_document(records.council_record(session, slug), url=url)


def stemming_resultaat(vote_round: RecordRound) -> str | None:
    """ODS's StemmingResultaat of a round: ``voor``, ``tegen``, ``gelijk`` (a tie), or None
    for a round that decided nothing."""
    if vote_round.reason in TIES:
        return "gelijk"
    return {Outcome.ADOPTED: "voor", Outcome.REJECTED: "tegen"}.get(vote_round.outcome)


def fractie_resultaat(counts: GroupCounts) -> str | None:
    """ODS's FractieStemResultaat of a group's counts."""
    if counts.yes and counts.no:
        return "verdeeld"
    if counts.yes:
        return "aangenomen"
    if counts.no:
        return "verworpen"
    return None


def ods_document(record: CouncilRecord, *, url: str) -> dict[str, Any]:
    """The ODS document of a record (pure)."""

    def ref(kind: str, key: object) -> dict[str, str]:
        ident = f"{kind}-{key}"
        return {"id": ident, "url": f"{url}#{ident}"}

    def obj(kind: str, key: object, **fields: Any) -> dict[str, Any]:
        return {**ref(kind, key), **{k: v for k, v in fields.items() if v is not None}}

    members = {m.membership_id: m for m in record.members}
    items = {i.id: i for i in record.items}
    motions = {m.id: m for m in record.motions}
    decision_of_round = {d.round_id: d for d in record.decisions if d.round_id is not None}

    def person_ref(member: RecordMember) -> dict[str, str]:
        kind, key = member.person_key.split("/")
        return ref("persoon" if kind == "person" else UNNAMED, key)

    def besluit_ref(identifier: str) -> dict[str, str]:
        return {"id": identifier, "url": f"{url}#{identifier}"}

    vergaderingen = [
        obj(
            "vergadering",
            m.id,
            naam=clip(m.title, 100),
            vergaderdatum=local_date(m.starts_at),
            geplandeAanvangVergadering=utc(m.starts_at),
            aanvangVergadering=utc(m.opened_at) if m.opened_at else None,
            eindeVergadering=utc(m.closed_at) if m.closed_at else None,
            locatie=clip(m.location, 100),
            status=VERGADERING_STATUS.get(m.status, "gepland"),
            vergaderingstype="raadsvergadering",
            georganiseerdDoorGremium={
                "gremiumidentificatie": record.council.code[:10],
                "gremiumnaam": clip(record.council.name, 100),
            },
        )
        for m in record.meetings
    ]
    agendapunten = [
        obj(
            "agendapunt",
            i.id,
            vergadering=ref("vergadering", i.meeting_id),
            hoofdagendapunt=ref("agendapunt", i.parent_id) if i.parent_id in items else None,
            agendapuntKenmerk=i.number,
            agendapuntvolgnummer=str(i.order),
            agendapuntTitel=clip(i.title, 100),
            indicatieHamerstuk=i.is_formality,
            indicatorBesloten=False,
        )
        for i in record.items
    ]
    besluiten = []
    for d in record.decisions:
        word = "Aangenomen" if d.outcome is Outcome.ADOPTED else "Verworpen"
        besluiten.append(
            {
                **besluit_ref(d.identifier),
                "besluitresultaat": clip(f"{word}: {d.text}", 200),
                **({"besluittoelichting": clip(d.explanation, 200)} if d.explanation else {}),
                **({"toezegging": clip(d.commitments, 500)} if d.commitments else {}),
                "stemmingen": [ref("stemming", d.round_id)["url"]] if d.round_id else [],
            }
        )
    stemmingen, stemmen, per_fractie = [], [], []
    deelnemers: dict[tuple[int, int], dict[str, Any]] = {}
    for r in record.rounds:
        decision = decision_of_round.get(r.id)
        votes = dict(r.votes)
        round_stemmen = []
        if r.mode is RoundMode.NAMED:
            for mid in r.seated:
                member = members.get(mid)
                if member is None:
                    continue
                deelnemer = deelnemers.setdefault(
                    (r.meeting_id, mid),
                    obj(
                        "deelnemer",
                        f"{r.meeting_id}-{mid}",
                        natuurlijkPersoon=person_ref(member),
                        vergadering=ref("vergadering", r.meeting_id),
                        rolnaam=_rolnaam(member),
                    ),
                )
                stem = obj(
                    "stem",
                    f"{r.id}-{mid}",
                    aanwezigeDeelnemer={"id": deelnemer["id"], "url": deelnemer["url"]},
                    stemming=ref("stemming", r.id),
                    keuzeStemming=STEM_KEUZE[votes[mid]] if mid in votes else AFWEZIG,
                )
                stemmen.append(stem)
                round_stemmen.append(stem["url"])
        stemmingen.append(
            obj(
                "stemming",
                r.id,
                agendapunt=ref("agendapunt", motions[r.motion_id].agenda_item_id),
                resultaatMondelingeStemming=stemming_resultaat(r),
                stemmingstype="hoofdelijk" if r.mode is RoundMode.NAMED else "regulier",
                besluit=besluit_ref(decision.identifier) if decision else None,
                stemmen=round_stemmen,
            )
        )
        for seat, counts in (
            (Seat.RESIDENT, r.tally.residents),
            (Seat.COUNCILLOR, r.tally.councillors),
        ):
            per_fractie.append(
                obj(
                    "fractieresultaat",
                    f"{r.id}-{GROUP_IDS[seat].removeprefix('fractie-')}",
                    fractie={"id": GROUP_IDS[seat], "url": f"{url}#{GROUP_IDS[seat]}"},
                    stemming=ref("stemming", r.id),
                    fractiestemresultaat=fractie_resultaat(counts),
                )
            )
    personen: dict[str, dict[str, Any]] = {}
    lidmaatschappen = []
    for member in record.members:
        person = person_ref(member)
        personen.setdefault(person["id"], {**person, **_persoon(member)})
        lidmaatschappen.append(
            obj(
                "fractielidmaatschap",
                member.membership_id,
                fractie={"id": GROUP_IDS[member.seat], "url": f"{url}#{GROUP_IDS[member.seat]}"},
                natuurlijkPersoon=person,
                datumBeginFractieLidmaatschap=f"{member.starts_on.isoformat()}T00:00:00Z",
                datumEindeFractieLidmaatschap=(
                    f"{member.ends_on.isoformat()}T00:00:00Z" if member.ends_on else None
                ),
                indicatieVoorzitter=member.role is Role.CHAIR,
            )
        )
    return {
        "gremium": {
            "gremiumidentificatie": record.council.code[:10],
            "gremiumnaam": clip(record.council.name, 100),
        },
        "vergaderingen": vergaderingen,
        "agendapunten": agendapunten,
        "besluiten": besluiten,
        "stemmingen": stemmingen,
        "stemmen": stemmen,
        "aanwezigeDeelnemers": list(deelnemers.values()),
        "natuurlijkePersonen": list(personen.values()),
        "fracties": [
            {"id": GROUP_IDS[seat], "url": f"{url}#{GROUP_IDS[seat]}", "fractienaam": name}
            for seat, name in GROUP_NAMES.items()
        ],
        "fractieLidmaatschappen": lidmaatschappen,
        "stemresultatenPerFractie": per_fractie,
    }


def _rolnaam(member: RecordMember) -> str:
    if member.role is Role.CHAIR:
        return "voorzitter"
    if member.role is Role.SECRETARY:
        return "griffier"
    return "raadslid" if member.seat is Seat.COUNCILLOR else "overig"


def _persoon(member: RecordMember) -> dict[str, Any]:
    name = member.name if member.name is not None else UNNAMED
    parts = name.split(maxsplit=1)
    return {
        "naamNatuurlijkPersoon": {
            "achternaam": clip(parts[1] if len(parts) > 1 else name, 200),
            "volledigeNaam": clip(name, 300),
        },
        "functie": "raadslid" if member.seat is Seat.COUNCILLOR else "overig",
    }
