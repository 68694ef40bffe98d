"""Forms of the voting pages: opening a round, a show of hands, a member's vote."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired, NumberRange

from wijkraad.forms import choices
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


class CountsForm(FlaskForm):
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
    choice = HiddenField(validators=[AnyOf(["yes", "no", "abstain"])])
