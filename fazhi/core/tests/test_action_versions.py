"""Every workflow form on every record page refuses a post without the version it read.

On the demo, as the township operator and the 司法所 officer of 寺庄镇: the detail page of records
of every resource (one per status, so different next actions show) and the pages it links below
the record's own path (/petitions/12/do/accept/ …) are read; every POST form on them is filled
as a clerk would (the values it shows, a date, the first choice, some text) and posted twice,
each time inside a savepoint that is rolled back:

- without `version`: it must not succeed (no redirect), must answer 400 or 409 and write no change
  record; a success here is a lost update waiting to happen (DEVELOPERS.md: "A write without the
  version it read is refused");
- with the version the page showed: counted when it succeeds, so the test proves it reached real
  actions (a floor below), not only forms that failed on their other fields.

Forms that add a new record beside the case rather than change one a person read (an attachment,
a comment) are listed in CREATES with the reason.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.urls import NoReverseMatch
from django.utils import timezone

from fazhi.core import demo, resources
from fazhi.core.models import ChangeRecord
from fazhi.core.roles import CHANGE
from fazhi.core.tests.test_walk import demo_loaded  # noqa: F401 (fixture)

#: POST routes that create a new row rather than change one the page showed: no version to carry
CREATES = (
    "/attachments/",  # a new attachment beside the record
    "/accounts/logout/",
    # governance: a meeting's follow-up task is a new Task (with its own deadline) beside the
    # meeting; the meeting itself is not changed, so there is no version of it to carry
    "/followup/",
)
#: linked pages below a record's path that are not forms of an action
NOT_ACTIONS = ("/edit/", "/history/", "/export/", "/template/", ".docx", "/print/", "/receipt/")
#: records read per resource (one per status value)
PER_RESOURCE = 6


class _Forms(HTMLParser):
    """The POST forms of a page: action and the fields with the values a clerk would send."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._form: tuple[str, dict[str, str]] | None = None
        self._select: str | None = None
        self._select_value: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self._form = (a.get("action", ""), {})
            return
        if self._form is None:
            return
        fields = self._form[1]
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "reset"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a or (kind == "radio" and name not in fields):
                    fields[name] = a.get("value", "on")
                return
            value = a.get("value", "")
            if not value:
                value = {
                    "date": timezone.localdate().isoformat(),
                    "datetime-local": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
                    "number": "1",
                    "hidden": "",
                }.get(kind, "测试")
            fields[name] = value
        elif tag == "select" and name:
            self._select, self._select_value = name, None
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if "selected" in a or (self._select_value in (None, "") and value):
                self._select_value = value
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name] = "测试意见"

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select and self._form is not None:
            self._form[1][self._select] = self._select_value or ""
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None

    def handle_data(self, data: str) -> None:
        if self._textarea and self._form is not None and data.strip():
            self._form[1][self._textarea] = data


def post_forms(html: str, page: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Forms()
    parser.feed(html)
    found = []
    for action, fields in parser.forms:
        target = action or page
        if any(part in target for part in CREATES):
            continue
        fields.pop("csrfmiddlewaretoken", None)
        found.append((target, fields))
    return found


def records(user: User) -> list[tuple[str, object]]:
    """(detail path, record) of up to PER_RESOURCE records per resource the user may change."""
    out = []
    for r in resources.all_resources():
        qs = r.queryset(user, CHANGE)
        field_names = {f.name for f in r.model._meta.fields}
        chosen: dict[object, object] = {}
        for obj in qs.order_by("pk")[:200]:
            key = getattr(obj, "status", None) if "status" in field_names else None
            chosen.setdefault(key, obj)
            if len(chosen) >= PER_RESOURCE:
                break
        for obj in chosen.values():
            try:
                out.append((r.url("detail", obj), obj))
            except NoReverseMatch:  # a resource without a detail page
                pass
    return out


def _posted(client, url: str, data: dict[str, str]) -> tuple[int, int, str]:
    """Post inside a savepoint that is rolled back: (status, change records written, text)."""
    with transaction.atomic():
        before = ChangeRecord.objects.count()
        response = client.post(url, data)
        written = ChangeRecord.objects.count() - before
        transaction.set_rollback(True)
    return response.status_code, written, response.content.decode("utf-8", "replace")


def actors() -> list[str]:
    names = [
        login.username for login in demo.demo_logins() if login.username.startswith("sizhuang_")
    ]
    return [n for n in names if not n.endswith(("_viewer", "_admin"))]


@pytest.mark.django_db
def test_every_record_form_refuses_a_post_without_its_version(demo_loaded, client):  # noqa: F811
    client.raise_request_exception = False
    accepted_without: list[str] = []
    succeeded_with = 0
    tried: set[tuple[str, str]] = set()
    for username in actors():
        user = User.objects.get(username=username)
        client.force_login(user)
        for path, _obj in records(user):
            response = client.get(path)
            if response.status_code != 200:
                continue
            html = response.content.decode()
            pages = [(path, html)]
            for link in sorted(set(re.findall(r'href="(' + re.escape(path) + r'[^"#?]+)"', html))):
                if any(part in link for part in NOT_ACTIONS):
                    continue
                sub = client.get(link)
                if sub.status_code == 200 and sub.get("Content-Type", "").startswith("text/html"):
                    pages.append((link, sub.content.decode()))
            for page, page_html in pages:
                for url, fields in post_forms(page_html, page):
                    route = re.sub(r"\d+", "N", urlsplit(url).path)
                    if (username, route) in tried:
                        continue
                    tried.add((username, route))
                    without = {k: v for k, v in fields.items() if k != "version"}
                    status, written, text = _posted(client, url, without)
                    if status in (301, 302, 303) or written:
                        accepted_without.append(
                            f"[{username}] {url} (from {page}): {status}, {written} change records"
                        )
                    elif status < 500:
                        assert status in (400, 403, 404, 409), (url, status)
                    if "version" in fields:
                        ok, _, _ = _posted(client, url, fields)
                        succeeded_with += ok in (301, 302, 303)
    assert not accepted_without, "posts without a version were accepted:\n" + "\n".join(
        accepted_without
    )
    # the forms were real: this many actions went through with the version the page showed
    assert succeeded_with >= 20, succeeded_with
