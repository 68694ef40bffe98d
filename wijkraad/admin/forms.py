from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from wijkraad.forms import language_choices


class AccountForm(FlaskForm):
    name = StringField(_l("Naam"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-mailadres"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(
        _l("Wachtwoord (optioneel)"),
        validators=[Optional(), Length(max=1000)],
        description=_l(
            "Laat leeg om de gebruiker met een uitnodigingslink zelf een wachtwoord te laten kiezen."
        ),
    )
    is_admin = BooleanField(_l("Beheerder (mag wijkraden, leden en accounts beheren)"))
    language = SelectField(_l("Taal"), choices=language_choices())


class AccountDetailsForm(FlaskForm):
    name = StringField(_l("Naam"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-mailadres"), validators=[DataRequired(), Length(max=254)])
    language = SelectField(_l("Taal"), choices=language_choices())
