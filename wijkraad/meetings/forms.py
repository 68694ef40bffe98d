"""Forms of the meeting pages: meetings, agenda, attendance, motions, vote rounds and votes."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import TextInput

from wijkraad.forms import WithinWindow, choices

# Blank choice of an optional select; coerced to None.
NONE = ""


def optional_int(value: object) -> int | None:
    if value in (None, NONE, "None"):
        return None
    return int(value)  # type: ignore[call-overload]


# WTForms' own message, translated by WTForms' catalogue (so not in ours).
WTFORMS_INVALID_DECIMAL = "Not a valid decimal value."
AMOUNT = re.compile(r"\d{1,9}(\.\d{1,2})?")


class EuroField(DecimalField):
    """An amount in euros as people type it here: "1250", "1.250,50", "€ 12,5"."""

    widget = TextInput()

    def process_formdata(self, valuelist: list[Any]) -> None:
        if valuelist:
            text = str(valuelist[0]).replace("€", "").replace(" ", "").strip()
            if "," in text:
                text = text.replace(".", "").replace(",", ".")
            # Plain amounts only: no exponents, NaN or infinity, which Decimal would accept.
            if text and not AMOUNT.fullmatch(text):
                self.data = None
                raise ValueError(self.gettext(WTFORMS_INVALID_DECIMAL))
            valuelist = [text]
        super().process_formdata(valuelist)


class ActionForm(FlaskForm):
    """A button that changes state: only the CSRF token."""


class MeetingForm(FlaskForm):
    title = StringField(_l("Titel"), validators=[DataRequired(), Length(max=200)])
    starts_on = DateField(_l("Datum"), validators=[InputRequired(), WithinWindow()])
    starts_time = TimeField(
        _l("Begintijd"),
        validators=[InputRequired()],
        description=_l("Nederlandse tijd, bijvoorbeeld 19:30."),
    )
    location = StringField(
        _l("Plaats"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("Bijvoorbeeld: Buurthuis De Oosterpoort, Oosterparkstraat 12."),
    )
    follow_up_of = SelectField(
        _l("Vervolgvergadering van (optioneel)"),
        coerce=optional_int,
        validators=[Optional()],
        description=_l(
            "Alleen voor een vergadering die niet kon openen bij gebrek aan quorum. Een "
            "vervolgvergadering begint minstens 24 uur later, krijgt dezelfde agenda en heeft "
            "geen quorum nodig."
        ),
    )


class AgendaItemForm(FlaskForm):
    title = StringField(
        _l("Titel van het agendapunt"), validators=[DataRequired(), Length(max=200)]
    )
    description = TextAreaField(_l("Toelichting (optioneel)"), validators=[Length(max=5000)])
    parent_id = SelectField(
        _l("Onderdeel van (optioneel)"),
        coerce=optional_int,
        validators=[Optional()],
        description=_l("Kies een hoofdpunt om dit een subpunt te maken, zoals 2.1."),
    )
    is_formality = BooleanField(
        _l("Hamerstuk"),
        description=_l("Wordt zonder stemming aangenomen, tenzij een lid om stemming vraagt."),
    )
    is_confidential = BooleanField(
        _l("Besloten"), description=_l("Alleen zichtbaar voor de leden van de wijkraad.")
    )


class MoveForm(FlaskForm):
    direction = HiddenField(validators=[AnyOf(["up", "down"])])


class AttendanceForm(FlaskForm):
    presence = HiddenField(validators=[AnyOf(["present", "absent_with_notice", "absent"])])


class RecusalForm(FlaskForm):
    member_id = SelectField(_l("Lid dat zich verschoont"), coerce=optional_int)


class ScheduleForm(FlaskForm):
    agenda_item_id = SelectField(_l("Agendapunt van een latere vergadering"), coerce=optional_int)


class CurrentItemForm(FlaskForm):
    item_id = SelectField(_l("Agendapunt in behandeling"), coerce=optional_int)


def requirement_choices() -> list[SelectChoice]:
    return choices(
        [("majority", _l("Gewone meerderheid")), ("two_thirds", _l("Tweederdemeerderheid"))]
    )


class MotionForm(FlaskForm):
    title = StringField(_l("Titel"), validators=[DataRequired(), Length(max=200)])
    text = TextAreaField(
        _l("Tekst van het voorstel"), validators=[DataRequired(), Length(max=20000)]
    )
    requirement = RadioField(
        _l("Nodige meerderheid"), choices=requirement_choices(), default="majority"
    )
    # Named after the service argument so that its refusals land on this field.
    amount_cents = EuroField(
        _l("Bedrag in euro (optioneel)"),
        places=2,
        validators=[Optional(), NumberRange(min=Decimal(0), max=Decimal("21000000"))],
        description=_l("Alleen als het voorstel geld uit het wijkbudget vraagt, zoals 1250,00."),
    )
    amends_id = SelectField(
        _l("Amendement op (optioneel)"),
        coerce=optional_int,
        validators=[Optional()],
        description=_l(
            "Kies een voorstel als dit een amendement is: er wordt eerst over het amendement "
            "gestemd; aangenomen, dan vervangt uw tekst die van het voorstel."
        ),
    )
    cosigners = SelectMultipleField(
        _l("Mede-indieners (optioneel)"),
        coerce=int,
        validators=[Optional()],
        description=_l("Leden die het voorstel mee indienen."),
    )


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


class VoteForm(FlaskForm):
    choice = HiddenField(validators=[AnyOf(["yes", "no", "abstain"])])
