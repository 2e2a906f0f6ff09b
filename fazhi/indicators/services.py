"""Declaring a nil return (零报告) or that a metric does not apply (不适用).

One declaration per township, metric and year; declaring again changes it (with the version the
caller read, so two clerks cannot overwrite each other silently), withdrawing deletes it. Every
change is written to the history by the generic verbs."""

from __future__ import annotations

from typing import Any

from fazhi.core.services import create_object, delete_object, update_object
from fazhi.indicators.models import FigureDeclaration


def declare(
    township: Any,
    metric_code: str,
    year: int,
    kind: str,
    reason: str,
    *,
    actor: Any,
    expected_version: int | None = None,
) -> FigureDeclaration:
    """State that `metric_code`'s ledger was kept and empty in `year` (kind "nil") or that the
    metric does not apply to the township (kind "not_applicable"), with the reason."""
    data = {"metric_code": metric_code, "year": year, "kind": kind, "reason": reason}
    existing = FigureDeclaration.objects.filter(
        township=township, metric_code=metric_code, year=year
    ).first()
    if existing is None:
        return create_object(FigureDeclaration, {"township": township, **data}, actor=actor)
    return update_object(existing, data, actor=actor, expected_version=expected_version)


def withdraw(declaration: FigureDeclaration, *, actor: Any, expected_version: int | None) -> None:
    """The figure goes back to what the records say (未记录 when they are empty)."""
    delete_object(declaration, actor=actor, expected_version=expected_version)
