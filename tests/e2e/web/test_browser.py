"""The team pages in a real Chromium: sign in, work an item, live list, scope, CSRF, sign out.

axe-core runs on every page visited (no serious or critical violations), and each page is
photographed into docs/screenshots/.
"""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import Page, Route, expect

from schemas.enums import RoutedStatus
from tests.e2e.web.conftest import Site, axe_check, shoot, sign_in
from tests.fixtures.api.events import T0, inbox_item, routed

BLOCKED = "Thanks, your NHS number 943 476 5919 is on file"
FIXED = "Thanks, we have your details on file and will be in touch"


def _seed(site: Site) -> None:
    site.route(
        routed(inbox_item(1, text="When do foundation programme allocations come out?")),
        routed(inbox_item(2, at=T0 + timedelta(minutes=5),
                          text="Is the application portal down? I keep getting an error")),
        routed(inbox_item(3, channel="twitter:hee_kss", text="Open days in Kent this spring?")),
        routed(inbox_item(4, channel="twitter:hee_wessex", text="Wessex placement question")),
        routed(inbox_item(5, at=T0 + timedelta(hours=9), text="Held overnight question"),
               RoutedStatus.HELD, hold_until=T0 + timedelta(days=1)),
    )  # fmt: skip


def test_work_an_item_end_to_end(site: Site, page: Page) -> None:
    _seed(site)
    page.goto(f"{site.url}/")
    expect(page).to_have_url(re.compile(r"/sign-in"))
    assert axe_check(page) == []
    shoot(page, "sign-in")
    sign_in(page, site, "press")
    assert axe_check(page) == []
    shoot(page, "queues")
    page.get_by_role("link", name="Press team").click()
    expect(page.get_by_role("heading", name="Press team")).to_be_visible()
    assert axe_check(page) == []
    shoot(page, "work-list")
    page.get_by_role("link", name=re.compile("foundation programme")).click()
    page.get_by_role("button", name="Claim").click()
    expect(page.get_by_text("You have claimed this item.")).to_be_visible()
    reply = page.get_by_label("Reply", exact=True)
    reply.fill(BLOCKED)
    expect(page.locator("[data-verdict=block]")).to_be_visible()
    expect(page.locator("mark.sb-sev-block")).to_have_text("943 476 5919")
    assert axe_check(page) == []
    shoot(page, "item-guidance")
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_role("alert")).to_contain_text("cannot be sent as written")
    page.get_by_label("Reply", exact=True).fill(FIXED)
    expect(page.locator("[data-verdict=ok]")).to_be_visible()
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_text("Reply sent to the publisher.")).to_be_visible()
    expect(page.locator("ol.sb-timeline")).to_contain_text("reply submitted")
    expect(page.locator("[data-reply-status=queued]")).to_contain_text("queued for the publisher")
    assert axe_check(page) == []
    shoot(page, "item")
    page.get_by_role("button", name="Resolve").click()
    expect(page.locator("#item-status")).to_have_text("resolved")


def test_the_main_flow_with_the_keyboard_alone(site: Site, page: Page) -> None:
    _seed(site)

    def tab_to(name: str) -> None:
        for _ in range(60):
            page.keyboard.press("Tab")
            label = page.evaluate(
                "() => { const e = document.activeElement; return e.labels && e.labels[0] ?"
                " e.labels[0].textContent.trim() : (e.textContent || '').trim(); }"
            )
            if label == name:
                return
        raise AssertionError(f"Tab never reached {name!r}")

    page.goto(f"{site.url}/sign-in")
    tab_to("Email")
    page.keyboard.type(site.emails["press"])
    tab_to("Password")
    page.keyboard.type("correct horse battery staple")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site.url}/")
    tab_to("Press team")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Press team")).to_be_visible()
    page.wait_for_load_state("load")  # app.js binds j/k: keys pressed before it runs are lost
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")
    page.keyboard.press("Enter")
    # The item page itself (the excerpt alone is on the work list too).
    expect(page.get_by_role("button", name="Claim")).to_be_visible()
    expect(page.get_by_text("foundation programme allocations")).to_be_visible()
    tab_to("Claim")
    page.keyboard.press("Enter")
    expect(page.get_by_text("You have claimed this item.")).to_be_visible()
    tab_to("Reply")
    page.keyboard.type(FIXED)
    expect(page.locator("[data-verdict=ok]")).to_be_visible()
    tab_to("Send reply")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Reply sent to the publisher.")).to_be_visible()
    tab_to("Resolve")
    page.keyboard.press("Enter")
    expect(page.locator("#item-status")).to_have_text("resolved")


def test_new_items_appear_in_the_work_list_without_a_reload(site: Site, page: Page) -> None:
    _seed(site)
    sign_in(page, site, "press")
    page.goto(f"{site.url}/queues/press")
    expect(page.get_by_text("foundation programme")).to_be_visible()
    page.evaluate("() => { window.sbMarker = 'same page'; }")
    site.route(routed(inbox_item(9, at=T0 + timedelta(minutes=30),
                                 text="Brand new question arriving live")))  # fmt: skip
    expect(page.get_by_text("Brand new question arriving live")).to_be_visible(timeout=20_000)
    assert page.evaluate("() => window.sbMarker") == "same page"  # no reload happened


def test_a_lead_cannot_reach_another_channels_item(site: Site, page: Page) -> None:
    _seed(site)
    sign_in(page, site, "kss")
    page.goto(f"{site.url}/channels")
    expect(page.get_by_text("Open days in Kent")).to_be_visible()
    expect(page.get_by_text("Wessex placement question")).to_have_count(0)
    assert axe_check(page) == []
    shoot(page, "lead")
    page.goto(f"{site.url}/queues/local:wessex")
    expect(page.get_by_role("heading", name="Not in your scope")).to_be_visible()
    wessex = routed(inbox_item(4, channel="twitter:hee_wessex")).item.event_id
    answer = page.goto(f"{site.url}/items/{wessex}")
    assert answer is not None
    assert answer.status == 403
    expect(page.get_by_text("Wessex placement question")).to_have_count(0)
    assert axe_check(page) == []


def test_a_forged_form_is_refused(site: Site, page: Page) -> None:
    _seed(site)
    sign_in(page, site, "press")
    page.get_by_role("link", name="Press team").click()
    page.get_by_role("link", name=re.compile("foundation programme")).click()
    page.evaluate(
        "() => document.querySelectorAll('input[name=csrf_token]')"
        ".forEach(e => { e.value = 'forged'; })"
    )
    page.get_by_role("button", name="Claim").click()
    expect(page.get_by_role("heading", name="Request refused")).to_be_visible()
    page.go_back()
    page.reload()
    expect(page.locator("#item-status")).to_have_text("open")


def test_an_approver_decides_a_held_reply_then_signs_out(site: Site, page: Page) -> None:
    _seed(site)
    sign_in(page, site, "press")
    page.get_by_role("link", name="Press team").click()
    page.get_by_role("link", name=re.compile("foundation programme")).click()
    page.get_by_role("button", name="Claim").click()
    expect(page.get_by_text("You have claimed this item.")).to_be_visible()
    page.get_by_label("Reply", exact=True).fill("We guarantee allocations by Friday")
    expect(page.locator("[data-verdict=approval]")).to_be_visible()
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_text("Reply sent for approval")).to_be_visible()
    expect(page.locator("[data-reply-status=pending_approval]")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    page.goto(f"{site.url}/")
    expect(page).to_have_url(re.compile(r"/sign-in"))

    sign_in(page, site, "approver")
    page.get_by_role("link", name="Approvals").first.click()
    expect(page.get_by_text("We guarantee allocations by Friday")).to_be_visible()
    assert axe_check(page) == []
    shoot(page, "approvals")
    page.get_by_label("Reason for rejecting").fill("We cannot promise dates")
    page.get_by_role("button", name="Reject").click()
    expect(page.get_by_text("Reply rejected.")).to_be_visible()
    expect(page.get_by_text("Nothing is waiting for approval.")).to_be_visible()


def test_a_reply_typed_before_the_scripts_ran_is_still_checked(site: Site, page: Page) -> None:
    _seed(site)
    sign_in(page, site, "press")
    page.get_by_role("link", name="Press team").click()
    page.get_by_role("link", name=re.compile("foundation programme")).click()
    page.get_by_role("button", name="Claim").click()
    expect(page.get_by_text("You have claimed this item.")).to_be_visible()
    held: list[Route] = []
    page.route("**/static/dist/htmx.min.js", lambda route: held.append(route))  # until released
    page.goto(page.url, wait_until="commit")
    page.get_by_label("Reply", exact=True).fill(BLOCKED)
    expect(page.locator("[data-verdict]")).to_have_count(0)
    for _ in range(100):  # the sync API runs the route handler only while it waits
        if held:
            break
        page.wait_for_timeout(100)
    assert held, "the page never asked for htmx"
    held[0].continue_()
    expect(page.locator("[data-verdict=block]")).to_be_visible()


def test_the_admin_page(site: Site, page: Page) -> None:
    _seed(site)
    sign_in(page, site, "admin")
    page.goto(f"{site.url}/admin")
    assert axe_check(page) == []
    shoot(page, "admin")
    page.get_by_text("Create a token").click()
    page.get_by_label("Token name").fill("kss-script")
    page.get_by_label("Token kind").select_option("lead")
    page.get_by_label("Token channels").select_option("twitter:hee_kss")
    page.get_by_role("button", name="Create token").click()
    expect(page.locator("#secret")).to_contain_text("sbt_")
    page.get_by_role("button", name="Revoke kss-script").click()
    expect(page.get_by_text("Token revoked.")).to_be_visible()
