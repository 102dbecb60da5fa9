"""Every kind of page in headless Chromium under the site's Content-Security-Policy: no page
may trip it (a blocked script, style, eval, image or connection), and what the policy could
break still works: the charts (Vega's expression interpreter, no eval), their tooltips and the
population bars (no inline style), the API documentation (swagger-ui from the package), the
respondent's form and the coding page (their scripts), and the published report (its own
style sheet, allowed by its hash). On its own demo server: it publishes the report."""

import csv
import re
from importlib import resources

import pytest

from naravard.refdata import files
from tests.browser.helpers import _login, _wait_for_charts, swedish_context, wait_until

pytestmark = pytest.mark.browser

# Before any of the page's own scripts: every violation the browser reports to the page.
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.effectiveDirective + " blocked " + (e.blockedURI || "?") + " at "
                    + e.sourceFile + ":" + e.lineNumber + " " + e.sample);
}, true);
"""
CSP_MESSAGE = re.compile(r"Content Security Policy|Refused to", re.I)

PUBLIC = [
    "/",
    "/statistik/named_doctor_share/",
    "/statistik/readmission_30d/?niva=municipality&kon=K",
    "/region/05/",
    "/kommun/2361/",
    "/jamfor/?region=01&region=05&indikator=named_doctor_share&indikator=readmission_30d",
    "/en/",
    "/en/statistik/care_guarantee_3d/",
    "/en/region/05/",
    "/rapporter/",
    "/konto/logga-in/",
    "/admin/login/",
]
ANALYST = [
    "/konto/",
    "/konto/oversikt/",
    "/konto/uppfoljningar/",
    "/indikatorer/",
    "/indikatorer/online_booking_book_per_100k/",
    "/insamling/",
    "/insamling/omgang/1/",
    "/kodning/",
    "/kodning/texter/1/",
    "/kodning/samstammighet/",
    "/rapporter/2020/faktagranskning/",
]
CHARTS = {  # pages that draw Vega-Lite charts in the browser
    "/",
    "/statistik/named_doctor_share/",
    "/statistik/readmission_30d/?niva=municipality&kon=K",
    "/region/05/",
    "/kommun/2361/",
    "/en/statistik/care_guarantee_3d/",
    "/jamfor/?region=01&region=05&indikator=named_doctor_share&indikator=readmission_30d",
}


class Watched:
    """A signed-in (or anonymous) browser context whose pages report every CSP violation:
    the ``securitypolicyviolation`` events and the console's messages about the policy, with
    uncaught script errors besides."""

    def __init__(self, browser, base: str, username: str | None = None):
        self.base = base
        self.context = swedish_context(browser)
        self.context.add_init_script(WATCH)
        self.console: list[str] = []
        self.violations: list[str] = []
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.console.append(f"uncaught: {error}"))
        if username:
            _login(self.page, base, username)
            self.collect()

    def _console(self, message) -> None:
        if CSP_MESSAGE.search(message.text):
            self.console.append(f"{self.page.url}: {message.text}")

    def collect(self) -> None:
        """The violations the page now shown has seen (before it is left)."""
        found = self.page.evaluate("window.__csp || []")
        self.violations += [f"{self.page.url}: {v}" for v in found]

    def visit(self, path: str) -> None:
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == 200, path
        policy = response.header_value("content-security-policy") or ""
        assert "default-src 'self'" in policy and "unsafe" not in policy, path
        _wait_for_charts(self.page)  # every chart drawn, none failed
        if path in CHARTS:
            assert self.page.locator(".chart-drawn svg").count() >= 1, path
        self.collect()

    def problems(self) -> list[str]:
        self.collect()
        return self.violations + self.console

    def close(self) -> None:
        self.context.close()


def test_the_watch_sees_a_violation(demo_server, browser):
    """An inline style element injected into a page is refused and reported; so is Vega's
    compiled code when charts.js does not ask for the interpreter, and the chart fails."""
    watched = Watched(browser, demo_server)
    watched.visit("/regioner/")
    watched.page.evaluate(
        "() => { const s = document.createElement('style');"
        " s.textContent = 'body { color: red }'; document.head.append(s); }"
    )
    wait_until(watched.page, "window.__csp.length > 0")
    problems = watched.problems()
    assert any("style-src" in p for p in problems), problems

    charts = resources.files("naravard.presentation").joinpath("static/presentation/charts.js")
    source = charts.read_text(encoding="utf-8")
    compiled = source.replace("ast: true, ", "")
    assert compiled != source
    watched.page.route(
        "**/static/presentation/charts.js",
        lambda route: route.fulfill(body=compiled, content_type="text/javascript"),
    )
    watched.page.goto(demo_server + "/statistik/named_doctor_share/")
    watched.page.wait_for_selector("[data-chart-error]", state="attached")
    problems = watched.problems()
    watched.close()
    assert any("script-src" in p and "eval" in p for p in problems), problems


def test_public_pages_run_within_the_policy(demo_server, browser):
    watched = Watched(browser, demo_server)
    for path in PUBLIC:
        watched.visit(path)
    page = watched.page

    watched.visit("/statistik/named_doctor_share/")  # the map's tooltip, styled by site.css
    page.locator("#map svg").scroll_into_view_if_needed()  # below the answer in words
    box = page.locator("#map svg").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.25)
    tooltip = page.locator("#vg-tooltip-element")
    tooltip.wait_for(state="visible")
    assert tooltip.evaluate("e => getComputedStyle(e).position") == "fixed"
    assert "Region" in tooltip.inner_text()
    watched.collect()

    watched.visit("/region/05/")  # the population bars: SVG, no style attributes
    women = page.locator(".pyramid td.women rect").first.bounding_box()
    women_bar = page.locator(".pyramid td.women svg").first.bounding_box()
    men = page.locator(".pyramid td.men rect").first.bounding_box()
    men_bar = page.locator(".pyramid td.men svg").first.bounding_box()
    assert 0 < women["width"] < women_bar["width"] and 0 < men["width"] < men_bar["width"]
    assert women["x"] + women["width"] == pytest.approx(women_bar["x"] + women_bar["width"], abs=1)
    assert men["x"] == pytest.approx(men_bar["x"], abs=1)  # women grow leftwards, men right

    watched.visit("/api/docs")  # swagger-ui from the package: draws and calls the API
    assert page.locator(".swagger-ui .info .title").inner_text().startswith("naravard API")
    operation = page.locator(".opblock-get", has_text="/api/open/indicators").first
    assert operation.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
    operation.locator(".opblock-summary").first.click()
    page.get_by_role("button", name="Try it out").first.click()
    page.get_by_role("button", name="Execute").first.click()
    status = operation.locator(".live-responses-table tr.response .response-col_status").first
    status.wait_for()
    assert status.inner_text().strip() == "200"
    problems = watched.problems()
    watched.close()
    assert problems == []


def _respondent() -> str:
    """A municipality that has not answered the demo's practice round."""
    answered = {
        row["org"]
        for row in csv.DictReader(
            resources.files("naravard.demo")
            .joinpath("data", "kommunenkat-2019.csv")
            .open(encoding="utf-8")
        )
    }
    return next(m.code for m in files.municipalities() if m.code not in answered)


def test_signed_in_pages_and_the_published_report_run_within_the_policy(demo_server, browser):
    analyst = Watched(browser, demo_server, "analytiker")
    for path in ANALYST:
        analyst.visit(path)

    analyst.visit("/rapporter/2020/faktagranskning/")
    analyst.page.get_by_label("Sista dag för regionerna").fill("2099-12-31")
    analyst.page.get_by_role("button", name="Öppna faktagranskningen").click()
    analyst.page.wait_for_load_state()
    analyst.collect()

    region = Watched(browser, demo_server, "region-01")  # the region's fact-check page
    region.visit("/rapporter/2020/faktagranskning/01/")
    assert region.page.get_by_role("button", name=re.compile("Godkänn profilen")).is_visible()

    respondent = Watched(browser, demo_server, f"kommun-{_respondent()}")  # the survey form
    respondent.visit("/insamling/")
    with respondent.page.expect_navigation():
        respondent.page.get_by_role(
            "link", name="Enkät till kommunerna – övningsomgång i demon"
        ).click()
    assert respondent.page.locator("#fraga-2a").is_hidden()
    respondent.page.locator("#fraga-2").get_by_label("Nej").check()
    assert respondent.page.locator("#fraga-2a").is_visible()  # collect-form.js ran

    analyst.visit("/rapporter/2020/faktagranskning/")  # publish: builds HTML and PDF
    analyst.page.get_by_label("Skäl att publicera ändå").fill("Prov av sidornas säkerhet.")
    with analyst.page.expect_navigation(timeout=0):
        analyst.page.get_by_role("button", name="Publicera ändå").click(no_wait_after=True)
    analyst.page.wait_for_load_state()
    assert "Rapporten är publicerad" in analyst.page.locator(".messages").inner_text()
    analyst.collect()

    reader = Watched(browser, demo_server)
    for path in ("/rapporter/", "/rapporter/2020/", "/en/rapporter/2020/"):
        reader.visit(path)
        if path != "/rapporter/":  # its own <style>: the bundled fonts and A4 layout
            font = reader.page.evaluate("getComputedStyle(document.documentElement).fontFamily")
            assert "DejaVu Sans" in font, font
            assert reader.page.locator("figure.chart svg").count() >= 1
    pdf = reader.page.request.get(demo_server + "/rapporter/2020/rapport.pdf")
    assert pdf.status == 200 and pdf.body()[:4] == b"%PDF"

    problems = []
    for watched in (analyst, region, respondent, reader):
        problems += watched.problems()
        watched.close()
    assert problems == []
