"""The base-model ladder: timestamps → authorship → township scope.

Every business row inherits `TownshipScoped`: a non-null township (PROTECT, indexed) and a
`version` used for optimistic concurrency (an edit based on an old version is refused).
Every tenant query goes through `Model.objects.visible_to(user, action)`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


#: (is a township, id) of townships and accounts this process has seen exist
#: (see TownshipScoped.clean_fields)
_KNOWN: set[tuple[bool, int]] = set()

#: set by `database_enforces()`: full_clean leaves to the database the checks it enforces
#: itself (foreign keys, unique and check constraints) instead of querying for each of them
_DATABASE_ENFORCES: ContextVar[bool] = ContextVar("fazhi_database_enforces", default=False)


@contextmanager
def database_enforces() -> Iterator[None]:
    """Inside one transaction that is rolled back whole on any error (load_demo): a record's
    foreign keys, unique and check constraints are not queried one by one by `full_clean` —
    the database refuses a violating row anyway and the whole load is undone. Field checks,
    the model's `clean()`, the cross-township and the text checks still run for every row."""
    token = _DATABASE_ENFORCES.set(True)
    try:
        yield
    finally:
        _DATABASE_ENFORCES.reset(token)


class TimeStamped(models.Model):
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        abstract = True


class Authored(TimeStamped):
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="最后修改人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        abstract = True


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user: AbstractBaseUser, action: str = "view") -> ScopedQuerySet:
        """Rows of this model that `user` may perform `action` on (the one scope gate)."""
        from fazhi.core.scope import scope_filter

        return self.filter(scope_filter(user, action, self.model))

    def for_township(self, township: Any) -> ScopedQuerySet:
        return self.filter(township=township)


def township_field(*, db_index: bool = True) -> models.ForeignKey:
    """`TownshipScoped.township`. A model whose every index leads with the township (so they
    serve a query by the township alone) redefines it with `db_index=False`: one index less
    for each row written (docs/adding-a-module.md, "2. Models")."""
    return models.ForeignKey(
        "core.Township",
        verbose_name="乡镇",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=db_index,
    )


class TownshipScoped(Authored):
    """A business row: it belongs to exactly one township."""

    township = township_field()

    objects = ScopedQuerySet.as_manager()

    #: name of a FK to core.Village used to narrow village-level roles (mediator, grid worker)
    scope_village_field: ClassVar[str | None] = None
    #: roles allowed to write this model (None: every role whose actions include the write)
    scope_write_roles: ClassVar[frozenset[str] | None] = None
    #: fields never shown in history as values (PII); the change is recorded as "已修改"
    history_masked_fields: ClassVar[frozenset[str]] = frozenset()
    #: fields left out of the history (plumbing whose value means nothing to a clerk)
    history_hidden_fields: ClassVar[frozenset[str]] = frozenset()
    #: personal information of staff-like records (a phone number): shown masked in lists,
    #: details, API and exports to roles without `view_pii`, with a recorded reveal (core.pii)
    pii_fields: ClassVar[frozenset[str]] = frozenset()
    #: name of the attribute that is this record's parent for the history panel
    history_parent: ClassVar[str | None] = None

    class Meta:
        abstract = True

    def cross_township_errors(self) -> dict[str, str]:
        """References to another township's rows (a tenancy invariant every record keeps)."""
        errors: dict[str, str] = {}
        for field in self._meta.concrete_fields:
            if not field.is_relation or field.name == "township":
                continue
            if not issubclass(field.related_model, TownshipScoped):
                continue
            if getattr(self, field.attname) is None:
                continue
            related = getattr(self, field.name)
            if related.township_id != self.township_id:
                errors[field.name] = f"所选{field.verbose_name}不属于该乡镇。"
        return errors

    def text_errors(self) -> dict[str, str]:
        """Text fields holding control or bidirectional-override characters (core.validators):
        refused in every form, API call and import."""
        from fazhi.core.validators import text_problem

        errors: dict[str, str] = {}
        for field in self._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField):
                continue
            value = getattr(self, field.attname)
            if isinstance(value, str) and value:
                problem = text_problem(value, multiline=isinstance(field, models.TextField))
                if problem:
                    errors[field.name] = problem
        return errors

    def clean_fields(self, exclude: Any = None) -> None:
        """Django's field cleaning, without the existence query of a foreign key whose row is
        already loaded on this instance (it was read through the scope gate in this request
        or import; the database's own FK constraint still guards the write)."""
        skip = set(exclude or ())
        enforced = _DATABASE_ENFORCES.get()
        for field in self._meta.concrete_fields:
            if enforced and field.is_relation and not field.get_limit_choices_to():
                if getattr(self, field.attname) is not None:
                    skip.add(field.name)  # the FK constraint checks it (database_enforces)
                continue
            if (
                field.many_to_one
                and field.is_cached(self)
                and not field.get_limit_choices_to()
                and not field.validators
            ):
                related = field.get_cached_value(self)
                if related is not None and related.pk == getattr(self, field.attname):
                    skip.add(field.name)
        # townships are never deleted while rows refer to them (PROTECT) and accounts are
        # deactivated rather than deleted: an id this process has seen exist is not queried
        # again (the database's FK constraint still guards the write)
        known = {
            name: getattr(self, f"{name}_id")
            for name in ("township", "created_by", "updated_by")
            if name not in skip
        }
        for name, value in known.items():
            if value is not None and (name == "township", value) in _KNOWN:
                skip.add(name)
        super().clean_fields(exclude=skip)
        for name, value in known.items():
            if value is not None:
                _KNOWN.add((name == "township", value))

    def validate_constraints(self, exclude: Any = None) -> None:
        """Django's constraint validation, except that a condition this instance's own values
        decide (`core.models.conditions`: `extension_days <= 90`, a unique number that is
        still blank) is not sent to the database as a savepoint and a query: a check
        constraint whose condition is false fails with Django's message, a conditional unique
        constraint whose condition is false cannot be violated. Everything else is Django's."""
        from django.core.exceptions import ValidationError
        from django.db import router

        from fazhi.core.models.conditions import EXCLUDED, UNDECIDED, decide, unique_clash

        excluded = set(exclude or ())
        using = router.db_for_write(self.__class__, instance=self)
        errors: dict[str, list] = {}
        for model_class, constraints in self.get_constraints():
            for constraint in constraints:
                condition = getattr(constraint, "condition", None)
                verdict = (
                    decide(condition, model_class, self, excluded)
                    if isinstance(condition, models.Q)
                    else UNDECIDED
                )
                try:
                    if verdict is EXCLUDED:
                        continue  # Django skips it too (FieldError on the missing field)
                    if isinstance(constraint, models.CheckConstraint) and verdict is not UNDECIDED:
                        if verdict is False:  # NULL passes, as COALESCE(…, TRUE) does
                            raise ValidationError(
                                constraint.get_violation_error_message(),
                                code=constraint.violation_error_code,
                            )
                        continue
                    if isinstance(constraint, models.UniqueConstraint) and verdict is False:
                        continue  # the row is outside the partial index
                    if isinstance(constraint, models.UniqueConstraint) and verdict is True:
                        clash = unique_clash(constraint, model_class, self, excluded, using)
                        if clash is not None:
                            if clash:  # Django's message for a conditional constraint
                                raise ValidationError(
                                    constraint.get_violation_error_message(),
                                    code=constraint.violation_error_code,
                                )
                            continue
                    constraint.validate(model_class, self, exclude=exclude, using=using)
                except ValidationError as e:
                    if getattr(e, "code", None) == "unique" and len(constraint.fields) == 1:
                        errors.setdefault(constraint.fields[0], []).append(e)
                    else:
                        errors = e.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def full_clean(self, *args: Any, **kwargs: Any) -> None:
        from django.core.exceptions import ValidationError

        errors: dict[str, list] = {}
        if _DATABASE_ENFORCES.get():
            exclude = args[0] if args else kwargs.get("exclude")
            args, kwargs = (
                (),
                {
                    "exclude": exclude,
                    "validate_unique": False,
                    "validate_constraints": False,
                },
            )
        try:
            super().full_clean(*args, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if self.township_id is not None:
            for name, message in self.cross_township_errors().items():
                errors.setdefault(name, []).append(message)
        for name, message in self.text_errors().items():
            errors.setdefault(name, []).append(message)
        if errors:
            raise ValidationError(errors)
