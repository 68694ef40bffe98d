"""The municipality's look: read by anyone (what the site shows publicly), set by
administrators through the same service as the page beheer/huisstijl, with the same checks,
audit and version rule.

A save names the ``version`` it was made from (as the page's form does): when the look was
saved in between, it is refused with 409 ``look-changed``, and the caller reads the look again.
GET answers the version also as the ETag ``"look-N"``."""

from __future__ import annotations

from typing import Annotated, Any

from flask import request, url_for
from pydantic import BaseModel, Field

from wijkraad import clock
from wijkraad.api import bp
from wijkraad.api.core import body, dump, require_actor
from wijkraad.api.openapi import doc
from wijkraad.api.schemas import In
from wijkraad.documents.storage import current_storage
from wijkraad.errors import DomainError, require
from wijkraad.extensions import db
from wijkraad.look import queries, rules, services
from wijkraad.look.queries import Look
from wijkraad.web import allow_large_body, write

LOGO_TYPES = ("image/png", "image/jpeg", "image/webp")
# A body past the logo's limit is refused before it is read (413), as is one past the app's.
allow_large_body(lambda: rules.LOGO_MAX_BYTES, "api.put_look_logo")

Colour = Annotated[
    str | None,
    Field(
        default=None,
        max_length=20,
        description="#rrggbb; null or empty: the theme's own colour",
    ),
]
Url = Annotated[str, Field(default="", max_length=500, description="https:// or http://")]
Text = Annotated[str, Field(default="", max_length=rules.TEXT_MAX)]


class LookFields(BaseModel):
    municipality_name: Annotated[str, Field(max_length=rules.NAME_MAX)] = ""
    primary_color: Colour = None
    primary_text_color: Colour = None
    link_color: Colour = None
    header_background: Colour = None
    header_text_color: Colour = None
    contact_address: Annotated[str, Field(max_length=500)] = ""
    contact_email: Annotated[str, Field(max_length=254)] = ""
    contact_phone: Annotated[str, Field(max_length=40)] = ""
    contact_url: Url = ""
    privacy_text: Text = ""
    privacy_url: Url = ""
    accessibility_text: Text = ""
    accessibility_url: Url = ""


class LookIn(In, LookFields):
    """The whole look but its logo (a field left out is emptied, as on the page). Each text
    colour needs 4.5:1 contrast with its background (WCAG 2.1 AA): else 422 ``colour-contrast``
    naming the field and, in ``ratio``, the contrast found."""

    version: Annotated[int, Field(ge=0, le=2**31 - 1)] = Field(
        description="the version this save was made from (GET's `version`); 409 look-changed "
        "when the look was saved since"
    )


class LogoOut(BaseModel):
    url: str = Field(description="/huisstijl/logo?v=VERSION")
    media_type: str


class LookOut(LookFields):
    version: int = Field(description='grows with every save; also the ETag `"look-N"`')
    logo: LogoOut | None
    stylesheet_url: str = Field(description="/huisstijl.css?v=VERSION: the colours as tokens")


_ADMIN_ERRORS = {403: "forbidden"}
_SAVE_ERRORS = {
    **_ADMIN_ERRORS,
    409: "look-changed (saved by someone else since: read it again)",
}


def look_json(look: Look) -> dict[str, Any]:
    logo = None
    if look.logo_sha256 is not None and look.logo_media_type is not None:
        logo = LogoOut(url=url_for("look.logo", v=look.version), media_type=look.logo_media_type)
    return dump(
        LookOut(
            version=look.version,
            municipality_name=look.municipality_name,
            **{name: look.colours.get(name) for name in rules.COLOUR_FIELDS},
            contact_address=look.contact_address,
            contact_email=look.contact_email,
            contact_phone=look.contact_phone,
            contact_url=look.contact_url,
            privacy_text=look.privacy_text,
            privacy_url=look.privacy_url,
            accessibility_text=look.accessibility_text,
            accessibility_url=look.accessibility_url,
            logo=logo,
            stylesheet_url=url_for("look.stylesheet", v=look.version),
        )
    )


def _answer(look: Look) -> tuple[dict[str, Any], int, dict[str, str]]:
    return look_json(look), 200, {"ETag": f'"look-{look.version}"'}


def _data(look: Look | LookFields) -> services.LookData:
    """What the service saves: the fields sent, or (for the logo alone) the look as it is."""
    if isinstance(look, LookFields):
        fields = look.model_dump(include=set(LookFields.model_fields))
    else:
        fields = {name: getattr(look, name, None) for name in LookFields.model_fields}
        fields.update({name: look.colours.get(name) for name in rules.COLOUR_FIELDS})
    return services.LookData(
        municipality_name=fields.pop("municipality_name"),
        colours={name: fields.pop(name) for name in rules.COLOUR_FIELDS},
        **fields,
    )


def _save(who: Any, data: services.LookData, version: int, **logo: Any) -> None:
    services.save_look(
        db.session,
        who,
        data,
        seen_version=version,
        now=clock.now(),
        storage=current_storage(),
        **logo,
    )


@bp.get("/look")
@doc(200, LookOut)
def get_look() -> tuple[dict[str, Any], int, dict[str, str]]:
    """The municipality's look as the site shows it: name, colours (null: the theme's own),
    contact details, the privacy and accessibility statements, the logo's address and the
    version to save from."""
    return _answer(queries.current_look(db.session))


@bp.put("/look")
@doc(200, LookOut, body=LookIn, auth="required", errors=_SAVE_ERRORS)
def put_look() -> tuple[dict[str, Any], int, dict[str, str]]:
    """Set the look but its logo (administrators), checked as the page checks it and audited.
    Send the ``version`` read: a save made on an older version is refused (409)."""
    who = require_actor()
    require(who.is_admin)
    data = body(LookIn)
    with write():
        _save(who, _data(data), data.version)
    return _answer(queries.current_look(db.session))


@bp.put("/look/logo")
@doc(
    200,
    LookOut,
    auth="required",
    errors={
        **_SAVE_ERRORS,
        413: f"logo-too-large (above {rules.LOGO_MAX_BYTES // 1024} kB)",
        415: "logo-media-type (send image/png, image/jpeg or image/webp)",
        422: "logo-type (the content is no PNG, JPEG or WebP image)",
    },
)
def put_look_logo() -> tuple[dict[str, Any], int, dict[str, str]]:
    """Set the logo (administrators): the body is the image, ``image/png``, ``image/jpeg`` or
    ``image/webp``, recognised by its content, at most 512 kB. The rest of the look stays."""
    who = require_actor()
    require(who.is_admin)
    if request.mimetype not in LOGO_TYPES:
        raise DomainError("logo-media-type", status=415)
    too_large = DomainError("logo-too-large", status=413, kilobytes=rules.LOGO_MAX_BYTES // 1024)
    if (request.content_length or 0) > rules.LOGO_MAX_BYTES:
        raise too_large
    image = request.get_data(cache=False)
    if len(image) > rules.LOGO_MAX_BYTES:
        raise too_large
    look = queries.current_look(db.session)
    with write():
        _save(who, _data(look), look.version, logo=image)
    return _answer(queries.current_look(db.session))


@bp.delete("/look/logo")
@doc(200, LookOut, auth="required", errors=_SAVE_ERRORS)
def delete_look_logo() -> tuple[dict[str, Any], int, dict[str, str]]:
    """Remove the logo (administrators); the rest of the look stays."""
    who = require_actor()
    require(who.is_admin)
    look = queries.current_look(db.session)
    with write():
        _save(who, _data(look), look.version, remove_logo=True)
    return _answer(queries.current_look(db.session))
