"""The working-day calendar and the counting of statutory periods.

Which days are working days (工作日):
1. an administrator-entered `CalendarDay` (holiday / make-up working day) wins;
2. otherwise the official calendar of the `chinese_calendar` package (State Council holiday
   notices, 2004–2026 in the pinned version) for the years it knows;
3. otherwise, for a year an administrator has confirmed as complete (`CalendarYear`): Monday to
   Friday are working days (国务院关于职工工作时间的规定 第七条), plus the entered days;
4. otherwise the day is *unknown*: `is_workday` raises `UnknownCalendarYear`, and
   `compute_due` estimates by the weekday rule and says so (its second value).

Counting (民事诉讼法 2023 第八十五条, applied to service by 行政处罚法 第六十一条, and by analogy to
the platform's other periods; see docs/deadlines-and-calendar.md):
- the start day is not counted;
- 日 periods are calendar days; if the last day is a statutory holiday or rest day, the period
  ends on the next working day;
- 工作日 periods count working days only (行政处罚法 第八十五条 and similar clauses);
- 个月 periods end on the corresponding day of the last month, or that month's last day when it
  has no such day (民法典 第二百零二条), then roll forward like 日 periods.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

import chinese_calendar
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from fazhi.core.choices import ChangeAction, DayKind, DeadlineUnit
from fazhi.core.services import UNCHECKED, check_entry

ONE_DAY = dt.timedelta(days=1)
#: a guard against runaway loops (a year of holidays entered by mistake, a huge length)
MAX_SCAN_DAYS = 3 * 366


class UnknownCalendarYear(Exception):
    """The calendar does not know whether a day of this year is a working day."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            f"{year}年的节假日安排尚未录入（内置日历不含该年度），请由平台管理员在“节假日与调休”中录入。"
        )


@functools.cache
def library_knows(year: int) -> bool:
    """Does the bundled chinese_calendar carry the State Council notice for `year`?"""
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def library_years() -> tuple[int, int]:
    """(first, last) year the bundled calendar knows."""
    years = {d.year for d in chinese_calendar.holidays}
    return min(years), max(years)


class Calendar:
    """One computation's view of the calendar: entered days and confirmed years are read once
    per year touched (a couple of queries per due date, whatever its length)."""

    def __init__(self) -> None:
        self._entered: dict[int, dict[dt.date, bool]] = {}
        self._confirmed: dict[int, bool] = {}

    def _load(self, year: int) -> None:
        from fazhi.core.memo import memo
        from fazhi.core.models import CalendarDay, CalendarYear

        if year in self._entered:
            return
        self._entered[year] = memo(
            ("calendar.days", year),
            lambda: {
                d: kind == DayKind.WORKDAY
                for d, kind in CalendarDay.objects.filter(date__year=year).values_list(
                    "date", "kind"
                )
            },
        )
        self._confirmed[year] = library_knows(year) or memo(
            ("calendar.confirmed", year), CalendarYear.objects.filter(year=year).exists
        )

    def day(self, d: dt.date) -> tuple[bool, bool]:
        """(is a working day, the answer is known rather than estimated)."""
        self._load(d.year)
        entered = self._entered[d.year].get(d)
        if entered is not None:
            return entered, True
        if library_knows(d.year):
            return chinese_calendar.is_workday(d), True
        return d.weekday() < 5, self._confirmed[d.year]

    def is_workday(self, d: dt.date) -> bool:
        workday, known = self.day(d)
        if not known:
            raise UnknownCalendarYear(d.year)
        return workday

    def next_workday(self, d: dt.date) -> tuple[dt.date, bool]:
        """`d` itself if it is a working day, else the first working day after it."""
        known = True
        for _ in range(MAX_SCAN_DAYS):
            workday, day_known = self.day(d)
            known = known and day_known
            if workday:
                return d, known
            d += ONE_DAY
        raise ValidationError("日历中连续一年以上没有工作日，请检查录入的节假日。")

    def add_working_days(self, d: dt.date, n: int) -> tuple[dt.date, bool]:
        """The n-th working day after `d` (before it when n < 0); `d` itself is not counted."""
        step = ONE_DAY if n >= 0 else -ONE_DAY
        remaining = abs(n)
        known = True
        scanned = 0
        while remaining:
            d += step
            workday, day_known = self.day(d)
            known = known and day_known
            if workday:
                remaining -= 1
            scanned += 1
            if scanned > MAX_SCAN_DAYS + abs(n) * 3:
                raise ValidationError("期限过长或日历中缺少工作日，无法计算。")
        return d, known


def is_workday(d: dt.date) -> bool:
    """Is `d` a working day? Raises `UnknownCalendarYear` for a year nobody has entered."""
    return Calendar().is_workday(d)


def add_working_days(d: dt.date, n: int, *, estimate: bool = False) -> dt.date:
    """The n-th working day after `d` (start day not counted; n < 0 counts backwards).

    Raises `UnknownCalendarYear` when a day on the way is unknown, unless `estimate` is true
    (then unknown days follow the weekday rule)."""
    result, known = Calendar().add_working_days(d, n)
    if not known and not estimate:
        raise UnknownCalendarYear(_first_unknown_year(d, result))
    return result


def _first_unknown_year(a: dt.date, b: dt.date) -> int:
    lo, hi = min(a, b), max(a, b)
    cal = Calendar()
    for year in range(lo.year, hi.year + 1):
        cal._load(year)
        if not cal._confirmed[year]:
            return year
    return hi.year


def add_months(d: dt.date, n: int) -> dt.date:
    """The corresponding day n months after `d`; the month's last day when there is none
    (民法典 第二百零二条)."""
    month_index = d.year * 12 + (d.month - 1) + n
    year, month = divmod(month_index, 12)
    month += 1
    first_of_next = dt.date(year + (month == 12), month % 12 + 1, 1)
    last_day = (first_of_next - ONE_DAY).day
    return dt.date(year, month, min(d.day, last_day))


def compute_due(
    start: dt.date, length: int, unit: str, *, cal: Calendar | None = None
) -> tuple[dt.date, bool]:
    """The last day of a period of `length` `unit` that starts on `start` (the day of the start
    event, itself not counted). Returns (due date, estimated): `estimated` is true when a day
    that decided the result lies in a year the calendar does not know. A bulk writer passes one
    `cal` for all its due dates (the calendar is then read once per year, not per call)."""
    if length < 0:
        raise ValidationError({"length": "期限长度不能为负数。"})
    cal = cal or Calendar()
    if unit == DeadlineUnit.WORKING_DAYS:
        due, known = cal.add_working_days(start, length)
        return due, not known
    if unit == DeadlineUnit.DAYS:
        last = start + dt.timedelta(days=length)
    elif unit == DeadlineUnit.MONTHS:
        last = add_months(start, length)
    else:
        raise ValidationError({"unit": f"未知的期限单位：{unit}"})
    if length == 0:
        return last, False
    due, known = cal.next_workday(last)
    return due, not known


# --- administration (platform admin only) ---------------------------------------------------
def can_manage_calendar(user: Any) -> bool:
    """The calendar is national: only a platform-wide MANAGE grant may change it."""
    from fazhi.core import scope
    from fazhi.core.roles import MANAGE

    return scope.grant(user, MANAGE).everything


def can_view_calendar(user: Any) -> bool:
    from fazhi.core import scope
    from fazhi.core.roles import MANAGE

    return scope.has_any(user, MANAGE)


def _require_manager(actor: Any) -> None:
    if not can_manage_calendar(actor):
        raise PermissionDenied("只有平台管理员可以维护节假日与调休安排。")


def _refresh(actor: Any) -> int:
    """Recompute the open deadlines whose due date was an estimate."""
    from fazhi.core.deadlines import refresh_estimated
    from fazhi.core.memo import forget

    forget()  # the calendar changed: a bulk load's cached years are stale

    return refresh_estimated(actor=actor)


@transaction.atomic
def enter_day(
    date: dt.date, kind: str, name: str = "", *, actor: Any, expected_version: Any = UNCHECKED
) -> Any:
    """Enter (or correct) one holiday or make-up working day. From the page `expected_version`
    is the version of the day's existing entry the administrator saw (None: none seen → an
    existing entry is shown and must be confirmed; see core.services.AlreadyEntered)."""
    from fazhi.core.audit import record_change, record_event, snapshot
    from fazhi.core.models import CalendarDay

    _require_manager(actor)
    if kind not in DayKind.values:
        raise ValidationError({"kind": "请选择类型：法定节假日/休息日，或工作日(含调休上班)。"})
    existing = CalendarDay.objects.select_for_update().filter(date=date).first()
    check_entry(existing, expected_version, "date")
    before = snapshot(existing) if existing else None
    day = existing or CalendarDay(date=date)
    day.kind = kind
    day.name = (name or "").strip()
    day.entered_by = actor if getattr(actor, "is_authenticated", False) else None
    day.full_clean()
    if existing:
        day.version += 1
    day.save()
    action = ChangeAction.UPDATE if existing else ChangeAction.CREATE
    record_change(day, action, before, snapshot(day), actor=actor)
    record_event(
        "core.calendar_day_entered",
        f"录入{date.isoformat()}为{day.get_kind_display()}{('（' + day.name + '）') if day.name else ''}",
        township=None,
        actor=actor,
        obj=day,
        payload={"date": date, "kind": kind, "name": day.name},
    )
    day.refreshed = _refresh(actor)
    return day


@transaction.atomic
def remove_day(day: Any, *, actor: Any) -> None:
    """Withdraw an entered day (a mistake); the built-in or weekday rule applies again."""
    from fazhi.core.audit import record_change, record_event, snapshot
    from fazhi.core.models import CalendarDay

    _require_manager(actor)
    locked = CalendarDay.objects.select_for_update().get(pk=day.pk)
    record_change(locked, ChangeAction.DELETE, snapshot(locked), None, actor=actor)
    record_event(
        "core.calendar_day_removed",
        f"撤销录入的{locked.date.isoformat()}{locked.get_kind_display()}",
        township=None,
        actor=actor,
        obj=locked,
        payload={"date": locked.date, "kind": locked.kind},
    )
    locked.delete()
    _refresh(actor)


@transaction.atomic
def confirm_year(year: int, source: str, *, actor: Any) -> Any:
    """Declare `year` completely entered: its days count as known (weekends + entered days)."""
    from fazhi.core.audit import record_change, record_event, snapshot
    from fazhi.core.models import CalendarYear

    _require_manager(actor)
    if library_knows(year):
        raise ValidationError({"year": f"内置日历已包含{year}年的节假日安排，无需录入。"})
    if not (source or "").strip():
        raise ValidationError({"source": "请填写依据（如国务院办公厅关于节假日安排的通知）。"})
    if CalendarYear.objects.filter(year=year).exists():
        raise ValidationError({"year": f"{year}年已确认录入。"})
    row = CalendarYear(
        year=year,
        source=source.strip(),
        entered_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    row.full_clean()
    row.save()
    record_change(row, ChangeAction.CREATE, None, snapshot(row), actor=actor)
    record_event(
        "core.calendar_year_confirmed",
        f"确认{year}年节假日安排已完整录入",
        township=None,
        actor=actor,
        obj=row,
        payload={"year": year, "source": row.source},
    )
    row.refreshed = _refresh(actor)
    return row


def _chinese_name(name: str) -> str:
    from chinese_calendar.constants import Holiday

    for holiday in Holiday:
        if holiday.value == name:
            return holiday.chinese
    return name


def library_days(year: int) -> list[tuple[dt.date, str, str]]:
    """The built-in holidays and the make-up working days on weekends of `year`, for display:
    (date, DayKind value, holiday name in Chinese)."""
    if not library_knows(year):
        return []
    rows = [
        (d, DayKind.HOLIDAY.value, _chinese_name(name))
        for d, name in chinese_calendar.holidays.items()
        if d.year == year
    ]
    rows += [
        (d, DayKind.WORKDAY.value, _chinese_name(name) + "调休上班")
        for d, name in chinese_calendar.workdays.items()
        if d.year == year and d.weekday() >= 5
    ]
    return sorted(rows)
