"""Start the demo server and use it in headless Chromium as a person would."""

import os
import shutil
import socket
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("NARAVARD_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    port = _free_port()
    env = {k: v for k, v in os.environ.items()
           if k not in ("NARAVARD_SECRET_KEY", "DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    log = tmp_path_factory.mktemp("demo") / "server.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "naravard.cli", "demo", "--port", str(port),
             "--data-dir", str(log.parent)], stdout=out, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"demo server exited early:\n{log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail(f"demo server did not start within 120 s:\n{log.read_text()}")
    yield url
    proc.terminate()
    proc.wait(timeout=20)
    assert "Open http://127.0.0.1" in log.read_text()


@pytest.fixture(scope="module")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.fail(f"Chromium not found at {CHROMIUM}: './run test' installs it "
                    "(Debian package chromium); browser tests never skip silently.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    yield page
    context.close()


def test_home_page_lists_regions_and_leads_to_a_region(demo_server, page):
    page.goto(demo_server + "/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Omställningen")
    table = page.get_by_role("table").filter(has_text="Folkmängd")
    assert table.locator("tbody tr").count() == 21
    page.get_by_role("link", name="Region Jämtland Härjedalen").first.click()
    page.wait_for_url("**/region/23/")
    assert page.get_by_role("heading", level=1).inner_text() == "Region Jämtland Härjedalen"
    municipalities = page.get_by_role("table").filter(has_text="Kommuner i Jämtlands län")
    assert municipalities.locator("tbody tr").count() == 8
    assert "130 810" in page.locator("dl.facts").inner_text().replace("\xa0", " ")
    page.get_by_role("link", name="Härjedalen", exact=True).first.click()
    page.wait_for_url("**/kommun/2361/")
    assert page.get_by_role("heading", level=1).inner_text() == "Härjedalens kommun"


def test_search_by_any_spelling(demo_server, page):
    page.goto(demo_server + "/")
    page.get_by_label("Sök region eller kommun").fill("VGR")
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
    page.get_by_role("button", name="English").click()
    page.wait_for_url("**/en/region/23/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Municipalities").is_visible()
