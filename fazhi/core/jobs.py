"""Background jobs without a broker: a Job row claimed with a conditional UPDATE.

`manage.py run_jobs` loops over queued jobs (several workers may run; each claim is atomic);
`run_jobs --once` drains the queue and exits, as tests and cron do. Handlers register by kind
and receive the job; they report progress with `job.step(...)` and write a result file under
JOB_RESULT_DIR. Every audit row written inside a job carries its id.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from fazhi.core.choices import JobStatus
from fazhi.core.context import audit_context
from fazhi.core.models import Job

log = logging.getLogger(__name__)
Handler = Callable[[Job], dict[str, Any] | None]
_HANDLERS: dict[str, Handler] = {}


_LABELS: dict[str, str] = {}


def handler(kind: str, label: str = "") -> Callable[[Handler], Handler]:
    """Register the function that runs jobs of `kind`; `label` is what people read (Chinese)."""

    def decorate(fn: Handler) -> Handler:
        _HANDLERS[kind] = fn
        if label:
            _LABELS[kind] = label
        return fn

    return decorate


_DAILY: dict[str, dt.time] = {}


def daily(kind: str, at: dt.time) -> None:
    """Declare `kind` a daily job run at local time `at`. `run_jobs` queues each daily job when it
    starts, and a finished daily job queues its next run, so no cron is needed."""
    _DAILY[kind] = at


def schedule_daily(kind: str, now: Any = None) -> Job:
    """Keep exactly one next run of a daily job queued."""
    queued = Job.objects.filter(kind=kind, status=JobStatus.QUEUED, params__daily=True).first()
    if queued is not None:
        return queued
    at = _DAILY[kind]
    now = timezone.localtime(now or timezone.now())
    run_after = (now + dt.timedelta(days=1)).replace(
        hour=at.hour, minute=at.minute, second=0, microsecond=0
    )
    return enqueue(kind, params={"daily": True}, run_after=run_after)


def schedule_all_daily() -> list[Job]:
    return [schedule_daily(kind) for kind in sorted(_DAILY)]


def label_of(kind: str) -> str:
    return _LABELS.get(kind, kind)


def enqueue(
    kind: str,
    *,
    actor: Any = None,
    township: Any = None,
    county: Any = None,
    params: dict[str, Any] | None = None,
    run_after: Any = None,
) -> Job:
    if kind not in _HANDLERS:
        raise ValueError(f"no job handler for {kind!r}")
    return Job.objects.create(
        kind=kind,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        township=township,
        county=county,
        params=params or {},
        run_after=run_after,
    )


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim(worker: str | None = None) -> Job | None:
    """Claim the oldest due job: UPDATE … WHERE status='queued' succeeds for one worker only."""
    now = timezone.now()
    worker = worker or worker_name()
    due = Job.objects.filter(status=JobStatus.QUEUED).filter(
        Q(run_after__isnull=True) | Q(run_after__lte=now)
    )
    for job_id in due.order_by("created_at").values_list("pk", flat=True)[:5]:
        claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
            status=JobStatus.RUNNING, claimed_by=worker, started_at=now, updated_at=now
        )
        if claimed:
            return Job.objects.get(pk=job_id)
    return None


def step(job: Job, progress: int, total: int | None = None, message: str = "") -> None:
    """Record progress (outside any business transaction, so it is visible while running)."""
    job.progress = progress
    if total is not None:
        job.total = total
    if message:
        job.log += f"{timezone.localtime():%H:%M:%S} {message}\n"
    Job.objects.filter(pk=job.pk).update(
        progress=job.progress, total=job.total, log=job.log, updated_at=timezone.now()
    )


def result_path(job: Job, filename: str) -> Path:
    directory = Path(settings.JOB_RESULT_DIR) / str(job.pk)
    directory.mkdir(parents=True, exist_ok=True)
    return directory / filename


#: exceptions whose text is written for the user (in Chinese, naming the row/field)
_USER_ERRORS = (ValueError, LookupError, PermissionError)


def user_message(exc: BaseException, job: Job) -> str:
    """What the user reads about a failed job: the message of an expected error, else a plain
    Chinese sentence (never a traceback: that is in the log, under the job's id)."""
    from django.core.exceptions import PermissionDenied, ValidationError

    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    programming = (KeyError, IndexError, UnicodeError)  # subclasses that are bugs, not messages
    if (
        isinstance(exc, _USER_ERRORS + (PermissionDenied,))
        and not isinstance(exc, programming)
        and str(exc)
    ):
        return str(exc)
    return f"任务执行时发生系统错误，未完成。详细信息已记入系统日志（任务编号 {job.pk}），请联系管理员。"


def run(job: Job) -> Job:
    fn = _HANDLERS.get(job.kind)
    try:
        if fn is None:
            raise LookupError(f"没有处理“{job.kind}”的任务程序")
        with audit_context(job=str(job.pk)):
            result = fn(job) or {}
        job.status = JobStatus.SUCCEEDED
        job.result = result
        if job.params.get("daily") and job.kind in _DAILY:
            schedule_daily(job.kind)
    except Exception as exc:
        log.exception("job %s failed", job.pk)  # the traceback goes to the log only
        job.status = JobStatus.FAILED
        job.error = user_message(exc, job)
    job.finished_at = timezone.now()
    Job.objects.filter(pk=job.pk).update(
        status=job.status,
        result=job.result,
        error=job.error,
        finished_at=job.finished_at,
        result_file=job.result_file,
        progress=job.progress,
        total=job.total,
        log=job.log,
    )
    return job


def run_pending(limit: int | None = None, worker: str | None = None) -> int:
    done = 0
    while limit is None or done < limit:
        job = claim(worker)
        if job is None:
            break
        run(job)
        done += 1
    return done


# --- built-in handlers ----------------------------------------------------------------------
def enqueue_import(resource: Any, fileobj: Any, *, actor: Any) -> Job:
    job = enqueue("core.import", actor=actor, params={"resource": resource.key})
    path = result_path(job, "upload.xlsx")
    path.write_bytes(fileobj.read())
    Job.objects.filter(pk=job.pk).update(params={"resource": resource.key, "file": str(path)})
    job.refresh_from_db()
    return job


@handler("core.import", "Excel 导入")
def _run_import(job: Job) -> dict[str, Any]:
    from fazhi.core import io, resources

    resource = resources.get(*job.params["resource"].split(":"))
    step(job, 0, message=f"开始导入{resource.label}")
    with open(job.params["file"], "rb") as fileobj:
        result = io.import_workbook(resource, fileobj, actor=job.actor, allow_job=False)
    if result.errors:
        report = "\n".join(str(e) for e in result.errors)
        raise ValueError(f"导入失败，未写入任何数据，共 {len(result.errors)} 处错误：\n{report}")
    step(job, result.created + result.updated + result.unchanged, message="导入完成")
    return {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
