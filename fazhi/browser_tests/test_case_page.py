"""The case page at phone width: the steps show where the case stands, the next action comes
first, and the tabs switch panels (plain JavaScript served by us)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from fazhi.disputes import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_case_page_tabs_and_next_action_at_phone_width(cast, open_session):
    dispute = services.register_dispute(
        cast.a,
        received_on=timezone.localdate(),
        source="walk_in",
        kind="neighbour",
        description="两户因宅前排水沟堵塞发生争执。",
        parties=[
            services.PartyInput(name="张三", phone="13800000001"),
            services.PartyInput(name="李四", role="respondent", phone="13900000002"),
        ],
        village=cast.a1,
        actor=cast.a_operator,
    )
    s = open_session(width=390, height=844, label="phone")
    s.log_in("a_operator")
    page = s.page
    s.goto(f"/disputes/disputes/{dispute.pk}/")
    current = page.locator('.steps [aria-current="step"]')
    assert current.locator(".step-label").inner_text() == "受理调解"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # the tabs: the first panel is open, the others hidden until their tab is pressed
    assert page.locator("#details").is_visible()
    assert not page.locator("#parties").is_visible()
    page.get_by_role("tab", name="当事人").click()
    assert page.locator("#parties").is_visible() and not page.locator("#details").is_visible()
    assert "138****0001" in page.locator("#parties").inner_text()
    assert page.get_by_role("tab", name="当事人").get_attribute("aria-selected") == "true"
    s.shot("parties-tab")
    # a link to a panel opens it (the URL keeps the tab)
    s.goto(f"/disputes/disputes/{dispute.pk}/#history")
    assert page.locator("#history").is_visible() and not page.locator("#details").is_visible()

    # the next action first: accept for mediation, then the track moves on
    page.locator("summary", has_text="受理调解").click()
    page.fill("#accept_on", timezone.localdate().isoformat())
    s.shot("accept-form")
    with page.expect_navigation():
        page.get_by_role("button", name="受理", exact=True).click()
    assert "已受理调解" in page.locator(".messages").inner_text()
    assert current.locator(".step-label").inner_text() == "调解"
    assert page.locator(".step-done .step-label").first.inner_text() == "登记"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    s.shot("mediating")
    assert s.external_requests() == []
