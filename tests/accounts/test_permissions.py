"""Every role against objects of its own and of another region or municipality."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from naravard.accounts.models import User
from naravard.accounts.permissions import Action, filter_visible, has_permission
from naravard.refdata.models import Municipality, Region

OWN_REGION, OTHER_REGION = "01", "03"
OWN_MUNICIPALITY, OTHER_MUNICIPALITY = "0180", "0380"  # 0180 lies in region 01

PAGES = {
    "own region workspace": f"/konto/region/{OWN_REGION}/",
    "other region workspace": f"/konto/region/{OTHER_REGION}/",
    "own municipality workspace": f"/konto/kommun/{OWN_MUNICIPALITY}/",
    "other municipality workspace": f"/konto/kommun/{OTHER_MUNICIPALITY}/",
    "analyst overview": "/konto/organisationer/",
    "analyst start page": "/konto/oversikt/",
    "admin": "/admin/",
    "public region page": f"/region/{OTHER_REGION}/",
    "public municipality page": f"/kommun/{OTHER_MUNICIPALITY}/",
}

# role -> page -> expected status (302 = sent to the login page)
EXPECTED = {
    "public": {
        "own region workspace": 302,
        "other region workspace": 302,
        "own municipality workspace": 302,
        "other municipality workspace": 302,
        "analyst overview": 302,
        "analyst start page": 302,
        "admin": 302,
        "public region page": 200,
        "public municipality page": 200,
    },
    "analyst": {page: 200 for page in PAGES},
    "region_coordinator": {
        "own region workspace": 200,
        "other region workspace": 403,
        "own municipality workspace": 403,
        "other municipality workspace": 403,
        "analyst overview": 403,
        "analyst start page": 403,
        "admin": 302,
        "public region page": 200,
        "public municipality page": 200,
    },
    "municipality_respondent": {
        "own region workspace": 403,
        "other region workspace": 403,
        "own municipality workspace": 200,
        "other municipality workspace": 403,
        "analyst overview": 403,
        "analyst start page": 403,
        "admin": 302,
        "public region page": 200,
        "public municipality page": 200,
    },
}

ORG_OF_ROLE = {
    "analyst": None,
    "region_coordinator": OWN_REGION,
    "municipality_respondent": OWN_MUNICIPALITY,
}


@pytest.fixture
def as_role(client, make_user):
    def login(role: str):
        if role != "public":
            client.force_login(make_user(f"user-{role}", role, ORG_OF_ROLE[role]))
        return client

    return login


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(EXPECTED))
@pytest.mark.parametrize("page", list(PAGES))
def test_access_matrix(as_role, role, page):
    response = as_role(role).get(PAGES[page])
    expected = EXPECTED[role][page]
    assert response.status_code == expected, (role, page)
    if expected == 302:
        assert "logga-in" in response["Location"] or "/admin/login/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["analyst", "region_coordinator", "municipality_respondent"])
def test_unknown_organisation_is_404_for_everyone(as_role, role):
    client = as_role(role)
    assert client.get("/konto/region/99/").status_code == 404
    assert client.get("/konto/kommun/9999/").status_code == 404


@pytest.mark.django_db
def test_workspace_sends_each_role_to_its_own_page(as_role):
    assert (
        as_role("region_coordinator").get("/konto/")["Location"] == f"/konto/region/{OWN_REGION}/"
    )


@pytest.mark.django_db
def test_policy_on_objects_that_belong_to_an_organisation(make_user):
    coordinator = make_user("c", "region_coordinator", OWN_REGION)
    respondent = make_user("r", "municipality_respondent", OWN_MUNICIPALITY)
    analyst = make_user("a", "analyst")
    own_r, other_r = Region.objects.get(code=OWN_REGION), Region.objects.get(code=OTHER_REGION)
    own_m = Municipality.objects.get(code=OWN_MUNICIPALITY)
    report_own = SimpleNamespace(region=own_r, is_published=False)
    report_other = SimpleNamespace(region=other_r, is_published=False)
    answer_own = SimpleNamespace(municipality=own_m, is_published=False)
    published = SimpleNamespace(region=other_r, is_published=True)
    anonymous = AnonymousUser()

    assert has_permission(coordinator, Action.EDIT, report_own)
    assert not has_permission(coordinator, Action.VIEW, report_other)
    assert not has_permission(coordinator, Action.VIEW, answer_own)  # a municipality's own answers
    assert has_permission(respondent, Action.EDIT, answer_own)
    assert not has_permission(respondent, Action.VIEW, report_own)
    assert has_permission(analyst, Action.EDIT, report_other)
    assert has_permission(analyst, Action.ADMINISTER)
    assert not has_permission(coordinator, Action.ADMINISTER)
    assert not has_permission(anonymous, Action.VIEW, report_own)
    assert has_permission(anonymous, Action.VIEW, published)
    assert not has_permission(anonymous, Action.EDIT, published)
    coordinator.is_active = False
    assert not has_permission(coordinator, Action.VIEW, report_own)


@pytest.mark.django_db
def test_filter_visible_narrows_lists(make_user):
    coordinator = make_user("c", "region_coordinator", OWN_REGION)
    respondent = make_user("r", "municipality_respondent", OWN_MUNICIPALITY)
    analyst = make_user("a", "analyst")
    users = User.objects.all()
    assert set(filter_visible(coordinator, users)) == {coordinator}
    assert set(filter_visible(respondent, users)) == {respondent}
    assert set(filter_visible(analyst, users)) == {coordinator, respondent, analyst}
    assert not filter_visible(AnonymousUser(), users).exists()
