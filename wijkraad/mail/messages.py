from flask_babel import lazy_gettext as _l

from wijkraad.messages import register

register(
    {
        "mail-not-retryable": _l("Dit bericht wordt al verstuurd of is al verstuurd."),
    }
)
