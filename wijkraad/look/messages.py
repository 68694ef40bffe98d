from flask_babel import lazy_gettext as _l

from wijkraad.messages import register

register(
    {
        "colour-invalid": _l("Geef een kleur als #rrggbb, bijvoorbeeld #00568b."),
        "colour-contrast": _l(
            "Te weinig contrast: %(ratio)s:1 tussen tekst en achtergrond. Nodig is minstens "
            "4,5:1 (WCAG 2.1 AA)."
        ),
        "logo-type": _l(
            "Het logo moet een PNG-, JPEG- of WebP-afbeelding zijn (de inhoud telt, niet de naam)."
        ),
        "logo-media-type": _l(
            "Stuur het logo als image/png, image/jpeg of image/webp (Content-Type)."
        ),
        "logo-too-large": _l("Het logo is te groot: hoogstens %(kilobytes)s kB."),
        "url-invalid": _l("Geef een volledig webadres dat begint met https:// of http://."),
        "look-changed": _l(
            "Iemand anders heeft de huisstijl intussen gewijzigd. Bekijk de nieuwe gegevens en "
            "sla uw wijziging opnieuw op."
        ),
    }
)
