"""Fixtures of the browser tests: a demo server and a headless Chromium per module (each module
changes its store)."""

import os
import shutil
import socket
import subprocess
import sys
import time

import pytest

from tests.browser.helpers import swedish_context

CHROMIUM = os.environ.get("NARAVARD_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_START_SECONDS = 300  # the demo is built before it serves; on a busy machine that takes a while


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """`naravard demo` built and serving on a free port, in a folder of its own."""
    port = _free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NARAVARD_SECRET_KEY", "DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    log = tmp_path_factory.mktemp("demo") / "server.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "naravard.cli",
                "demo",
                "--no-reports",  # the tests that need a published report publish it themselves
                "--port",
                str(port),
                "--data-dir",
                str(log.parent),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + DEMO_START_SECONDS
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
        pytest.fail(f"demo server did not start within {DEMO_START_SECONDS} s:\n{log.read_text()}")
    yield url
    proc.terminate()
    proc.wait(timeout=20)
    assert "Open http://127.0.0.1" in log.read_text()


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (Debian's), driven by Playwright; never skipped silently. Closed after
    each module: while Playwright's sync API is open it runs an event loop in this thread, and
    Django refuses database calls from such a thread (the tests after these need them)."""
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: './run test' installs it "
            "(Debian package chromium); browser tests never skip silently."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh Swedish browser context and page for one test."""
    context = swedish_context(browser)
    page = context.new_page()
    yield page
    context.close()
