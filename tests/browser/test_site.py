"""Start the demo server and use it in headless Chromium as a person would."""

import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import (
    _axe_problems,
    _login,
    _screenshot,
    _wait_for_charts,
    swedish_context,
    wait_until,
)

pytestmark = pytest.mark.browser


def test_regions_page_lists_regions_and_leads_to_a_region(demo_server, page):
    page.goto(demo_server + "/regioner/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Omställningen")
    table = page.get_by_role("table").filter(has_text="Folkmängd")
    assert table.locator("tbody tr").count() == 21
    page.get_by_role("link", name="Region Jämtland Härjedalen").first.click()
    page.wait_for_url("**/region/23/")
    assert page.get_by_role("heading", level=1).inner_text() == "Region Jämtland Härjedalen"
    municipalities = page.get_by_role("table").filter(has_text="Kommuner i Jämtlands län")
    assert municipalities.locator("tbody tr").count() == 8
    assert "132 839" in page.locator("dl.facts").inner_text().replace("\xa0", " ")  # 2024
    page.get_by_role("link", name="Härjedalen", exact=True).first.click()
    page.wait_for_url("**/kommun/2361/")
    assert page.get_by_role("heading", level=1).inner_text() == "Härjedalens kommun"


def test_search_by_any_spelling(demo_server, page):
    page.goto(demo_server + "/")
    page.get_by_label("Sök indikator, region eller kommun").fill("VGR")
    page.get_by_role("button", name="Sök").click()
    page.wait_for_url("**/region/14/")
    assert page.get_by_role("heading", level=1).inner_text() == "Västra Götalandsregionen"
    page.goto(demo_server + "/sok/?q=G%C3%B6taland")
    assert page.get_by_role("alert").is_visible()
    assert page.get_by_role("link", name="Gotlands län").is_visible()


def test_keyboard_user_reaches_skip_link_first(demo_server, page):
    page.goto(demo_server + "/region/01/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Hoppa till innehållet"


def test_coordinator_signs_in_sees_own_region_and_is_kept_out_of_others(demo_server, page):
    page.goto(demo_server + "/konto/logga-in/")
    page.get_by_label("Användarnamn").fill("region-01")
    page.get_by_label("Lösenord").fill("demo")
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/konto/region/01/")
    assert page.get_by_role("heading", level=1).inner_text() == "Region Stockholm"
    assert page.get_by_role("cell", name="region-01", exact=True).is_visible()
    response = page.goto(demo_server + "/konto/region/03/")
    assert response.status == 403
    assert page.get_by_role("heading", level=1).inner_text() == "Ingen behörighet"


def test_switch_to_english(demo_server, page):
    page.goto(demo_server + "/region/23/")
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/region/23/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Municipalities", exact=True).is_visible()
    page.get_by_role("link", name="Svenska").click()
    page.wait_for_url("**/region/23/")
    assert page.locator("html").get_attribute("lang") == "sv"


def _practice_round_rate(browser, base) -> str:
    context = swedish_context(browser)
    page = context.new_page()
    _login(page, base, "analytiker")
    page.goto(base + "/insamling/")
    page.get_by_role("link", name="Enkät till kommunerna – övningsomgång i demon").click()
    text = page.locator("#response-rate").inner_text()
    context.close()
    return text.replace("\xa0", " ")


def test_municipality_answers_the_survey_and_the_analyst_sees_the_rate_change(demo_server, browser):
    import csv
    from importlib import resources

    from naravard.refdata import files

    answered_2019 = {
        row["org"]
        for row in csv.DictReader(
            resources.files("naravard.demo")
            .joinpath("data", "kommunenkat-2019.csv")
            .open(encoding="utf-8")
        )
    }
    code = next(m.code for m in files.municipalities() if m.code not in answered_2019)
    before = _practice_round_rate(browser, demo_server)
    assert before.startswith("30 av 290")

    context = swedish_context(browser)
    page = context.new_page()
    _login(page, demo_server, f"kommun-{code}")
    page.goto(demo_server + "/insamling/")
    page.get_by_role("link", name="Enkät till kommunerna – övningsomgång i demon").click()
    question_2a = page.locator("#fraga-2a")
    # The skip logic is the form's script: wait for it to run, however slow the machine.
    expect(question_2a).to_be_hidden(timeout=60_000)
    page.locator("#fraga-2").get_by_label("Nej").check()
    expect(question_2a).to_be_visible(timeout=60_000)  # 2a is asked after "nej"
    for row in (
        "Politisk nivå",
        "Hög tjänstemannanivå (kommunledning och regionledning)",
        "Verksamhetschefsnivå",
        "Professionsnivå i det dagliga arbetet",
    ):
        page.get_by_label(f"{row}: Ja", exact=True).check()
    for row in (
        "Sjuksköterska",
        "Specialistsjuksköterska",
        "Fysioterapeut",
        "Arbetsterapeut",
        "Dietist",
        "Farmaceut",
    ):
        page.get_by_label(f"{row}: Brist", exact=True).check()
    page.locator("#fraga-5").get_by_label("Ja").check()  # the practice round asks the 2021 form
    measures = "Vi har infört karriärtjänster för sjuksköterskor."
    page.locator("#q-4").fill(measures)
    page.get_by_role("button", name="Skicka in").click()  # 2a left empty
    page.wait_for_load_state()
    summary = page.get_by_role("alert").filter(has_text="behöver rättas")
    assert summary.is_visible() and "2a" in summary.inner_text()
    assert "måste besvaras" in summary.inner_text()
    assert page.locator("#q-4").input_value() == measures  # nothing typed is lost
    assert page.get_by_label("Politisk nivå: Ja", exact=True).is_checked()
    assert page.locator("#response-status").inner_text() == "utkast"
    page.locator("#fraga-2a").get_by_label("Ja").check()
    page.get_by_role("button", name="Skicka in").click()
    page.wait_for_load_state()
    assert page.get_by_text("Tack! Svaret är inskickat.").is_visible()
    assert re.fullmatch(
        r"inskickad \d{1,2} [a-z]+ 20\d\d \d\d:\d\d",  # day and time as read
        page.locator("#response-status").inner_text(),
    )
    context.close()

    after = _practice_round_rate(browser, demo_server)
    assert after.startswith("31 av 290"), after


PUBLIC_PAGES = [
    "/",
    "/en/",
    "/regioner/",
    "/region/23/",
    "/kommun/2361/",
    "/sok/?q=Stockholm",
    "/statistik/named_doctor_share/",
    "/en/statistik/care_guarantee_3d/",
    "/statistik/readmission_30d/?niva=municipality&kon=K",
    "/jamfor/?region=01&region=05&indikator=named_doctor_share&indikator=readmission_30d",
    "/en/region/05/",
    "/rapporter/",
    "/konto/logga-in/",
    "/insamling/formular/kommunenkat-2019/kodbok/",
    "/statistik/named_doctor_share/?farg=riket",
    "/statistik/named_doctor_share/kvalitet/",
    "/tema/mobila_team/",
    "/en/tema/fast_kontakt/",
    "/publiceringskalender/",
]
ANALYST_PAGES = [
    "/insamling/",
    "/insamling/omgang/1/",
    "/insamling/omgang/3/svar/0180/",
    "/insamling/omgang/2/svar/04/",
    "/indikatorer/",
    "/indikatorer/online_booking_book_per_100k/",
    "/konto/organisationer/",
    "/konto/oversikt/",
    "/konto/uppfoljningar/",
    "/insamling/omgang/3/paminn/",
    "/rapporter/2020/faktagranskning/",
    "/kodning/",
    "/kodning/texter/",
    "/kodning/texter/1/",
    "/kodning/tema/mobila_team/",
    "/kodning/tema/mobila_team/faktarutor/ny/",
    "/kodning/faktarutor/1/",
    "/kodning/forslag/",
    "/kodning/samstammighet/",
    "/kodning/sok/?q=mobila+team",
    "/kodning/dokument/ny/",
]


def _pages_with_problems(page, base: str, paths: list[str]) -> dict[str, list[str]]:
    problems = {}
    for path in paths:
        page.goto(base + path)
        _wait_for_charts(page)
        found = _axe_problems(page)
        if found:
            problems[path] = found
    return problems


def test_public_pages_have_no_serious_accessibility_problems(demo_server, page):
    problems = _pages_with_problems(page, demo_server, PUBLIC_PAGES)
    assert problems == {}


@pytest.mark.parametrize("width", [390, 1280])
def test_public_pages_fit_a_phone_and_a_desktop(demo_server, browser, width):
    """No page scrolls sideways: wide tables scroll in their own box and a single chart is
    laid out at the width there is, its text kept legible."""
    context = browser.new_context(locale="sv-SE", viewport={"width": width, "height": 900})
    page = context.new_page()
    too_wide, small_text = {}, {}
    for path in PUBLIC_PAGES + ["/kommun/0180/", "/en/kommun/1440/"]:
        page.goto(demo_server + path)
        _wait_for_charts(page)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            too_wide[path] = scroll_width
        # a chart laid out for the place it has: drawn no wider than its box
        shrunk = page.eval_on_selector_all(
            ".chart-canvas.fit svg",
            "els => els.filter(e => e.getBoundingClientRect().width + 1 < e.width.baseVal.value)"
            ".length",
        )
        if shrunk:
            small_text[path] = shrunk
        # and drawn at all: a chart laid out for a box not yet on the page comes out empty
        empty = page.eval_on_selector_all(
            ".chart-canvas svg",
            "els => els.filter(e => e.getBoundingClientRect().width < 20).length",
        )
        if empty:
            small_text[path] = f"{empty} chart(s) drawn under 20 px wide"
    context.close()
    assert too_wide == {} and small_text == {}


def test_signed_in_pages_have_no_serious_accessibility_problems(demo_server, browser):
    context = swedish_context(browser)
    page = context.new_page()
    _login(page, demo_server, "analytiker")
    problems = _pages_with_problems(page, demo_server, ANALYST_PAGES)
    context.close()
    assert problems == {}


def test_overview_shows_each_indicator_against_its_target(demo_server, page):
    page.goto(demo_server + "/")
    _wait_for_charts(page)
    card = page.locator(".card").filter(has_text="Andel invånare med fast läkarkontakt")
    assert "mål minst 55" in card.inner_text()
    assert "regioner har nått målet" in card.inner_text()
    assert card.locator(".chart-drawn svg").count() == 1  # the small national trend
    card.get_by_text("Trendens siffror").click()  # the trend's numbers, folded away
    assert card.get_by_role("table").locator("tbody td").count() >= 2
    assert page.locator(".card").count() >= 10
    _screenshot(page, "overview")


def test_indicator_page_map_shows_value_on_hover(demo_server, page):
    page.goto(demo_server + "/statistik/named_doctor_share/")
    _wait_for_charts(page)
    shapes = page.locator("#map .mark-shape path")
    assert shapes.count() == 21
    page.locator("#map svg").scroll_into_view_if_needed()  # below the answer in words
    box = page.locator("#map svg").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.25)  # Jämtland
    tooltip = page.locator("#vg-tooltip-element")
    tooltip.wait_for(state="visible")
    shown = tooltip.inner_text()
    assert "Region" in shown and "," in shown, shown  # a region's name and a Swedish decimal
    table = page.get_by_role("table").filter(has_text="konfidensintervall")
    assert table.locator("tbody tr").count() == 22  # 21 regions and the nation
    assert page.locator("#ranking .chart-drawn, #ranking.chart-drawn").count() == 1
    names = page.locator("#ranking .role-axis-label text").all_text_contents()
    drawn = [name for name in names if name.startswith(("Region", "Västra"))]
    rows = json.loads(page.locator("#ranking-spec").text_content())["datasets"]["data-1"]
    assert drawn == [r["name"] for r in sorted(rows, key=lambda r: -r["value"])]  # most first
    _screenshot(page, "indicator")


def test_region_page_compares_with_the_nation_and_shows_surveys_and_initiatives(demo_server, page):
    page.goto(demo_server + "/region/05/")
    _wait_for_charts(page)
    indicators = page.get_by_role("table").filter(has_text="jämfört med riket och målet")
    row = indicators.locator("tr").filter(has_text="Andel invånare med fast läkarkontakt")
    assert "minst 55" in row.inner_text()
    assert page.get_by_role(
        "heading", name="Kommunernas svar: Enkät till kommunerna 2019"
    ).is_visible()
    for year in (2019, 2021):  # the demo's two follow-ups
        assert page.get_by_role(
            "heading", name=f"Insatser enligt nulägesrapporten: Nulägesrapporter {year}"
        ).is_visible()
    assert page.get_by_role(
        "heading", name="Kommunernas svar: Enkät till kommunerna 2021"
    ).is_visible()
    assert page.locator(".chart-drawn").count() >= 3
    _screenshot(page, "region")


def test_comparison_of_chosen_regions_and_indicators(demo_server, page):
    page.goto(demo_server + "/jamfor/")
    page.get_by_label("Region Stockholm").check()
    page.get_by_label("Region Skåne").check()
    page.get_by_label("Andel invånare med fast läkarkontakt").check()
    page.get_by_label("Oplanerade återinskrivningar inom 30 dagar").check()
    page.get_by_role("button", name="Jämför").click()
    page.wait_for_url("**/jamfor/?*")
    _wait_for_charts(page)
    table = page.get_by_role("table").filter(has_text="Valda indikatorer")
    assert table.locator("tbody tr").count() == 2
    assert [h.strip() for h in table.locator("thead th").all_inner_texts()][2:5] == [
        "Region Stockholm",
        "Region Skåne",
        "Riket",
    ]
    assert page.locator("#comparison.chart-drawn").count() == 1
    _screenshot(page, "comparison")


def _theme_counts(page) -> dict[str, tuple[int, int]]:
    """Passages and regions per theme, as the coding overview shows them."""
    out = {}
    for row in page.locator("#theme-counts tbody tr").all():
        out[row.get_attribute("data-theme")] = (
            int(row.locator("[data-count=passages]").inner_text()),
            int(row.locator("[data-count=regions]").inner_text()),
        )
    return out


def test_coding_a_passage_raises_the_count_and_search_finds_it(demo_server, browser):
    context = swedish_context(browser)
    page = context.new_page()
    _login(page, demo_server, "analytiker2")
    page.goto(demo_server + "/kodning/")
    before = _theme_counts(page)
    assert before["mobila_team"][1] == 4  # the demo: four regions raise mobile teams

    # Region Gävleborg's status report has no codes yet; open its account of changes
    page.goto(demo_server + "/kodning/texter/?region=21&kind=status_report")
    with page.expect_navigation():
        page.get_by_role("link", name="Region Gävleborg: 3 Vilka förändringar").click()
    sentence = page.locator("#s-0")
    quote = sentence.inner_text()
    page.evaluate("""() => {
        const node = document.getElementById('s-0').firstChild;
        window.getSelection().setBaseAndExtent(node, 0, node, node.length);
    }""")
    wait_until(page, "document.getElementById('selected-quote').textContent.length > 20")
    assert page.locator("#selected-quote").inner_text() == quote
    page.get_by_label("Hälsofrämjande och förebyggande arbete").check()
    page.get_by_label("Pilot", exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Spara koderna").click()
    assert "Passagen är kodad" in page.locator(".messages").inner_text()
    assert "coded" in page.locator("#s-0").get_attribute("class")
    row = page.locator("#passages tbody tr").filter(has_text="analytiker2")
    assert row.filter(has_text=quote).count() == 1

    with page.expect_navigation():
        page.get_by_role("link", name="Teman").first.click()
    after = _theme_counts(page)
    assert after["halsoframjande"] == (
        before["halsoframjande"][0] + 1,
        before["halsoframjande"][1] + 1,
    )
    assert {k: v for k, v in after.items() if k != "halsoframjande"} == {
        k: v for k, v in before.items() if k != "halsoframjande"
    }

    word = max(quote.rstrip(".").split(), key=len)
    page.get_by_label("Sök i texterna").fill(word)
    with page.expect_navigation():
        page.get_by_role("button", name="Sök", exact=True).click()
    hits = page.locator("ol.hits li").filter(has_text=quote).filter(has_text="Gävleborg")
    assert hits.count() == 1  # (other regions' demo reports share some sentences)
    assert hits.first.locator("mark").count() >= 1
    with page.expect_navigation():
        hits.first.get_by_role("link").click()
    assert "Gävleborg" in page.get_by_role("heading", level=1).inner_text()
    assert page.locator("#s-0.coded").count() == 1
    _screenshot(page, "coding")
    context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_answers_at_a_glance_at_both_widths(demo_server, browser, width):
    """The indicator page answers in words above a map and a ranking coloured alike; the
    region page has its spine chart and the regions page its tartan table."""
    context = browser.new_context(locale="sv-SE", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(demo_server + "/statistik/named_doctor_share/")
    _wait_for_charts(page)
    reached = page.locator('#answers li[data-category="reached"]')
    assert re.match(r"\d+ av 21 regioner har nått målet minst 55 %", reached.inner_text())
    named = reached.get_by_role("link").count()
    assert named == int(reached.inner_text().split()[0])  # each region that reached it named
    # the map drawn in the browser uses the colours the words' swatches show
    fills = page.eval_on_selector_all(
        "#map .mark-shape path", "els => els.map(e => e.getAttribute('fill'))"
    )
    assert fills.count("#92d050") == named
    page.select_option("#farg", "femtedelar")
    page.get_by_role("button", name="Visa").click()
    _wait_for_charts(page)
    assert "farg=femtedelar" in page.url
    fills = page.eval_on_selector_all(
        "#map .mark-shape path", "els => els.map(e => e.getAttribute('fill'))"
    )
    assert "#92d050" not in fills and "#08519c" in fills  # fifths, darkest the highest
    page.goto(demo_server + "/region/01/")
    _wait_for_charts(page)
    spine = page.locator("#spine svg")
    assert spine.is_visible() and spine.bounding_box()["width"] <= width
    page.get_by_text("Överblickens siffror").click()
    assert page.locator("#spine-table tbody tr").count() >= 10
    page.goto(demo_server + "/regioner/")
    cells = page.locator("#tartan td[data-region]")
    assert cells.count() % 21 == 0 and cells.count() >= 21 * 10
    assert page.locator("#tartan td.judged-better").count() > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    _screenshot(page, f"tartan-{width}")
    context.close()


def test_trust_signals_are_one_click_from_the_figures(demo_server, page):
    page.goto(demo_server + "/statistik/named_doctor_share/")
    caveat = page.locator("#caveat")
    assert "registrerar fast läkarkontakt på olika sätt" in caveat.inner_text()
    caveat.get_by_role("link", name="Om statistiken").click()
    assert page.get_by_role("heading", name="Jämförbarhet och kända brister").is_visible()
    assert "planerad till" in page.locator("#next-release").inner_text()
    page.get_by_role("link", name="Publiceringskalendern").click()
    assert page.locator("#upcoming tbody tr").count() >= 10
    assert "flyttad från" in page.locator("#upcoming").inner_text()  # the demo moved one
