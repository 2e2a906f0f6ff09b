"""行政执法: what this module publishes on the public portal (政务公开, fazhi/portal/sections.py).
Imported by the app's ready()."""

from __future__ import annotations

from fazhi.core.models import Township
from fazhi.portal.sections import Section, register


def _published_powers(township: Township) -> int:
    from fazhi.enforcement.models import Power

    return Power.objects.filter(
        township=township, is_active=True, published_on__isnull=False
    ).count()


register(
    Section(
        key="enforcement.powers",
        title="权责清单与执法主体",
        description="本乡镇依法行使的行政职权、执法主体及其依据。",
        township_url_name="enforcement_portal:powers",
        count=_published_powers,
        order=10,
    )
)
