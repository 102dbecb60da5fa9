"""What the browser tests do often: log in, wait for the charts, ask axe-core, take a picture."""

import os

import pytest

TESTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AXE = os.path.join(TESTS, "js", "node_modules", "axe-core", "axe.min.js")
ARTIFACTS = os.environ.get("NARAVARD_TEST_ARTIFACTS", os.path.join(TESTS, "..", "test-artifacts"))

# Some clicks build the report or a fact-check snapshot on the server; on a busy machine that
# takes far longer than Playwright's default 30 s. The tests wait for what they expect, however
# long, up to this bound, which only catches a page that never comes.
PATIENCE_MS = 600_000


def swedish_context(browser):
    """A fresh browser context in Swedish that waits patiently for pages and elements."""
    context = browser.new_context(locale="sv-SE")
    context.set_default_timeout(PATIENCE_MS)
    context.set_default_navigation_timeout(PATIENCE_MS)
    return context


def _login(page, base, username):
    page.goto(base + "/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill("demo")
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()


def wait_until(page, expression: str) -> None:
    """Until the JavaScript ``expression`` is true in the page, up to PATIENCE_MS.

    Playwright's ``wait_for_function`` polls a string with ``eval``, which the pages' strict
    Content-Security-Policy refuses; ``page.evaluate`` goes through the DevTools protocol."""
    for _ in range(PATIENCE_MS // 100):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(100)
    pytest.fail(f"still false after {PATIENCE_MS // 1000} s: {expression}")


def _wait_for_charts(page) -> None:
    """Until every Vega-Lite chart on the page is drawn (or has failed, which tests catch)."""
    wait_until(
        page,
        "document.querySelectorAll("
        "'[data-chart]:not(.chart-drawn):not([data-chart-error])').length === 0",
    )
    failed = page.eval_on_selector_all(
        "[data-chart-error]", "els => els.map(e => e.id + ': ' + e.dataset.chartError)"
    )
    assert failed == []


def _axe_problems(page) -> list[str]:
    if not os.path.exists(AXE):
        pytest.fail(f"axe-core is missing at {AXE}: './run test' installs it (tests/js)")
    # evaluated through the DevTools protocol, which the page's Content-Security-Policy does not
    # bind (a <script> tag with axe inline would be refused like any inline script)
    with open(AXE, encoding="utf-8") as source:
        page.evaluate(source.read())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} – {v['nodes'][0]['target']}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _screenshot(page, name: str) -> None:
    os.makedirs(ARTIFACTS, exist_ok=True)
    page.screenshot(path=os.path.join(ARTIFACTS, f"{name}.png"), full_page=True)
