"""The working-day calendar and the counting convention (民事诉讼法 第八十五条), against the
official 2025 and 2026 holiday notices as carried by chinese_calendar."""

import datetime as dt

import chinese_calendar
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fazhi.core import calendar as cal
from fazhi.core.calendar import (
    UnknownCalendarYear,
    add_months,
    add_working_days,
    compute_due,
    is_workday,
)
from fazhi.core.choices import DayKind, DeadlineUnit
from fazhi.core.models import CalendarDay, CalendarYear, ChangeRecord, DomainEvent

pytestmark = pytest.mark.django_db

D = dt.date
DAYS, WORKING_DAYS, MONTHS = DeadlineUnit.DAYS, DeadlineUnit.WORKING_DAYS, DeadlineUnit.MONTHS


def _span(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


# --- the official calendar as the library carries it -----------------------------------------
def test_library_carries_2025_national_day_week_and_its_make_up_days():
    for d in _span(D(2025, 10, 1), D(2025, 10, 8)):
        assert chinese_calendar.is_holiday(d), d
        assert not is_workday(d)
    # 调休: Sunday 28 September and Saturday 11 October 2025 are working days
    assert D(2025, 9, 28).weekday() == 6 and is_workday(D(2025, 9, 28))
    assert D(2025, 10, 11).weekday() == 5 and is_workday(D(2025, 10, 11))
    assert not is_workday(D(2025, 10, 12))  # the Sunday after stays a rest day


def test_library_carries_2026_spring_festival_and_its_make_up_saturdays():
    for d in _span(D(2026, 2, 15), D(2026, 2, 23)):
        assert not is_workday(d), d
        assert chinese_calendar.get_holiday_detail(d) == (True, "Spring Festival")
    for d in (D(2026, 2, 14), D(2026, 2, 28)):
        assert d.weekday() == 5
        assert is_workday(d)
        assert chinese_calendar.get_holiday_detail(d) == (False, "Spring Festival")
    assert is_workday(D(2026, 2, 24))


def test_library_years_cover_2025_and_2026_but_not_2027():
    first, last = cal.library_years()
    assert first <= 2025 and last >= 2026
    assert cal.library_knows(2026) and not cal.library_knows(2027)


# --- 工作日 periods -----------------------------------------------------------------------------
def test_seven_working_days_across_2025_national_day_count_both_make_up_days():
    # from Friday 26 Sept: 28 (Sun, 调休) 29 30 | 1–8 Oct holiday | 9 10 11 (Sat, 调休) 13
    assert compute_due(D(2025, 9, 26), 7, WORKING_DAYS) == (D(2025, 10, 13), False)


def test_seven_working_days_from_the_eve_of_national_day_2025():
    # from 30 Sept: 9 10 11(Sat, 调休) 13 14 15 16 October
    assert add_working_days(D(2025, 9, 30), 7) == D(2025, 10, 16)


def test_five_working_days_across_2026_spring_festival():
    # from Thursday 12 Feb: 13, 14 (Sat, 调休) | 15–23 holiday | 24 25 26
    assert compute_due(D(2026, 2, 12), 5, WORKING_DAYS) == (D(2026, 2, 26), False)


def test_working_days_across_new_year_2026_land_on_the_sunday_make_up_day():
    # 1–3 January 2026 are holidays; Sunday 4 January is a make-up working day
    assert add_working_days(D(2025, 12, 31), 1) == D(2026, 1, 4)


def test_start_day_is_not_counted_for_working_days():
    assert add_working_days(D(2025, 6, 16), 1) == D(2025, 6, 17)  # Monday → Tuesday
    assert add_working_days(D(2025, 6, 13), 1) == D(2025, 6, 16)  # Friday → Monday


def test_working_days_can_count_backwards_for_notice_periods():
    # a hearing on Monday 13 Oct 2025 must be notified 7 working days before
    assert add_working_days(D(2025, 10, 13), -7) == D(2025, 9, 26)


# --- 日 periods -------------------------------------------------------------------------------
def test_fifteen_day_period_ending_on_national_day_rolls_to_the_next_working_day():
    # 16 Sept + 15 days = 1 Oct 2025 (holiday) → 9 Oct
    assert compute_due(D(2025, 9, 16), 15, DAYS) == (D(2025, 10, 9), False)


def test_fifteen_day_period_ending_on_spring_festival_2026_rolls_forward():
    # 1 Feb + 15 days = 16 Feb 2026 (holiday) → 24 Feb
    assert compute_due(D(2026, 2, 1), 15, DAYS) == (D(2026, 2, 24), False)


def test_day_period_ending_on_a_make_up_saturday_ends_that_saturday():
    # 26 Sept + 15 days = Saturday 11 Oct 2025, a make-up working day
    assert compute_due(D(2025, 9, 26), 15, DAYS) == (D(2025, 10, 11), False)
    # 30 Jan + 15 days = Saturday 14 Feb 2026, a make-up working day
    assert compute_due(D(2026, 1, 30), 15, DAYS) == (D(2026, 2, 14), False)


def test_day_period_ending_on_an_ordinary_weekend_ends_on_monday():
    assert compute_due(D(2025, 6, 6), 15, DAYS) == (D(2025, 6, 23), False)  # Sat 21 → Mon 23


def test_day_periods_count_calendar_days_through_holidays():
    # 90日 decision limit from 1 Sept 2025: 30 Nov (Sunday) → 1 Dec
    assert compute_due(D(2025, 9, 1), 90, DAYS) == (D(2025, 12, 1), False)
    assert compute_due(D(2025, 6, 16), 1, DAYS) == (D(2025, 6, 17), False)


# --- 个月 periods -----------------------------------------------------------------------------
def test_month_arithmetic_clamps_to_the_last_day_of_short_months():
    assert add_months(D(2025, 1, 31), 1) == D(2025, 2, 28)
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2025, 8, 31), 6) == D(2026, 2, 28)
    assert add_months(D(2025, 12, 15), 1) == D(2026, 1, 15)
    assert add_months(D(2025, 3, 31), 12) == D(2026, 3, 31)


def test_six_months_ending_on_a_make_up_saturday_end_that_day():
    # 31 Aug 2025 + 6 months = 28 Feb 2026 (no 31 Feb → month end), a make-up working Saturday
    assert compute_due(D(2025, 8, 31), 6, MONTHS) == (D(2026, 2, 28), False)


def test_months_ending_in_a_holiday_roll_forward_like_days():
    assert compute_due(D(2025, 9, 1), 1, MONTHS) == (D(2025, 10, 9), False)  # 1 Oct holiday
    assert compute_due(D(2025, 8, 16), 6, MONTHS) == (D(2026, 2, 24), False)  # 16 Feb holiday
    assert compute_due(D(2025, 4, 30), 1, MONTHS) == (D(2025, 5, 30), False)


def test_month_end_on_a_weekend_rolls_to_monday():
    # 30 Sept 2025 + 2 months = 30 Nov 2025 (Sunday) → 1 Dec
    assert compute_due(D(2025, 9, 30), 2, MONTHS) == (D(2025, 12, 1), False)


# --- administrator-entered days ---------------------------------------------------------------
def test_entered_days_override_the_library(cast):
    CalendarDay.objects.create(date=D(2025, 6, 16), kind=DayKind.HOLIDAY, name="地方停工")
    CalendarDay.objects.create(date=D(2025, 6, 22), kind=DayKind.WORKDAY, name="调休上班")
    assert not is_workday(D(2025, 6, 16))
    assert is_workday(D(2025, 6, 22))  # a Sunday
    assert add_working_days(D(2025, 6, 13), 1) == D(2025, 6, 17)


def test_a_year_the_calendar_does_not_know_raises():
    with pytest.raises(UnknownCalendarYear) as info:
        is_workday(D(2027, 1, 4))
    assert info.value.year == 2027
    assert "2027年" in str(info.value)
    with pytest.raises(UnknownCalendarYear):
        add_working_days(D(2026, 12, 25), 10)


def test_a_period_into_an_unknown_year_is_estimated_by_weekdays_and_flagged():
    # 20 Dec 2026 + 15 days = Monday 4 Jan 2027
    assert compute_due(D(2026, 12, 20), 15, DAYS) == (D(2027, 1, 4), True)
    # 25 Dec 2026 (Fri) + 10 working days by weekday rule: 28 29 30 31 Dec, 1 4 5 6 7 8 Jan
    assert compute_due(D(2026, 12, 25), 10, WORKING_DAYS) == (D(2027, 1, 8), True)
    assert add_working_days(D(2026, 12, 25), 10, estimate=True) == D(2027, 1, 8)


def test_a_period_ending_before_the_unknown_year_is_not_flagged():
    assert compute_due(D(2026, 12, 1), 15, DAYS) == (D(2026, 12, 16), False)


def test_admin_entered_2027_days_and_confirmed_year_make_2027_known(cast):
    # hypothetical 2027 notice: 1–3 Jan holiday, 4 Jan also off, Saturday 9 Jan worked
    for day in (D(2027, 1, 1), D(2027, 1, 4)):
        cal.enter_day(day, DayKind.HOLIDAY, "元旦", actor=cast.admin)
    cal.enter_day(D(2027, 1, 9), DayKind.WORKDAY, "元旦调休上班", actor=cast.admin)
    cal.confirm_year(2027, "国务院办公厅关于2027年部分节假日安排的通知", actor=cast.admin)

    assert not is_workday(D(2027, 1, 4))
    assert is_workday(D(2027, 1, 9))  # entered make-up Saturday
    assert not is_workday(D(2027, 1, 10))  # ordinary Sunday
    assert is_workday(D(2027, 6, 1))  # ordinary Tuesday
    # 20 Dec 2026 + 15 days = 4 Jan 2027, entered as holiday → Tuesday 5 Jan, and exact
    assert compute_due(D(2026, 12, 20), 15, DAYS) == (D(2027, 1, 5), False)
    # 31 Dec 2026 + 3 working days: 5, 6, 7 Jan 2027
    assert compute_due(D(2026, 12, 31), 3, WORKING_DAYS) == (D(2027, 1, 7), False)
    # Saturday 9 Jan counts as a working day
    assert compute_due(D(2027, 1, 7), 2, WORKING_DAYS) == (D(2027, 1, 9), False)


def test_an_entered_day_answers_for_itself_before_the_year_is_confirmed(cast):
    cal.enter_day(D(2027, 1, 4), DayKind.WORKDAY, "", actor=cast.admin)
    assert is_workday(D(2027, 1, 4))
    with pytest.raises(UnknownCalendarYear):
        is_workday(D(2027, 1, 5))
    assert compute_due(D(2026, 12, 20), 15, DAYS) == (D(2027, 1, 4), False)


# --- administration services ------------------------------------------------------------------
def test_entering_a_day_is_audited_and_correcting_it_updates_the_row(cast):
    day = cal.enter_day(D(2027, 10, 1), DayKind.HOLIDAY, "国庆节", actor=cast.admin)
    assert day.entered_by == cast.admin
    cal.enter_day(D(2027, 10, 1), DayKind.HOLIDAY, "国庆节（更正）", actor=cast.admin)
    assert CalendarDay.objects.get().name == "国庆节（更正）"
    actions = list(
        ChangeRecord.objects.filter(object_id=str(day.pk)).values_list("action", flat=True)
    )
    assert sorted(actions) == ["create", "update"]
    assert DomainEvent.objects.filter(kind="core.calendar_day_entered").count() == 2


def test_removing_an_entered_day_restores_the_library_answer(cast):
    day = cal.enter_day(D(2025, 6, 16), DayKind.HOLIDAY, "", actor=cast.admin)
    assert not is_workday(D(2025, 6, 16))
    cal.remove_day(day, actor=cast.admin)
    assert is_workday(D(2025, 6, 16))
    assert ChangeRecord.objects.filter(action="delete", object_id=str(day.pk)).exists()


def test_only_a_platform_admin_may_change_the_national_calendar(cast):
    for user in (cast.a_admin, cast.a_operator, cast.supervisor, cast.nobody):
        with pytest.raises(PermissionDenied):
            cal.enter_day(D(2027, 1, 1), DayKind.HOLIDAY, "元旦", actor=user)
        with pytest.raises(PermissionDenied):
            cal.confirm_year(2027, "通知", actor=user)
    assert not CalendarDay.objects.exists() and not CalendarYear.objects.exists()


def test_confirming_a_year_the_library_knows_is_refused(cast):
    with pytest.raises(ValidationError) as info:
        cal.confirm_year(2026, "通知", actor=cast.admin)
    assert "year" in info.value.error_dict


def test_confirming_a_year_needs_its_source_and_happens_once(cast):
    with pytest.raises(ValidationError) as info:
        cal.confirm_year(2027, "  ", actor=cast.admin)
    assert "source" in info.value.error_dict
    cal.confirm_year(2027, "通知", actor=cast.admin)
    with pytest.raises(ValidationError):
        cal.confirm_year(2027, "通知", actor=cast.admin)


def test_library_days_list_2026_spring_festival_with_chinese_names():
    rows = cal.library_days(2026)
    assert (D(2026, 2, 16), "holiday", "春节") in rows
    assert (D(2026, 2, 14), "workday", "春节调休上班") in rows
    assert (D(2026, 2, 28), "workday", "春节调休上班") in rows
    assert cal.library_days(2027) == []
