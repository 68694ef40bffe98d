"""The live screens under polling: the projector (anonymous), a member's phone panel and the
chair's console, each polled by many clients at once, unchanged (``If-None-Match`` with the tag
the screen shows: a 304) and changed (no tag: the fragment rendered in full, as every poll was
before entity tags)."""

from __future__ import annotations

import http.client
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from benchmarks import load

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
# 200 for a rendered fragment, 304 for an unchanged one; 204 was the old "nothing new".
OK = (200, 204, 304)


def _exchange(
    port: int, method: str, path: str, headers: dict[str, str], body: bytes | None = None
) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection(load.HOST, port, timeout=load.TIMEOUT)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        cookies = [v for k, v in response.getheaders() if k.lower() == "set-cookie"]
        found = {k.lower(): v for k, v in response.getheaders()}
        if cookies:
            found["set-cookie"] = "; ".join(c.split(";", 1)[0] for c in cookies)
        return response.status, found, response.read()
    finally:
        conn.close()


def login(port: int, email: str, password: str) -> str:
    """A session cookie (``name=value``) for ``email``, through the login form."""
    status, headers, body = _exchange(port, "GET", "/aanmelden", {})
    match = CSRF.search(body.decode())
    if status != 200 or match is None or "set-cookie" not in headers:
        raise RuntimeError(f"login page: {status}")
    cookie = headers["set-cookie"]
    form = urlencode({"email": email, "password": password, "csrf_token": match.group(1)})
    status, headers, body = _exchange(
        port,
        "POST",
        "/aanmelden",
        {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
        form.encode(),
    )
    if status not in (302, 303) or "set-cookie" not in headers:
        raise RuntimeError(f"login as {email}: {status} {body[:200]!r}")
    return headers["set-cookie"]


def screens(
    port: int, meeting_id: int, round_id: int, chair_cookie: str, member_cookie: str
) -> list[tuple[str, str, dict[str, str]]]:
    """(name, path, headers) of each screen's fragment as its viewer polls it."""
    return [
        ("projector", f"/vergaderingen/{meeting_id}/projector/stand", {}),
        ("phone", f"/vergaderingen/{meeting_id}/stemmen/paneel", {"Cookie": member_cookie}),
        ("console", f"/stemmingen/{round_id}/voorzitter/stand", {"Cookie": chair_cookie}),
    ]


def run(
    port: int,
    meeting_id: int,
    round_id: int,
    cookies: tuple[str, str],
    throughput: Callable[..., dict[str, Any]],
    show: Callable[[dict[str, Any]], None],
) -> dict[str, Any]:
    """Each screen unchanged and changed; ``throughput(path, headers=..., ok=...)`` measures."""
    out: dict[str, Any] = {}
    for name, path, headers in screens(port, meeting_id, round_id, *cookies):
        status, answer, _ = _exchange(port, "GET", path, headers)
        if status != 200:
            raise RuntimeError(f"{name}: GET {path} answered {status}")
        etag = answer.get("etag")
        out[name] = {"cache_control": answer.get("cache-control"), "etag": etag}
        unchanged = {**headers, "If-None-Match": etag} if etag else headers
        for kind, sent in (("unchanged", unchanged), ("changed", headers)):
            print(
                f"  {name} {kind}: GET {path}{' (If-None-Match)' if 'If-None-Match' in sent else ''}"
            )
            run_ = throughput(path, headers=sent, ok=OK)
            status, _, _ = _exchange(port, "GET", path, sent)
            run_["status"] = status
            out[name][kind] = run_
            show(run_)
    return out
