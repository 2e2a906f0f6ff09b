"""Deadline rules as data, and their province/county overrides.

A module declares each statutory period once, in its own `rules.py`, with its citation and a
confidence tag (REGULATIONS.md: C checked against the text, S from a quoting page, U unconfirmed —
a configurable default shown as such):

    from fazhi.core.choices import DeadlineUnit
    from fazhi.core.rules import DeadlineRule, register_rule

    REPLY = register_rule(DeadlineRule(
        code="petitions.handling",
        label="信访事项办理并出具处理意见书",
        start_event="受理",
        length=60,
        unit=DeadlineUnit.DAYS,
        citation="《信访工作条例》第三十四条",
        confidence="C",
    ))

The core registers no module rules. The length in force for a township is, in order: the
override entered for its county, the override entered for its province (County.province), the
declared rule. `effective_rule` says which one applied; the Deadline records it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from fazhi.core.choices import ChangeAction, DeadlineUnit
from fazhi.core.services import UNCHECKED, check_entry

CONFIDENCE_LABELS = {
    "C": "已核对法规原文",
    "S": "据政府或新闻页面转述",
    "U": "待确认，可调整的默认值",
}

#: counting conventions a rule may name (only one is in force; see core/calendar.py)
CONVENTIONS = {
    "civil_procedure": (
        "按《民事诉讼法》第八十五条计算：起算日不计入；期间届满的最后一日是法定休假日的，"
        "以法定休假日后的第一日为期间届满的日期"
    ),
}


@dataclass(frozen=True)
class DeadlineRule:
    """One statutory (or locally set) period: `length` `unit` from `start_event`."""

    code: str
    label: str
    start_event: str
    length: int
    unit: DeadlineUnit
    citation: str
    confidence: str
    convention: str = "civil_procedure"
    note: str = ""
    #: set for a configured number that is not a period (a yearly cap "次", a threshold, a score
    #: "分", a ratio "%"): `length` is then the value, `unit` is unused and overrides keep it
    value_unit: str = ""

    def __post_init__(self) -> None:
        if not self.code or len(self.code) > 80:
            raise ValueError(f"rule code must be 1–80 characters: {self.code!r}")
        if self.unit not in DeadlineUnit.values:
            raise ValueError(f"{self.code}: unknown unit {self.unit!r}")
        if not isinstance(self.length, int) or self.length <= 0:
            raise ValueError(f"{self.code}: length must be a positive integer")
        if self.confidence not in CONFIDENCE_LABELS:
            raise ValueError(f"{self.code}: confidence must be C, S or U")
        if self.convention not in CONVENTIONS:
            raise ValueError(f"{self.code}: unknown counting convention {self.convention!r}")
        if not self.citation:
            raise ValueError(f"{self.code}: a rule must cite its source")
        if len(self.citation) > 200 or len(self.label) > 200:
            raise ValueError(f"{self.code}: label and citation must fit 200 characters")

    @property
    def unit_label(self) -> str:
        return self.value_unit or DeadlineUnit(self.unit).label

    @property
    def confidence_label(self) -> str:
        return CONFIDENCE_LABELS[self.confidence]

    @property
    def convention_label(self) -> str:
        return CONVENTIONS[self.convention]

    @property
    def unconfirmed(self) -> bool:
        return self.confidence == "U"

    def describe(self) -> str:
        if self.value_unit:
            return f"{self.length}{self.value_unit}"
        return f"{self.start_event}起{self.length}{self.unit_label}"


_RULES: dict[str, DeadlineRule] = {}


def register_rule(rule: DeadlineRule) -> DeadlineRule:
    """Declare a rule (at import of the module's rules.py). Re-declaring the same code with a
    different definition is a programming error."""
    existing = _RULES.get(rule.code)
    if existing is not None and existing != rule:
        raise ValueError(f"deadline rule {rule.code!r} is already declared differently")
    _RULES[rule.code] = rule
    return rule


def unregister_rule(code: str) -> None:
    """For tests only."""
    _RULES.pop(code, None)


def get_rule(code: str) -> DeadlineRule:
    try:
        return _RULES[code]
    except KeyError:
        raise LookupError(f"未声明的期限规则：{code}") from None


def all_rules() -> list[DeadlineRule]:
    return sorted(_RULES.values(), key=lambda r: r.code)


# --- the length in force --------------------------------------------------------------------
@dataclass(frozen=True)
class Effective:
    rule: DeadlineRule
    length: int
    unit: str
    override: Any = None  # the RuleOverride applied, or None for the declared rule

    @property
    def unit_label(self) -> str:
        return self.rule.value_unit or DeadlineUnit(self.unit).label

    @property
    def source(self) -> str:
        if self.override is None:
            return f"{self.rule.citation}（默认）"
        return f"{override_scope_label(self.override)}调整：{self.override.basis}"


def override_scope_label(override: Any) -> str:
    if override.county_id:
        return str(override.county)
    return f"{override.province}（全省）"


def find_override(rule_code: str, county: Any) -> Any:
    """The override in force for a county: its own, else its province's, else None."""
    from fazhi.core.memo import memo
    from fazhi.core.models import RuleOverride

    if county is None:
        return None

    def read() -> Any:
        own = RuleOverride.objects.filter(rule_code=rule_code, county=county).first()
        if own is not None:
            return own
        return (
            RuleOverride.objects.filter(
                rule_code=rule_code, county__isnull=True, province=county.province
            )
            .order_by("pk")
            .first()
        )

    return memo(("rules.override", rule_code, county.pk), read)


def override_in_force(overrides: list[Any], county: Any) -> Any:
    """Of already loaded overrides of one rule, the one in force for `county` (same order as
    `find_override`: the county's own, else its province's)."""
    for o in overrides:
        if o.county_id == county.pk:
            return o
    for o in sorted(overrides, key=lambda o: o.pk):
        if o.county_id is None and o.province == county.province:
            return o
    return None


def _county_of(township: Any) -> Any:
    """The township's county; inside `memo.reference_data_fixed()` read once per county (a
    record's township is often loaded without its county: one query per deadline opened)."""
    from fazhi.core.memo import memo
    from fazhi.core.models import County, Township

    if township is None or not isinstance(township, Township):
        return getattr(township, "county", None)
    if Township.county.is_cached(township) or township.county_id is None:
        return township.county
    return memo(("rules.county", township.county_id), lambda: township.county, (County,))


def effective_rule(rule_code: str, township: Any) -> Effective:
    """The rule's length and unit in force for `township` and the override that set them."""
    rule = get_rule(rule_code)
    override = find_override(rule_code, _county_of(township))
    if override is None:
        return Effective(rule, rule.length, rule.unit)
    return Effective(rule, override.length, override.unit, override)


def value_in_force(rule_code: str, county: str = "township__county") -> Any:
    """The rule's length (or configured value) in force as an SQL expression over the rows of a
    query, `county` being the path from those rows to their township's county: the county's
    override, else its province's (the lowest pk, as `find_override`), else the declared value.

    Use it where a query must apply each township's own value, e.g. a threshold in an indicator's
    `Rows` condition: the plans of the registry (one township, or several grouped by township in
    the county comparison) are compiled once and then reused, so a value read in Python for one
    township would be wrong for the next; this expression reads the overrides in the same SQL
    statement, row by row, and a new override applies at once."""
    from django.db.models import IntegerField, OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    from fazhi.core.models import RuleOverride

    rule = get_rule(rule_code)
    own = RuleOverride.objects.filter(rule_code=rule.code, county=OuterRef(county))
    provincial = RuleOverride.objects.filter(
        rule_code=rule.code, county__isnull=True, province=OuterRef(f"{county}__province")
    ).order_by("pk")
    return Coalesce(
        Subquery(own.values("length")[:1]),
        Subquery(provincial.values("length")[:1]),
        Value(rule.length),
        output_field=IntegerField(),
    )


# --- overrides (platform admin only for now) ------------------------------------------------
def can_manage_overrides(user: Any) -> bool:
    """County and province overrides: platform-wide MANAGE only (for now)."""
    from fazhi.core import scope
    from fazhi.core.roles import MANAGE

    return scope.grant(user, MANAGE).everything


def _require_manager(actor: Any) -> None:
    if not can_manage_overrides(actor):
        raise PermissionDenied("只有平台管理员可以调整期限规则。")


@transaction.atomic
def set_override(
    rule_code: str,
    *,
    length: int,
    unit: str,
    basis: str,
    county: Any = None,
    province: str = "",
    actor: Any,
    expected_version: Any = UNCHECKED,
) -> Any:
    """Enter (or change) a county's or a province's length for a rule, with its local basis.
    Deadlines already running keep their due dates; new ones use the override. From the page
    `expected_version` is the version of the existing override the administrator saw (None: an
    existing one is shown and must be confirmed; see core.services.AlreadyEntered)."""
    from fazhi.core.audit import record_change, record_event, snapshot
    from fazhi.core.models import RuleOverride

    _require_manager(actor)
    rule = get_rule(rule_code)
    if rule.value_unit:
        unit = rule.unit  # a configured number: only the value changes
    province = (province or "").strip()
    if county is not None:
        province = ""  # a county override is found by its county
    elif not province:
        raise ValidationError({"county": "请选择县(市、区)或填写省(区)。"})
    if not isinstance(length, int) or length <= 0:
        raise ValidationError({"length": "期限长度须为正整数。"})
    if unit not in DeadlineUnit.values:
        raise ValidationError({"unit": "请选择期限单位。"})
    if not (basis or "").strip():
        raise ValidationError({"basis": "请填写地方依据（文件名称及条款）。"})
    existing = (
        RuleOverride.objects.select_for_update()
        .filter(rule_code=rule.code, county=county, province=province)
        .first()
        if county is not None
        else RuleOverride.objects.select_for_update()
        .filter(rule_code=rule.code, county__isnull=True, province=province)
        .first()
    )
    check_entry(existing, expected_version, "rule_code")
    before = snapshot(existing) if existing else None
    row = existing or RuleOverride(rule_code=rule.code, county=county, province=province)
    row.length = length
    row.unit = unit
    row.basis = basis.strip()
    row.entered_by = actor if getattr(actor, "is_authenticated", False) else None
    row.full_clean()
    if existing:
        row.version += 1
    row.save()
    from fazhi.core.memo import forget

    forget()  # a bulk load's cached overrides are stale
    record_change(
        row,
        ChangeAction.UPDATE if existing else ChangeAction.CREATE,
        before,
        snapshot(row),
        actor=actor,
    )
    record_event(
        "core.rule_override_set",
        f"{override_scope_label(row)}将“{rule.label}”调整为{length}{rule.value_unit or DeadlineUnit(unit).label}",
        township=None,
        actor=actor,
        obj=row,
        payload={
            "rule_code": rule.code,
            "county": county,
            "province": province,
            "length": length,
            "unit": unit,
            "basis": row.basis,
        },
    )
    return row


@transaction.atomic
def remove_override(override: Any, *, actor: Any) -> None:
    """Withdraw an override no deadline was computed with (a mistake): the province's override,
    else the declared rule, applies again. An override in use can be changed, not removed."""
    from fazhi.core.audit import record_change, record_event, snapshot
    from fazhi.core.models import Deadline, RuleOverride

    _require_manager(actor)
    locked = RuleOverride.objects.select_for_update().get(pk=override.pk)
    used = Deadline.objects.filter(override=locked).count()
    if used:
        raise ValidationError(
            f"已有{used}项期限按此调整计算，不能撤销；如需变更，请录入新的期限长度。"
        )
    record_change(locked, ChangeAction.DELETE, snapshot(locked), None, actor=actor)
    record_event(
        "core.rule_override_removed",
        f"撤销{override_scope_label(locked)}对“{locked.rule_code}”的调整",
        township=None,
        actor=actor,
        obj=locked,
        payload={"rule_code": locked.rule_code, "length": locked.length, "unit": locked.unit},
    )
    locked.delete()
    from fazhi.core.memo import forget

    forget()
