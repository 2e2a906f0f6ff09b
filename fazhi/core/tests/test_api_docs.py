"""The OpenAPI document and its browsable docs; no page loads anything from outside (no CDN)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS

from fazhi.core import resources

FAZHI_DIR = Path(__file__).resolve().parents[2]
EXTERNAL = re.compile(r"""(?:https?:)?//[a-z0-9.-]+""", re.IGNORECASE)
# resource-loading attributes and CSS imports that point off the server
EXTERNAL_LOAD = re.compile(
    r"""<(?:script|link|img|iframe|source|audio|video|embed|object)\b[^>]*?"""
    r"""\b(?:src|href|data|srcset)\s*=\s*["']?\s*(?:https?:)?//"""
    r"""|@import\s+(?:url\()?\s*["']?\s*(?:https?:)?//"""
    r"""|url\(\s*["']?\s*(?:https?:)?//""",
    re.IGNORECASE | re.DOTALL,
)


@pytest.fixture
def schema(tmp_path) -> dict:
    """The schema as `manage.py spectacular --fail-on-warn --validate` writes it."""
    GENERATOR_STATS.reset()  # warnings are cached process-wide; count this run's only
    target = tmp_path / "schema.json"
    call_command(
        "spectacular", fail_on_warn=True, validate=True, format="openapi-json", file=str(target)
    )
    return json.loads(target.read_text(encoding="utf-8"))


def test_schema_generates_without_warnings_and_validates(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "fazhi API"
    assert not GENERATOR_STATS, "drf-spectacular emitted warnings or errors"


def test_schema_covers_every_registered_resource(schema):
    paths = schema["paths"]
    missing = []
    for r in resources.all_resources():
        base = f"/api/{r.app_label}/{r.slug}/"
        if base not in paths or f"{base}{{id}}/" not in paths:
            missing.append(r.key)
    assert not missing, f"resources without API paths in the schema: {missing}"


def test_schema_declares_token_and_session_auth(schema):
    schemes = schema["components"]["securitySchemes"]
    assert {"tokenAuth", "cookieAuth"} <= set(schemes)


def test_schema_endpoint_serves_the_document(cast, login):
    response = login(cast.a_operator).get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert json.loads(response.content)["info"]["title"] == "fazhi API"


@pytest.mark.django_db
def test_schema_needs_a_login_and_says_so_in_chinese(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 401
    assert json.loads(response.content)["detail"] == "身份认证信息未提供。"


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
@pytest.mark.django_db
def test_docs_send_a_visitor_to_the_login_page(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"
    assert "登录" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_docs_pages_use_only_local_static_files(cast, login, path):
    response = login(cast.a_operator).get(path)
    assert response.status_code == 200
    page = response.content.decode()
    assert "drf_spectacular_sidecar" in page
    assert not EXTERNAL.findall(page), f"external URLs in {path}: {EXTERNAL.findall(page)}"
    for src in re.findall(r"""(?:src|href)=["']/static/([^"']+)["']""", page):
        assert finders.find(src), f"{path} references a missing static file: {src}"


def _template_files() -> list[Path]:
    return sorted(
        p for p in FAZHI_DIR.rglob("*.html") if "templates" in p.relative_to(FAZHI_DIR).parts
    )


def test_pattern_catches_the_usual_cdn_references():
    for text in (
        '<script src="https://cdn.jsdelivr.net/npm/htmx.org"></script>',
        "<link rel='stylesheet' href=//unpkg.com/x.css>",
        '<style>@import url("https://fonts.googleapis.com/css2");</style>',
        '<div style="background:url(http://x.example/a.png)"></div>',
    ):
        assert EXTERNAL_LOAD.search(text), text
    assert not EXTERNAL_LOAD.search("<script src=\"{% static 'vendor/htmx.min.js' %}\"></script>")
    assert not EXTERNAL_LOAD.search('<a href="https://www.gov.cn/">中国政府网</a>')


def test_no_template_loads_scripts_or_styles_from_outside():
    files = _template_files()
    assert any(p.name == "base.html" for p in files)
    offenders = [
        f"{p.relative_to(FAZHI_DIR)}: {m.group(0)[:80]}"
        for p in files
        for m in EXTERNAL_LOAD.finditer(p.read_text(encoding="utf-8"))
    ]
    assert not offenders, "templates load from outside the server:\n" + "\n".join(offenders)


def test_no_stylesheet_of_ours_loads_from_outside():
    offenders = [
        str(p.relative_to(FAZHI_DIR))
        for p in sorted(FAZHI_DIR.rglob("*.css"))
        if "static" in p.relative_to(FAZHI_DIR).parts
        and EXTERNAL_LOAD.search(p.read_text(encoding="utf-8"))
    ]
    assert not offenders


def _english_labels(html: str) -> list[str]:
    from django.contrib.auth.models import User

    from fazhi.core.tests.english import english_words

    return english_words(html, set(User.objects.values_list("username", flat=True)))


def test_building_the_schema_leaves_every_list_page_chinese(cast, login):
    """Generating the document once turned the filter labels English (Kind, Status, Source …) on
    every list page until a restart: the schema must not touch the FilterSets the pages use."""
    from fazhi.core.api.schema import clear_schema_cache

    client = login(cast.admin)
    clear_schema_cache()
    assert client.get("/api/schema/", HTTP_ACCEPT="application/json").status_code == 200
    call_command("spectacular", format="openapi-json", file=os.devnull)
    leaks = {}
    for r in resources.all_resources():
        response = client.get(r.url("list"))
        assert response.status_code == 200, r.key
        words = _english_labels(response.content.decode())
        if words:
            leaks[r.key] = words
    assert not leaks, leaks


def test_schema_describes_filters_with_their_chinese_labels(schema):
    described = [
        p.get("description", "")
        for path in schema["paths"].values()
        for p in path.get("get", {}).get("parameters", [])
        if p["name"] == "status"
    ]
    assert described and all(re.search(r"[\u4e00-\u9fff]", d) for d in described), described


def test_schema_is_built_once_per_process(cast, login, monkeypatch):
    from drf_spectacular.generators import SchemaGenerator

    from fazhi.core.api.schema import clear_schema_cache

    builds = []
    original = SchemaGenerator.get_schema

    def counting(self, *args, **kwargs):
        builds.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SchemaGenerator, "get_schema", counting)
    clear_schema_cache()
    client = login(cast.a_operator)
    first = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    second = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert len(builds) == 1


def test_every_write_documents_version_and_its_errors(schema):
    """Issue 7: the version parameter and the 400/403/404/409/428 answers are documented for
    every resource (the schemathesis run checks responses against them)."""
    for r in resources.all_resources():
        one = schema["paths"][f"/api/{r.app_label}/{r.slug}/{{id}}/"]
        for method in ("put", "patch", "delete"):
            assert {"400", "403", "404", "409", "428"} <= set(one[method]["responses"]), (
                r.key,
                method,
            )
        params = {p["name"]: p for p in one["delete"].get("parameters", [])}
        assert params["version"]["required"] is True, r.key
        listing = schema["paths"][f"/api/{r.app_label}/{r.slug}/"]["get"]["responses"]["200"]
        ref = listing["content"]["application/json"]["schema"]["$ref"]
        assert ref.split("/")[-1].startswith("Paginated"), r.key


def _component(schema: dict, ref: str) -> dict:
    return schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]


def _enum_values(schema: dict, prop: dict) -> set | None:
    """The values an enum property allows (None: not an enum)."""
    values: set = set()
    found = False
    for part in [prop, *prop.get("oneOf", []), *prop.get("allOf", [])]:
        if "$ref" in part:
            part = _component(schema, part["$ref"])
        if "enum" in part:
            found = True
            values.update(part["enum"])
    return values if found else None


def test_schema_describes_what_the_responses_hold(schema):
    """Issue 7, the OpenAPI audit (schemathesis checks responses against these): for every
    resource, each field backed by a nullable column is nullable, each choice field of a column
    that may be blank allows "", read-only fields (id, times, what the services set) are marked
    readOnly, and every operation documents the errors it can answer; the token endpoint
    documents 429."""
    from django.core.exceptions import FieldDoesNotExist

    from fazhi.core.api.generic import serializer_for

    problems = []
    for r in resources.all_resources():
        detail = schema["paths"][f"/api/{r.app_label}/{r.slug}/{{id}}/"]
        ok = detail["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        component = _component(schema, ok["$ref"])
        props = component["properties"]
        serializer = serializer_for(r)()
        for name, field in serializer.fields.items():
            prop = props.get(name)
            if prop is None:
                problems.append(f"{r.key}.{name}: 不在文档中")
                continue
            if field.read_only and not prop.get("readOnly"):
                problems.append(f"{r.key}.{name}: 只读字段未标 readOnly")
            source = name if field.source in (None, "", "*") else field.source
            try:
                column = r.model._meta.get_field(source)
            except FieldDoesNotExist:
                continue
            if getattr(column, "null", False) and not column.many_to_many:
                if not prop.get("nullable"):
                    problems.append(f"{r.key}.{name}: 可为空（null）却未标 nullable")
            values = _enum_values(schema, prop)
            if values is not None and column.blank and column.choices and "" not in values:
                problems.append(f'{r.key}.{name}: 可为空字符串，枚举却不含 ""')
        for name in ("id", "created_at", "updated_at"):
            if name in props and not props[name].get("readOnly"):
                problems.append(f"{r.key}.{name}: 未标 readOnly")
        listing = schema["paths"][f"/api/{r.app_label}/{r.slug}/"]
        expected = {
            ("get", False): {"200", "400", "403"},
            ("post", False): {"201", "400", "403"},
            ("get", True): {"200", "400", "403", "404"},
            ("put", True): {"200", "400", "403", "404", "409", "428"},
            ("patch", True): {"200", "400", "403", "404", "409", "428"},
            ("delete", True): {"204", "400", "403", "404", "409", "428"},
        }
        for (method, one), codes in expected.items():
            operation = (detail if one else listing).get(method)
            if operation is None:
                continue
            missing = codes - set(operation["responses"])
            if missing:
                problems.append(f"{r.key} {method.upper()}{' {id}' if one else ''}: 缺 {missing}")
    token = schema["paths"]["/api/auth/token/"]["post"]["responses"]
    assert {"200", "400", "429"} <= set(token)
    assert not problems, "\n".join(problems)
