"""Deadline rules as data, and the county → province → rule order of overrides."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fazhi.core import rules
from fazhi.core.choices import DeadlineUnit
from fazhi.core.models import ChangeRecord, DomainEvent, RuleOverride
from fazhi.core.rules import DeadlineRule, effective_rule, get_rule, register_rule

RULE = DeadlineRule(
    code="test.reply",
    label="书面告知是否受理",
    start_event="收到信访事项",
    length=15,
    unit=DeadlineUnit.DAYS,
    citation="《信访工作条例》第二十三条",
    confidence="C",
)
UNCONFIRMED = DeadlineRule(
    code="test.defence",
    label="陈述申辩",
    start_event="告知",
    length=3,
    unit=DeadlineUnit.WORKING_DAYS,
    citation="部门规章（待确认）",
    confidence="U",
    note="行政处罚法未规定天数",
)


@pytest.fixture
def declared():
    register_rule(RULE)
    register_rule(UNCONFIRMED)
    yield RULE
    rules.unregister_rule(RULE.code)
    rules.unregister_rule(UNCONFIRMED.code)


# --- declaring rules --------------------------------------------------------------------------
def test_a_rule_carries_its_citation_confidence_and_convention(declared):
    rule = get_rule("test.reply")
    assert rule.citation == "《信访工作条例》第二十三条"
    assert rule.convention == "civil_procedure"
    assert "第八十五条" in rule.convention_label
    assert rule.describe() == "收到信访事项起15日"
    assert get_rule("test.defence").confidence_label == "待确认，可调整的默认值"
    assert get_rule("test.defence").unconfirmed
    assert [r.code for r in rules.all_rules() if r.code.startswith("test.")] == [
        "test.defence",
        "test.reply",
    ]


def test_registering_the_same_rule_again_is_harmless_but_a_different_one_is_refused(declared):
    assert register_rule(RULE) is RULE
    changed = DeadlineRule(**{**RULE.__dict__, "length": 10})
    with pytest.raises(ValueError, match="already declared"):
        register_rule(changed)


def test_an_undeclared_rule_is_a_lookup_error():
    with pytest.raises(LookupError, match="未声明的期限规则"):
        get_rule("nowhere.nothing")


@pytest.mark.parametrize(
    "change",
    [
        {"confidence": "X"},
        {"unit": "weeks"},
        {"length": 0},
        {"citation": ""},
        {"convention": "common_law"},
        {"code": ""},
    ],
)
def test_a_malformed_rule_is_refused_at_declaration(change):
    with pytest.raises(ValueError):
        DeadlineRule(**{**RULE.__dict__, **change})


def test_the_core_registers_no_module_rules():
    assert not [r for r in rules.all_rules() if r.code.startswith("core.")]


# --- overrides --------------------------------------------------------------------------------
@pytest.mark.django_db
def test_without_overrides_the_declared_rule_applies(cast, declared):
    eff = effective_rule("test.reply", cast.a)
    assert (eff.length, eff.unit, eff.override) == (15, DeadlineUnit.DAYS, None)
    assert eff.source == "《信访工作条例》第二十三条（默认）"


@pytest.mark.django_db
def test_county_override_beats_province_override_beats_rule(cast, declared):
    province = rules.set_override(
        "test.reply",
        length=10,
        unit=DeadlineUnit.DAYS,
        basis="测试省信访条例第十条",
        province="测试省",
        actor=cast.admin,
    )
    county = rules.set_override(
        "test.reply",
        length=5,
        unit=DeadlineUnit.WORKING_DAYS,
        basis="测试县规定第三条",
        county=cast.county,
        actor=cast.admin,
    )
    in_a = effective_rule("test.reply", cast.a)  # the county with its own override
    assert (in_a.length, in_a.unit, in_a.override) == (5, DeadlineUnit.WORKING_DAYS, county)
    assert in_a.source == "测试市测试县调整：测试县规定第三条"
    in_c = effective_rule("test.reply", cast.c)  # other county, same province
    assert (in_c.length, in_c.unit, in_c.override) == (10, DeadlineUnit.DAYS, province)
    assert in_c.source == "测试省（全省）调整：测试省信访条例第十条"
    cast.other_county.province = "别省"
    cast.other_county.save()
    cast.c.refresh_from_db()
    assert effective_rule("test.reply", cast.c).override is None


@pytest.mark.django_db
def test_override_in_force_picks_from_loaded_rows_in_the_same_order(cast, declared):
    province = rules.set_override(
        "test.reply", length=10, unit="days", basis="省", province="测试省", actor=cast.admin
    )
    county = rules.set_override(
        "test.reply", length=5, unit="days", basis="县", county=cast.county, actor=cast.admin
    )
    loaded = list(RuleOverride.objects.all())
    assert rules.override_in_force(loaded, cast.county) == county
    assert rules.override_in_force(loaded, cast.other_county) == province


@pytest.mark.django_db
def test_setting_an_override_twice_updates_it_and_writes_history(cast, declared):
    first = rules.set_override(
        "test.reply", length=10, unit="days", basis="旧依据", province="测试省", actor=cast.admin
    )
    second = rules.set_override(
        "test.reply", length=12, unit="days", basis="新依据", province="测试省", actor=cast.admin
    )
    assert first.pk == second.pk
    assert RuleOverride.objects.count() == 1
    assert second.length == 12 and second.entered_by == cast.admin
    records = ChangeRecord.objects.filter(object_id=str(first.pk)).order_by("at", "id")
    assert [r.action for r in records] == ["create", "update"]
    assert records[1].changes["length"] == {"label": "期限长度", "before": 10, "after": 12}
    assert DomainEvent.objects.filter(kind="core.rule_override_set").count() == 2


@pytest.mark.django_db
def test_only_a_platform_admin_may_set_overrides_for_now(cast, declared):
    for user in (cast.a_admin, cast.supervisor, cast.a_operator, cast.nobody):
        with pytest.raises(PermissionDenied):
            rules.set_override(
                "test.reply", length=5, unit="days", basis="x", county=cast.county, actor=user
            )
    assert not RuleOverride.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"length": 5, "unit": "days", "basis": "x"}, "county"),
        ({"length": 0, "unit": "days", "basis": "x", "province": "测试省"}, "length"),
        ({"length": 5, "unit": "weeks", "basis": "x", "province": "测试省"}, "unit"),
        ({"length": 5, "unit": "days", "basis": " ", "province": "测试省"}, "basis"),
    ],
)
def test_a_bad_override_names_the_field(cast, declared, kwargs, field):
    with pytest.raises(ValidationError) as info:
        rules.set_override("test.reply", actor=cast.admin, **kwargs)
    assert field in info.value.error_dict


@pytest.mark.django_db
def test_an_override_for_an_undeclared_rule_is_refused(cast):
    with pytest.raises(LookupError):
        rules.set_override(
            "nowhere.nothing", length=5, unit="days", basis="x", province="测试省", actor=cast.admin
        )


@pytest.mark.django_db
def test_an_unused_override_can_be_removed_and_the_rule_applies_again(cast, declared):
    row = rules.set_override(
        "test.reply", length=5, unit="days", basis="x", county=cast.county, actor=cast.admin
    )
    rules.remove_override(row, actor=cast.admin)
    assert effective_rule("test.reply", cast.a).override is None
    assert ChangeRecord.objects.filter(action="delete", object_id=str(row.pk)).exists()


@pytest.mark.django_db
def test_an_override_a_deadline_was_computed_with_cannot_be_removed(cast, declared):
    import datetime as dt

    from fazhi.core.deadlines import open_deadline

    row = rules.set_override(
        "test.reply", length=5, unit="days", basis="x", county=cast.county, actor=cast.admin
    )
    open_deadline(cast.a1, "test.reply", dt.date(2025, 6, 16), actor=cast.a_operator)
    with pytest.raises(ValidationError, match="不能撤销"):
        rules.remove_override(row, actor=cast.admin)
    assert RuleOverride.objects.filter(pk=row.pk).exists()
