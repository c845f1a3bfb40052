"""Shared set-up for tests that drive Debian's chromium through Playwright."""

import os
import threading
import time
import unittest
from pathlib import Path
from urllib.parse import urlsplit

from django.core.management.base import CommandError
from django.db import connections
from django.db.utils import OperationalError
from django.test import LiveServerTestCase
from django.test.testcases import _StaticFilesHandler

CHROMIUM = Path("/usr/bin/chromium")
FLUSH_ATTEMPTS = 30
SETTLE_SECONDS = 10
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


# With SQLite in memory, the live server's threads and the test itself share
# one database connection, which can't serve two at once: a page's
# beacons, fetched ads and token arrive together, and the test polls the
# counters meanwhile. They take turns.
DATABASE_TURN = threading.RLock()


class TakingTurns:
    """The live server's application, serving one request at a time."""

    def __init__(self, application):
        self.application = _StaticFilesHandler(application)

    def __call__(self, environ, start_response):
        with DATABASE_TURN:
            response = self.application(environ, start_response)
            try:
                return [b"".join(response)]
            finally:
                if hasattr(response, "close"):
                    response.close()


def wait_for(condition, seconds=5.0):
    """Whether `condition` (which may query the database) holds in time."""
    deadline = time.monotonic() + seconds
    while True:
        with DATABASE_TURN:
            try:
                if condition():
                    return True
            except OperationalError:
                # SQLite locks a table for a moment after a write.
                pass
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)


def settle(page):
    """Let a page's requests in flight finish before its context closes.

    A courtesy to the teardown, not a check: a form's autosave and heartbeat
    may keep a page busy on a loaded machine, and whatever still runs then is
    cut off by the context's closing while the flush waits for its turn.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_load_state("networkidle", timeout=SETTLE_SECONDS * 1000)
    except PlaywrightTimeout:
        pass


def caret_at_end(editor):
    """Focus the body editor (a ProseMirror locator) with its caret after
    the last character, ready for the keyboard.

    Through the editor's own command, not a click or Ctrl+End: on a busy
    machine ProseMirror's focus handling may put back the selection it had
    before (the start of the text) after the keys have moved the caret,
    and what was meant for the end is typed at the start.
    """
    from playwright.sync_api import expect

    editor.evaluate("dom => dom.editor.commands.focus('end')")
    expect(editor).to_be_focused()


def require_chromium():
    """Skip without chromium, unless the run insists on browser tests (CI)."""
    if CHROMIUM.exists():
        return
    message = (
        f"{CHROMIUM} is missing: install Debian's chromium package to run browser tests"
    )
    if os.environ.get("NEWSROOM_REQUIRE_BROWSER_TESTS"):
        raise AssertionError(message)
    raise unittest.SkipTest(message)


class BrowserTestCase(LiveServerTestCase):
    """Static files come through WhiteNoise as in production: its hashed
    names exist only there, not in staticfiles' own test server."""

    # The roles (groups) come from a data migration; keep them across tests.
    serialized_rollback = True
    static_handler = TakingTurns

    @classmethod
    def setUpClass(cls):
        require_chromium()
        # Playwright runs an event loop in this thread, and Django keeps a
        # connection per loop: the copy of the migrated data that
        # serialized_rollback restores lives on the connection made before it.
        cls.serialized_contents = {
            alias: connections[alias]._test_serialized_contents
            for alias in connections
            if hasattr(connections[alias], "_test_serialized_contents")
        }
        # Playwright's sync API runs an event loop in this thread; the ORM calls
        # made by the tests themselves are still synchronous.
        os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        super().setUpClass()
        from playwright.sync_api import sync_playwright

        cls.playwright = sync_playwright().start()
        cls.browser = cls.playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        cls.playwright.stop()
        super().tearDownClass()

    @classmethod
    def _fixture_setup(cls):
        cls._restore_serialized_contents()
        super()._fixture_setup()

    def _fixture_teardown(self):
        self._restore_serialized_contents()
        # A beacon the browser sent as its page closed may still be writing on
        # the live server's thread; SQLite then refuses the flush for a moment.
        for attempt in range(FLUSH_ATTEMPTS):
            try:
                with DATABASE_TURN:
                    return super()._fixture_teardown()
            except CommandError:
                if attempt == FLUSH_ATTEMPTS - 1:
                    raise
                time.sleep(0.1)

    @classmethod
    def _restore_serialized_contents(cls):
        for alias, contents in cls.serialized_contents.items():
            connections[alias]._test_serialized_contents = contents

    def new_page(self, **context_options):
        """A page in a fresh browser context: its own cookies, like another person."""
        context = self.browser.new_context(locale="de-DE", **context_options)
        context.set_default_timeout(15_000)
        self.addCleanup(context.close)
        page = context.new_page()
        self.addCleanup(settle, page)
        return page

    def open(self, url, **context_options):
        page = self.new_page(**context_options)
        self.requested_hosts = set()
        page.on(
            "request",
            lambda request: self.requested_hosts.add(urlsplit(request.url).netloc),
        )
        page.goto(f"{self.live_server_url}{url}", wait_until="load")
        return page

    def log_in(self, username, password, code=""):
        """A page of someone signed in to the admin (`code`: from their app)."""
        page = self.new_page()
        page.goto(f"{self.live_server_url}/admin/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.fill("#id_otp_token", code)
        page.click("input[type=submit]")
        page.wait_for_url(f"{self.live_server_url}/admin/")
        return page

    def choose_autocomplete(self, page, field_selector, text):
        """Choose `text` in an autocomplete field: click it, type into the
        search box it opened, click the match. One choice is enough."""
        page.click(f"{field_selector} + .select2")
        # The open field's own box: a multiple choice (authors) has one in
        # the form too, always there, so ".select2-search__field" alone
        # may be another field's, which then opens instead.
        page.fill(".select2-container--open .select2-search__field", text)
        page.click(
            "li.select2-results__option[role=option]:not(.loading-results)"
            f":has-text('{text}')"
        )
