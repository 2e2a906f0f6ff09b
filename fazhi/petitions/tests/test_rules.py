"""The declared periods of 《信访工作条例》 with their citations and confidence."""

from __future__ import annotations

from fazhi.core.rules import get_rule
from fazhi.petitions import rules
from fazhi.petitions.choices import TRANSITIONS, Action, Status, allowed_actions, next_status

EXPECTED = {
    "petitions.acceptance_notice": (15, "days", "第二十三条"),
    "petitions.objection": (5, "working_days", "第二十三条"),
    "petitions.handling": (60, "days", "第三十四条"),
    "petitions.extension_max": (30, "days", "第三十四条"),
    "petitions.review_request": (30, "days", "第三十五条"),
    "petitions.review_reply": (30, "days", "第三十五条"),
    "petitions.recheck_request": (30, "days", "第三十六条"),
    "petitions.recheck_reply": (30, "days", "第三十六条"),
}


def test_every_statutory_period_is_declared_with_its_article():
    for code, (length, unit, article) in EXPECTED.items():
        rule = get_rule(code)
        assert (rule.length, rule.unit) == (length, unit), code
        assert rule.citation == f"《信访工作条例》{article}" and rule.confidence == "C", code


def test_rating_window_is_an_unconfirmed_default():
    rule = get_rule("petitions.rating_window")
    assert rule.confidence == "U" and rule.unconfirmed and "默认值" in rule.note
    assert any(label == "评价等级" for label, _text in rules.UNCONFIRMED_CONVENTIONS)


def test_transition_table_covers_every_status_and_ends_in_terminal_states():
    assert set(TRANSITIONS) == set(Status.values)
    for status, actions in TRANSITIONS.items():
        for action, target in actions.items():
            assert target in Status.values and action in Action.values, (status, action)
    assert allowed_actions(Status.CLOSED) == [Action.RATE, Action.FLAG_BACKLOG, Action.REISSUE_CODE]
    assert next_status(Status.RECHECK, Action.RECORD_RECHECK) == Status.CLOSED
    assert next_status(Status.ROUTED, Action.REISSUE_CODE) == Status.ROUTED
