"""Helpers for the Chromium tests: a live server in a thread and Debian's Chromium."""

from __future__ import annotations

import os
import shutil
import threading
from contextlib import contextmanager

import pytest

CHROMIUM = "/usr/bin/chromium"
# Without these, Chromium keeps trying to reach Google's hosts, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


def require_chromium() -> None:
    """Skip without Chromium on a developer's machine; in CI a missing browser is a failure."""
    if shutil.which(CHROMIUM) and _has_playwright():
        return
    message = f"{CHROMIUM} and the playwright package are needed for browser tests"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def _has_playwright() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


@contextmanager
def live_server(app):
    """Serve ``app`` on a free loopback port for the duration of the block."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@contextmanager
def chromium():
    """Debian's Chromium driven by Playwright (Playwright's own browser download fails here)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def sign_in(page, base: str, email: str, password: str, known: dict) -> None:
    """Sign in through the pages as a person would, with the authenticator app's code where the
    account has or needs a second factor (pyotp stands in for the phone). ``known`` holds the
    second factors by e-mail, shared with conftest's ``login`` (``SECOND_FACTORS[app]``)."""
    import time

    import pyotp

    page.goto(base + "/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("form:has(#password) button[type=submit]")
    now_step = int(time.time() // 30)
    if page.url.endswith("/login/enrol"):
        secret = page.locator("[data-secret]").get_attribute("data-secret")
        page.fill("#code", pyotp.TOTP(secret).at(now_step * 30))
        page.click("form:has(#code) button[type=submit]")
        known[email] = {"secret": secret, "codes": [], "last": now_step}
        page.click("form:has(input[name=continue]) button[type=submit]")
    elif page.url.endswith("/login/code"):
        entry = known[email]
        entry["last"] = max(now_step, entry["last"] + 1)
        page.fill("#code", pyotp.TOTP(entry["secret"]).at(entry["last"] * 30))
        page.click("form:has(#code) button[type=submit]")
