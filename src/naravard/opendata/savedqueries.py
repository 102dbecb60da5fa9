"""The PxWeb API's saved queries: ``POST /savedqueries`` keeps a table's selection under an id;
``/savedqueries/{id}`` gives it back, ``/savedqueries/{id}/selection`` as a SelectionResponse,
``/savedqueries/{id}/data`` the data of the selection as they stand when it is run (a release
since it was saved shows; a withdrawn period is a 400 naming what is published).

A query is checked against its table when it is saved, so a saved query that could not run is
refused then (400), not kept.
"""

from __future__ import annotations

import secrets

from django.http import JsonResponse

from naravard.opendata import pxweb
from naravard.opendata.models import SavedQuery
from naravard.opendata.pxweb import PxWebError, endpoint

MAX_SELECTION_ITEMS = 50  # variables of a selection (a table here has four)


def _query_json(query: SavedQuery) -> dict:
    return {
        "id": query.id,
        "tableId": query.table_id,
        "language": query.language,
        "selection": {"selection": query.selection, "placement": query.placement},
        "outputFormat": query.output_format,
        "outputFormatParams": query.output_format_params,
    }


def _response(request, query: SavedQuery, lang: str) -> dict:
    links = pxweb.Links(request)
    return {
        "language": lang,
        "id": query.id,
        "savedQuery": _query_json(query),
        "links": [
            links.link("self", lang, f"savedqueries/{query.id}"),
            links.link("data", lang, f"savedqueries/{query.id}/data"),
            links.link("selection", lang, f"savedqueries/{query.id}/selection"),
        ],
    }


def _saved(query_id: str) -> SavedQuery:
    query = SavedQuery.objects.filter(pk=query_id[:24]).first()
    if query is None or query.id != query_id:
        raise PxWebError(404, "Non-existent saved query", f"no saved query {query_id!r}")
    return query


def _string(body: dict, name: str) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value.strip():
        raise PxWebError(400, "Invalid saved query", f"{name} is a non-empty string")
    return value.strip()


@endpoint("POST")
def save(request, lang):
    """Keep a query: ``{"tableId", "language", "selection": {"selection", "placement"},
    "outputFormat", "outputFormatParams"}``; 201 with its id."""
    body = pxweb.json_body(request)
    table_id, language = _string(body, "tableId"), _string(body, "language").lower()
    if language not in dict(pxweb.LANGUAGES):
        raise PxWebError(400, "Invalid saved query", f"language is one of sv, en, not {language!r}")
    wanted = body.get("selection")
    if not isinstance(wanted, dict):
        raise PxWebError(400, "Invalid saved query", 'selection is an object: {"selection": [...]}')
    items = wanted.get("selection")
    if isinstance(items, list) and len(items) > MAX_SELECTION_ITEMS:
        raise PxWebError(400, "Invalid saved query", "selection names too many variables")
    selection = pxweb.selection_of(wanted)
    fmt = body.get("outputFormat") or pxweb.DATA_FORMAT
    params = body.get("outputFormatParams") or []
    if not isinstance(fmt, str) or not isinstance(params, list):
        raise PxWebError(
            400, "Invalid saved query", "outputFormat is a string, outputFormatParams a list"
        )
    fmt, checked = pxweb.output(fmt, [str(p) for p in params])
    try:
        table = pxweb.build_table(pxweb.published(table_id), language)
    except PxWebError as exc:  # saving answers 201 or 400
        raise PxWebError(400, "Invalid saved query", exc.detail) from None
    pxweb.choose(table, selection)  # the selection fits the table now, or a 400
    pxweb.placement(table, selection)
    query = SavedQuery.objects.create(
        id=secrets.token_urlsafe(12),
        table_id=table.indicator.id,
        language=language,
        selection=items or [],
        placement=wanted.get("placement") or {},
        output_format=fmt,
        output_format_params=list(checked),
    )
    return JsonResponse(
        _response(request, query, language), status=201, json_dumps_params={"ensure_ascii": False}
    )


@endpoint("GET")
def saved(request, lang, query_id: str):
    return _response(request, _saved(query_id), lang)


@endpoint("GET")
def selection(request, lang, query_id: str):
    """The saved selection with every expression evaluated against the table as it is now."""
    query = _saved(query_id)
    table = pxweb.build_table(pxweb.published(query.table_id), lang)
    return pxweb.selection_response(
        request, table, _selection(query), f"savedqueries/{query.id}/selection"
    )


def _selection(query: SavedQuery) -> pxweb.Selection:
    return pxweb.selection_of({"selection": query.selection, "placement": query.placement})


@endpoint("GET")
def data(request, lang, query_id: str):
    """The saved query run now, in its output format unless the request names another."""
    query = _saved(query_id)
    if pxweb.param(request, "outputFormat") is None:
        fmt, params = pxweb.output(query.output_format, query.output_format_params)
    else:
        fmt, params = pxweb.output_format(request)
    language = lang if pxweb.param(request, "lang") else query.language
    return pxweb.answer(request, language, query.table_id, _selection(query), fmt, params)
