"""双随机一公开: the draw (draw.py's published algorithm over the entity directory), the immutable
result with its inspectors, results per entity and their publication within 20 工作日.

New draws use algorithm version 2 (draw.CURRENT) through its numpy path (sampling.py) over the
directory read in the canonical order; the plan records the version it was drawn with."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models.functions import Collate
from django.utils import timezone

from fazhi.core import deadlines, scope
from fazhi.core.audit import batched, record_change, record_event, snapshot
from fazhi.core.calendar import compute_due
from fazhi.core.choices import ChangeAction
from fazhi.core.roles import CHANGE
from fazhi.core.rules import effective_rule
from fazhi.core.services import UNCHECKED, check_version
from fazhi.enforcement import choices as ec
from fazhi.enforcement.models import Officer
from fazhi.inspections import choices as c
from fazhi.inspections import draw as algorithm
from fazhi.inspections import rules, sampling
from fazhi.inspections.models import Enterprise, RandomPlan, RandomTarget, Recusal


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


def draw_rows(township_id: int) -> list[tuple[str, str]]:
    """The township's active entities as [(code, class)] in version 2's canonical order: by class,
    then by code in code point order (PostgreSQL's "C" collation, SQLite's default BINARY; the
    index insp_ent_draw covers the read)."""
    code = "credit_code"
    if connection.vendor == "postgresql":
        code = Collate("credit_code", "C")
    return list(
        Enterprise.objects.filter(township_id=township_id, is_active=True)
        .order_by("credit_class", code)
        .values_list("credit_code", "credit_class")
    )


def recusals(plan: RandomPlan, codes: list[str]) -> set[tuple[str, str]]:
    """The recorded conflicts of interest among the drawn entities, as the algorithm takes them:
    {(officer id, 统一社会信用代码)}."""
    rows = Recusal.objects.filter(
        township_id=plan.township_id,
        is_active=True,
        officer__body_id=plan.body_id,
    ).values_list("officer_id", "enterprise__credit_code")
    drawn = set(codes)  # recusals are few; the drawn list may be long (no huge IN clause)
    return {(str(officer), code) for officer, code in rows if code in drawn}


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
    version = algorithm.CURRENT
    rows = draw_rows(locked.township_id)
    if not rows:
        raise ValidationError("检查对象名录为空，不能抽取。")
    name = f"{locked.township_id}-{locked.pk}-{seed[:8]}.csv"
    # streamed to the file (a million lines are not held twice, as text and as bytes)
    with open(list_dir() / name, "w", encoding="utf-8", newline="") as out:
        algorithm.write_list(out, rows, seed, locked.ratios, version)
    list_digest = hashlib.sha256()
    with open(list_dir() / name, "rb") as written:
        for chunk in iter(lambda: written.read(2**20), b""):
            list_digest.update(chunk)
    drawn = sampling.draw_sorted(rows, seed, locked.ratios)
    by_officer = {str(o.pk): o.name for o in inspectors}
    recused = recusals(locked, [code for code, _ in drawn])
    try:
        teams = algorithm.assign_inspectors(
            [code for code, _ in drawn],
            list(by_officer),
            seed,
            locked.inspectors_per_entity,
            recused=recused,
            version=version,
        )
    except ValueError as exc:
        raise ValidationError(f"不能抽取：{exc}（已登记的回避使可派检查人员不足）。") from None
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
    # one change record per drawn entity, inserted in bulk; the related rows the records name
    # (township, plan, enterprise) come with the targets instead of one query each
    created = (
        RandomTarget.objects.filter(plan=locked)
        .select_related("township", "plan", "enterprise")
        .order_by("rank")
    )
    with batched():
        for target in created.iterator(chunk_size=2000):
            record_change(target, ChangeAction.CREATE, None, snapshot(target), actor=actor)
    before = snapshot(locked)
    locked.status = c.PlanStatus.DRAWN
    locked.seed = seed
    locked.algorithm = version
    locked.drawn_at = timezone.now()
    locked.entity_count = len(rows)
    locked.list_file = name
    locked.list_sha256 = list_digest.hexdigest()
    effective = effective_rule(rules.RANDOM_PUBLICATION.code, locked.township)
    locked.results_due_on = compute_due(locked.end, effective.length, effective.unit)[0]
    locked.version += 1
    locked.save()
    record_change(locked, ChangeAction.UPDATE, before, snapshot(locked), actor=actor)
    deadlines.open_deadline(locked, rules.RANDOM_PUBLICATION.code, locked.end, actor=actor)
    _event(
        "inspections.drawn",
        f"双随机抽取（算法{version}）：名单{len(rows)}户，抽中{len(targets)}户，种子{seed}",
        locked,
        actor,
        seed=seed,
        algorithm=version,
        drawn=len(targets),
        entities=len(rows),
        list_sha256=locked.list_sha256,
    )
    return locked


@transaction.atomic
def record_result(
    target: RandomTarget,
    *,
    result: str,
    result_on: dt.date,
    actor: Any,
    expected_version: Any = UNCHECKED,
) -> RandomTarget:
    """Enter (or correct, until publication) the result of one drawn entity. A person's entry
    passes the version it read (`expected_version`); the demo loader passes none."""
    if actor is not None:
        scope.ensure(actor, CHANGE, target.plan)
    locked = RandomTarget.objects.select_for_update().select_related("plan").get(pk=target.pk)
    check_version(locked, expected_version)
    plan = locked.plan
    if plan.status == c.PlanStatus.PUBLISHED:
        raise ValidationError("结果已公示，不能修改。")
    if plan.status != c.PlanStatus.DRAWN:
        raise ValidationError("计划尚未抽取，不能登记结果。")
    if result not in c.RandomResult.values or not result:
        raise ValidationError({"result": "请选择抽查结果。"})
    if result_on is None:
        raise ValidationError({"result_on": "请填写检查日期。"})
    if result_on < plan.start:
        raise ValidationError(
            {"result_on": f"检查日期不能早于抽查开始日期（{plan.start:%Y-%m-%d}）。"}
        )
    if result_on > timezone.localdate():
        raise ValidationError({"result_on": "检查日期不能晚于今天。"})
    before = snapshot(locked)
    locked.result, locked.result_on = result, result_on
    locked.version += 1
    locked.save()
    record_change(locked, ChangeAction.UPDATE, before, snapshot(locked), actor=actor)
    _event(
        "inspections.result_recorded",
        f"登记抽查结果：{locked.enterprise}，{c.RandomResult(result).label}",
        plan,
        actor,
        target=locked.pk,
        result=result,
    )
    return locked


@transaction.atomic
def publish_results(
    plan: RandomPlan, *, published_on: dt.date, actor: Any, expected_version: Any = UNCHECKED
) -> RandomPlan:
    """Publish the results (20 工作日 after the end of the inspection); every entity needs one.
    Publishing after the due date is allowed (late results must still be public) and counts as
    late in 抽查结果公示及时率."""
    if actor is not None:
        scope.ensure(actor, CHANGE, plan)
    locked = RandomPlan.objects.select_for_update().get(pk=plan.pk)
    check_version(locked, expected_version)
    if locked.status != c.PlanStatus.DRAWN:
        raise ValidationError("只有已抽取、未公示的计划才能公示结果。")
    pending = locked.targets.filter(result="").count()
    if pending:
        raise ValidationError(f"还有{pending}户未登记抽查结果。")
    if published_on is None:
        raise ValidationError({"published_on": "请填写公示日期。"})
    last = locked.targets.order_by("-result_on").values_list("result_on", flat=True).first()
    if last and published_on < last:
        raise ValidationError(
            {"published_on": f"公示日期不能早于最后一户的检查日期（{last:%Y-%m-%d}）。"}
        )
    if published_on > timezone.localdate():
        raise ValidationError({"published_on": "公示日期不能晚于今天。"})
    before = snapshot(locked)
    locked.status, locked.results_published_on = c.PlanStatus.PUBLISHED, published_on
    locked.version += 1
    locked.save()
    record_change(locked, ChangeAction.UPDATE, before, snapshot(locked), actor=actor)
    deadlines.complete_deadline(locked, rules.RANDOM_PUBLICATION.code, published_on, actor=actor)
    late = bool(locked.results_due_on and published_on > locked.results_due_on)
    _event(
        "inspections.results_published",
        f"公示双随机抽查结果（{'逾期' if late else '按期'}，应于{locked.results_due_on:%Y-%m-%d}前）"
        if locked.results_due_on
        else "公示双随机抽查结果",
        locked,
        actor,
        late=late,
    )
    return locked


def timeliness(plan: RandomPlan, today: dt.date | None = None) -> str:
    """The plan's publication state in words: 按期公示 / 逾期公示 / 未公示（未到期|已逾期）."""
    due = plan.results_due_on
    if due is None:
        return "尚未抽取"
    if plan.results_published_on:
        return "按期公示" if plan.results_published_on <= due else "逾期公示"
    today = today or timezone.localdate()
    return "未公示，已逾期" if today > due else "未公示，未到期"
