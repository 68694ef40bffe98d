"""Forms of the meeting pages: meetings, agenda, attendance and recusals."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional

from wijkraad.forms import WithinWindow, optional_int
from wijkraad.meetings.rules import APOLOGY_REASON_MAX


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


class MeetingEditForm(MeetingForm):
    """A meeting's corrections: what it was created with, but for being a follow-up."""

    follow_up_of = None
    refusal_fields = {"starts_at": "starts_on"}


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


class CurrentItemForm(FlaskForm):
    item_id = SelectField(_l("Agendapunt in behandeling"), coerce=optional_int)


class AgendaItemEditForm(FlaskForm):
    """An item's corrections; where it stands changes with the move buttons."""

    title = AgendaItemForm.title
    description = AgendaItemForm.description
    is_formality = AgendaItemForm.is_formality
    is_confidential = AgendaItemForm.is_confidential


class ApologyForm(FlaskForm):
    """A member's apologies for a meeting, with where to go back to."""

    reason = StringField(
        _l("Reden (optioneel)"),
        validators=[Optional(), Length(max=APOLOGY_REASON_MAX)],
        description=_l("Alleen de voorzitter en de secretaris zien dit."),
    )
    next = HiddenField()


class WithdrawApologyForm(FlaskForm):
    next = HiddenField()
