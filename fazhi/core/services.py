"""Generic state-changing verbs for records: create, update, delete.

Each runs in one transaction, checks the scope gate, validates (Chinese messages naming the
field), refuses an edit based on an old version (ConflictError), writes the change record,
and re-checks scope on the saved row before committing. Module services build on these.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

from fazhi.core import scope
from fazhi.core.audit import record_change, snapshot
from fazhi.core.choices import ChangeAction
from fazhi.core.roles import ADD, CHANGE, DELETE

M = TypeVar("M", bound=models.Model)


class ConflictError(Exception):
    """The record changed since the user loaded it."""

    def __init__(self, obj: models.Model, expected: int) -> None:
        self.obj = obj
        self.expected = expected
        super().__init__(
            f"该记录已被他人修改（您编辑的是第{expected}版，当前为第{obj.version}版），请刷新后重新编辑。"
        )


class VersionRequired(ValidationError):
    """A write that does not say which version it read: refused (the API answers 428)."""

    MESSAGE = (
        "缺少版本号：请提交您读取到的记录版本号（version），以免覆盖他人的修改；请刷新后重新编辑。"
    )

    def __init__(self) -> None:
        super().__init__({"version": [self.MESSAGE]})


class AlreadyEntered(ValidationError):
    """An entry form (a calendar day, a rule's local length) posted for something that already
    has an entry, without the version of that entry: the page shows what is there and carries
    its version, so a second submit confirms the correction — and two administrators entering
    the same day at once cannot silently overwrite each other."""

    def __init__(self, field: str, row: models.Model, shown: str) -> None:
        self.row = row
        super().__init__(
            {
                field: [
                    f"已有录入：{shown}（第{row.version}版）。确认改为本次填写的内容，请再次提交。"
                ]
            }
        )


def check_entry(existing: models.Model | None, expected_version: Any, field: str) -> None:
    """The version check of an entry form that creates or corrects a keyed row (see
    AlreadyEntered). `expected_version` UNCHECKED: a load by the system, not a person's entry."""
    if existing is None or expected_version is UNCHECKED:
        return
    if expected_version is None:
        raise AlreadyEntered(field, existing, str(existing))
    if existing.version != expected_version:
        raise ConflictError(existing, expected_version)


class _Unchecked:
    """Passed as `expected_version` by writes that are not an edit of something a person read
    (system jobs, the importer matching rows itself). Never used for a person's edit."""

    def __repr__(self) -> str:
        return "UNCHECKED"


UNCHECKED: Any = _Unchecked()

#: the largest version number accepted from outside (a 64-bit signed integer column)
MAX_VERSION = 2**63 - 1


def parse_version(raw: Any) -> int | None:
    """The version a form or query string sent: None when absent, a ValidationError in Chinese
    when it is not a whole number in range."""
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return None
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        raise ValidationError({"version": ["版本号必须是整数。"]}) from None
    if value < 0 or value > MAX_VERSION:
        raise ValidationError({"version": ["版本号超出范围。"]})
    return value


def check_version(locked: models.Model, expected_version: Any) -> None:
    """Refuse a write without the version it read (VersionRequired) or based on an older one
    (ConflictError). `locked` is the row re-read under select_for_update. Every update and delete
    service calls this (services.update_object/delete_object do), so a module gets it for free."""
    if expected_version is UNCHECKED:
        return
    if expected_version is None:
        raise VersionRequired()
    if locked.version != expected_version:
        raise ConflictError(locked, expected_version)


@contextmanager
def acting_on(obj: M, raw_version: Any, lock_first: Sequence[models.Model] = ()) -> Iterator[M]:
    """A workflow action on `obj` (a step of a case, an opinion, a publication …) taken from a
    page that showed `obj` at some version: one transaction in which the row is locked and the
    version the form carried is checked before the action's service runs. A post without the
    version (VersionRequired) or with an older one (ConflictError) writes nothing — two clerks
    pressing 受理 on the same petition cannot both succeed, and a stale page cannot move a case.

    `raw_version` is what the form sent (`request.POST.get("version")`); junk is a
    ValidationError naming 版本号. Yields the locked row.

    `lock_first`: rows the action's service locks before `obj` (the case whose review or
    disclosure `obj` is), locked here first in that order, so that every path takes the locks in
    the same order (case, then the record beside it) and two concurrent posts cannot deadlock."""
    expected = parse_version(raw_version)
    with transaction.atomic():
        for parent in lock_first:
            type(parent)._base_manager.select_for_update().filter(pk=parent.pk).exists()
        locked = type(obj)._base_manager.select_for_update().get(pk=obj.pk)
        check_version(locked, expected)
        yield locked


_REFERENCES: dict[type, tuple[str, ...]] = {}


def references(model: type[models.Model]) -> tuple[str, ...]:
    """The foreign keys `full_clean` reads on a row (its existence check and the cross-township
    check each load the referenced row): all but the township and the authors, which it knows."""
    found = _REFERENCES.get(model)
    if found is None:
        found = _REFERENCES[model] = tuple(
            f.name
            for f in model._meta.concrete_fields
            if f.many_to_one and f.name not in ("township", "created_by", "updated_by")
        )
    return found


def locked_with_references(model: type[M], pk: Any, given: Iterable[str] = ()) -> M:
    """The row re-read under select_for_update (only the row is locked: `of=self`) with the
    rows it refers to joined in, so that validating it again reads nothing more (one query
    instead of two per foreign key). `given`: fields the caller is about to set (a form posts
    every field with its row already read), not joined."""
    given = set(given)
    joined = [name for name in references(model) if name not in given]
    rows = model._default_manager.select_for_update(of=("self",))
    return (rows.select_related(*joined) if joined else rows).get(pk=pk)


def _apply(obj: models.Model, data: dict[str, Any]) -> None:
    m2m = {}
    for name, value in data.items():
        field = obj._meta.get_field(name)
        if field.many_to_many:
            m2m[name] = value
        else:
            setattr(obj, name, value)
    obj._pending_m2m = m2m  # type: ignore[attr-defined]


def _save_m2m(obj: models.Model) -> None:
    for name, value in getattr(obj, "_pending_m2m", {}).items():
        getattr(obj, name).set(value)


def _recheck(actor: Any, obj: models.Model, action: str) -> None:
    if not scope.visible(actor, obj, action):
        raise PermissionDenied("保存后的记录超出您的权限范围，未保存。")


@transaction.atomic
def create_object(model: type[M], data: dict[str, Any], *, actor: Any) -> M:
    obj = model()
    _apply(obj, data)
    township_id = getattr(obj, "township_id", None)
    if township_id is None and getattr(model, "scope_q", None) is None:
        raise ValidationError({"township": "请选择乡镇。"})
    scope.ensure_township(actor, ADD, township_id, model)
    obj.full_clean()
    if hasattr(obj, "created_by_id"):
        obj.created_by = obj.updated_by = (
            actor if getattr(actor, "is_authenticated", False) else None
        )
    obj.save()
    _save_m2m(obj)
    _recheck(actor, obj, ADD)
    record_change(obj, ChangeAction.CREATE, None, snapshot(obj), actor=actor)
    return obj


@transaction.atomic
def update_object(obj: M, data: dict[str, Any], *, actor: Any, expected_version: int | None) -> M:
    """`expected_version`: the version the user read (None → VersionRequired; a different one →
    ConflictError); `UNCHECKED` only for writes that are not a person's edit."""
    model = type(obj)
    scope.ensure(actor, CHANGE, obj)
    locked = locked_with_references(model, obj.pk, data)
    check_version(locked, expected_version)
    before = snapshot(locked)
    _apply(locked, data)
    if getattr(locked, "township_id", None) != getattr(obj, "township_id", None):
        scope.ensure_township(actor, CHANGE, locked.township_id, model)
    locked.full_clean()
    locked.version += 1
    if hasattr(locked, "updated_by_id"):
        locked.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    locked.save()
    _save_m2m(locked)
    _recheck(actor, locked, CHANGE)
    record_change(locked, ChangeAction.UPDATE, before, snapshot(locked), actor=actor)
    return locked


@transaction.atomic
def delete_object(obj: models.Model, *, actor: Any, expected_version: int | None) -> None:
    model = type(obj)
    scope.ensure(actor, DELETE, obj)
    locked = model._default_manager.select_for_update().get(pk=obj.pk)
    check_version(locked, expected_version)
    before = snapshot(locked)
    record_change(locked, ChangeAction.DELETE, before, None, actor=actor)
    try:
        locked.delete()
    except models.ProtectedError as exc:
        names = "、".join(sorted({str(o._meta.verbose_name) for o in exc.protected_objects}))
        raise ValidationError(f"该记录仍被其他记录引用（{names}），不能删除。") from exc
