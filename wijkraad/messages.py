"""Human messages for the stable error codes, in Dutch (translated through the catalogue).

One place for every refusal the software can give, so the pages and the API say the same.
"""

from __future__ import annotations

import logging
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
    "title:503": _l("Tijdelijk niet beschikbaar"),
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
    "service-unavailable": _l(
        "De database is tijdelijk niet bereikbaar. Probeer het zo meteen opnieuw."
    ),
    "invalid-input": _l("Een of meer velden zijn niet goed ingevuld."),
    "invalid-json": _l("De inhoud is geen geldig JSON-object."),
    "field-required": _l("Dit veld is verplicht."),
    "field-invalid": _l("Deze waarde is niet geldig."),
    "date-out-of-range": _l("Kies een datum tussen %(earliest)s en %(latest)s."),
    # accounts
    "bad-credentials": _l("E-mailadres of wachtwoord klopt niet."),
    "login-throttled": _l(
        "Te veel mislukte pogingen. Probeer het over %(minutes)s minuten opnieuw."
    ),
    "login-slowed": _l(
        "Er wordt nu vaak geprobeerd op dit account aan te melden. "
        "Probeer het over %(seconds)s seconden opnieuw."
    ),
    "current-password-wrong": _l("Uw huidige wachtwoord klopt niet."),
    "own-account": _l("Dit kunt u niet met uw eigen account doen; gebruik Mijn account."),
    "base-url-missing": _l(
        "Er kan geen link worden gemaakt: het webadres van wijkraad is niet ingesteld "
        "(WIJKRAAD_BASE_URL)."
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
    "code-invalid": _l(
        "De code bestaat uit 2 tot 8 hoofdletters of cijfers en begint met een letter."
    ),
    "seats-out-of-range": _l(
        "Het aantal zetels moet tussen 0 en 500 liggen (bewoners minstens 1)."
    ),
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
    # meetings
    "meeting-not-found": _l("Deze vergadering bestaat niet."),
    "agenda-item-not-found": _l("Dit agendapunt bestaat niet."),
    "follow-up-unknown": _l("De oorspronkelijke vergadering bestaat niet in deze wijkraad."),
    "follow-up-of-opened-meeting": _l(
        "Een vervolgvergadering is alleen voor een vergadering die niet kon openen bij gebrek aan quorum."
    ),
    "follow-up-too-soon": _l(
        "Een vervolgvergadering begint minstens 24 uur na de oorspronkelijke."
    ),
    "meeting-closed": _l("Deze vergadering is gesloten of geannuleerd."),
    "meeting-status": _l("Dat kan niet: de vergadering is nu %(current)s."),
    "agenda-unchanged": _l("De agenda is niet gewijzigd sinds hij is verstuurd."),
    "meeting-not-correctable": _l(
        "De vergadering is geopend: de vergadering en haar agenda liggen nu vast."
    ),
    "item-has-sub-items": _l("Dit agendapunt heeft subpunten: verwijder of verplaats die eerst."),
    "item-has-motions": _l(
        "Er zijn voorstellen ingediend bij dit agendapunt: het kan niet worden verwijderd. "
        "Laat ze eerst intrekken."
    ),
    "item-has-documents": _l(
        "Bij dit agendapunt staan stukken: verwijder die eerst, dan kan het punt weg."
    ),
    "item-has-notes": _l("Bij dit agendapunt staat al verslag: het kan niet worden verwijderd."),
    "formality-decided": _l("Over dit hamerstuk is al besloten."),
    "parent-unknown": _l("Het hoofdpunt hoort niet bij deze vergadering."),
    "parent-too-deep": _l("Een subpunt kan zelf geen subpunten hebben."),
    "not-seated": _l("Niet alle genoemde personen zijn lid van deze wijkraad (%(ids)s)."),
    "present-and-absent": _l("Iemand kan niet tegelijk aanwezig en afwezig zijn."),
    "apologies-closed": _l(
        "Afmelden kan alleen voor een gepubliceerde vergadering die nog niet is geopend."
    ),
    "apology-reason-too-long": _l("Houd de reden kort: hoogstens %(max)d tekens."),
    "already-recused": _l("Dit lid heeft zich voor dit agendapunt al verschoond."),
    "recusal-member-required": _l("Kies het lid dat zich verschoont."),
    "round-still-open": _l("Sluit eerst de lopende stemming."),
    "no-quorum": _l(
        "Er is geen quorum: meer dan de helft van de zittende leden moet aanwezig zijn."
    ),
    # motions
    "motion-not-found": _l("Dit voorstel bestaat niet."),
    "motion-status": _l("Dat kan niet: het voorstel is nu %(current)s."),
    "amount-negative": _l("Een bedrag kan niet negatief zijn."),
    "budget-line-required": _l("Noem de begrotingspost bij een bedrag."),
    "amends-unknown": _l("Het voorstel dat u wilt wijzigen hoort niet bij dit agendapunt."),
    "amends-not-open": _l("Dit voorstel kan niet (meer) worden geamendeerd."),
    "not-a-later-meeting": _l("Kies een agendapunt van een latere vergadering."),
    "motion-not-votable": _l("Over dit voorstel kan nu niet worden gestemd."),
    "amendments-first": _l("Stem eerst over de amendementen op dit voorstel."),
    "not-a-formality": _l("Dit agendapunt is geen hamerstuk."),
    "vote-requested": _l(
        "Een lid heeft om stemming gevraagd: dit hamerstuk gaat niet zonder stemming."
    ),
    # voting
    "round-not-found": _l("Deze stemming bestaat niet."),
    "meeting-not-open": _l("De vergadering is niet geopend."),
    "residents-not-seated-majority": _l(
        "Er zitten niet meer bewoners dan raadsleden in de wijkraad: er kan niet worden gestemd."
    ),
    "no-resident-majority": _l(
        "Er zijn niet meer stemgerechtigde bewoners dan raadsleden aanwezig: er kan niet worden gestemd."
    ),
    "round-already-open": _l("Er loopt al een stemming over dit voorstel."),
    "budget-exceeded": _l("Het bedrag past niet in wat er op de begrotingspost over is."),
    "not-entitled": _l(
        "U bent niet stemgerechtigd bij deze stemming (geen lid, niet aanwezig of verschoond)."
    ),
    "already-voted": _l("U hebt al gestemd in deze stemming."),
    "round-closed": _l("Deze stemming is gesloten."),
    "round-is-analog": _l(
        "Bij deze stemming telt de voorzitter de handen; stemmen via de telefoon kan niet."
    ),
    "round-is-named": _l(
        "Bij een hoofdelijke stemming tellen de uitgebrachte stemmen, niet ingevoerde aantallen."
    ),
    "counts-exceed-entitled": _l(
        "Er zijn meer stemmen ingevoerd dan er stemgerechtigden zijn (%(entitled)s)."
    ),
    # the public record
    "decision-not-found": _l("Dit besluit bestaat niet."),
    "minutes-not-found": _l("Van deze vergadering is nog geen verslag."),
    "minutes-before-meeting": _l("Een verslag begint pas als de vergadering is geopend."),
    "minutes-changed": _l(
        "Iemand anders heeft het verslag intussen opgeslagen (versie %(revision)s). Uw tekst is "
        "niet opgeslagen: neem de nieuwe versie over en voeg uw wijzigingen opnieuw toe."
    ),
    "minutes-approved": _l("Dit verslag is vastgesteld en verandert niet meer."),
    "minutes-empty": _l("Een leeg verslag kan niet worden vastgesteld."),
    "approve-at-later-meeting": _l(
        "Een verslag wordt vastgesteld in een latere vergadering van dezelfde wijkraad."
    ),
    "approve-at-open-meeting": _l(
        "Een verslag wordt vastgesteld tijdens een geopende vergadering."
    ),
    "text-too-long": _l("Deze tekst is te lang (hoogstens %(max)s tekens)."),
    # minutes and decisions, completed by the secretary
    "minutes-nothing-written": _l(
        "Het verslag is leeg: schrijf iets bij een agendapunt of bij de algemene zaken."
    ),
    "minutes-revision-not-found": _l("Deze versie van het verslag bestaat niet."),
    "minutes-based-on": _l("Het formulier is niet compleet. Open het verslag opnieuw."),
    "decision-text-required": _l("Vul de tekst van het besluit in."),
    "decision-changed": _l(
        "Iemand anders heeft dit besluit intussen aangevuld. Uw tekst is niet opgeslagen: "
        "vergelijk hem met de opgeslagen tekst en sla opnieuw op."
    ),
    "decision-frozen": _l(
        "Het verslag van deze vergadering is vastgesteld: het besluit verandert niet meer."
    ),
    # The public record's PDFs.
    "meeting-not-closed": _l("De besluitenlijst verschijnt zodra de vergadering is gesloten."),
    "decisions-not-found": _l("Deze wijkraad heeft in dat jaar geen openbare besluiten genomen."),
}

OUTCOME_NAMES = {
    "adopted": _l("aangenomen"),
    "rejected": _l("verworpen"),
    "postponed": _l("aangehouden (staking van stemmen)"),
    "invalid": _l("ongeldig (te weinig deelname)"),
}

STATUS_NAMES = {
    "draft": _l("een concept"),
    "published": _l("gepubliceerd"),
    "open": _l("geopend"),
    "closed": _l("gesloten"),
    "cancelled": _l("geannuleerd"),
    "submitted": _l("ingediend"),
    "scheduled": _l("geagendeerd"),
    "voting": _l("in stemming"),
    "adopted": _l("aangenomen"),
    "rejected": _l("verworpen"),
    "postponed": _l("aangehouden"),
    "withdrawn": _l("ingetrokken"),
}
SEAT_NAMES = {"resident": _l("bewoners"), "councillor": _l("raadsleden")}
ROLE_NAMES = {"chair": _l("voorzitter"), "secretary": _l("secretaris"), "member": _l("lid")}


def message_for(code: str, **params: Any) -> str:
    template = MESSAGES.get(code)
    if template is None:
        return code
    if "seat" in params:
        params["seat"] = SEAT_NAMES.get(str(params["seat"]), params["seat"])
    if "current" in params:
        params["current"] = STATUS_NAMES.get(str(params["current"]), params["current"])
    if "role" in params:
        params["role"] = ROLE_NAMES.get(str(params["role"]), params["role"])
    text = str(template)
    if not params:
        return text
    try:
        return text % {k: str(v) for k, v in params.items()}
    except (KeyError, ValueError, TypeError):
        # A message is never worth a server error; the untranslated template still informs.
        logging.getLogger(__name__).warning("message %s lacks parameters: %s", code, params)
        return text


def register(codes: dict[str, LazyString]) -> None:
    """Lets a domain package add its own codes (meetings, voting, budget)."""
    MESSAGES.update(codes)
