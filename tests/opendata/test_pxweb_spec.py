"""The PxWeb API 2.0 face (/api/v2/) checked against the official specifications, pinned in
tests/opendata/specs/ (see the README there for where each file comes from):

- the JSON-stat 2.0 Schema of json-stat.org (the general schema and the one for the
  ``dataset`` class): every metadata and data answer is a valid JSON-stat 2.0 dataset;
- PxAPI-2.yml, the OpenAPI description of the PxWebApi 2 (PxTools/PxApiSpecs): schemathesis
  sends requests made from it, valid and invalid, to a live server and fails on a server error
  (5xx), a status, content type or header the operation does not declare, or a body that does
  not match the declared schema.

The specification has errors of its own, which no server could keep to; SPEC_ERRATA corrects
them in memory (the pinned file stays as published), each with its reason. What remains is
naravard's: the tests that find it are marked xfail(strict=True) with the faults found, so that
a fix turns the mark into a failure to remove (NARAVARD_FAULTS, REQUEST_FAULTS).

Bounded and repeatable: Hypothesis derandomized, no shrinking, MAX_EXAMPLES requests per
operation and generation mode (valid, invalid) and at most BUDGET_SECONDS for each.
"""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import requests
import schemathesis
import yaml
from django.core.management import call_command
from django.test import Client
from django.test.utils import modify_settings
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from pytest_django.live_server_helper import LiveServer
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from naravard.publish.releases import release
from tests.helpers import store

SPECS = Path(__file__).parent / "specs"
BASE = "/api/v2"
TABLE = "named_doctor_share"
CODELIST = "vs_Regioner"
MAX_EXAMPLES = 12
BUDGET_SECONDS = 20.0

# --- JSON-stat 2.0 -------------------------------------------------------------------------

JSON_STAT = {
    name: jsonschema.Draft202012Validator(
        json.loads((SPECS / file).read_text()), format_checker=jsonschema.FormatChecker()
    )
    for name, file in (
        ("JSON-stat 2.0 Schema", "json-stat-2.0.schema.json"),
        ("JSON-stat 2.0 Dataset Schema", "json-stat-2.0-dataset.schema.json"),
    )
}


def json_stat_errors(document: Any) -> list[str]:
    """Where ``document`` breaks either JSON-stat 2.0 schema (none for a valid dataset)."""
    return [
        f"{name}: /{'/'.join(map(str, error.absolute_path))}: {error.message[:200]}"
        for name, validator in JSON_STAT.items()
        for error in validator.iter_errors(document)
    ]


def test_the_pinned_json_stat_schemas_are_themselves_valid():
    for validator in JSON_STAT.values():
        jsonschema.Draft202012Validator.check_schema(validator.schema)


def _answers(client: Client) -> Iterator[tuple[str, Any]]:
    """The metadata and a range of data answers of the released table."""
    data = f"{BASE}/tables/{TABLE}/data"
    for lang in ("sv", "en"):
        yield f"metadata {lang}", client.get(f"{BASE}/tables/{TABLE}/metadata", {"lang": lang})
        yield f"default data {lang}", client.get(data, {"lang": lang})
    every = {"valueCodes[Region]": "*", "valueCodes[Kon]": "*", "valueCodes[ContentsCode]": "*"}
    yield "every cell", client.get(data, {**every, "valueCodes[Tid]": "*"})
    yield (
        "a suppressed cell",
        client.get(data, {"valueCodes[Region]": "06", "valueCodes[Kon]": "2"}),
    )
    yield "a code list", client.get(data, {"codelist[Region]": CODELIST, "valueCodes[Region]": "*"})
    yield "placed", client.get(data, {**every, "heading": "Region", "stub": "Tid,Kon"})
    query = {
        "selection": [
            {"variableCode": "Region", "valueCodes": ["00", "01", "06"]},
            {"variableCode": "Kon", "valueCodes": ["*"]},
        ],
        "placement": {"heading": ["Kon"], "stub": ["Region"]},
    }
    yield "POST", client.post(data, json.dumps(query), content_type="application/json")


@pytest.mark.django_db
def test_metadata_and_data_are_json_stat_datasets(released_named_doctor):
    errors, statuses = {}, set()
    for what, response in _answers(Client()):
        assert response.status_code == 200, (what, response.content[:300])
        dataset = response.json()
        statuses.update((dataset.get("status") or {}).values())
        if found := json_stat_errors(dataset):
            errors[what] = found[:5]
    assert not errors, errors
    assert ".." in statuses  # a suppressed cell was among them


def test_the_validation_finds_a_broken_dataset():
    broken = {"version": "2.0", "class": "dataset", "id": ["a"], "size": [1], "value": [1]}
    assert json_stat_errors(broken)  # no dimension
    broken["dimension"] = {"a": {"category": {"index": ["x"]}}}
    assert not json_stat_errors(broken)
    broken["role"] = {"place": ["a"]}
    assert json_stat_errors(broken)


# --- PxAPI-2.yml -------------------------------------------------------------------------

PXAPI = yaml.safe_load((SPECS / "PxAPI-2.yml").read_text())
DATA_OPERATIONS = (
    ("/tables/{id}/data", "get"),
    ("/tables/{id}/data", "post"),
    ("/savedqueries/{id}/data", "get"),
)


def _set(path: tuple[str, ...], value: Any) -> Callable[[dict], None]:
    def apply(spec: dict) -> None:
        *parents, last = path
        node = spec
        for key in parents:
            node = node[key]
        node[last] = value

    return apply


def _drop(path: tuple[str, ...]) -> Callable[[dict], None]:
    def apply(spec: dict) -> None:
        *parents, last = path
        node = spec
        for key in parents:
            node = node[key]
        del node[last]

    return apply


def _json_body_is_a_dataset(spec: dict) -> None:
    for path, method in DATA_OPERATIONS:
        content = spec["paths"][path][method]["responses"]["200"]["content"]
        content["application/json"]["schema"] = {"$ref": "#/components/schemas/Dataset"}


def _tables_declares_errors(spec: dict) -> None:
    responses = spec["paths"]["/tables"]["get"]["responses"]
    for status in ("400", "429"):
        responses[status] = {"$ref": f"#/components/responses/ErrorResponse{status}"}


def _data_formats_have_their_types(spec: dict) -> None:
    for path, method in DATA_OPERATIONS:
        content = spec["paths"][path][method]["responses"]["200"]["content"]
        for media_type in (
            "text/csv",
            "text/html",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ):
            content.setdefault(media_type, {"schema": {"type": "string"}})


# (what is wrong in the specification itself, its correction)
SPEC_ERRATA: list[tuple[str, Callable[[dict], None]]] = [
    (
        "Table.updated is 'Date and time ... in UTC', format date-time, yet its pattern allows "
        "a bare date only (YYYY-MM-DD), so no value can satisfy both; the model generated from "
        "the spec (PxWeb.Api2.Server.Models/Table.cs) is a DateTime. The pattern is dropped.",
        _drop(("components", "schemas", "Table", "properties", "updated", "pattern")),
    ),
    (
        "components/schemas/updated (Dataset.updated, px.nextUpdate) refers to "
        "json-stat.org/full/#updated, which allows an ISO 8601 date-time or a date, but its "
        "pattern allows a date only. It becomes the JSON-stat 2.0 Schema's definition.",
        _set(
            ("components", "schemas", "updated"),
            {
                "oneOf": [
                    {"type": "string", "format": "date-time"},
                    {
                        "type": "string",
                        "pattern": r"^((19|20)\d\d)\-(0?[1-9]|1[012])\-(0?[1-9]|[12][0-9]|3[01])$",
                    },
                ]
            },
        ),
    ),
    (
        "VariableSelection requires 'values', a property it does not define: its values are "
        "'valueCodes' (and only variableCode is [Required] in the generated model). Every "
        "selection (POST body, defaultselection, saved queries) would be invalid otherwise.",
        _set(("components", "schemas", "VariableSelection", "required"), ["variableCode"]),
    ),
    (
        "The 200 answer of the data operations declares application/json as `type: string`; "
        "the JSON body is a JSON-stat 2.0 dataset, an object (what the spec's own Dataset "
        "schema describes, as for /tables/{id}/metadata). It becomes Dataset.",
        _json_body_is_a_dataset,
    ),
    (
        "GET /tables declares only 200, though pastDays is 'positive integers' only and every "
        "other operation declares 400 and 429 for a bad request and the rate limit. The two "
        "are added.",
        _tables_declares_errors,
    ),
    (
        "The data operations offer outputFormat csv, html and xlsx (OutputFormatType) but their "
        "200 answer declares only application/json, text/plain, application/xml and "
        "application/octet-stream; the formats' own media types are added.",
        _data_formats_have_their_types,
    ),
]


def corrected_spec() -> dict:
    spec = copy.deepcopy(PXAPI)
    for _, correct in SPEC_ERRATA:
        correct(spec)
    return spec


SCHEMA = schemathesis.openapi.from_dict(corrected_spec())
OPERATIONS = {result.ok().label: result.ok() for result in SCHEMA.get_all_operations()}


def json_stat_conformance(ctx, response, case) -> None:
    """A check of our own: a JSON answer of 200 with data or metadata is JSON-stat 2.0."""
    dataset_paths = {path for path, _ in DATA_OPERATIONS} | {"/tables/{id}/metadata"}
    content_type = response.headers.get("content-type", [""])[0]
    if (
        response.status_code == 200
        and case.operation.path in dataset_paths
        and content_type.startswith("application/json")
    ):
        errors = json_stat_errors(response.json())
        assert not errors, "not a JSON-stat 2.0 dataset:\n" + "\n".join(errors[:5])


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    json_stat_conformance,
]

# naravard's own faults, found by the runs below (fix one, then remove its entry)
NARAVARD_FAULTS: dict[str, str] = {}  # generated requests, by operation


def test_the_errata_apply_to_the_pinned_spec():
    """Each correction changes the specification (a later spec that fixed one makes it fail
    here: drop the erratum then)."""
    for reason, correct in SPEC_ERRATA:
        spec = copy.deepcopy(PXAPI)
        correct(spec)
        assert spec != PXAPI, reason
    assert set(OPERATIONS) >= set(NARAVARD_FAULTS)


@pytest.fixture(scope="module")
def pxweb_url(django_db_setup, django_db_blocker) -> Iterator[str]:
    """A live server of the application for this module, with named-doctor shares of 2021
    (released, Jönköping's tiny share suppressed) and 2022 (not released) committed to the
    database, emptied again (as after a transactional test) at the module's end."""
    with django_db_blocker.unblock(), modify_settings(ALLOWED_HOSTS={"append": "localhost"}):
        store("2021", share_of={"06": 3})
        store("2022")
        release(TABLE, "2021", actor="test")
        server = LiveServer("localhost")
        try:
            yield f"{server.url}{BASE}"
        finally:
            server.stop()
            call_command("flush", interactive=False, verbosity=0)


def _strategy(operation, mode: GenerationMode):
    """Generated requests; those with a path id also on the table or code list that exists."""
    if not any(p.name == "id" for p in operation.path_parameters):
        return operation.as_strategy(mode)
    known = CODELIST if operation.path.startswith("/codelists") else TABLE
    return st.one_of(
        operation.as_strategy(mode, path_parameters={"id": known}), operation.as_strategy(mode)
    )


def _params() -> list:
    return [
        pytest.param(
            label,
            marks=[pytest.mark.xfail(strict=True, reason=NARAVARD_FAULTS[label])]
            if label in NARAVARD_FAULTS
            else [],
        )
        for label in OPERATIONS
    ]


def _run(operation, mode: GenerationMode, base_url: str, failures: dict[str, str]) -> None:
    """Up to MAX_EXAMPLES generated requests in BUDGET_SECONDS; failures kept by their kind,
    with the first request that showed each."""
    stop = time.monotonic() + BUDGET_SECONDS

    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: the request is reported
        suppress_health_check=list(HealthCheck),
    )
    @given(case=_strategy(operation, mode))
    def run(case):
        if time.monotonic() > stop:
            return
        try:
            case.call_and_validate(base_url=base_url, checks=CHECKS, timeout=30)
        except (Failure, FailureGroup) as exc:
            for failure in getattr(exc, "exceptions", [exc]):
                title = str(failure).split("\n", 1)[0]
                failures.setdefault(
                    f"{mode.value}: {title}", f"{case.as_curl_command()}\n{failure}"[:1500]
                )

    try:
        run()
    except Unsatisfiable:  # no parameters to make invalid (GET /config)
        assert mode is GenerationMode.NEGATIVE


@pytest.mark.django_db  # the test database exists, even when these tests run alone
@pytest.mark.parametrize("label", _params())
def test_the_api_keeps_to_pxapi_2(pxweb_url, label):
    failures: dict[str, str] = {}
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        _run(OPERATIONS[label], mode, pxweb_url, failures)
    assert not failures, "\n\n".join(f"{k}\n{v}" for k, v in failures.items())


# Requests a client makes, which generated ones seldom hit: operation, parts, expected status
SELECTION = {
    "selection": [
        {"variableCode": "Region", "valueCodes": ["00", "01", "06"]},
        {"variableCode": "Kon", "valueCodes": ["*"]},
        {"variableCode": "Tid", "valueCodes": ["top(1)"]},
    ],
    "placement": {"heading": ["Kon"], "stub": ["Region"]},
}
# (an explicit case is sent as it is written: deepObject and form parameters serialized here)
EVERY = {f"valuecodes[{v}]": "*" for v in ("Region", "Kon", "ContentsCode", "Tid")}
REQUESTS: dict[str, tuple[str, dict[str, Any], int]] = {
    "tables": ("GET /tables", {}, 200),
    "tables en": ("GET /tables", {"query": {"lang": "en"}}, 200),
    "tables searched": ("GET /tables", {"query": {"query": "läkarkontakt", "pastDays": 1}}, 200),
    "tables paged": ("GET /tables", {"query": {"pageSize": 1, "pageNumber": 2}}, 200),
    "table": ("GET /tables/{id}", {"path_parameters": {"id": TABLE}}, 200),
    "table en": (
        "GET /tables/{id}",
        {"path_parameters": {"id": TABLE}, "query": {"lang": "en"}},
        200,
    ),
    "no table": ("GET /tables/{id}", {"path_parameters": {"id": "no_such_table"}}, 404),
    "metadata": ("GET /tables/{id}/metadata", {"path_parameters": {"id": TABLE}}, 200),
    "metadata en": (
        "GET /tables/{id}/metadata",
        {"path_parameters": {"id": TABLE}, "query": {"lang": "en"}},
        200,
    ),
    "default selection": (
        "GET /tables/{id}/defaultselection",
        {"path_parameters": {"id": TABLE}},
        200,
    ),
    "default data": ("GET /tables/{id}/data", {"path_parameters": {"id": TABLE}}, 200),
    "every cell": (
        "GET /tables/{id}/data",
        {"path_parameters": {"id": TABLE}, "query": EVERY},
        200,
    ),
    "code list and placement": (
        "GET /tables/{id}/data",
        {
            "path_parameters": {"id": TABLE},
            "query": {
                "valuecodes[Region]": "*",
                "valuecodes[Kon]": "1,2",
                "codelist[Region]": CODELIST,
                "heading": "Region",
                "stub": "Kon,Tid",
                "outputFormat": "json-stat2",
                "lang": "en",
            },
        },
        200,
    ),
    "unknown value": (
        "GET /tables/{id}/data",
        {"path_parameters": {"id": TABLE}, "query": {"valuecodes[Region]": "99"}},
        400,
    ),
    "POST selection": (
        "POST /tables/{id}/data",
        {"path_parameters": {"id": TABLE}, "body": SELECTION, "media_type": "application/json"},
        200,
    ),
    "code list": ("GET /codelists/{id}", {"path_parameters": {"id": CODELIST}}, 200),
    "code list en": (
        "GET /codelists/{id}",
        {"path_parameters": {"id": "vs_Riket"}, "query": {"lang": "en"}},
        200,
    ),
    "no code list": ("GET /codelists/{id}", {"path_parameters": {"id": "vs_Fylker"}}, 404),
    "config": ("GET /config", {}, 200),
    "a line feed in a saved-query id": (
        "GET /savedqueries/{id}",
        {"path_parameters": {"id": "a\nb"}},
        404,
    ),
    "save a query": (
        "POST /savedqueries",
        {
            "body": {"tableId": TABLE, "language": "sv", "selection": SELECTION},
            "media_type": "application/json",
        },
        201,
    ),
}
REQUEST_FAULTS: dict[str, str] = {}  # requests of REQUESTS, by name


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        pytest.param(
            name,
            marks=[pytest.mark.xfail(strict=True, reason=REQUEST_FAULTS[name])]
            if name in REQUEST_FAULTS
            else [],
        )
        for name in REQUESTS
    ],
)
def test_what_clients_ask_keeps_to_pxapi_2(pxweb_url, name):
    label, parts, status = REQUESTS[name]
    response = OPERATIONS[label].Case(**parts).call_and_validate(base_url=pxweb_url, checks=CHECKS)
    assert response.status_code == status, response.text[:500]


@pytest.mark.django_db
def meta_dimensions(pxweb_url: str) -> list[dict]:
    meta = requests.get(f"{pxweb_url}/tables/{TABLE}/metadata", timeout=30).json()
    return list(meta["dimension"].values())


def test_the_dimension_extensions_use_the_names_of_the_spec(pxweb_url):
    """PxAPI-2.yml's extension-dimension lists a dimension's code lists under ``codelists``;
    a client that follows it finds none under another name. naravard also gives them under
    ``codeLists``, the name of SCB's API 2.0 beta that clients of then read (pxwebpy 0.6), as
    an alias beside the spec's name, never instead of it."""
    known = set(PXAPI["components"]["schemas"]["extension-dimension"]["properties"])
    known.add("codeLists")
    assert all("codelists" in d.get("extension", {}) for d in meta_dimensions(pxweb_url))
    meta = requests.get(f"{pxweb_url}/tables/{TABLE}/metadata", timeout=30).json()
    unknown = {
        f"{code}: {name}"
        for code, dimension in meta["dimension"].items()
        for name in dimension.get("extension", {})
        if name not in known
    }
    assert not unknown, sorted(unknown)
