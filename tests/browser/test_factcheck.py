"""The fact-check in headless Chromium, on its own demo server (it changes the store): a
region proposes corrections typed the Swedish way, the analyst accepts them, publishing is
refused until the analyst gives a reason or the fact-check is done, and the published report
says who approved."""

import re

import pytest

from naravard.refdata import files
from tests.browser.helpers import _axe_problems, _login, _screenshot, swedish_context

pytestmark = pytest.mark.browser
NAMED = "indikatorer mot riket och målet – Andel invånare med fast läkarkontakt"
DAYS = "indikatorer mot riket och målet – Dagar från utskrivning"


def _as(browser, base, username):
    context = swedish_context(browser)
    page = context.new_page()
    _login(page, base, username)
    return context, page


def _propose(page, base, passage_text: str):
    page.goto(base + "/rapporter/2020/faktagranskning/06/")
    page.locator("li", has_text=passage_text).get_by_role(
        "link", name="Föreslå ett rättat värde"
    ).click()
    page.wait_for_url(re.compile(r"/faktagranskning/06/forslag/\?passage="))


def _approve(browser, base, code):
    context, page = _as(browser, base, f"region-{code}")
    page.goto(f"{base}/rapporter/2020/faktagranskning/{code}/")
    page.get_by_role("button", name=re.compile("Godkänn profilen")).click()
    page.wait_for_load_state()
    assert "Profilen är godkänd" in page.locator(".messages").inner_text()
    context.close()


def _publish(page, button: str) -> None:
    """Publishing builds the report in two languages, PDF included: no limit on how long."""
    with page.expect_navigation(timeout=0):
        page.get_by_role("button", name=button).click(no_wait_after=True)
    page.wait_for_load_state()


def _method(page, base) -> str:
    page.goto(base + "/rapporter/2020/")
    return page.locator("#metod").inner_text().replace("\xa0", " ")


def test_a_region_corrects_the_analyst_accepts_and_publishes(demo_server, browser):
    base = demo_server
    analyst_context, analyst = _as(browser, base, "analytiker")
    analyst.goto(base + "/rapporter/2020/faktagranskning/")
    analyst.get_by_label("Sista dag för regionerna").fill("2099-12-31")
    analyst.get_by_role("button", name="Öppna faktagranskningen").click()
    analyst.wait_for_load_state()
    assert "Öppen till och med 31 december 2099." in analyst.locator(".lead").inner_text()
    for code in ("01", "06"):
        _approve(browser, base, code)

    region_context, region = _as(browser, base, "region-06")
    _propose(region, base, NAMED)
    assert (
        region.get_by_label("Period").evaluate("e => e.selectedOptions[0].text")
        == "31 december 2019"
    )
    assert region.get_by_label("Värde", exact=False).count() == 0  # a share: its counts
    region.get_by_label("Täljare").fill("31,4")
    region.get_by_label("Nämnare").fill("3 679")
    region.get_by_label("Källa").fill("Regionens listningsregister")
    region.get_by_role("button", name="Skicka förslaget").click()
    region.wait_for_load_state()
    error = region.locator("#id_numerator-error")
    assert error.inner_text() == "Skriv ett heltal, utan decimaler."
    assert region.get_by_label("Täljare").input_value() == "31,4"  # kept as typed
    assert region.get_by_label("Källa").input_value() == "Regionens listningsregister"
    assert _axe_problems(region) == []
    region.get_by_label("Täljare").fill("1 155")
    region.get_by_role("button", name="Skicka förslaget").click()
    region.wait_for_url("**/faktagranskning/06/")
    _propose(region, base, DAYS)
    region.get_by_label(re.compile("Rättat värde")).fill("4,5")
    region.get_by_label("Antal personer").fill("1 234")
    region.get_by_label("Källa").fill("Journalsystemet")
    region.get_by_role("button", name="Skicka förslaget").click()
    region.wait_for_url("**/faktagranskning/06/")
    own = region.locator("#own-h + ul").inner_text().replace("\u2009", " ")
    assert "31 december 2019: 31,4 % (täljare / nämnare: 1 155 / 3 679)" in own
    assert ": 4,5 dagar (1 234 personer)" in own
    region_context.close()

    analyst.goto(base + "/rapporter/2020/faktagranskning/")
    for _ in range(2):
        analyst.get_by_role("button", name="Godta och för in").first.click()
        analyst.wait_for_load_state()
        assert "utkastet är nu version" in analyst.locator(".messages").inner_text()
    states = {
        row.locator("th").inner_text(): row.locator("td").first.inner_text()
        for row in analyst.locator("table").first.locator("tbody tr").all()
    }
    assert states["Region Stockholm"] == "godkänt"  # its own figures did not change
    assert states["Region Jönköpings län"] == "godkänt en äldre version"
    assert states["Region Uppsala"] == "inte svarat"
    _screenshot(analyst, "factcheck-overview")

    analyst.get_by_role("button", name="Publicera ändå").click()
    analyst.wait_for_load_state()
    assert (
        "Rapporten publicerades inte: faktagranskningen är öppen"
        in analyst.locator(".messages").inner_text()
    )
    analyst.get_by_label("Skäl att publicera ändå").fill("Regeringen behöver siffrorna i dag.")
    _publish(analyst, "Publicera ändå")
    assert "Rapporten är publicerad" in analyst.locator(".messages").inner_text()
    method = _method(analyst, base)
    assert "Skäl: Regeringen behöver siffrorna i dag." in method
    assert "Inte svarat: Region Uppsala" in method
    summary = analyst.locator("#sammanfattning").inner_text().replace("\xa0", " ")
    assert re.search(r"Andel invånare med fast läkarkontakt: riket \d+,\d", summary)

    for code in [r.code for r in files.regions()]:
        if code != "01":  # Stockholm's approval still holds
            _approve(browser, base, code)
    analyst.goto(base + "/rapporter/2020/faktagranskning/")
    analyst.get_by_role("button", name="Stäng faktagranskningen nu").click()
    analyst.wait_for_load_state()
    assert "Faktagranskningen är klar: rapporten kan publiceras." in analyst.content()
    _publish(analyst, "Publicera rapporten")
    assert "Rapporten är publicerad" in analyst.locator(".messages").inner_text()
    method = _method(analyst, base)
    assert "Godkänt sin profil: Region Stockholm, Region Uppsala" in method
    assert "Skäl:" not in method and "Inte svarat" not in method
    analyst_context.close()
