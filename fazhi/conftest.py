"""The shared cast for every test: two townships of one county (and one of another), users in
each role, and logged-in clients. See fazhi/core/testing.py for the reusable resource suite."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User

from fazhi.core.choices import Role
from fazhi.core.models import County, Department, Membership, Township, Village


def pytest_configure(config) -> None:
    from django.conf import settings

    # argon2 is deliberately slow; tests create many users
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _user(username: str, role: str | None = None, **unit) -> User:
    user = User.objects.create_user(username, password="pw-for-tests-0", first_name=username)
    if role:
        Membership.objects.create(user=user, role=role, **unit)
    return user


@pytest.fixture
def cast(db):
    county = County.objects.create(name="测试县", province="测试省", city="测试市")
    other_county = County.objects.create(name="邻县", province="测试省", city="测试市")
    a = Township.objects.create(county=county, name="甲镇")
    b = Township.objects.create(county=county, name="乙镇")
    c = Township.objects.create(county=other_county, name="丙镇")
    a1 = Village.objects.create(township=a, name="甲一村")
    a2 = Village.objects.create(township=a, name="甲二村")
    b1 = Village.objects.create(township=b, name="乙一村")
    justice_a = Department.objects.create(township=a, name="甲镇司法所", kind="justice")
    return SimpleNamespace(
        county=county,
        other_county=other_county,
        a=a,
        b=b,
        c=c,
        a1=a1,
        a2=a2,
        b1=b1,
        justice_a=justice_a,
        admin=_user("platform", Role.PLATFORM_ADMIN),
        supervisor=_user("county_sup", Role.COUNTY_SUPERVISOR, county=county),
        a_admin=_user("a_admin", Role.TOWNSHIP_ADMIN, township=a),
        a_operator=_user("a_operator", Role.TOWNSHIP_OPERATOR, township=a),
        a_viewer=_user("a_viewer", Role.VIEWER, township=a),
        a_officer=_user("a_officer", Role.DEPARTMENT_OFFICER, township=a, department=justice_a),
        a1_mediator=_user("a1_mediator", Role.MEDIATOR, township=a, village=a1),
        a1_grid=_user("a1_grid", Role.GRID_WORKER, township=a, village=a1),
        b_operator=_user("b_operator", Role.TOWNSHIP_OPERATOR, township=b),
        nobody=_user("nobody"),
        today=dt.date(2025, 6, 16),
    )


@pytest.fixture
def login(client):
    """login(user) → a test client logged in as that user."""

    def _login(user: User):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def api(db):
    """api(user) → a DRF APIClient authenticated as that user."""
    from rest_framework.test import APIClient

    def _api(user: User) -> APIClient:
        c = APIClient()
        c.force_authenticate(user)
        return c

    return _api


@pytest.fixture(autouse=True)
def _fresh_dropdown_choices():
    """No filter dropdown choices cached by an earlier test (core.dropdowns keeps them per
    process; a rolled-back test's versions come back)."""
    from fazhi.core import dropdowns

    dropdowns.forget()
    yield
