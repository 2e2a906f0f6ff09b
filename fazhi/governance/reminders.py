"""Frequency warnings delivered as notifications (the 提醒 of core, as deadlines use).

Daily, for every township: each expected frequency (`rules.FREQUENCIES`) whose current window is
still without a record and ends within `rules.FREQUENCY_LEAD_DAYS` days
(`services.frequency_status(...).due_soon`) gives one notification to each responsible user:
the township's administrators and operators (the clerks who keep the 法治建设 ledgers and
prepare the meetings and study sessions), active and with a township-level role.

Idempotent per period: a notification is keyed by user, frequency (its page anchor) and the
window's last day (`due_date`), so running the sweep again, on the same day or on the following
days of the same window, adds nothing; the next window warns again. Runs as the daily job
`governance.frequency_sweep` (06:15) under `manage.py run_jobs`, like core's deadline sweep.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse

from fazhi.core import jobs
from fazhi.core.choices import NotificationKind, Role
from fazhi.core.deadlines import today_local
from fazhi.core.models import Job, Notification, Township
from fazhi.governance import services

FREQUENCY_JOB = "governance.frequency_sweep"

#: township-level roles that receive the frequency warnings
RESPONSIBLE_ROLES = (Role.TOWNSHIP_ADMIN, Role.TOWNSHIP_OPERATOR)


def responsible_users(township: Township) -> list[Any]:
    """Active users holding an administrator or operator role of the township itself (not of
    one of its departments or villages)."""
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__township=township,
            memberships__role__in=RESPONSIBLE_ROLES,
            memberships__department__isnull=True,
            memberships__village__isnull=True,
        )
        .distinct()
        .order_by("pk")
    )


def _cn(d: dt.date) -> str:
    return f"{d.month}月{d.day}日"


def notify_frequencies(today: dt.date | None = None) -> dict[str, int]:
    """Warn the responsible users of every township about each frequency whose current window
    ends soon without a record. Returns counts (townships checked, warnings due, created)."""
    today = today or today_local()
    counts = {"townships": 0, "warnings": 0, "notifications": 0}
    page = reverse("governance:frequencies")
    for township_id in Township.objects.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            # one sweep at a time per township: the get_or_create below is then race-free
            township = Township.objects.select_for_update().get(pk=township_id)
            counts["townships"] += 1
            due = [
                s
                for s in services.frequency_status(township, today.year, today)
                if s.due_soon is not None
            ]
            if not due:
                continue
            users = responsible_users(township)
            for status in due:
                counts["warnings"] += 1
                window = status.due_soon
                left = (window.end - today).days
                when = "今天截止" if left == 0 else f"还有{left}天截止"
                text = (
                    f"频次提醒：{township.name}“{status.label}”本期（{_cn(window.start)}至"
                    f"{_cn(window.end)}）尚无记录，{when}。"
                )
                url = (
                    f"{page}?township={township.pk}&year={today.year}#{status.frequency.rule.code}"
                )
                for user in users:
                    _, created = Notification.objects.get_or_create(
                        user=user,
                        deadline=None,
                        kind=NotificationKind.REMINDER,
                        due_date=window.end,
                        url=url,
                        defaults={"township": township, "text": text[:300]},
                    )
                    counts["notifications"] += int(created)
    return counts


jobs.daily(FREQUENCY_JOB, dt.time(6, 15))


@jobs.handler(FREQUENCY_JOB, "学法与会议频次提醒")
def _run(job: Job) -> dict[str, Any]:
    today = job.params.get("today")
    counts = notify_frequencies(dt.date.fromisoformat(today) if today else None)
    jobs.step(job, counts["townships"], counts["townships"], message=f"频次提醒：{counts}")
    result: dict[str, Any] = dict(counts)
    if job.params.get("daily"):
        result["next"] = str(jobs.schedule_daily(FREQUENCY_JOB).pk)
    return result
