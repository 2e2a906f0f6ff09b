"""Background work of the petitions app (run by `manage.py run_jobs`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fazhi.core import jobs
from fazhi.core.models import Job

CLOSE_LAPSED = "petitions.close_lapsed"


jobs.daily(CLOSE_LAPSED, dt.time(6, 45))


@jobs.handler(CLOSE_LAPSED, "信访事项申请期届满归档")
def _close_lapsed(job: Job) -> dict[str, Any]:
    """File served petitions whose 复查/复核 request window has lapsed."""
    from fazhi.petitions.services import close_lapsed

    today = job.params.get("today")
    jobs.step(job, 0, message="开始归档申请期限已届满的信访事项")
    done = close_lapsed(dt.date.fromisoformat(today) if today else None, actor=job.actor)
    jobs.step(job, done, done, message=f"已归档{done}件")
    return {"closed": done}


@jobs.handler("petitions.ledger_import", "信访台账导入")
def _ledger_import(job: Job) -> dict[str, Any]:
    from fazhi.petitions.io import import_ledger

    jobs.step(job, 0, message="开始导入信访台账")
    with open(job.params["file"], "rb") as fileobj:
        result = import_ledger(fileobj, actor=job.actor, allow_job=False)
    if result.errors:
        report = "\n".join(str(e) for e in result.errors)
        raise ValueError(f"导入失败，未写入任何数据，共 {len(result.errors)} 处错误：\n{report}")
    jobs.step(job, result.created, result.created, message="导入完成")
    return {"created": result.created}
