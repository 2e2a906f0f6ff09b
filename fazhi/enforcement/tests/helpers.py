"""Small builders shared by the enforcement and inspections tests."""

from __future__ import annotations

import datetime as dt

from fazhi.enforcement.models import Certificate, EnforcementBody, Officer


def body_of(township, name: str | None = None) -> EnforcementBody:
    name = name or f"{township.name}综合行政执法大队"
    body, _ = EnforcementBody.objects.get_or_create(
        township=township, name=name, defaults={"kind": "comprehensive"}
    )
    return body


def officer(township, name: str, *, certified: bool = True, kind: str = "officer", body=None):
    body = body or body_of(township)
    person = Officer.objects.create(township=township, name=name, kind=kind, body=body)
    if certified and kind == "officer":
        Certificate.objects.create(
            township=township,
            officer=person,
            number=f"C{township.pk}-{Officer.objects.count()}-{name}",
            category="综合行政执法",
            issued_on=dt.date(2024, 1, 1),
            expires_on=dt.date(2029, 12, 31),
            checked_year=2025,
        )
    return person
