"""A PK who leaves a page alone is told a few minutes before the session ends, can stay signed in with
one press, and is told when it has ended. Every tab of the site renews one session, so a tab does not
warn while the PK works in another. The browser's clock is Playwright's, moved on by the test."""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

PING = re.compile(r"/akun/sesi/$")
IDLE = datetime.timedelta(minutes=30)  # SESSION_COOKIE_AGE's default


def open_client_page(page, live_server, supervision):
    page.goto(live_server.url + reverse("clients:detail", args=[supervision.client_id]))


def clock_time_after(page, delay: datetime.timedelta) -> str:
    """HH:MM on the browser's clock, in its own zone (the user's), `delay` from now."""
    return page.evaluate("""(ms) => {
        const at = new Date(Date.now() + ms);
        return String(at.getHours()).padStart(2, "0") + ":" + String(at.getMinutes()).padStart(2, "0");
    }""", delay.total_seconds() * 1000)


def test_a_page_left_alone_warns_before_the_session_ends_and_one_press_keeps_it(
        live_server, page, sign_in, pk, supervision, screenshot):
    sign_in(pk)
    page.clock.install()
    open_client_page(page, live_server, supervision)
    ends_at = clock_time_after(page, IDLE)
    ending = page.get_by_test_id("session-ending")

    page.clock.fast_forward("26:00")
    expect(ending).to_have_count(0)  # nothing while the session surely lasts
    page.clock.fast_forward("02:00")
    expect(ending).to_be_visible()
    expect(ending).to_contain_text(f"pukul {ends_at}")
    screenshot(page, "session-ending")

    with page.expect_request(PING):
        ending.get_by_role("button", name="Tetap masuk").click()
    expect(ending).to_have_count(0)

    page.clock.fast_forward("31:00")  # left alone again, past the end
    over = page.get_by_test_id("session-over")
    expect(over).to_be_visible()
    expect(page.get_by_test_id("session-ending")).to_have_count(0)
    screenshot(page, "session-over")


def test_work_on_the_page_when_warned_renews_the_session(live_server, page, sign_in, pk, supervision):
    sign_in(pk)
    page.clock.install()
    open_client_page(page, live_server, supervision)
    page.clock.fast_forward("28:00")
    expect(page.get_by_test_id("session-ending")).to_be_visible()
    with page.expect_request(PING):
        page.mouse.wheel(0, 200)
    expect(page.get_by_test_id("session-ending")).to_have_count(0)


def test_another_tab_keeps_the_session_and_signing_in_there_clears_the_ended_notice(
        live_server, page, sign_in, pk, supervision):
    sign_in(pk)
    page.clock.install()  # the context's clock: every tab shares it
    open_client_page(page, live_server, supervision)
    page.clock.fast_forward("20:00")
    other = page.context.new_page()
    open_client_page(other, live_server, supervision)  # the PK works on in another tab: the session is renewed
    page.clock.fast_forward("08:00")
    expect(page.get_by_test_id("session-ending")).to_have_count(0)  # 28 minutes here, 8 there
    page.clock.fast_forward("20:00")
    expect(page.get_by_test_id("session-ending")).to_be_visible()  # 28 minutes since the other tab's page
    page.clock.fast_forward("03:00")
    expect(page.get_by_test_id("session-over")).to_be_visible()

    open_client_page(other, live_server, supervision)  # as after signing in again there
    expect(page.get_by_test_id("session-over")).to_have_count(0)
