from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, NumberRange, Optional

from wijkraad.auth.rules import MIN_PASSWORD_LENGTH
from wijkraad.councils.rules import MAX_SEATS, SLUG_MAX
from wijkraad.forms import WithinWindow, choices


def rule_choices() -> list[SelectChoice]:
    return choices(
        [
            ("cooperative", _l("Coöperatief: dubbele meerderheid (alle leden én bewoners)")),
            ("simple", _l("Gewone meerderheid")),
        ]
    )


def seat_choices() -> list[SelectChoice]:
    return choices([("resident", _l("Bewoner")), ("councillor", _l("Gemeenteraadslid"))])


def role_choices() -> list[SelectChoice]:
    return choices(
        [("member", _l("Lid")), ("chair", _l("Voorzitter")), ("secretary", _l("Secretaris"))]
    )


class CouncilForm(FlaskForm):
    slug = StringField(
        _l("Korte naam (in de webadressen)"),
        validators=[DataRequired(), Length(max=SLUG_MAX)],
        description=_l("Kleine letters, cijfers en streepjes, bijvoorbeeld: oosterparkwijk"),
    )
    name = StringField(_l("Naam"), validators=[DataRequired(), Length(max=200)])
    municipality = StringField(_l("Gemeente"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Beschrijving"), validators=[Optional(), Length(max=5000)])
    code = StringField(
        _l("Code voor besluitnummers (optioneel)"),
        validators=[Optional(), Length(max=8)],
        description=_l(
            "Bijvoorbeeld OPW, voor besluit OPW-2026-014. Leeg: afgeleid van de korte naam."
        ),
    )
    resident_seats = IntegerField(
        _l("Zetels voor bewoners"),
        validators=[InputRequired(), NumberRange(min=1, max=MAX_SEATS)],
    )
    councillor_seats = IntegerField(
        _l("Zetels voor gemeenteraadsleden"),
        validators=[InputRequired(), NumberRange(min=0, max=MAX_SEATS)],
    )
    decision_rule = RadioField(_l("Besluitregel"), choices=rule_choices(), default="cooperative")
    publishes_resident_names = BooleanField(
        _l("Namen van bewoners openbaar maken"),
        default=True,
        description=_l(
            "Bewoners zijn door loting gekozen privépersonen. Zet dit alleen aan als de wijkraad "
            "daartoe heeft besloten."
        ),
    )


class AppointForm(FlaskForm):
    name = StringField(_l("Naam"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(
        _l("E-mailadres"),
        validators=[DataRequired(), Length(max=254)],
        description=_l(
            "Het lid zit vanaf de begindatum in de wijkraad. U krijgt een uitnodigingslink "
            "voor hem of haar om de zetel met dit e-mailadres te bevestigen. Dit adres wordt "
            "nooit gepubliceerd."
        ),
    )
    seat = RadioField(_l("Zetel"), choices=seat_choices(), validators=[InputRequired()])
    role = SelectField(_l("Rol"), choices=role_choices(), default="member")
    starts_on = DateField(_l("Lid vanaf"), validators=[InputRequired(), WithinWindow()])
    ends_on = DateField(
        _l("Lid tot (optioneel)"),
        validators=[Optional(), WithinWindow()],
        description=_l("Laat leeg als het einde nog niet vaststaat."),
    )


class EndMembershipForm(FlaskForm):
    ends_on = DateField(
        _l("Einddatum"),
        validators=[InputRequired(), WithinWindow()],
        description=_l("Vanaf deze datum is de persoon geen lid meer."),
    )


class ChoosePasswordForm(FlaskForm):
    """An invitee without an account chooses the password of the one made for them."""

    password = PasswordField(
        _l("Kies een wachtwoord"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=1000)],
        description=_l("Minstens %(n)s tekens.", n=MIN_PASSWORD_LENGTH),
    )
    confirm = PasswordField(
        _l("Herhaal het wachtwoord"),
        validators=[
            DataRequired(),
            EqualTo("password", message=_l("De wachtwoorden verschillen.")),
        ],
    )


class EmptyForm(FlaskForm):
    """A form with only its CSRF token, for buttons that change something."""
