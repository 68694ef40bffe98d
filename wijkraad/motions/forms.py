"""Forms of the motion pages: a motion or amendment, and where a postponed motion goes."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DecimalField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import TextInput

from wijkraad.forms import choices, optional_int

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

    @property
    def cents(self) -> int | None:
        """The amount in integer cents, as money is kept."""
        if self.data is None:
            return None
        return int((self.data * 100).quantize(Decimal(1)))


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
    budget_line_id = SelectField(
        _l("Begrotingspost"),
        coerce=optional_int,
        validators=[Optional()],
        description=_l(
            "Waar het geld vandaan komt: een post van de begroting van het jaar van de "
            "vergadering, met wat er nu nog op over is."
        ),
    )
    source_line_id = SelectField(
        _l("Van begrotingspost (optioneel)"),
        coerce=optional_int,
        validators=[Optional()],
        description=_l(
            "Alleen om geld te verschuiven: het bedrag gaat van deze post naar de begrotingspost "
            "hierboven. Verschuiven is een besluit met tweederdemeerderheid: kies dan "
            "tweederdemeerderheid."
        ),
    )
    supplements_decision_id = SelectField(
        _l("Aanvulling op besluit (optioneel)"),
        coerce=optional_int,
        validators=[Optional()],
        description=_l(
            "Alleen als het bedrag bij het geld van een eerder besluit op dezelfde "
            "begrotingspost komt: daarna mag er zoveel meer aan worden uitgegeven."
        ),
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


class ScheduleForm(FlaskForm):
    agenda_item_id = SelectField(_l("Agendapunt van een latere vergadering"), coerce=optional_int)
