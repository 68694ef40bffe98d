"""Forms of the voting pages: opening a round, a show of hands, a member's vote."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired, NumberRange

from wijkraad.councils.rules import Seat
from wijkraad.forms import CONFIRMED, choices
from wijkraad.voting.rules import GroupCounts, Tally


def mode_choices() -> list[SelectChoice]:
    return choices(
        [
            ("named", _l("Hoofdelijk: de leden stemmen op hun telefoon")),
            ("analog", _l("Handopsteking: de voorzitter voert de aantallen in")),
        ]
    )


class OpenRoundForm(FlaskForm):
    mode = RadioField(_l("Soort stemming"), choices=mode_choices(), default="named")


def _count(label: object) -> IntegerField:
    return IntegerField(label, validators=[InputRequired(), NumberRange(min=0, max=999)], default=0)


# The groups that count hands, as the form names them: (prefix, seat, name).
GROUPS = (
    ("residents", Seat.RESIDENT, _l("Bewoners")),
    ("councillors", Seat.COUNCILLOR, _l("Raadsleden")),
)
CHOICES = ("yes", "no", "abstain")


class CountsForm(FlaskForm):
    """A show of hands per group; its errors name the group (3.9)."""

    # A refusal of the service about a group lands on the group's first field.
    refusal_fields = {group: f"{group}_yes" for group, _seat, _name in GROUPS}
    # The groups with more votes than members: all their fields are marked invalid.
    over_groups: set[str] = set()

    residents_yes = _count(_l("Bewoners voor"))
    residents_no = _count(_l("Bewoners tegen"))
    residents_abstain = _count(_l("Bewoners onthouden"))
    councillors_yes = _count(_l("Raadsleden voor"))
    councillors_no = _count(_l("Raadsleden tegen"))
    councillors_abstain = _count(_l("Raadsleden onthouden"))

    @classmethod
    def showing(cls, tally: Tally) -> CountsForm:
        """The form filled in with counts entered before."""
        return cls(
            formdata=None,
            residents_yes=tally.residents.yes,
            residents_no=tally.residents.no,
            residents_abstain=tally.residents.abstain,
            councillors_yes=tally.councillors.yes,
            councillors_no=tally.councillors.no,
            councillors_abstain=tally.councillors.abstain,
        )

    @staticmethod
    def posted(formdata: Mapping[str, object]) -> bool:
        """Whether a post carries counts (the close of a show of hands may)."""
        return any(f"{group}_{c}" in formdata for group, _seat, _name in GROUPS for c in CHOICES)

    def over_entitled(self, entitled_by_seat: Mapping[str, int]) -> list[str]:
        """Checks the counts against the entitled members of each group: the groups that have
        more votes than members, each with an error on its first field naming it."""
        over = []
        for group, seat, name in GROUPS:
            fields = [getattr(self, f"{group}_{c}") for c in CHOICES]
            if any(f.errors or f.data is None for f in fields):
                continue
            cast = sum(f.data for f in fields)
            entitled = entitled_by_seat[seat.value]
            if cast > entitled:
                over.append(group)
                fields[0].errors = [
                    *fields[0].errors,
                    gettext(
                        "%(group)s: samen %(cast)d stemmen, maar er zijn %(entitled)d "
                        "stemgerechtigd.",
                        group=name,
                        cast=cast,
                        entitled=entitled,
                    ),
                ]
        self.over_groups = set(over)
        return over

    def tally(self) -> Tally:
        return Tally(
            residents=GroupCounts(
                self.residents_yes.data, self.residents_no.data, self.residents_abstain.data
            ),
            councillors=GroupCounts(
                self.councillors_yes.data, self.councillors_no.data, self.councillors_abstain.data
            ),
        )


class VoteForm(FlaskForm):
    """A member's vote: chosen first, recorded only with ``confirmed`` (the second step)."""

    choice = HiddenField(validators=[AnyOf(["yes", "no", "abstain"])])
    confirmed = HiddenField()

    def is_confirmed(self) -> bool:
        return self.confirmed.data == CONFIRMED
