"""Initiatives followed from one status report to the next, in headless Chromium on a demo server
of its own (it changes the store): the analyst opens the 2021 status report; Region Uppsala's
coordinator finds last year's three initiatives in it, moves one pilot to broad rollout, ends the
other and submits; the analyst's transition table then counts exactly that."""

import re

import pytest

from tests.browser.helpers import (
    _axe_problems,
    _login,
    _screenshot,
    _wait_for_charts,
    swedish_context,
)
from tests.status_reports import TRANSITIONS_HEADER

pytestmark = pytest.mark.browser


def _as(browser, base, username):
    context = swedish_context(browser)
    page = context.new_page()
    _login(page, base, username)
    return context, page


def _nation(page) -> list[list[str]]:
    """The nation's transition table, row by row (header first)."""
    rows = page.locator("#transitions-riket-table tr")
    return [
        [c.strip() for c in rows.nth(i).locator("th, td").all_inner_texts()]
        for i in range(rows.count())
    ]


def test_a_region_follows_up_last_years_initiatives_and_the_analyst_sees_the_moves(
    demo_server, browser
):
    base = demo_server
    analyst_context, analyst = _as(browser, base, "analytiker")
    analyst.goto(base + "/insamling/")
    analyst.get_by_label("Formulär").select_option("nulagesrapport-2021")
    analyst.get_by_label("Avser år").fill("2021")
    analyst.get_by_label("Sista svarsdag").fill("2099-12-31")
    analyst.get_by_role("button", name="Öppna omgången").click()
    analyst.wait_for_url(re.compile(r"/insamling/omgang/\d+/$"))
    round_url = analyst.url
    analyst.get_by_role("link", name="Insatsernas skeden sedan förra nulägesrapporten").click()
    analyst.wait_for_url(re.compile(r"/konto/omgang/\d+/insatser/$"))
    transitions_url = analyst.url
    assert len(_nation(analyst)) == 1  # nothing submitted yet: the header only

    region_context, region = _as(browser, base, "region-03")
    region.goto(base + "/insamling/")
    region.get_by_role("link", name=re.compile("Nulägesrapporter 2019")).first.click()
    region.wait_for_load_state()
    received = region.locator('input[name="medel.erhallna"]').input_value()
    used = region.locator('input[name="medel.anvanda"]').input_value()

    region.goto(round_url + "svar/03/")
    assert (
        "Insatserna från Nulägesrapporter 2019 är ifyllda"
        in region.locator("#carried-initiatives").inner_text()
    )
    ids = region.locator("span.row-id").all_inner_texts()
    assert ids[:3] == ["03-2019-1", "03-2019-2", "03-2019-3"]
    assert region.get_by_label("Beskrivning, rad 2").input_value().startswith("Patientkontrakt")
    assert region.get_by_label("Skede, rad 2").input_value() == "pilot"
    assert region.get_by_label("Skede, rad 3").input_value() == "pilot"
    assert region.get_by_label("Fortsätter insatsen?, rad 3").input_value() == "fortsatter"

    region.get_by_label("Skede, rad 2").select_option("bred_inforing")
    region.get_by_label("Fortsätter insatsen?, rad 3").select_option("avslutad")
    region.locator("#fraga-beslut-strategi").get_by_label("Ja").check()
    region.get_by_label("Vilket år fattades beslutet?").fill("2019")
    region.locator('textarea[name="beslut.beskrivning"]').fill("Färdplanen för nära vård gäller.")
    region.locator("#fraga-organisation-samordnare").get_by_label("Ja").check()
    region.locator('textarea[name="organisation.beskrivning"]').fill("Samordnaren leder arbetet.")
    region.locator('textarea[name="forandringar.beskrivning"]').fill("Patientkontrakt i länet.")
    region.locator('input[name="medel.erhallna"]').fill(received)
    region.locator('input[name="medel.anvanda"]').fill(used)
    assert _axe_problems(region) == []
    region.get_by_role("button", name="Skicka in").click()
    region.wait_for_url(re.compile(r"\?skickat=1$"))
    assert "Tack! Svaret är inskickat." in region.locator(".messages").inner_text()
    _screenshot(region, "initiatives-region-submitted")
    region_context.close()

    analyst.goto(transitions_url)
    _wait_for_charts(analyst)
    assert _nation(analyst) == [
        TRANSITIONS_HEADER,
        ["Pilot", "0", "0", "1", "0", "1", "0", "2"],
        ["Bred införing", "0", "0", "1", "0", "0", "0", "1"],
    ]
    uppsala = analyst.locator("#transitions-regions tr", has_text="Region Uppsala")
    assert [c.strip() for c in uppsala.locator("th, td").all_inner_texts()] == [
        "Region Uppsala",
        "3",
        "1",
        "1",
        "0",
        "1",
        "0",
        "0",
        "0",
    ]
    assert _axe_problems(analyst) == []
    _screenshot(analyst, "initiatives-transitions")
    analyst_context.close()
