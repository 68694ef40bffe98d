from flask_babel import lazy_gettext as _l

from wijkraad.messages import register

register(
    {
        "reset-invalid": _l(
            "Deze link om een wachtwoord te kiezen is ongeldig, verlopen of al gebruikt. "
            "Vraag een nieuwe aan."
        ),
        "reset-throttled": _l(
            "U heeft te vaak een link aangevraagd. Probeer het over %(minutes)s minuten opnieuw."
        ),
    }
)
