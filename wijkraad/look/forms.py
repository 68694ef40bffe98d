"""The form of the municipality's look (beheer/huisstijl)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, EmailField, HiddenField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from wijkraad.look import rules


def _colour(label: str, name: str) -> StringField:
    return StringField(
        label,
        validators=[Optional(), Length(max=20)],
        description=_l(
            "Als #rrggbb, bijvoorbeeld #00568b. Leeg laten: de standaardkleur (%(default)s).",
            default=rules.DEFAULTS[name],
        ),
    )


class LookForm(FlaskForm):
    version = HiddenField()
    municipality_name = StringField(
        _l("Naam van de gemeente"),
        validators=[Optional(), Length(max=rules.NAME_MAX)],
        description=_l(
            "Staat bovenaan elke pagina en op de PDF's, bijvoorbeeld Gemeente Groningen."
        ),
    )
    logo = FileField(
        _l("Logo"),
        description=_l(
            "Een PNG-, JPEG- of WebP-afbeelding van hoogstens 512 kB. Leeg laten: het huidige "
            "logo blijft."
        ),
    )
    remove_logo = BooleanField(_l("Logo verwijderen"))
    primary_color = _colour(_l("Hoofdkleur (knoppen en accentlijn)"), "primary_color")
    primary_text_color = _colour(_l("Tekstkleur op de hoofdkleur"), "primary_text_color")
    link_color = _colour(_l("Kleur van links"), "link_color")
    header_background = _colour(_l("Achtergrond van de kop"), "header_background")
    header_text_color = _colour(_l("Tekstkleur in de kop"), "header_text_color")
    contact_address = TextAreaField(
        _l("Postadres"), validators=[Optional(), Length(max=500)], render_kw={"rows": 3}
    )
    contact_email = EmailField(_l("E-mailadres"), validators=[Optional(), Length(max=254)])
    contact_phone = StringField(_l("Telefoonnummer"), validators=[Optional(), Length(max=40)])
    contact_url = StringField(
        _l("Website"),
        validators=[Optional(), Length(max=500)],
        description=_l("Begint met https://"),
    )
    privacy_text = TextAreaField(
        _l("Privacyverklaring"),
        validators=[Optional(), Length(max=rules.TEXT_MAX)],
        description=_l(
            "Platte tekst; een lege regel begint een nieuwe alinea. Leeg laten: een standaardtekst."
        ),
        render_kw={"rows": 8},
    )
    privacy_url = StringField(
        _l("Adres van de privacyverklaring van de gemeente"),
        validators=[Optional(), Length(max=500)],
        description=_l("Optioneel: de pagina verwijst er dan naar."),
    )
    accessibility_text = TextAreaField(
        _l("Toegankelijkheidsverklaring"),
        validators=[Optional(), Length(max=rules.TEXT_MAX)],
        description=_l(
            "Platte tekst; een lege regel begint een nieuwe alinea. Leeg laten: een standaardtekst."
        ),
        render_kw={"rows": 8},
    )
    accessibility_url = StringField(
        _l("Adres van de toegankelijkheidsverklaring van de gemeente"),
        validators=[Optional(), Length(max=500)],
        description=_l("Optioneel: de pagina verwijst er dan naar."),
    )
