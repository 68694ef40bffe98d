from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from wijkraad.auth.rules import MIN_PASSWORD_LENGTH
from wijkraad.forms import language_choices


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mailadres"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Wachtwoord"), validators=[DataRequired(), Length(max=1000)])
    remember = BooleanField(_l("Aangemeld blijven op dit apparaat"))
    next = HiddenField()


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mailadres"), validators=[DataRequired(), Length(max=254)])


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("Nieuw wachtwoord"),
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


class ChangePasswordForm(SetPasswordForm):
    current_password = PasswordField(
        _l("Huidig wachtwoord"), validators=[DataRequired(), Length(max=1000)]
    )


class LanguageForm(FlaskForm):
    lang = SelectField(_l("Taal"), choices=language_choices())
    next = HiddenField()


class PreferencesForm(FlaskForm):
    name = StringField(_l("Naam"), validators=[DataRequired(), Length(max=200)])
    language = SelectField(_l("Voorkeurstaal"), choices=language_choices())


class TokenForm(FlaskForm):
    label = StringField(
        _l("Omschrijving"),
        validators=[Length(max=100)],
        description=_l("Waarvoor gebruikt u dit token? Bijvoorbeeld: koppeling met de website."),
    )


class EmptyForm(FlaskForm):
    """A form with only its CSRF token, for buttons that change something."""
