"""双随机一公开: the draw (draw.py's published algorithm over the entity directory), the immutable
result with its inspectors, results per entity and their publication within 20 工作日."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from fazhi.core import deadlines, scope
from fazhi.core.audit import record_change, record_event, snapshot
from fazhi.core.calendar import compute_due
from fazhi.core.choices import ChangeAction
from fazhi.core.roles import CHANGE
from fazhi.core.rules import effective_rule
from fazhi.enforcement import choices as ec
from fazhi.enforcement.models import Officer
from fazhi.inspections import choices as c
from fazhi.inspections import draw as algorithm
from fazhi.inspections import rules
from fazhi.inspections.models import Enterprise, RandomPlan, RandomTarget


def list_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "draws"
    path.mkdir(parents=True, exist_ok=True)
    return path


def list_path(plan: RandomPlan) -> Path:
    return list_dir() / plan.list_file


def _event(kind: str, label: str, plan: RandomPlan, actor: Any, **payload: Any) -> None:
    record_event(kind, label, township=plan.township_id, actor=actor, obj=plan, payload=payload)


def eligible_inspectors(plan: RandomPlan, on: dt.date) -> list[Officer]:
    officers = Officer.objects.filter(
        body=plan.body, kind=ec.OfficerKind.OFFICER, is_active=True
    ).prefetch_related("certificates")
    return [o for o in officers if o.certificate_on(on) is not None]


@transaction.atomic
def draw_plan(plan: RandomPlan, *, actor: Any, seed: str | None = None) -> RandomPlan:
    """Fix the entity list, draw the seed, run the algorithm, write the result and the list
    file. Once drawn a plan never changes (a new draw needs a new plan)."""
    if actor is not None:
        scope.ensure(actor, CHANGE, plan)
    locked = RandomPlan.objects.select_for_update().get(pk=plan.pk)
    if locked.status != c.PlanStatus.DRAFT:
        raise ValidationError("该计划已抽取，抽取结果不可更改。")
    if not locked.check_items.filter(is_random=True, published_on__isnull=False).exists():
        raise ValidationError({"check_items": "请选择已公布的双随机抽查事项。"})
    inspectors = eligible_inspectors(locked, locked.start)
    if len(inspectors) < locked.inspectors_per_entity:
        raise ValidationError(
            f"{locked.body}持有效执法证件的检查人员不足{locked.inspectors_per_entity}人，不能抽取。"
        )
    seed = seed or secrets.token_hex(32)
    rows = list(
        Enterprise.objects.filter(township_id=locked.township_id, is_active=True)
        .order_by("credit_code")
        .values_list("credit_code", "credit_class")
    )
    if not rows:
        raise ValidationError("检查对象名录为空，不能抽取。")
    buffer = io.StringIO()
    algorithm.write_list(buffer, rows, seed, locked.ratios)
    content = buffer.getvalue().encode("utf-8")
    name = f"{locked.township_id}-{locked.pk}-{seed[:8]}.csv"
    (list_dir() / name).write_bytes(content)
    drawn = algorithm.draw(rows, seed, locked.ratios)
    by_officer = {str(o.pk): o.name for o in inspectors}
    teams = algorithm.assign_inspectors(
        [code for code, _ in drawn], list(by_officer), seed, locked.inspectors_per_entity
    )
    ids = dict(
        Enterprise.objects.filter(
            township_id=locked.township_id, credit_code__in=[code for code, _ in drawn]
        ).values_list("credit_code", "pk")
    )
    targets = [
        RandomTarget(
            township_id=locked.township_id,
            plan=locked,
            rank=i + 1,
            enterprise_id=ids[code],
            credit_code=code,
            credit_class=credit_class,
            inspectors="、".join(by_officer[o] for o in teams[code]),
        )
        for i, (code, credit_class) in enumerate(drawn)
    ]
    RandomTarget.objects.bulk_create(targets, batch_size=2000)
    for target in RandomTarget.objects.filter(plan=locked).iterator():
        record_change(target, ChangeAction.CREATE, None, snapshot(target), actor=actor)
    before = snapshot(locked)
    locked.status = c.PlanStatus.DRAWN
    locked.seed = seed
    locked.drawn_at = timezone.now()
    locked.entity_count = len(rows)
    locked.list_file = name
    locked.list_sha256 = hashlib.sha256(content).hexdigest()
    effective = effective_rule(rules.RANDOM_PUBLICATION.code, locked.township)
    locked.results_due_on = compute_due(locked.end, effective.length, effective.unit)[0]
    locked.version += 1
    locked.save()
    record_change(locked, ChangeAction.UPDATE, before, snapshot(locked), actor=actor)
    deadlines.open_deadline(locked, rules.RANDOM_PUBLICATION.code, locked.end, actor=actor)
    _event(
        "inspections.drawn",
        f"双随机抽取：名单{len(rows)}户，抽中{len(targets)}户，种子{seed}",
        locked,
        actor,
        seed=seed,
        drawn=len(targets),
        entities=len(rows),
        list_sha256=locked.list_sha256,
    )
    return locked


@transaction.atomic
def record_result(
    target: RandomTarget, *, result: str, result_on: dt.date, actor: Any
) -> RandomTarget:
    if actor is not None:
        scope.ensure(actor, CHANGE, target.plan)
    locked = RandomTarget.objects.select_for_update().get(pk=target.pk)
    if locked.plan.status == c.PlanStatus.PUBLISHED:
        raise ValidationError("结果已公示，不能修改。")
    if result not in c.RandomResult.values or not result:
        raise ValidationError({"result": "请选择抽查结果。"})
    before = snapshot(locked)
    locked.result, locked.result_on = result, result_on
    locked.version += 1
    locked.save()
    record_change(locked, ChangeAction.UPDATE, before, snapshot(locked), actor=actor)
    return locked


@transaction.atomic
def publish_results(plan: RandomPlan, *, published_on: dt.date, actor: Any) -> RandomPlan:
    """Publish the results (20 工作日 after the end of the inspection); every entity needs one."""
    if actor is not None:
        scope.ensure(actor, CHANGE, plan)
    locked = RandomPlan.objects.select_for_update().get(pk=plan.pk)
    if locked.status != c.PlanStatus.DRAWN:
        raise ValidationError("只有已抽取、未公示的计划才能公示结果。")
    pending = locked.targets.filter(result="").count()
    if pending:
        raise ValidationError(f"还有{pending}户未登记抽查结果。")
    before = snapshot(locked)
    locked.status, locked.results_published_on = c.PlanStatus.PUBLISHED, published_on
    locked.version += 1
    locked.save()
    record_change(locked, ChangeAction.UPDATE, before, snapshot(locked), actor=actor)
    deadlines.complete_deadline(locked, rules.RANDOM_PUBLICATION.code, published_on, actor=actor)
    _event("inspections.results_published", "公示双随机抽查结果", locked, actor)
    return locked
