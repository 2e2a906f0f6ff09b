"""A reusable test suite for a resource, declared with data (NetBox's idea).

    class TestVillages(ResourceSuite):
        resource_key = "core:villages"
        def make(self, cast, township): return Village.objects.create(township=township, name="某村")
        def new_data(self, cast): return {"township": cast.a, "name": "新村", "kind": "village"}
        changes = {"name": "改名村"}

Every test runs for pages and API: list/detail scope, other township → 404, no role → 403,
viewer can't write, county supervisor reads but can't write, create/update/delete write
history with before/after, stale version → conflict, dropdowns scoped, Excel export re-imports
unchanged, a bad import lists row and column and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import models
from openpyxl import load_workbook

from fazhi.core import resources
from fazhi.core.models import ChangeRecord


def form_value(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None:
        return ""
    return value


def form_payload(data: dict[str, Any], version: int | None = None) -> dict[str, Any]:
    payload = {}
    for key, value in data.items():
        if value is False:
            continue
        payload[key] = "on" if value is True else form_value(value)
    if version is not None:
        payload["version"] = version
    return payload


def act(client: Any, url: str, obj: models.Model, data: dict[str, Any] | None = None) -> Any:
    """Post a workflow action on `obj` as its page does: with the version the page showed (the
    row's current one), so a test exercises the action and not the version check."""
    obj.refresh_from_db(fields=["version"])
    return client.post(url, {**(data or {}), "version": obj.version})


def shown_form_data(form: Any) -> dict[str, Any]:
    """What a browser posts back for an unbound form as the page showed it (its initial
    values): the edit page's form submitted with one field changed."""
    data: dict[str, Any] = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if value is True:
            data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        else:
            data[name] = str(value)
    return data


def save_queries(send: Any) -> int:
    """The queries one save makes (`send()` returns the response, which must not be an error)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = send()
    assert response.status_code in (200, 201, 302), response.content[:500]
    return len(captured.captured_queries)


def api_payload(data: dict[str, Any]) -> dict[str, Any]:
    return {k: None if v is None else form_value(v) for k, v in data.items()}


@pytest.mark.django_db
class ResourceSuite:
    resource_key: str = ""
    writer: str = "a_operator"
    changes: dict[str, Any] = {}
    #: the field whose text identifies a row in list pages
    label_field: str = "name"

    def make(
        self, cast: Any, township: Any
    ) -> models.Model:  # pragma: no cover - declared by subclasses
        raise AssertionError("declare make()")

    def new_data(self, cast: Any) -> dict[str, Any]:  # pragma: no cover
        raise AssertionError("declare new_data()")

    # --- helpers ---------------------------------------------------------------------------
    @property
    def resource(self) -> resources.Resource:
        return resources.get(*self.resource_key.split(":"))

    def url(self, view: str, obj: Any = None) -> str:
        return self.resource.url(view, obj)

    def api_url(self, obj: Any = None) -> str:
        base = f"/api/{self.resource.app_label}/{self.resource.slug}/"
        return f"{base}{obj.pk}/" if obj is not None else base

    def history(self, obj: Any) -> models.QuerySet:
        ct = ContentType.objects.get_for_model(obj)
        return ChangeRecord.objects.filter(content_type=ct, object_id=str(obj.pk))

    def snapshot(self, obj: Any) -> dict[str, Any]:
        fresh = type(obj)._default_manager.get(pk=obj.pk)
        return {f.attname: getattr(fresh, f.attname) for f in fresh._meta.concrete_fields}

    # --- pages -----------------------------------------------------------------------------
    def test_list_shows_only_own_township(self, cast, login):
        mine, theirs = self.make(cast, cast.a), self.make(cast, cast.b)
        response = login(getattr(cast, self.writer)).get(self.url("list"))
        assert response.status_code == 200
        ids = [obj.pk for obj, _ in response.context["rows"]]
        assert mine.pk in ids and theirs.pk not in ids

    def test_list_page_queries_do_not_grow_with_rows(self, cast, login):
        """The same queries for 1 row as for 5, with the filter dropdowns' choices built (the
        first view after a write, core.dropdowns) and with them cached (every other view)."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from fazhi.core import dropdowns

        def views() -> tuple[Any, Any]:
            dropdowns.forget()
            with CaptureQueriesContext(connection) as built:
                assert client.get(self.url("list")).status_code == 200
            with CaptureQueriesContext(connection) as cached:
                assert client.get(self.url("list")).status_code == 200
            return built, cached

        client = login(getattr(cast, self.writer))
        self.make(cast, cast.a)
        client.get(self.url("list"))  # warm caches (content types, sessions)
        few, few_cached = views()
        for _ in range(4):
            self.make(cast, cast.a)
        many, many_cached = views()
        assert len(many) == len(few), [q["sql"] for q in many.captured_queries][len(few) :]
        assert len(many_cached) == len(few_cached), [
            q["sql"] for q in many_cached.captured_queries
        ][len(few_cached) :]
        assert len(many_cached) <= len(many)

    def test_api_queries_do_not_grow_with_rows(self, cast, api):
        """The API list (what each row's serializer reads is prefetched) and the API detail
        (no FilterSet, no dropdowns) cost the same number of queries for 1 row as for 5."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client = api(getattr(cast, self.writer))
        first = self.make(cast, cast.a)
        url = self.api_url()
        client.get(url)  # warm caches (content types)
        with CaptureQueriesContext(connection) as few:
            assert client.get(url).status_code == 200
        for _ in range(4):
            self.make(cast, cast.a)
        with CaptureQueriesContext(connection) as many:
            assert client.get(url).status_code == 200
        assert len(many) == len(few), [q["sql"] for q in many.captured_queries][len(few) :]
        with CaptureQueriesContext(connection) as detail:
            assert client.get(self.api_url(first)).status_code == 200
        assert len(detail) <= len(few), [q["sql"] for q in detail.captured_queries]

    def test_list_without_role_is_403(self, cast, login):
        assert login(cast.nobody).get(self.url("list")).status_code == 403

    def test_other_township_gets_404_everywhere(self, cast, login):
        obj = self.make(cast, cast.a)
        before = self.snapshot(obj)
        client = login(cast.b_operator)
        for view in ("detail", "edit", "delete", "history"):
            assert client.get(self.url(view, obj)).status_code == 404, view
        payload = form_payload({**self.new_data(cast), **self.changes}, version=obj.version)
        assert client.post(self.url("edit", obj), payload).status_code == 404
        assert client.post(self.url("delete", obj), {"version": obj.version}).status_code == 404
        assert self.snapshot(obj) == before

    def test_viewer_cannot_write(self, cast, login):
        obj = self.make(cast, cast.a)
        before = self.snapshot(obj)
        client = login(cast.a_viewer)
        assert client.get(self.url("detail", obj)).status_code == 200
        assert client.get(self.url("add")).status_code == 403
        assert client.post(self.url("add"), form_payload(self.new_data(cast))).status_code == 403
        assert (
            client.post(self.url("edit", obj), form_payload(self.changes, obj.version)).status_code
            == 403
        )
        assert client.post(self.url("delete", obj), {"version": obj.version}).status_code == 403
        assert self.snapshot(obj) == before

    def test_county_supervisor_reads_all_townships_but_cannot_write(self, cast, login):
        a_row, b_row = self.make(cast, cast.a), self.make(cast, cast.b)
        client = login(cast.supervisor)
        ids = [obj.pk for obj, _ in client.get(self.url("list")).context["rows"]]
        assert a_row.pk in ids and b_row.pk in ids
        assert (
            client.post(
                self.url("edit", a_row), form_payload(self.changes, a_row.version)
            ).status_code
            == 403
        )

    def test_create_writes_history(self, cast, login):
        response = login(getattr(cast, self.writer)).post(
            self.url("add"), form_payload(self.new_data(cast))
        )
        assert response.status_code == 302, (
            getattr(response, "context", {}) and response.context["form"].errors
        )
        obj = self.resource.model._default_manager.latest("pk")
        assert obj.township_id == cast.a.pk
        record = self.history(obj).get()
        assert record.action == "create" and record.actor == getattr(cast, self.writer)
        assert record.request_id

    def test_update_records_before_and_after(self, cast, login):
        obj = self.make(cast, cast.a)
        data = {k: v for k, v in self.new_data(cast).items() if k != "township"}
        data.update(self.changes)
        response = login(getattr(cast, self.writer)).post(
            self.url("edit", obj), form_payload(data, obj.version)
        )
        assert response.status_code == 302, response.context and response.context["form"].errors
        record = self.history(obj).filter(action="update").get()
        for name in self.changes:
            assert name in record.changes
        fresh = type(obj)._default_manager.get(pk=obj.pk)
        assert fresh.version == obj.version + 1

    def test_stale_edit_is_refused(self, cast, login):
        obj = self.make(cast, cast.a)
        type(obj)._default_manager.filter(pk=obj.pk).update(
            version=obj.version + 1
        )  # someone else saved
        data = {k: v for k, v in self.new_data(cast).items() if k != "township"}
        data.update(self.changes)
        before = self.snapshot(obj)
        response = login(getattr(cast, self.writer)).post(
            self.url("edit", obj), form_payload(data, obj.version)
        )
        assert response.status_code == 400
        assert "已被他人修改" in response.content.decode()
        assert self.snapshot(obj) == before

    def test_write_without_version_is_refused(self, cast, login, api):
        """Issue 7 item 4: an edit or delete that does not say which version it read is refused
        (forms 400, API 428, services VersionRequired) and changes nothing; a version that is not
        a whole number is a 400 in Chinese."""
        from fazhi.core import services

        obj = self.make(cast, cast.a)
        before = self.snapshot(obj)
        writer = getattr(cast, self.writer)
        client = login(writer)
        data = {k: v for k, v in self.new_data(cast).items() if k != "township"}
        data.update(self.changes)
        response = client.post(self.url("edit", obj), form_payload(data))
        assert response.status_code == 400
        assert "版本号" in response.content.decode()
        for version in (None, "abc", "-1", "9223372036854775808"):
            payload = {} if version is None else {"version": version}
            response = client.post(self.url("delete", obj), payload)
            assert response.status_code == 400, version
            assert "版本号" in response.content.decode()
        rest = api(writer)
        response = rest.patch(self.api_url(obj), api_payload(self.changes), format="json")
        assert response.status_code == 428 and "版本号" in response.json()["version"][0]
        response = rest.put(self.api_url(obj), api_payload(self.new_data(cast)), format="json")
        assert response.status_code in (400, 428)
        assert rest.delete(self.api_url(obj)).status_code == 428
        for version in ("abc", "-1", "9223372036854775808"):
            response = rest.delete(f"{self.api_url(obj)}?version={version}")
            assert response.status_code == 400, version
            assert "版本号" in response.json()["version"][0]
        update = self.resource.update or services.update_object
        delete = self.resource.delete or services.delete_object
        with pytest.raises(services.VersionRequired):
            update(obj, dict(self.changes), actor=writer, expected_version=None)
        with pytest.raises(services.VersionRequired):
            delete(obj, actor=writer, expected_version=None)
        assert self.snapshot(obj) == before

    def test_delete_writes_history(self, cast, login):
        obj = self.make(cast, cast.a)
        response = login(getattr(cast, self.writer)).post(
            self.url("delete", obj), {"version": obj.version}
        )
        assert response.status_code == 302
        assert not type(obj)._default_manager.filter(pk=obj.pk).exists()
        assert self.history(obj).filter(action="delete").exists()

    def test_history_panel_shows_changes(self, cast, login):
        obj = self.make(cast, cast.a)
        client = login(getattr(cast, self.writer))
        data = {k: v for k, v in self.new_data(cast).items() if k != "township"}
        data.update(self.changes)
        client.post(self.url("edit", obj), form_payload(data, obj.version))
        response = client.get(self.url("history", obj))
        assert response.status_code == 200
        assert any(r.action == "update" for r in response.context["page"])

    def test_form_dropdowns_exclude_other_townships(self, cast, login):
        self.make(cast, cast.b)
        form = login(getattr(cast, self.writer)).get(self.url("add")).context["form"]
        for name, field in form.fields.items():
            queryset = getattr(field, "queryset", None)
            if (
                queryset is not None
                and hasattr(queryset.model, "township_id")
                and name != "township"
            ):
                assert not queryset.filter(township=cast.b).exists(), name

    # --- API -------------------------------------------------------------------------------
    def test_api_is_scoped(self, cast, api):
        mine, theirs = self.make(cast, cast.a), self.make(cast, cast.b)
        client = api(getattr(cast, self.writer))
        ids = [row["id"] for row in client.get(self.api_url()).json()["results"]]
        assert mine.pk in ids and theirs.pk not in ids
        assert client.get(self.api_url(theirs)).status_code == 404
        assert (
            client.patch(self.api_url(theirs), api_payload(self.changes), format="json").status_code
            == 404
        )
        assert client.delete(self.api_url(theirs)).status_code == 404
        assert api(cast.nobody).get(self.api_url()).status_code == 403

    def test_api_create_in_other_township_is_refused(self, cast, api):
        data = {**self.new_data(cast), "township": cast.b}
        count = self.resource.model._default_manager.count()
        response = api(getattr(cast, self.writer)).post(
            self.api_url(), api_payload(data), format="json"
        )
        assert response.status_code in (400, 403)
        assert self.resource.model._default_manager.count() == count

    def test_api_create_update_and_conflict(self, cast, api):
        client = api(getattr(cast, self.writer))
        response = client.post(self.api_url(), api_payload(self.new_data(cast)), format="json")
        assert response.status_code == 201, response.json()
        obj = self.resource.model._default_manager.get(pk=response.json()["id"])
        ok = client.patch(
            self.api_url(obj), {**api_payload(self.changes), "version": obj.version}, format="json"
        )
        assert ok.status_code == 200, ok.json()
        stale = client.patch(
            self.api_url(obj), {**api_payload(self.changes), "version": obj.version}, format="json"
        )
        assert stale.status_code == 409
        assert (
            api(cast.a_viewer)
            .patch(self.api_url(obj), api_payload(self.changes), format="json")
            .status_code
            == 403
        )

    # --- Excel -----------------------------------------------------------------------------
    def test_export_reimports_unchanged(self, cast, login):
        self.make(cast, cast.a)
        self.make(cast, cast.b)
        client = login(getattr(cast, self.writer))
        response = client.get(self.url("export"))
        assert response.status_code == 200
        content = response.content
        from fazhi.core import io

        before = ChangeRecord.objects.count()
        result = io.import_workbook(
            self.resource, BytesIO(content), actor=getattr(cast, self.writer)
        )
        assert result.errors == []
        assert result.created == 0 and result.updated == 0 and result.unchanged >= 1
        assert ChangeRecord.objects.count() == before

    def test_bad_import_lists_errors_and_writes_nothing(self, cast, login):
        from openpyxl import Workbook

        from fazhi.core import io

        wb = Workbook()
        ws = wb.active
        ws.append(io.headers(self.resource))
        ws.append([None, "不存在的乡镇", *[None] * (len(io.headers(self.resource)) - 2)])
        buffer = BytesIO()
        wb.save(buffer)
        buffer.seek(0)
        count = self.resource.model._default_manager.count()
        result = io.import_workbook(self.resource, buffer, actor=getattr(cast, self.writer))
        assert result.errors and result.errors[0].row == 2 and result.errors[0].column
        assert self.resource.model._default_manager.count() == count


# --- records written only by their module's workflow ---------------------------------
@pytest.mark.django_db
class ReadOnlyResourceSuite(ResourceSuite):
    """The reusable resource suite for records written only by their module's workflow services
    (merge records, a petition's opinions, transfers and further petitioners).

    Their pages, API and Excel are read-only for every role (`scope_write_roles = frozenset()`), so
    a generic form cannot bypass the transition table. The suite keeps every isolation test of
    `core.testing.ResourceSuite` (list scope, other township → 404 on every page and the API, no
    role → 403, county supervisor reads, API scoped, a bad import writes nothing) and replaces the
    generic write tests by: writes through pages, API and Excel are refused for every role
    (platform admin included) and change nothing; the history page shows the record the workflow
    wrote.

        class TestOpinions(ReadOnlyResourceSuite):
            resource_key = "petitions:opinions"
            def make(self, cast, township): ...            # a row (may be written directly)
            def new_data(self, cast): ...                  # what a form would post
            def made_by_workflow(self, cast): ...          # a row written by the services"""

    def made_by_workflow(self, cast: Any) -> Any:  # pragma: no cover - declared by subclasses
        raise AssertionError("declare made_by_workflow()")

    # the generic write tests do not apply: writes are refused (see below)
    test_stale_edit_is_refused = None
    test_form_dropdowns_exclude_other_townships = None
    test_api_create_update_and_conflict = None
    test_write_without_version_is_refused = None

    def _writers(self, cast: Any) -> list[Any]:
        return [getattr(cast, self.writer), cast.admin]

    def test_api_is_scoped(self, cast, api):
        """Reads are scoped (other township → 404). A write is refused before any lookup, so
        another township's row and a row that does not exist get the same 403: no oracle."""
        mine, theirs = self.make(cast, cast.a), self.make(cast, cast.b)
        client = api(getattr(cast, self.writer))
        ids = [row["id"] for row in client.get(self.api_url()).json()["results"]]
        assert mine.pk in ids and theirs.pk not in ids
        assert client.get(self.api_url(theirs)).status_code == 404
        missing = type(theirs)(pk=theirs.pk + 1000)
        for obj in (theirs, missing):
            response = client.patch(self.api_url(obj), api_payload(self.changes), format="json")
            assert response.status_code == 403
            assert client.delete(self.api_url(obj)).status_code == 403
        assert api(cast.nobody).get(self.api_url()).status_code == 403

    def test_create_writes_history(self, cast, login, api):  # replaced: creation is refused
        count = self.resource.model._default_manager.count()
        for user in self._writers(cast):
            client = login(user)
            assert client.get(self.url("add")).status_code == 403
            assert (
                client.post(self.url("add"), form_payload(self.new_data(cast))).status_code == 403
            )
            response = api(user).post(
                self.api_url(), api_payload(self.new_data(cast)), format="json"
            )
            assert response.status_code == 403
        assert self.resource.model._default_manager.count() == count

    def test_update_records_before_and_after(self, cast, login, api):  # replaced: refused
        obj = self.make(cast, cast.a)
        before = self.snapshot(obj)
        for user in self._writers(cast):
            payload = form_payload({**self.new_data(cast), **self.changes}, obj.version)
            assert login(user).get(self.url("edit", obj)).status_code == 403
            assert login(user).post(self.url("edit", obj), payload).status_code == 403
            response = api(user).patch(
                self.api_url(obj),
                {**api_payload(self.changes), "version": obj.version},
                format="json",
            )
            assert response.status_code == 403
        assert self.snapshot(obj) == before
        assert not self.history(obj).exists()

    def test_delete_writes_history(self, cast, login, api):  # replaced: deletion is refused
        obj = self.make(cast, cast.a)
        for user in self._writers(cast):
            assert (
                login(user).post(self.url("delete", obj), {"version": obj.version}).status_code
                == 403
            )
            assert api(user).delete(self.api_url(obj)).status_code == 403
        assert type(obj)._default_manager.filter(pk=obj.pk).exists()

    def test_history_panel_shows_changes(self, cast, login):  # the workflow's record is shown
        obj = self.made_by_workflow(cast)
        response = login(getattr(cast, self.writer)).get(self.url("history", obj))
        assert response.status_code == 200
        assert any(r.action == "create" for r in response.context["page"])
        assert login(cast.b_operator).get(self.url("history", obj)).status_code == 404

    def test_export_reimports_unchanged(self, cast, login):  # export scoped; import refused
        self.make(cast, cast.a)
        self.make(cast, cast.b)
        client = login(getattr(cast, self.writer))
        response = client.get(self.url("export"))
        assert response.status_code == 200
        sheet = load_workbook(BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        township_col = list(rows[0]).index("乡镇")
        assert {row[township_col] for row in rows[1:]} == {cast.a.name}
        assert client.get(self.url("import")).status_code == 403
        from fazhi.core import io

        before = ChangeRecord.objects.count()
        count = self.resource.model._default_manager.count()
        result = io.import_workbook(
            self.resource, BytesIO(response.content), actor=getattr(cast, self.writer)
        )
        assert result.created == 0 and result.updated == 0
        assert ChangeRecord.objects.count() == before
        assert self.resource.model._default_manager.count() == count
