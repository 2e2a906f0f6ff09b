"""Token authentication for scripts and line systems: obtain a token, use it, scope still applies."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_token_is_issued_for_valid_credentials_and_scopes_the_api(cast):
    client = APIClient()
    response = client.post(
        "/api/auth/token/", {"username": "a_operator", "password": "pw-for-tests-0"}
    )
    assert response.status_code == 200
    token = response.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    names = {row["name"] for row in client.get("/api/core/villages/").json()["results"]}
    assert names == {"甲一村", "甲二村"}
    assert client.get(f"/api/core/villages/{cast.b1.pk}/").status_code == 404


def test_wrong_password_gets_no_token(cast):
    response = APIClient().post("/api/auth/token/", {"username": "a_operator", "password": "wrong"})
    assert response.status_code == 400
    assert "token" not in response.json()


def test_api_without_credentials_is_refused(cast):
    assert APIClient().get("/api/core/villages/").status_code in (401, 403)


def test_repeated_failures_lock_the_token_endpoint_too(cast, settings):
    client = APIClient()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/api/auth/token/", {"username": "a_viewer", "password": "wrong"})
    response = client.post(
        "/api/auth/token/", {"username": "a_viewer", "password": "pw-for-tests-0"}
    )
    assert response.status_code in (400, 403, 429)
    assert "token" not in (
        response.json()
        if response.headers.get("Content-Type", "").startswith("application/json")
        else {}
    )


def test_locked_out_token_request_is_429_in_chinese(cast, settings):
    client = APIClient()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/api/auth/token/", {"username": "a_viewer", "password": "wrong"})
    response = client.post(
        "/api/auth/token/", {"username": "a_viewer", "password": "pw-for-tests-0"}
    )
    assert response.status_code == 429
    assert "锁定" in response.json()["detail"]


def test_token_expires_after_the_configured_hours(cast, settings):
    import datetime as dt

    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    settings.FAZHI_TOKEN_TTL_HOURS = 2
    client = APIClient()
    response = client.post(
        "/api/auth/token/", {"username": "a_operator", "password": "pw-for-tests-0"}
    )
    body = response.json()
    assert "expires_at" in body
    client.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    assert client.get("/api/core/villages/").status_code == 200
    Token.objects.filter(key=body["token"]).update(
        created=timezone.now() - dt.timedelta(hours=2, seconds=1)
    )
    response = client.get("/api/core/villages/")
    assert response.status_code == 401
    assert "过期" in response.json()["detail"]
    fresh = APIClient().post(
        "/api/auth/token/", {"username": "a_operator", "password": "pw-for-tests-0"}
    )
    assert fresh.json()["token"] != body["token"]
