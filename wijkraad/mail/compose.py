"""Messages as they are queued: a subject, a plain-text part and an HTML part rendered from
``templates/mail/<name>.txt`` and ``.html`` in the recipient's language, and links on the
site's public address."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import current_app, has_request_context, request, url_for
from flask_babel import force_locale


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # "text/calendar"
    data: bytes
    params: dict[str, str] = field(default_factory=dict)  # {"method": "PUBLISH"}

    def stored(self) -> dict[str, Any]:
        return {
            "filename": self.filename,
            "content_type": self.content_type,
            "params": dict(self.params),
            "data": base64.b64encode(self.data).decode("ascii"),
        }

    @classmethod
    def from_stored(cls, value: dict[str, Any]) -> Attachment:
        return cls(
            filename=value["filename"],
            content_type=value["content_type"],
            data=base64.b64decode(value["data"]),
            params=dict(value.get("params") or {}),
        )


@dataclass(frozen=True)
class Composed:
    subject: str
    text: str
    html: str


def language_of(language: str | None) -> str:
    """``language`` when the site speaks it, else the site's default (Dutch)."""
    config = current_app.config
    return language if language in config["LANGUAGES"] else config["BABEL_DEFAULT_LOCALE"]


def compose(
    template: str, language: str | None, subject: Callable[[], str], /, **context: Any
) -> Composed:
    """Renders the mail ``template`` in ``language``; ``subject`` is called in that language too.

    Rendered straight from the template environment, without the pages' context processors:
    a mail is not about the request (or the user) at hand, and it may be made without one."""
    env = current_app.jinja_env
    language = language_of(language)
    with force_locale(language):
        title = str(subject())
        values = {"subject": title, "lang": language, **context}
        return Composed(
            subject=title,
            text=env.get_template(f"mail/{template}.txt").render(**values).strip() + "\n",
            html=env.get_template(f"mail/{template}.html").render(**values),
        )


def absolute_url(endpoint: str, **values: Any) -> str | None:
    """The page's address on the site's public address (``BASE_URL``), for a link in a mail.

    Without a base URL only a debug or test server answering a request uses its own address
    (a forged Host header must not decide where a mailed link points); otherwise None, and the
    mail goes without the link."""
    base = current_app.config.get("BASE_URL")
    if base:
        if has_request_context():
            path = url_for(endpoint, **values).removeprefix(request.script_root)
        else:
            path = current_app.url_map.bind("localhost").build(endpoint, values)
        return base.rstrip("/") + path
    if has_request_context() and (current_app.debug or current_app.testing):
        return url_for(endpoint, _external=True, **values)
    return None
