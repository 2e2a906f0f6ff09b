"""Background work of the disputes module: the daily overdue-warning sweep (a job, so that it
runs without cron under `manage.py run_jobs`, like core's deadline sweep)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from fazhi.core import jobs
from fazhi.core.choices import JobStatus
from fazhi.core.models import Job

WARNING_SWEEP_JOB = "disputes.warning_sweep"


def schedule_daily_sweep(now: dt.datetime | None = None) -> Job:
    """Keep one daily sweep queued (06:30 tomorrow); the job queues the next when it runs."""
    queued = Job.objects.filter(
        kind=WARNING_SWEEP_JOB, status=JobStatus.QUEUED, params__daily=True
    ).first()
    if queued is not None:
        return queued
    now = timezone.localtime(now or timezone.now())
    run_after = (now + dt.timedelta(days=1)).replace(hour=6, minute=30, second=0, microsecond=0)
    return jobs.enqueue(WARNING_SWEEP_JOB, params={"daily": True}, run_after=run_after)


jobs.daily(WARNING_SWEEP_JOB, dt.time(6, 30))


@jobs.handler(WARNING_SWEEP_JOB, "纠纷超期预警")
def _run(job: Job) -> dict[str, Any]:
    from fazhi.disputes.services import sweep_overdue

    today = job.params.get("today")
    raised = sweep_overdue(dt.date.fromisoformat(today) if today else None)
    jobs.step(job, raised, raised, message=f"超期未结预警 {raised} 条")
    result: dict[str, Any] = {"raised": raised}
    if job.params.get("daily"):
        result["next"] = str(schedule_daily_sweep().pk)
    return result
