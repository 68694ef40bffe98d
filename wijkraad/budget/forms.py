"""The form of the budget pages: a progress note on a decision's execution."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from wijkraad.forms import choices
from wijkraad.motions.forms import EuroField


def status_choices() -> list:
    return choices(
        [
            ("planned", _l("Gepland")),
            ("in_progress", _l("In uitvoering")),
            ("done", _l("Uitgevoerd")),
            ("cancelled", _l("Geannuleerd: wat niet is uitgegeven, komt vrij")),
        ]
    )


class ProgressForm(FlaskForm):
    # Named after the service arguments where they match, so that refusals land on the field.
    refusal_fields = {"spent_cents": "spent"}

    status = SelectField(_l("Stand van de uitvoering"), choices=status_choices())
    spent = EuroField(
        _l("Uitgegeven sinds de vorige stand, in euro (optioneel)"),
        places=2,
        validators=[Optional(), NumberRange(min=Decimal(0), max=Decimal("10000000000"))],
        description=_l("Bijvoorbeeld 1250,00. Nooit meer dan wat er van het toegezegde over is."),
    )
    note = TextAreaField(_l("Toelichting"), validators=[DataRequired(), Length(max=5000)])
