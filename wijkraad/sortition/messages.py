"""Messages for the refusals about draws by lot (see ``wijkraad.messages``)."""

from flask_babel import lazy_gettext as _l

from wijkraad.messages import register

register(
    {
        "draw-not-found": _l("Deze loting bestaat niet."),
        "invitation-not-found": _l("Deze uitnodiging bestaat niet."),
        "bad-pool": _l("Het bestand is niet ingelezen: regel %(line)s: %(reason)s"),
        "draw-announced": _l(
            "De loting is al aangekondigd: bestand en quota liggen vast en veranderen niet meer."
        ),
        "draw-not-announced": _l(
            "Kondig de loting eerst aan; daarna kan de seed worden ingevoerd."
        ),
        "draw-drawn": _l("Er is al geloot: de volgorde ligt vast."),
        "draw-not-drawn": _l("Er is nog niet geloot."),
        "draw-closed": _l("Deze loting is afgesloten."),
        "pool-missing": _l("Lees eerst het bestand met de inwoners in."),
        "pool-too-small": _l(
            "Er zijn %(eligible)s inwoners die mogen worden geloot; er moeten er %(invite)s "
            "worden uitgenodigd."
        ),
        "quotas-invalid": _l("De quota kloppen niet: %(reason)s"),
        "quotas-impossible": _l("Aan de quota kan met dit bestand niet worden voldaan: %(reason)s"),
        "opt-out-exists": _l("Deze persoon staat al in het register."),
        "already-replied": _l("Op deze uitnodiging is al geantwoord."),
        "code-unknown": _l("Deze code kennen we niet, of er is al op geantwoord."),
        "panel-member-exists": _l("Dit e-mailadres staat al in het wijkpanel."),
        "councillor-not-drawn": _l(
            "Dit e-mailadres hoort bij een raadslid van deze wijkraad. Raadsleden worden nooit "
            "geloot; de uitnodiging blijft open."
        ),
        "panel-member-not-found": _l("Dit lid van het wijkpanel bestaat niet."),
        "panel-membership-ended": _l("Dit lidmaatschap van het wijkpanel is al beëindigd."),
        "email-required": _l("Vul uw e-mailadres in om de uitnodiging aan te nemen."),
    }
)

POOL_REASONS = {
    "encoding": _l("het bestand is geen UTF-8-tekst"),
    "syntax": _l("de CSV is niet te lezen (aanhalingstekens?)"),
    "empty": _l("het bestand is leeg"),
    "header": _l("de kopregel moet beginnen met person_ref,birth_date,postcode,name,address"),
    "column-name": _l("de kolomnaam is ongeldig (kleine letters, cijfers en _)"),
    "column-twice": _l("een kolom staat er twee keer in"),
    "field-count": _l("het aantal velden klopt niet met de kopregel"),
    "too-long": _l("een veld is langer dan 200 tekens"),
    "person-ref-missing": _l("person_ref ontbreekt"),
    "person-ref-twice": _l("deze person_ref staat al op een eerdere regel"),
    "birth-date": _l("de geboortedatum is geen datum als 2001-04-30"),
    "name-missing": _l("de naam ontbreekt"),
    "stratum-missing": _l("een waarde in een kolom voor de quota ontbreekt"),
    "no-rows": _l("het bestand bevat geen inwoners"),
}

STATUS_LABELS = {
    "open": _l("in voorbereiding"),
    "announced": _l("aangekondigd"),
    "drawn": _l("geloot"),
    "closed": _l("afgesloten"),
}

INVITATION_LABELS = {
    "invited": _l("uitgenodigd"),
    "accepted": _l("aangenomen"),
    "declined": _l("afgeslagen"),
    "no_response": _l("geen antwoord"),
    "reserve": _l("reserve"),
}

PURPOSE_LABELS = {"council": _l("zetels in de wijkraad"), "panel": _l("het wijkpanel")}
