"""Generic pages for every registered resource: list, detail, add, edit, delete, history.

A view validates input, calls one service, renders. The scope gate decides 404 vs 403.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial, partialmethod
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.base import render_value_in_context
from django.urls import NoReverseMatch, reverse
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.views import View

from fazhi.core import pii, scope, services
from fazhi.core.audit import events_for, history_for
from fazhi.core.forms import form_for
from fazhi.core.resources import Resource
from fazhi.core.roles import ADD, CHANGE, DELETE, EXPORT, IMPORT, VIEW

PAGE_SIZE = 50
#: a printed list holds at most this many rows (it says so when there are more)
PRINT_MAX = 2000


def display_value(obj: Any, name: str) -> Any:
    """A field's value as people read it (choice labels, 是/否, related names)."""
    if "__" in name:
        head, rest = name.split("__", 1)
        related = getattr(obj, head, None)
        return display_value(related, rest) if related is not None else ""
    try:
        field = obj._meta.get_field(name)
    except Exception:
        value = getattr(obj, name, "")
        return value() if callable(value) else value
    labeler = getattr(type(obj), "field_value_labels", {}).get(name)
    if labeler is not None:  # a stored code shown by its name (e.g. a metric's label)
        value = getattr(obj, name)
        return labeler(value) if value not in (None, "") else ""
    if getattr(field, "choices", None):
        return getattr(obj, f"get_{name}_display")()
    value = getattr(obj, name)
    if isinstance(value, bool):
        return "是" if value else "否"
    if value is None:
        return ""
    if field.many_to_many:
        return "、".join(str(v) for v in value.all())
    return value


def column_label(model: type[models.Model], name: str) -> str:
    head = name.split("__", 1)[0]
    try:
        field = model._meta.get_field(head)
    except Exception:
        attr = getattr(model, name, None)
        if isinstance(attr, property):  # @property: the label sits on its getter
            attr = attr.fget
        return str(getattr(attr, "short_description", name))
    if "__" in name and field.is_relation:
        return column_label(field.related_model, name.split("__", 1)[1])
    if not hasattr(field, "verbose_name"):  # a reverse relation: name it by the related rows
        return str(field.related_model._meta.verbose_name_plural)
    return str(field.verbose_name)


@dataclass(frozen=True)
class Outcome:
    """What `act_at_version` did: `ok` with the service's `result`, or refused with the HTTP
    `status` to answer (400: missing version or invalid data; 409: the record changed)."""

    ok: bool
    result: Any = None
    status: int = 200


def act_at_version(
    request: HttpRequest,
    form: Any,
    obj: Any,
    run: Callable[[], Any],
    lock_first: Sequence[models.Model] = (),
) -> Outcome:
    """Run a workflow action (`run`, which calls the service) on `obj` at the version the posted
    form read (hidden field `version`), in one transaction (services.acting_on). A refusal is
    added to `form` in Chinese and nothing is written. Every action view of a case uses this.
    `lock_first`: see services.acting_on (the case, when `obj` is a record beside it)."""
    try:
        with services.acting_on(obj, request.POST.get("version"), lock_first):
            return Outcome(True, run())
    except services.ConflictError as exc:
        form.add_error(None, str(exc))
        return Outcome(False, status=409)
    except ValidationError as exc:
        apply_errors(form, exc)
        return Outcome(False, status=400)


def apply_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errs in error.error_dict.items():
            target = name if name in form.fields else None
            for e in errs:
                form.add_error(target, e.messages[0] if hasattr(e, "messages") else str(e))
    else:
        for message in error.messages:
            form.add_error(None, message)


class ResourceView(LoginRequiredMixin, View):
    resource: Resource = None  # type: ignore[assignment]

    def get_object(self, pk: Any, action: str = VIEW) -> Any:
        try:
            obj = self.resource.queryset(self.request.user, VIEW).get(pk=pk)
        except (self.resource.model.DoesNotExist, ValueError, ValidationError):
            raise Http404("记录不存在或无权访问。") from None
        if action != VIEW:
            scope.ensure(self.request.user, action, obj)
        return obj

    def context(self, **extra: Any) -> dict[str, Any]:
        r = self.resource
        user = self.request.user
        return {
            "resource": r,
            "can_add": scope.has_any(user, ADD, r.model),
            "can_import": scope.has_any(user, IMPORT, r.model),
            "can_export": scope.has_any(user, EXPORT, r.model),
            **extra,
        }


class ListView(ResourceView):
    template_name = "core/generic/list.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        r = self.resource
        if not scope.has_any(request.user, VIEW, r.model):
            raise PermissionDenied("您的角色无权查看该台账。")
        filterset = r.get_filterset_class()(
            request.GET or None, queryset=r.queryset(request.user), request=request
        )
        queryset = filterset.qs if filterset.is_bound else filterset.queryset
        columns = [(name, column_label(r.model, name)) for name in r.list_columns]
        if request.GET.get("print"):
            return self.print_view(request, filterset, queryset, columns)
        page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
        read = row_reader(r.model, columns)
        rows = [(obj, read(obj)) for obj in page]
        query = request.GET.copy()
        query.pop("page", None)
        template = "core/generic/_rows.html" if request.htmx else self.template_name
        return render(
            request,
            template,
            self.context(
                filterset=filterset,
                page=page,
                columns=columns,
                rows=rows,
                rows_html=rows_html(rows, detail_url_maker(r), len(columns)),
                query=query.urlencode(),
            ),
        )

    def print_view(
        self, request: HttpRequest, filterset: Any, queryset: Any, columns: list[Any]
    ) -> HttpResponse:
        """The list as printed: every row of the filter (up to PRINT_MAX), the filter named."""
        from django.utils import timezone

        objs = list(queryset[: PRINT_MAX + 1])
        rows = [(obj, row_values(obj, columns)) for obj in objs[:PRINT_MAX]]
        query = request.GET.copy()
        query.pop("print", None)
        return render(
            request,
            "core/generic/print_list.html",
            self.context(
                rows=rows,
                columns=columns,
                truncated=len(objs) > PRINT_MAX,
                print_max=PRINT_MAX,
                filters=filter_summary(filterset.form) if filterset.is_bound else [],
                printed_at=timezone.localtime(),
                back=f"?{query.urlencode()}",
            ),
        )


def row_values(obj: Any, columns: list[tuple[str, str]]) -> list[Any]:
    """A list row's cells; personal information (`pii_fields`) masked for everyone (it is
    revealed, recorded, on the detail page)."""
    masked = pii.fields_of(type(obj))
    return [
        pii.mask(display_value(obj, name)) if name in masked else display_value(obj, name)
        for name, _ in columns
    ]


def row_reader(model: type[models.Model], columns: list[tuple[str, str]]) -> Callable[[Any], list]:
    """`row_values` for many rows of one model: what each column reads is worked out once
    (the field, its choices as a dict, its labeler), not again for every cell."""
    masked = pii.fields_of(model)
    readers = []
    for name, _ in columns:
        read = _cell_reader(model, name)
        readers.append((lambda o, read=read: pii.mask(read(o))) if name in masked else read)

    def read_row(obj: Any) -> list[Any]:
        if type(obj) is not model:
            return row_values(obj, columns)
        return [read(obj) for read in readers]

    return read_row


def _cell_reader(model: type[models.Model], name: str) -> Callable[[Any], Any]:
    """A function giving `display_value(obj, name)` for objects of `model`."""
    slow = partial(_display_value_or_blank, name=name)
    if "__" in name:
        head, rest = name.split("__", 1)
        try:
            field = model._meta.get_field(head)
        except Exception:
            return slow
        if not field.is_relation or field.related_model is None or field.many_to_many:
            return slow
        inner = _cell_reader(field.related_model, rest)

        def related(obj: Any) -> Any:
            other = getattr(obj, head, None)
            if other is None:
                return ""
            return (
                inner(other) if type(other) is field.related_model else display_value(other, rest)
            )

        return related
    try:
        field = model._meta.get_field(name)
    except Exception:
        return slow
    if getattr(model, "field_value_labels", {}).get(name) is not None or field.many_to_many:
        return slow
    if getattr(field, "choices", None):
        display = inspect.getattr_static(model, f"get_{name}_display", None)
        if not (
            isinstance(display, partialmethod) and display.func is models.Model._get_FIELD_display
        ):
            return slow  # the model shows this field its own way
        labels = dict(make_hashable(field.flatchoices))
        attname = field.attname

        def choice(obj: Any) -> Any:
            value = getattr(obj, attname)
            return force_str(labels.get(make_hashable(value), value), strings_only=True)

        return choice

    def plain(obj: Any) -> Any:
        value = getattr(obj, name)
        if isinstance(value, bool):
            return "是" if value else "否"
        if value is None:
            return ""
        return value

    return plain


def _display_value_or_blank(obj: Any, name: str) -> Any:
    return display_value(obj, name)


def detail_url_maker(resource: Resource) -> Callable[[Any], str]:
    """`{% url '<app>:<slug>_detail' obj.pk %}` for many rows: reversed once, the id put in."""
    name = f"{resource.app_label}:{resource.slug}_detail"
    mark = "7390162845113"
    try:
        pattern = reverse(name, args=[int(mark)])
    except NoReverseMatch:
        pattern = ""
    if pattern.count(mark) != 1:
        return lambda obj: reverse(name, args=[obj.pk])
    head, tail = pattern.split(mark)

    def url(obj: Any) -> str:
        pk = obj.pk
        return f"{head}{pk}{tail}" if type(pk) is int and pk >= 0 else reverse(name, args=[pk])

    return url


class _Autoescape:
    """What `render_value_in_context` reads of a template Context (autoescape on)."""

    autoescape = True
    use_l10n = None
    use_tz = None


def rows_html(rows: list[tuple[Any, list[Any]]], url: Callable[[Any], str], width: int) -> str:
    """The list's table rows, as core/generic/_rows.html wrote them cell by cell (each value
    rendered as `{{ value }}` renders it; the first cell links to the record)."""
    ctx = _Autoescape()
    out = []
    for obj, values in rows:
        cells = []
        for i, value in enumerate(values):
            text = render_value_in_context(value, ctx)
            if i == 0:
                cells.append(f'<td><a href="{conditional_escape(url(obj))}">{text}</a></td>')
            else:
                cells.append(f"<td>{text}</td>")
        out.append(f"\n    <tr>{''.join(cells)}</tr>\n  ")
    if not rows:
        out.append(f'\n    <tr><td colspan="{width}" class="muted">暂无记录</td></tr>\n  ')
    return mark_safe("".join(out))  # noqa: S308 (every value escaped above)


def filter_summary(form: Any) -> list[tuple[str, str]]:
    """The filters a list was narrowed by, as (label, value) in words."""
    out = []
    for bf in form:
        value = bf.value()
        if value in (None, "", [], ()):
            continue
        text = str(value)
        choices = getattr(bf.field, "choices", None)
        if choices is not None:
            labels = {str(k): str(v) for k, v in choices}
            text = labels.get(str(value), text)
        out.append((str(bf.label), text))
    return out


class DetailView(ResourceView):
    template_name = "core/generic/detail.html"

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        r = self.resource
        obj = self.get_object(pk)
        viewer = pii.Viewer(request.user, r.model)
        fields = [
            (column_label(r.model, n), self._shown(viewer, obj, n))
            for n in ["township", *r.fields]
            if _has(r.model, n)
        ]
        fields += [(label, fn(obj)) for label, fn in r.detail_extra]
        children = []
        from fazhi.core import resources as registry

        for slug, fk in r.children:
            child = (
                registry.get(r.app_label, slug)
                if ":" not in slug
                else registry.get(*slug.split(":"))
            )
            qs = child.queryset(request.user).filter(**{fk: obj})[:200]
            cols = [(n, column_label(child.model, n)) for n in child.list_columns]
            children.append(
                {
                    "resource": child,
                    "columns": cols,
                    "rows": [(c, [display_value(c, n) for n, _ in cols]) for c in qs],
                    "can_add": scope.has_any(request.user, ADD, child.model),
                    "fk": fk,
                }
            )
        history = history_for(obj).filter(scope_history(request.user))[:20]
        attachments_panel = ""
        if _has(r.model, "township"):
            from django.template.loader import render_to_string

            from fazhi.core.views.attachments import _panel

            attachments_panel = render_to_string(
                "core/records/_attachments.html", _panel(request, obj), request=request
            )
        return render(
            request,
            r.detail_template or self.template_name,
            self.context(
                obj=obj,
                fields=fields,
                children=children,
                history=history,
                events=events_for(obj)[:20],
                attachments_panel=attachments_panel,
                can_change=scope.visible(request.user, obj, CHANGE),
                can_delete=scope.visible(request.user, obj, DELETE),
            ),
        )

    @staticmethod
    def _shown(viewer: pii.Viewer, obj: Any, name: str) -> Any:
        value = display_value(obj, name)
        if name not in viewer.fields:
            return value
        from fazhi.core.views.pii import masked_html

        # masked for everyone, like a party's phone; a 显示 button (recorded) for view_pii holders
        return masked_html(obj, name, pii.mask(value), can_reveal=viewer.can(obj))


def scope_history(user: Any) -> models.Q:
    """History rows are filtered by the same township scope as the records."""
    from fazhi.core.models import ChangeRecord

    return scope.scope_filter(user, VIEW, ChangeRecord)


def _has(model: type[models.Model], name: str) -> bool:
    """Does the model have this field of its own (a reverse relation does not count: a county's
    townships are not a "township" field of the county)?"""
    try:
        field = model._meta.get_field(name)
    except Exception:
        return False
    return not (field.auto_created and not field.concrete)


class EditView(ResourceView):
    template_name = "core/generic/form.html"

    def get_form(self, obj: Any = None):
        form_class = form_for(self.resource)
        initial = {k: v for k, v in self.request.GET.items() if k in form_class.base_fields}
        return form_class(
            self.request.POST or None,
            self.request.FILES or None,
            instance=obj,
            initial=initial,
            user=self.request.user,
        )

    def get(self, request: HttpRequest, pk: Any = None) -> HttpResponse:
        obj = self._load(pk)
        return render(request, self.template_name, self.context(form=self.get_form(obj), obj=obj))

    def _load(self, pk: Any) -> Any:
        if pk is None:
            if not scope.has_any(self.request.user, ADD, self.resource.model):
                raise PermissionDenied("您的角色无权新建该记录。")
            return None
        return self.get_object(pk, CHANGE)

    def post(self, request: HttpRequest, pk: Any = None) -> HttpResponse:
        r = self.resource
        obj = self._load(pk)
        form = self.get_form(obj)
        if form.is_valid():
            data = form.changed_data_dict()
            try:
                if obj is None:
                    create = r.create or services.create_object
                    saved = create(r.model, data, actor=request.user)
                    messages.success(request, f"已新建{r.label_singular}：{saved}")
                else:
                    update = r.update or services.update_object
                    saved = update(
                        obj,
                        data,
                        actor=request.user,
                        expected_version=form.cleaned_data.get("version"),
                    )
                    messages.success(request, f"已保存{r.label_singular}：{saved}")
                return HttpResponseRedirect(r.url("detail", saved))
            except services.ConflictError as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                apply_errors(form, exc)
        return render(request, self.template_name, self.context(form=form, obj=obj), status=400)


class DeleteView(ResourceView):
    template_name = "core/generic/confirm_delete.html"

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        obj = self.get_object(pk, DELETE)
        return render(request, self.template_name, self.context(obj=obj))

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        r = self.resource
        obj = self.get_object(pk, DELETE)
        try:
            version = services.parse_version(request.POST.get("version"))
            delete = r.delete or services.delete_object
            delete(obj, actor=request.user, expected_version=version)
        except (services.ConflictError, ValidationError) as exc:
            message = (
                str(exc) if isinstance(exc, services.ConflictError) else "；".join(exc.messages)
            )
            return render(
                request, self.template_name, self.context(obj=obj, error=message), status=400
            )
        messages.success(request, f"已删除{r.label_singular}：{obj}")
        return HttpResponseRedirect(r.url("list"))


class HistoryView(ResourceView):
    template_name = "core/generic/history.html"

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        obj = self.get_object(pk)
        history = history_for(obj).filter(scope_history(request.user))
        page = Paginator(history, 100).get_page(request.GET.get("page"))
        return render(
            request, self.template_name, self.context(obj=obj, page=page, events=events_for(obj))
        )
