"""One error root: every error naravard raises is a NaravardError of a kind that carries its
HTTP status and exit code, and the command line, the API and the pages each turn it into one
line for people in one place."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from django.test import RequestFactory

import naravard
from naravard.core.errors import Failed, Invalid, NaravardError, NotFound, Refused

# An exception class under src/naravard that is not a NaravardError needs a reason here,
# "module.Class": "why" (e.g. one that must be Django's ValidationError to reach a form).
EXEMPT: dict[str, str] = {}


def exception_classes() -> dict[str, type[BaseException]]:
    """Every exception class defined in a module of naravard (migrations have none), by its
    dotted name."""
    found = {}
    for module_info in pkgutil.walk_packages(naravard.__path__, "naravard."):
        if ".migrations" in module_info.name:
            continue
        module = importlib.import_module(module_info.name)
        for name, obj in vars(module).items():
            if (
                inspect.isclass(obj)
                and issubclass(obj, BaseException)
                and obj.__module__ == module.__name__
            ):
                found[f"{module.__name__}.{name}"] = obj
    return found


def test_every_error_class_derives_from_the_root():
    classes = exception_classes()
    # the walk sees the modules' errors, from the bottom layer to the top
    for known in (
        "naravard.core.tables.TableError",
        "naravard.collect.services.CollectError",
        "naravard.catalog.catalogue.PeriodError",
        "naravard.report.build.PublicationRefused",
        "naravard.opendata.pxweb.PxWebError",
    ):
        assert known in classes, sorted(classes)
    outside = [
        name
        for name, cls in classes.items()
        if not issubclass(cls, NaravardError) and name not in EXEMPT
    ]
    assert not outside, f"derive these from a kind in naravard.core.errors: {outside}"
    assert not set(EXEMPT) - set(classes), "an exemption names a class that is gone"


def test_each_error_name_means_one_thing():
    """Two error classes of the same name (two ImportRefused, as there were) are one too many."""
    by_name: dict[str, set[str]] = {}
    for dotted, cls in exception_classes().items():
        by_name.setdefault(cls.__name__, set()).add(dotted)
    assert {name: where for name, where in by_name.items() if len(where) > 1} == {}


@pytest.mark.parametrize(
    ("kind", "builtin", "status"),
    [
        (Invalid, ValueError, 400),
        (NotFound, LookupError, 404),
        (Refused, RuntimeError, 409),
        (Failed, RuntimeError, 500),
    ],
)
def test_a_kind_is_also_its_builtin_and_carries_status_and_exit_code(kind, builtin, status):
    error = kind("what went wrong")
    assert isinstance(error, NaravardError) and isinstance(error, builtin)
    assert (error.status, error.exit_code) == (status, 1)
    assert error.message() == error.message("en") == "what went wrong"


def test_a_class_that_is_two_things_answers_as_its_kind():
    """An unknown indicator is a catalogue error (callers catch CatalogueError) and a 404; a
    refused publication is a report error and a 409."""
    from naravard.catalog.catalogue import CatalogueError, UnknownIndicator, get_indicator
    from naravard.report.build import PublicationRefused, ReportError

    with pytest.raises(UnknownIndicator) as info:
        get_indicator("no_such_indicator")
    assert isinstance(info.value, CatalogueError) and info.value.status == 404
    refused = PublicationRefused(["the fact-check is open"])
    assert isinstance(refused, ReportError) and refused.status == 409


# ------------------------------------------------------------------------- the faces ---


def test_the_command_line_prints_one_line_and_exits_with_the_kind_code(cli):
    """`refdata resolve` lets the resolver's NotFound through; the app prints it."""
    from naravard.refdata.resolve import Resolver, UnknownName

    with pytest.raises(UnknownName) as info:
        Resolver.default().resolve("Atlantis")
    out = cli("refdata", "resolve", "Atlantis")
    assert out.returncode == NotFound.exit_code == 1
    assert out.stdout == ""
    assert out.stderr == f"error: {info.value}\n"
    assert "No region or municipality is named 'Atlantis'" in out.stderr


def test_the_command_line_keeps_the_traceback_of_other_exceptions(cli, monkeypatch):
    """Only naravard's errors become one line; a bug still shows where it is."""
    from naravard.refdata import resolve

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(resolve.Resolver, "resolve", broken)
    with pytest.raises(ZeroDivisionError):
        cli("refdata", "resolve", "Atlantis")


@pytest.mark.django_db
def test_the_api_answers_the_kind_status_and_the_message(client):
    """The open API lets NotPublished through; the API answers 404 and the message."""
    response = client.get("/api/open/indicators/no_such_indicator")
    assert response.status_code == NotFound.status == 404
    assert response.json() == {"detail": "no indicator 'no_such_indicator'"}


@pytest.mark.django_db
def test_the_api_answers_a_refused_save_with_409(make_user, status_round):
    """The collection API lets the services' Conflict (a Refused) through: 409 and why."""
    from django.test import Client

    from naravard.collect.models import Response

    response = Response.objects.get(round=status_round, region_id="06")
    client = Client()
    client.force_login(make_user("samordnare", "region_coordinator", "06"))
    url = f"/api/collect/rounds/{status_round.pk}/responses/06"

    def save(answer: str):
        body = {"version": response.version, "answers": {"beslut.strategi": answer}}
        return client.put(url, body, content_type="application/json")

    assert save("ja").status_code == 200
    stale = save("nej")  # from the version read before the first save
    assert stale.status_code == Refused.status == 409
    assert stale.json() == {"detail": stale.json()["detail"]}
    assert stale.json()["detail"].startswith("Svaret har ändrats av samordnare ")


@pytest.mark.django_db
def test_a_page_answers_the_kind_status_page_with_the_message(client, released_named_doctor):
    """The public indicator page lets PeriodError (a NotFound) through: the 404 page says
    which periods are published, in the page's language."""
    from naravard.catalog.catalogue import PeriodError, get_indicator
    from naravard.publish.open_data import public_indicator

    published = public_indicator("named_doctor_share").periods
    expected = PeriodError(get_indicator("named_doctor_share"), "2022", published, published=True)
    page = client.get("/statistik/named_doctor_share/?period=2022")
    assert page.status_code == 404
    html = page.content.decode()
    assert "Sidan finns inte" in html and expected.message("sv") in html
    english = client.get("/en/statistik/named_doctor_share/?period=2022")
    assert english.status_code == 404 and expected.message("en") in english.content.decode()


@pytest.mark.django_db
def test_the_status_page_of_the_other_kinds_says_it_could_not_be_done():
    from django.contrib.auth.models import AnonymousUser
    from django.utils import translation

    from naravard.presentation.errors import ErrorPageMiddleware

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    middleware = ErrorPageMiddleware(lambda request: None)
    for lang, title in (("sv", "Det gick inte att göra"), ("en", "That could not be done")):
        with translation.override(lang):
            page = middleware.process_exception(request, Refused("Omgången är låst."))
        assert page.status_code == 409
        html = page.content.decode()
        assert f"<h1>{title}</h1>" in html and "Omgången är låst." in html
    assert middleware.process_exception(request, ZeroDivisionError()) is None
