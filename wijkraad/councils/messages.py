"""Messages for the refusals about seat invitations (see ``wijkraad.messages``)."""

from flask_babel import lazy_gettext as _l

from wijkraad.messages import register

register(
    {
        "seat-invite-invalid": _l("Deze uitnodigingslink voor een zetel bestaat niet (meer)."),
        "seat-invite-closed": _l(
            "Deze uitnodiging is verlopen, ingetrokken of al beantwoord. Vraag zo nodig een "
            "nieuwe link aan wie u uitnodigde."
        ),
        "seat-invite-other-account": _l(
            "Deze uitnodiging is voor een ander e-mailadres dan dat van uw account."
        ),
        "already-invited": _l(
            "Dit e-mailadres heeft voor die periode al een openstaande uitnodiging voor deze "
            "wijkraad."
        ),
        "not-invited": _l("Dit lidmaatschap heeft geen openstaande uitnodiging."),
    }
)
