"""The OpenAPI 3.1 document of the API, made by spectree from the routes themselves: the paths
and path parameters from the URL map, the bodies, query parameters and answers from the pydantic
models of ``schemas``, which each route names with ``doc``.

spectree only documents: the routes parse their input themselves (``core.body``,
``core.page_query``), so every refusal keeps the API's own problem+json shape. A route without
``doc`` is missing from the document (spectree's strict mode), which a test catches.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable
from typing import Any, Literal, TypeVar

from flask import jsonify
from flask.wrappers import Response as FlaskResponse
from pydantic import BaseModel
from spectree import Response, SecurityScheme, SecuritySchemeData, SpecTree
from werkzeug.wrappers import Response as WerkzeugResponse

from wijkraad.api import bp, schemas
from wijkraad.errors import PROBLEM_JSON

F = TypeVar("F", bound=Callable[..., Any])
BEARER = "bearer"
PAGE_HEADERS = {
    "X-Total-Count": {
        "description": "how many items the list has in all",
        "schema": {"type": "integer", "minimum": 0},
    },
    "Link": {
        "description": 'the first, previous, next and last pages: `<url>; rel="next"` (RFC 8288)',
        "schema": {"type": "string"},
    },
}

spec = SpecTree(
    "flask",
    mode="strict",
    annotations=False,
    title="wijkraad API",
    version="1",
    description="Councils, members, meetings, voting, decisions and budget of cooperative "
    "neighbourhood councils. Errors are application/problem+json with a stable `code`. "
    "Lists answer a page at a time (`page`, `per_page`): the page's items as a JSON array, "
    "the total in `X-Total-Count`, the neighbouring pages in `Link`.",
    validation_error_model=schemas.Problem,
    naming_strategy=lambda model: model.__name__,
    nested_naming_strategy=lambda _parent, child: child,
    security_schemes=[
        SecurityScheme(name=BEARER, data=SecuritySchemeData(type="http", scheme="bearer"))
    ],
)


class Answers(Response):
    """The answers of one operation. Unlike spectree's own: a refusal is
    application/problem+json, a page of a list has its headers, and no status is added that the
    route does not declare (spectree gives every route a 422; ours answer 422 only where there
    is input to refuse)."""

    def __init__(
        self, *, paged: bool, media: str | tuple[str, ...] | None = None, **codes: Any
    ) -> None:
        super().__init__(**codes)
        self.paged = paged
        self.media = media
        self.declared = set(codes)

    def add_model(self, code: int, model: Any, replace: bool = True, **kw: Any) -> None:
        if f"HTTP_{code}" in self.declared:
            super().add_model(code, model, replace=replace, **kw)

    def generate_spec(self, *args: Any, **kw: Any) -> dict[str, Any]:
        answers = super().generate_spec(*args, **kw)
        for status, answer in answers.items():
            if int(status) >= 400:
                answer["content"] = {PROBLEM_JSON: answer["content"]["application/json"]}
            elif self.media is not None:
                medias = (self.media,) if isinstance(self.media, str) else self.media
                answer["content"] = {m: {"schema": {"type": "string"}} for m in medias}
            elif self.paged:
                answer["headers"] = PAGE_HEADERS
        return answers


def doc(
    ok: int = 200,
    out: Any = None,
    *,
    body: type[BaseModel] | None = None,
    form: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    auth: Literal["required", "optional", "ignored"] = "optional",
    errors: dict[int, str] | None = None,
    media: str | tuple[str, ...] | None = None,
) -> Callable[[F], F]:
    """Documents a route: its success status and shape (``out``: a model or ``list[model]``),
    its JSON body (or its multipart ``form``, for a file), its query parameters, whether it
    takes a token (reads of public data take one optionally: members see more), and the
    refusals it may answer besides those that follow from these (400, 415 and 422 for a body,
    400 and 422 for the query, 401 for a bad token).
    A success that is not JSON (a CSV, a calendar, a PDF) names its ``media`` type (or the
    types it may be) instead.
    The summary and description are the view's docstring, the operation id its name."""
    refusals: dict[int, str] = {}
    if body is not None:
        refusals |= {400: "invalid-json", 415: "unsupported-media-type"}
    if form is not None:
        refusals |= {400: "bad-request", 415: "multipart-required"}
    # A query value that cannot be stored (a NUL character) is refused before the view.
    if query is not None and "bad-request" not in refusals.get(400, ""):
        refusals[400] = ", ".join(filter(None, (refusals.get(400), "bad-request")))
    if body is not None or form is not None or query is not None:
        refusals[422] = "invalid-input, naming the fields in `errors`"
    if auth != "ignored":
        refusals[401] = "invalid-token" + (
            ", unauthorized (none sent)" if auth == "required" else ""
        )
    refusals |= errors or {}
    codes: dict[str, Any] = {f"HTTP_{ok}": (out, "")}
    codes |= {f"HTTP_{status}": (schemas.Problem, text) for status, text in refusals.items()}
    security = {"required": [{BEARER: []}], "optional": [{}, {BEARER: []}], "ignored": []}

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def keeping_status(*args: Any, **kwargs: Any) -> Any:
            # spectree rebuilds a response that is not Flask's own with status 200: a file's
            # 304 (or any other status) is handed over beside it, so it stays.
            answer = view(*args, **kwargs)
            if isinstance(answer, WerkzeugResponse):
                return answer, answer.status_code
            return answer

        return spec.validate(  # type: ignore[no-any-return]
            json=body,
            form=form,
            query=query,
            resp=Answers(
                paged=query is not None and issubclass(query, schemas.PageQuery),
                media=media,
                **codes,
            ),
            security=security[auth],
            operation_id=view.__name__,
            skip_validation=True,
        )(keeping_status)

    return decorate


PREFIX = bp.url_prefix or ""
_ID = re.compile(r"\{(\w+)_id\}")


def document() -> dict[str, Any]:
    """The document, with paths as API.md writes them: relative to the server ``/api/v1``, and
    a path's one id parameter named ``id``. A body whose fields all have defaults may be left
    out."""
    # spectree makes its part once, from the first app that asks: every app has these routes.
    made = copy.deepcopy(spec.spec)
    models = made["components"]["schemas"]
    paths: dict[str, Any] = {}
    for path, operations in made["paths"].items():
        for operation in operations.values():
            if "requestBody" in operation:
                content = operation["requestBody"]["content"]
                ref = next(iter(content.values()))["schema"]["$ref"]
                operation["requestBody"]["required"] = bool(
                    models[ref.rsplit("/", 1)[1]].get("required")
                )
        ids = _ID.findall(path)
        if len(ids) == 1:
            path = _ID.sub("{id}", path)
            for operation in operations.values():
                for parameter in operation["parameters"]:
                    if parameter["in"] == "path" and parameter["name"] == f"{ids[0]}_id":
                        parameter["name"] = "id"
                        parameter["description"] = f"the {ids[0].replace('_', ' ')}'s id"
        paths[path.removeprefix(PREFIX)] = operations
    made["paths"] = paths
    made["servers"] = [{"url": PREFIX}]
    return made


@bp.get("/openapi.json")
@doc(200, schemas.Document)
def openapi() -> FlaskResponse:
    """This document: every path, parameter, body, answer and refusal of the API."""
    return jsonify(document())
