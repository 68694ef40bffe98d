"""The forms of the draw pages: the administrators' (a draw, its pool, announcement, seed,
replies, the opt-out register, the panel's target) and the resident's (a reply with the code
on the letter)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from wijkraad.forms import choices
from wijkraad.sortition.rules import MAX_INVITE


def parse_quotas(text: str) -> dict[str, dict[str, tuple[int, int]]]:
    """Quotas as typed, one a line: column, value, minimum, maximum ("wijk noord 2 4")."""
    quotas: dict[str, dict[str, tuple[int, int]]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) != 4 or not (parts[2].isdigit() and parts[3].isdigit()):
            raise ValueError(number)
        column, value, low, high = parts
        quotas.setdefault(column, {})[value] = (int(low), int(high))
    return quotas


class DrawForm(FlaskForm):
    purpose = SelectField(
        _l("Doel"),
        choices=choices([("council", _l("Zetels in de wijkraad")), ("panel", _l("Het wijkpanel"))]),
    )
    invite = IntegerField(
        _l("Aantal uit te nodigen"),
        validators=[DataRequired(), NumberRange(min=1, max=MAX_INVITE)],
        description=_l("Nodig meer uit dan er plaatsen zijn: in Groningen nam 1 op 6 aan."),
    )
    draw_on = DateField(
        _l("Datum van de loting"),
        validators=[DataRequired()],
        description=_l("Wie op deze dag 16 jaar of ouder is, mag worden geloot."),
    )
    quotas = TextAreaField(
        _l("Quota (optioneel)"),
        validators=[Optional(), Length(max=5000)],
        description=_l(
            "Eén per regel: kolom, waarde, minimum en maximum onder de uitgenodigden, "
            "bijvoorbeeld: wijk noord 2 4"
        ),
    )

    def validate_quotas(self, field: Any) -> None:
        try:
            parse_quotas(field.data or "")
        except ValueError as error:
            raise ValidationError(
                _l("Regel %(line)s: schrijf kolom, waarde, minimum en maximum.", line=error)
            ) from None

    @property
    def quota_data(self) -> dict[str, dict[str, tuple[int, int]]]:
        return parse_quotas(self.quotas.data or "")


class PoolForm(FlaskForm):
    refusal_fields = {"pool": "file"}
    file = FileField(
        _l("Bestand met inwoners (CSV)"),
        validators=[FileRequired(_l("Kies een bestand."))],
        description=_l(
            "UTF-8, kopregel person_ref,birth_date,postcode,name,address en eventueel kolommen "
            "voor de quota; datums als 2001-04-30."
        ),
    )


class AnnounceForm(FlaskForm):
    seed_source = StringField(
        _l("Bron van de seed"),
        validators=[DataRequired(), Length(max=500)],
        description=_l(
            "Wat de seed wordt, en wanneer die bekend wordt: bijvoorbeeld de trekking van de "
            "Staatsloterij van 10 december, of dobbelstenen in de openbare vergadering."
        ),
    )


class SeedForm(FlaskForm):
    seed = StringField(
        _l("Seed"),
        validators=[DataRequired(), Length(max=500)],
        description=_l("Precies zoals aangekondigd, bijvoorbeeld de getrokken getallen."),
    )


class ReplyForm(FlaskForm):
    reply = RadioField(
        _l("Antwoord"),
        choices=choices(
            [
                ("accepted", _l("Aangenomen")),
                ("declined", _l("Afgeslagen")),
                ("no_response", _l("Geen antwoord voor de termijn")),
            ]
        ),
        validators=[DataRequired()],
    )
    email = StringField(
        _l("E-mailadres (bij aannemen)"),
        validators=[Optional(), Length(max=254)],
    )


class ResidentReplyForm(FlaskForm):
    code = StringField(
        _l("Code uit uw brief"),
        validators=[DataRequired(), Length(max=40)],
        description=_l("16 tekens, bijvoorbeeld 7KQ2-M9XD-4HRT-0B6W."),
    )
    reply = RadioField(
        _l("Uw antwoord"),
        choices=choices(
            [("accepted", _l("Ja, ik doe mee")), ("declined", _l("Nee, ik doe niet mee"))]
        ),
        validators=[DataRequired()],
    )
    email = StringField(
        _l("Uw e-mailadres (als u meedoet)"),
        validators=[Optional(), Length(max=254)],
        description=_l("Daarheen sturen we de uitnodiging voor uw account."),
    )


class OptOutForm(FlaskForm):
    person_ref = StringField(
        _l("Persoonsnummer (person_ref)"), validators=[DataRequired(), Length(max=200)]
    )


class PanelForm(FlaskForm):
    target_size = IntegerField(
        _l("Beoogde omvang van het wijkpanel"),
        validators=[DataRequired(), NumberRange(min=1, max=MAX_INVITE)],
    )


class EndPanelForm(FlaskForm):
    reason = StringField(
        _l("Reden van het beëindigen"),
        validators=[DataRequired(), Length(max=500)],
    )
