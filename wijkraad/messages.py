"""Human messages for the stable error codes, in Dutch (translated through the catalogue).

One place for every refusal the software can give, so the pages and the API say the same.
"""

from __future__ import annotations

from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

MESSAGES: dict[str, LazyString] = {
    # generic
    "title:400": _l("Ongeldig verzoek"),
    "title:401": _l("Niet aangemeld"),
    "title:403": _l("Geen toegang"),
    "title:404": _l("Niet gevonden"),
    "title:405": _l("Methode niet toegestaan"),
    "title:409": _l("Conflict"),
    "title:413": _l("Te groot"),
    "title:415": _l("Verkeerd formaat"),
    "title:422": _l("Ongeldige invoer"),
    "title:429": _l("Te veel pogingen"),
    "title:500": _l("Serverfout"),
    "bad-request": _l("Het verzoek is niet te begrijpen."),
    "csrf": _l(
        "Het formulier is verlopen of onvolledig. Laad de pagina opnieuw en probeer het nog eens."
    ),
    "unauthorized": _l("Meld u aan om dit te doen."),
    "invalid-token": _l("Het API-token ontbreekt, is onjuist of ingetrokken."),
    "forbidden": _l("U hebt geen recht om dit te doen."),
    "not-found": _l("Deze pagina of dit gegeven bestaat niet."),
    "method-not-allowed": _l("Deze handeling is hier niet toegestaan."),
    "too-large": _l("Het verzoek is te groot."),
    "unsupported-media-type": _l("Stuur JSON (Content-Type: application/json)."),
    "too-many-requests": _l("Te veel pogingen. Wacht even en probeer het opnieuw."),
    "server-error": _l("Er ging iets mis aan onze kant. Probeer het later opnieuw."),
    "http-error": _l("Het verzoek kon niet worden afgehandeld."),
    "invalid-input": _l("Een of meer velden zijn niet goed ingevuld."),
    "invalid-json": _l("De inhoud is geen geldig JSON-object."),
    "field-required": _l("Dit veld is verplicht."),
    "field-invalid": _l("Deze waarde is niet geldig."),
    # accounts
    "bad-credentials": _l("E-mailadres of wachtwoord klopt niet."),
    "login-throttled": _l(
        "Te veel mislukte pogingen. Probeer het over %(minutes)s minuten opnieuw."
    ),
    "email-taken": _l("Er bestaat al een account met dit e-mailadres."),
    "password-too-short": _l("Kies een wachtwoord van minstens %(length)s tekens."),
    "invite-invalid": _l("Deze uitnodigingslink is ongeldig, verlopen of al gebruikt."),
    "user-not-found": _l("Er is geen account met dit e-mailadres."),
    # councils
    "slug-taken": _l("Er bestaat al een wijkraad met deze korte naam."),
    "slug-invalid": _l(
        "Gebruik voor de korte naam kleine letters, cijfers en streepjes (hoogstens 40 tekens)."
    ),
    "seats-out-of-range": _l("Het aantal zetels moet tussen 0 en 99 liggen (bewoners minstens 1)."),
    "residents-not-majority": _l(
        "In een coöperatieve wijkraad hebben bewoners meer zetels dan raadsleden."
    ),
    "seats-below-seated": _l(
        "Er zitten nu %(seated)s leden op %(seat)s-zetels; maak het aantal zetels niet kleiner dan dat."
    ),
    "seats-full": _l("Alle %(seats)s zetels voor %(seat)s zijn in die periode bezet."),
    "chair-not-resident": _l("De voorzitter moet een bewoner zijn."),
    "role-taken": _l("Deze wijkraad heeft in die periode al een %(role)s."),
    "ends-before-start": _l("De einddatum ligt vóór de begindatum."),
    "already-ended": _l("Dit lidmaatschap is al beëindigd."),
    "already-member": _l("Deze persoon is in die periode al lid van deze wijkraad."),
    "council-not-found": _l("Deze wijkraad bestaat niet."),
    "member-not-found": _l("Dit lid bestaat niet."),
}

SEAT_NAMES = {"resident": _l("bewoners"), "councillor": _l("raadsleden")}
ROLE_NAMES = {"chair": _l("voorzitter"), "secretary": _l("secretaris"), "member": _l("lid")}


def message_for(code: str, **params: Any) -> str:
    template = MESSAGES.get(code)
    if template is None:
        return code
    if "seat" in params:
        params["seat"] = SEAT_NAMES.get(str(params["seat"]), params["seat"])
    if "role" in params:
        params["role"] = ROLE_NAMES.get(str(params["role"]), params["role"])
    text = str(template)
    return text % {k: str(v) for k, v in params.items()} if params else text


def register(codes: dict[str, LazyString]) -> None:
    """Lets a domain package add its own codes (meetings, voting, budget)."""
    MESSAGES.update(codes)
