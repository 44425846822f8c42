from __future__ import annotations

import re
import time

from playwright.sync_api import expect

from grappe.members.tests.factories import PASSWORD


def log_in(page, user, *, totp_secret: str | None = None) -> None:
    """Log in through allauth's form (and its TOTP stage when the user has a second factor)."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    page.goto(page.base + "/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    if totp_secret:
        page.wait_for_selector("input[name=code]")
        # A code is valid for its 30-second window only: never type one about to expire.
        if time.time() % 30 > 25:
            time.sleep(30 - time.time() % 30 + 0.5)
        code = format_hotp_value(hotp_value(totp_secret, int(time.time()) // 30))
        page.fill("input[name=code]", code)
        page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
