"""The case page's procedure track: steps computed from the record's status (core.casepage),
and the pages that use it (petitions and disputes) mark the current step and show only the
actions the user may take."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from fazhi.core.casepage import (
    CURRENT,
    DONE,
    ENDED,
    SKIPPED,
    TODO,
    Ending,
    Panel,
    Procedure,
    Step,
    insert_panels,
)

P = Procedure(
    steps=(
        Step("register", "登记"),
        Step("accept", "受理", statuses=("registered",)),
        Step("review", "复查", statuses=("served",), reached=lambda o: o.reviewed),
        Step("close", "办结", statuses=("reviewed",), note=lambda o: o.closed_on),
    ),
    done_statuses=("closed",),
    endings={"declined": Ending("不予受理", after="accept")},
)


def _states(status: str, **attrs: object) -> list[tuple[str, str]]:
    obj = SimpleNamespace(status=status, reviewed=False, closed_on="", **attrs)
    return [(v.label, v.state) for v in P.track(obj)]


def test_the_step_under_way_is_current_and_the_earlier_ones_done() -> None:
    assert _states("registered") == [
        ("登记", DONE),
        ("受理", CURRENT),
        ("复查", TODO),
        ("办结", TODO),
    ]
    assert _states("served") == [("登记", DONE), ("受理", DONE), ("复查", CURRENT), ("办结", TODO)]


def test_a_step_passed_by_is_shown_as_not_taken() -> None:
    assert _states("reviewed")[2] == ("复查", SKIPPED)
    taken = SimpleNamespace(status="reviewed", reviewed=True, closed_on="")
    assert P.track(taken)[2].state == DONE
    obj = SimpleNamespace(status="closed", reviewed=True, closed_on="2025-03-01")
    track = P.track(obj)
    assert [v.state for v in track] == [DONE, DONE, DONE, DONE]
    assert track[-1].note == "2025-03-01"


def test_an_ending_off_the_main_path_ends_the_track() -> None:
    assert _states("declined") == [
        ("登记", DONE),
        ("受理", DONE),
        ("不予受理", ENDED),
        ("复查", SKIPPED),
        ("办结", SKIPPED),
    ]


def test_an_unknown_status_marks_no_step_current() -> None:
    assert {state for _, state in _states("something_else")} == {TODO}


def test_panels_are_inserted_after_a_named_panel() -> None:
    panels = [Panel("details", "基本信息"), Panel("history", "变更记录")]
    out = insert_panels(panels, [Panel("parties", "当事人")], after="details")
    assert [p.key for p in out] == ["details", "parties", "history"]
    assert [p.key for p in insert_panels(panels, [Panel("x", "x")], after="nope")][0] == "x"


# --- the pages ------------------------------------------------------------------------------
@pytest.fixture
def dispute(cast):
    from django.utils import timezone

    from fazhi.disputes import services

    return services.register_dispute(
        cast.a,
        received_on=timezone.localdate(),
        source="walk_in",
        kind="neighbour",
        description="两户因宅前排水沟堵塞发生争执。",
        parties=[services.PartyInput(name="张三", phone="13800000001")],
        village=cast.a1,
        actor=cast.a_operator,
    )


def test_dispute_case_page_marks_the_current_step_and_offers_the_next_action(cast, login, dispute):
    response = login(cast.a_operator).get(f"/disputes/disputes/{dispute.pk}/")
    assert response.status_code == 200
    case = response.context["case"]
    current = [v for v in case["track"] if v.state == CURRENT]
    assert [v.label for v in current] == ["受理调解"]
    assert case["actions"][0].label == "受理调解" and case["actions"][0].primary
    keys = [p.key for p in case["panels"]]
    assert keys[:3] == ["details", "parties", "deadlines"] and "history" in keys
    html = response.content.decode()
    assert 'role="tablist"' in html and 'aria-current="step"' in html
    assert "fazhi/case.js" in html


def test_a_viewer_sees_the_case_but_no_actions(cast, login, dispute):
    response = login(cast.a_viewer).get(f"/disputes/disputes/{dispute.pk}/")
    assert response.status_code == 200
    assert response.context["case"]["actions"] == []
    assert "不能办理" in response.content.decode()


def test_another_townships_user_gets_404_on_the_case_page(cast, login, dispute):
    assert login(cast.b_operator).get(f"/disputes/disputes/{dispute.pk}/").status_code == 404


def test_a_bad_entry_in_an_action_form_reopens_it_with_the_error_by_its_field(cast, login, dispute):
    response = login(cast.a_operator).post(
        f"/disputes/disputes/{dispute.pk}/accept/", {"on": "2025-13-45"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="accept_on_error"' in html and 'aria-describedby="accept_on_error"' in html
    assert 'id="act-disputes-disputes-' in html and " open>" in html
    dispute.refresh_from_db()
    assert dispute.status == "registered"
