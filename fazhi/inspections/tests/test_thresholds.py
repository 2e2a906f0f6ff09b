"""The [U] thresholds as configured numbers (core rule overrides with a value unit): the yearly
cap, the repeat and multi-agency warnings, the 双随机 defaults, and the 案卷评查 checklist and
pass mark; the defaults and citations shown under 期限规则."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from fazhi.core import rules as rulebook
from fazhi.enforcement import cases
from fazhi.enforcement import rules as enf_rules
from fazhi.inspections import rules
from fazhi.inspections.tests.helpers import enterprise, item, pair
from fazhi.inspections.tests.test_inspections import _plan

D = dt.date


def _override(cast, code: str, value: int) -> None:
    rulebook.set_override(
        code,
        length=value,
        unit="months",  # ignored for a value rule
        basis="某县涉企检查频次规定第三条",
        county=cast.county,
        actor=cast.admin,
    )


def test_yearly_cap_and_warnings_follow_the_county_rule(cast, login):
    firm = enterprise(cast.a)
    people = pair(cast.a)
    _plan(cast, firm, day=D(2025, 3, 3), officers=people, items=[item(cast.a, cap=5)])
    assert rules.effective_value(rules.YEARLY_CAP, cast.a) == 2
    _override(cast, "inspections.yearly_cap", 1)
    override = rulebook.find_override("inspections.yearly_cap", cast.county)
    assert (
        override.unit == "days"
        and rulebook.effective_rule(override.rule_code, cast.a).unit_label == "次"
    )
    # the county's cap (1) is below the item's own (5): the second inspection is over the cap
    with pytest.raises(ValidationError, match="本次将超过年度上限1次"):
        _plan(cast, firm, day=D(2025, 5, 5), officers=people, items=[item(cast.a, cap=5)])
    # another county keeps the default
    assert rules.effective_value(rules.YEARLY_CAP, cast.c) == 2
    _override(cast, "inspections.repeat_warning", 3)
    second = _plan(cast, firm, day=D(2025, 5, 5), officers=people, confirm_over_cap=True,
                   items=[item(cast.a, cap=5)])  # fmt: skip
    assert "重复检查" not in second.warnings and second.over_cap
    page = login(cast.admin).get("/rules/").content.decode()
    assert "同一主体对同一企业年度检查上限" in page and "2次" in page and "1次" in page
    assert rules.INSPECTION_CITATION in page


def test_new_plan_starts_from_the_ratios_in_force(cast, login):
    _override(cast, "inspections.ratio_d", 40)
    form = login(cast.a_operator).get("/inspections/plans/add/").context["form"]
    assert form.fields["ratio_d"].initial == 40 and form.fields["ratio_a"].initial == 1
    assert form.fields["inspectors_per_entity"].initial == 2


@time_machine.travel(dt.datetime(2025, 12, 30, 9, 0, tzinfo=dt.UTC), tick=False)
def test_file_review_checklist_and_pass_mark_are_configurable(cast):
    from fazhi.enforcement.tests.test_case_resources import decided

    case = decided(cast)
    scores = {"body": 15, "facts": 25, "law": 15, "procedure": 20, "documents": 10}  # 85
    first = cases.review_file(
        case, reviewed_on=D(2025, 10, 1), reviewer="司法所", scores=scores, actor=cast.a_operator
    )
    assert first.passed and first.total == Decimal(85)
    _override(cast, "enforcement.file_review_pass", 90)
    _override(cast, "enforcement.file_review.body", 10)
    assert enf_rules.file_review_checklist(cast.a)[0] == ("body", "执法主体合法、执法人员持证", 10)
    with pytest.raises(ValidationError, match="0至10之间"):
        cases.review_file(
            case, reviewed_on=D(2025, 10, 2), reviewer="司法所", scores=scores,
            actor=cast.a_operator,
        )  # fmt: skip
    second = cases.review_file(
        case,
        reviewed_on=D(2025, 10, 2),
        reviewer="司法所",
        scores={**scores, "body": 10},
        actor=cast.a_operator,
    )
    assert second.total == Decimal(80) and not second.passed
