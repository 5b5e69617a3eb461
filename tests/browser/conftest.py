"""Browser harness: Playwright driving Debian's headless Chromium, with axe-core on every page.

Runs when /usr/bin/chromium exists; otherwise the browser tests are skipped with the reason —
except where REQUIRE_BROWSER_TESTS is set (CI), where a missing browser fails the run.
"""

import os
import re
import time
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from tests.conftest import TOTP_SECRET

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TEST_PASSWORD = "a-long-test-password-1"


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    if os.environ.get("REQUIRE_BROWSER_TESTS"):
        raise pytest.UsageError("REQUIRE_BROWSER_TESTS is set but /usr/bin/chromium is missing")
    skip = pytest.mark.skip(reason="no /usr/bin/chromium: `apt-get install chromium` to run browser tests")
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Portal:
    """One person's browser tab on the live portal, with the steps journeys are written in."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.pages_checked = []

    def visit(self, path):
        self.page.goto(self.base_url + path)
        self.check_accessibility()

    def check_accessibility(self):
        """Fail on any axe-core violation on the current page."""
        from axe_playwright_python.sync_playwright import Axe

        results = Axe().run(self.page)
        self.pages_checked.append(self.page.url)
        assert results.violations_count == 0, f"{self.page.url}\n{results.generate_report()}"

    def click(self, name, role="button"):
        self.page.get_by_role(role, name=name).first.click()
        self.page.wait_for_load_state()
        self.check_accessibility()

    def fill(self, label, value):
        self.page.get_by_label(label, exact=True).fill(value)

    def heading(self) -> str:
        return self.page.locator("h1").first.inner_text()

    def sign_in(self, user, password=TEST_PASSWORD):
        self.visit("/accounts/login/")
        self.fill("Email address", user.email)
        self.fill("Password", password)
        self.click("Sign in")
        if "/2fa/authenticate" in self.page.url:
            self.fill("Code", self._fresh_code(user))
            self.click("Sign in")
        assert "/accounts/login" not in self.page.url, f"sign-in failed: {self.page.url}"

    def _fresh_code(self, user) -> str:
        """allauth refuses a code used before, so a second sign-in by the same person within one
        30-second step waits for the next code, as a person would."""
        used = self.__dict__.setdefault("_codes_used", {})
        code = current_totp_code()
        while used.get(user.pk) == code:
            time.sleep(1)
            code = current_totp_code()
        used[user.pk] = code
        return code

    def sign_out(self):
        self.page.get_by_role("button", name="Sign out").click()
        self.page.wait_for_load_state()


def current_totp_code(secret=TOTP_SECRET) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture
def portal(browser, live_server, transactional_db):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield Portal(page, live_server.url)
    context.close()


def link_in_email(message) -> str:
    """The first portal link in an email body, as a path."""
    match = re.search(r"https?://[^\s/]+(/\S+)", message.body)
    assert match, f"no link in email: {message.body}"
    return match.group(1)
