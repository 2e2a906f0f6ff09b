"""Which request or job caused a change: set by the middleware and the job runner, read by audit."""

from __future__ import annotations

import contextvars
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("fazhi_request_id", default="")
job_id: contextvars.ContextVar[str] = contextvars.ContextVar("fazhi_job_id", default="")


@contextmanager
def audit_context(*, request: str = "", job: str = "") -> Iterator[None]:
    tokens = []
    if request:
        tokens.append((request_id, request_id.set(request)))
    if job:
        tokens.append((job_id, job_id.set(job)))
    try:
        yield
    finally:
        for var, token in reversed(tokens):
            var.reset(token)


def new_request_id() -> str:
    return uuid.uuid4().hex[:16]
