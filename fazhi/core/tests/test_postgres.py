"""CI runs the whole suite a second time on PostgreSQL (scripts/test sets FAZHI_REQUIRE_POSTGRES=1
for that run), so a misconfigured DATABASE_URL cannot make CI run SQLite twice."""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.db import connection

REQUIRED = os.environ.get("FAZHI_REQUIRE_POSTGRES", "").strip() == "1"


@pytest.mark.skipif(not REQUIRED, reason="FAZHI_REQUIRE_POSTGRES is not set: the SQLite run")
@pytest.mark.django_db
def test_the_postgresql_run_really_uses_postgresql():
    assert connection.vendor == "postgresql", (
        f"FAZHI_REQUIRE_POSTGRES=1 but the tests run on {connection.vendor}: "
        "check DATABASE_URL / FAZHI_TEST_DATABASE_URL"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database(), current_setting('server_version_num')::int")
        database, version = cursor.fetchone()
    assert database.startswith("test_")  # Django's own test database, never the real one
    assert version >= 130000
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")  # off: settings.py, docs/performance.md
        assert cursor.fetchone()[0] == "off"


@pytest.mark.skipif(not REQUIRED, reason="FAZHI_REQUIRE_POSTGRES is not set: the SQLite run")
def test_postgresql_keeps_connections_open_between_requests():
    db = settings.DATABASES["default"]
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert db["CONN_MAX_AGE"] > 0
    # a `SELECT 1` per request only when FAZHI_CONN_HEALTH_CHECKS asks for it (docs/operations.md)
    assert db["CONN_HEALTH_CHECKS"] is False


@pytest.mark.django_db
def test_time_zone_and_text_round_trip_on_the_current_database(cast):
    """Both backends store Chinese text and aware datetimes the same way."""
    from fazhi.core.models import Village

    village = Village.objects.create(township=cast.a, name="〔2026〕扁担沟镇·村")
    fresh = Village.objects.get(pk=village.pk)
    assert fresh.name == "〔2026〕扁担沟镇·村"
    assert fresh.created_at.tzinfo is not None
    assert Village.objects.filter(name__contains="扁担沟").count() == 1
