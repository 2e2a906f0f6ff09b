"""Verbs of the party index: find or create, create/update from pages, merge, split.

Every verb runs in one transaction, checks the scope gate, and writes change records and a
domain event in the same transaction. `actor=None` means the system (demo loader, jobs).
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone

from fazhi.core import scope, services
from fazhi.core.audit import record_change, record_event, snapshot
from fazhi.core.choices import ChangeAction
from fazhi.core.roles import ADD, CHANGE
from fazhi.parties import pii
from fazhi.parties.choices import PII_FIELDS, PartyKind
from fazhi.parties.models import Party, PartyMerge

#: fields filled in on a matched entry when it has none yet
_ENRICH = ("phone", "address", "gender", "ethnicity", "representative")


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _ensure_may_register(actor: Any, township: Any) -> None:
    """Registering a party is part of registering a record: anyone who may add records in the
    township (a village mediator or grid worker included) may add its parties."""
    if actor is None:
        return
    g = scope.grant(actor, ADD)
    township_id = getattr(township, "pk", township)
    if g.everything or township_id in g.townships or township_id in g.villages:
        return
    raise PermissionDenied("您的角色无权在该乡镇登记当事人。")


def _create(township: Any, values: dict[str, Any], actor: Any) -> Party:
    party = Party(township=township, **values)
    party.full_clean()
    party.created_by = party.updated_by = _user(actor)
    party.save()
    record_change(party, ChangeAction.CREATE, None, snapshot(party), actor=actor)
    return party


def _enrich(party: Party, values: dict[str, Any], actor: Any) -> Party:
    """Fill the survivor's blank fields from a new registration (never overwrite)."""
    locked = Party.objects.select_for_update().get(pk=party.pk)
    before = snapshot(locked)
    changed = False
    for name in _ENRICH:
        if values.get(name) and not getattr(locked, name):
            setattr(locked, name, values[name])
            changed = True
    number = values.get("id_number")
    if number and not locked.id_number:
        key = pii.id_key(number)
        if not Party.objects.filter(township_id=locked.township_id, id_key=key).exists():
            locked.id_number = number
            changed = True
    if not changed:
        return locked
    locked.full_clean()
    locked.version += 1
    locked.updated_by = _user(actor)
    locked.save()
    record_change(locked, ChangeAction.UPDATE, before, snapshot(locked), actor=actor)
    return locked


def match(township: Any, *, name: str, id_number: str = "", phone: str = "") -> Party | None:
    """The surviving entry for these details: by ID number when given, else by name and phone.

    An ID number that is not registered yet still matches an entry with the same name and
    phone that has no ID number (the caller then fills the number in)."""
    township_id = getattr(township, "pk", township)
    key = pii.id_key(id_number)
    if key:
        found = Party.objects.filter(township_id=township_id, id_key=key).first()
        if found is not None:
            return found.root()
    ckey = pii.contact_key(name, phone)
    if ckey:
        candidates = Party.objects.filter(township_id=township_id, match_key=ckey)
        if key:
            candidates = candidates.filter(id_key="")
        found = candidates.order_by(F("merged_into_id").asc(nulls_first=True), "pk").first()
        if found is not None:
            return found.root()
    return None


@transaction.atomic
def find_or_create_party(
    township: Any,
    *,
    name: str,
    id_number: str = "",
    phone: str = "",
    kind: str = PartyKind.PERSON,
    actor: Any,
    address: str = "",
    gender: str = "",
    ethnicity: str = "",
    representative: str = "",
) -> Party:
    """The one entry for a person or organisation in `township` (created when new).

    Matched by ID number when given, else by name + phone; a name alone never matches (two
    张伟 are two people until a clerk merges them). A matched entry gets its blank fields
    filled from these details, never overwritten. Returns the surviving entry of a merge."""
    _ensure_may_register(actor, township)
    values = {
        "kind": kind or PartyKind.PERSON,
        "name": pii.normalise_text(name),
        "id_number": pii.normalise_id(id_number),
        "phone": pii.normalise_text(phone),
        "address": pii.normalise_text(address),
        "gender": gender or "",
        "ethnicity": pii.normalise_text(ethnicity),
        "representative": pii.normalise_text(representative),
    }
    if not values["name"]:
        raise ValidationError({"name": "请填写当事人姓名或单位名称。"})
    for _attempt in range(2):
        found = match(
            township, name=values["name"], id_number=values["id_number"], phone=values["phone"]
        )
        if found is not None:
            return _enrich(found, values, actor)
        try:
            with transaction.atomic():
                return _create(township, values, actor)
        except IntegrityError:  # the same ID registered concurrently: match it instead
            continue
    raise ValidationError({"id_number": "当事人登记冲突，请重试。"})


# --- the resource's services (pages, API, Excel) -------------------------------------------
def _drop_masked(data: dict[str, Any], current: Party | None = None) -> dict[str, Any]:
    """A masked PII value sent back (form, API, re-imported export) means "unchanged"."""
    data = dict(data)
    for name in PII_FIELDS:
        value = data.get(name)
        if pii.is_masked(value):
            if current is None or value != pii.mask(name, getattr(current, name)):
                raise ValidationError(
                    {name: "含有脱敏字符“*”：请填写完整的新内容，或保持原脱敏值不变。"}
                )
            data.pop(name)
    return data


def create_party(model: type[Party], data: dict[str, Any], *, actor: Any) -> Party:
    """Create from the add page, API or import; refuses a duplicate of an existing entry."""
    data = _drop_masked(data)
    township = data.get("township")
    if township is not None:
        found = match(
            township,
            name=data.get("name", ""),
            id_number=data.get("id_number", ""),
            phone=data.get("phone", ""),
        )
        if found is not None:
            raise ValidationError(
                {
                    "name": f"当事人索引中已有“{found.name}”（编号{found.pk}），"
                    "同一当事人请勿重复登记。"
                }
            )
    return services.create_object(model, data, actor=actor)


def update_party(
    obj: Party, data: dict[str, Any], *, actor: Any, expected_version: int | None
) -> Party:
    current = Party.objects.get(pk=obj.pk)
    data = _drop_masked(data, current)
    return services.update_object(obj, data, actor=actor, expected_version=expected_version)


# --- merge and split ------------------------------------------------------------------------
def references() -> list[tuple[type[models.Model], str]]:
    """Every (model, FK field) that points at a party, in any installed app (the index does
    not need to know its users: petitions, disputes and later modules are found here)."""
    refs = []
    for model in apps.get_models():
        if model in (Party, PartyMerge):
            continue  # aliases and merge records are the merge's own bookkeeping
        for f in model._meta.concrete_fields:  # M2M are covered by their through model's FK
            if f.is_relation and f.related_model is Party:
                refs.append((model, f.name))
    return refs


def _move(model: type[models.Model], pk: Any, field: str, target: Party, actor: Any) -> bool:
    """Point one row's `field` at `target`; False when that would duplicate a row."""
    row = model._base_manager.select_for_update().filter(pk=pk).first()
    if row is None:
        return False
    before = snapshot(row)
    changes: dict[str, Any] = {field: target}
    if any(f.name == "version" for f in model._meta.concrete_fields):
        changes["version"] = F("version") + 1
    try:
        with transaction.atomic():
            model._base_manager.filter(pk=pk).update(**changes)
    except IntegrityError:
        return False
    row = model._base_manager.get(pk=pk)
    record_change(row, ChangeAction.UPDATE, before, snapshot(row), actor=actor)
    return True


def _label(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


@transaction.atomic
def merge_parties(survivor: Party, alias: Party, *, actor: Any, reason: str) -> PartyMerge:
    """Merge `alias` into `survivor` (the same person entered twice).

    Moves every reference to the alias onto the survivor (recording each), keeps the alias as
    an alias entry (its ID and phone keep finding the survivor) and writes a merge record
    listing what moved, so `split_party` can undo it exactly."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写合并理由。"})
    for party in (survivor, alias):
        if actor is not None:
            scope.ensure(actor, CHANGE, party)
    ids = sorted([survivor.pk, alias.pk])
    locked = {p.pk: p for p in Party.objects.select_for_update().filter(pk__in=ids)}
    survivor, alias = locked[survivor.pk], locked[alias.pk]
    if survivor.pk == alias.pk:
        raise ValidationError({"alias": "不能将当事人与自身合并。"})
    if survivor.township_id != alias.township_id:
        raise ValidationError({"alias": "只能合并同一乡镇的当事人。"})
    if alias.merged_into_id:
        raise ValidationError({"alias": f"“{alias.name}”已合并至其他当事人，不能再次合并。"})
    if survivor.merged_into_id:
        raise ValidationError({"survivor": f"“{survivor.name}”本身已被合并，请选择保留的当事人。"})
    moved: list[dict[str, Any]] = []
    kept: list[dict[str, Any]] = []
    for model, field in references():
        pks = list(
            model._base_manager.filter(**{field: alias}).order_by("pk").values_list("pk", flat=True)
        )
        for pk in pks:
            entry = {"model": _label(model), "pk": pk, "field": field}
            (moved if _move(model, pk, field, survivor, actor) else kept).append(entry)
    before = snapshot(alias)
    alias.merged_into = survivor
    alias.version += 1
    alias.updated_by = _user(actor)
    alias.save()
    record_change(alias, ChangeAction.UPDATE, before, snapshot(alias), actor=actor)
    merge = PartyMerge(
        township_id=survivor.township_id,
        survivor=survivor,
        alias=alias,
        reason=reason,
        moved=moved,
        kept=kept,
    )
    merge.created_by = merge.updated_by = _user(actor)
    merge.save()
    record_change(merge, ChangeAction.CREATE, None, snapshot(merge), actor=actor)
    record_event(
        "parties.merged",
        f"当事人“{alias.name}”（编号{alias.pk}）合并至“{survivor.name}”（编号{survivor.pk}），"
        f"迁移引用{len(moved)}条",
        township=survivor.township_id,
        actor=actor,
        obj=survivor,
        payload={"merge": merge.pk, "alias": alias.pk, "moved": len(moved), "kept": len(kept)},
    )
    return merge


@transaction.atomic
def split_party(merge: PartyMerge, *, actor: Any, reason: str) -> Party:
    """Undo a merge: the alias becomes its own entry again and the references the merge moved
    (and that still point at the survivor) move back. Returns the restored entry."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写拆分理由。"})
    merge = PartyMerge.objects.select_for_update().get(pk=merge.pk)
    if actor is not None:
        scope.ensure(actor, CHANGE, merge.survivor)
    if merge.is_split:
        raise ValidationError("该合并已拆分，不能重复拆分。")
    alias = Party.objects.select_for_update().get(pk=merge.alias_id)
    survivor = Party.objects.select_for_update().get(pk=merge.survivor_id)
    if alias.merged_into_id != survivor.pk:
        raise ValidationError("被合并的当事人已不再指向保留的当事人，不能按此记录拆分。")
    back = 0
    for entry in merge.moved:
        model = apps.get_model(entry["model"])
        field = entry["field"]
        still = model._base_manager.filter(pk=entry["pk"], **{field: survivor}).exists()
        if still and _move(model, entry["pk"], field, alias, actor):
            back += 1
    before = snapshot(alias)
    alias.merged_into = None
    alias.version += 1
    alias.updated_by = _user(actor)
    alias.save()
    record_change(alias, ChangeAction.UPDATE, before, snapshot(alias), actor=actor)
    before = snapshot(merge)
    merge.split_on = timezone.now()
    merge.split_reason = reason
    merge.version += 1
    merge.updated_by = _user(actor)
    merge.save()
    record_change(merge, ChangeAction.UPDATE, before, snapshot(merge), actor=actor)
    record_event(
        "parties.split",
        f"拆分当事人“{alias.name}”（编号{alias.pk}）与“{survivor.name}”（编号{survivor.pk}），"
        f"迁回引用{back}条；理由：{reason}",
        township=survivor.township_id,
        actor=actor,
        obj=alias,
        payload={"merge": merge.pk, "survivor": survivor.pk, "moved_back": back},
    )
    return alias
