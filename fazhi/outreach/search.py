"""What the global search finds in the outreach module: 普法 events, legal-aid applications (by
number and matter — not by the applicant's phone), 法律明白人 by name and village."""

from fazhi.core.search import Searchable, register
from fazhi.outreach.models import Event, LegalAidApplication, LegalUnderstander

register(
    Searchable(
        Event,
        "普法活动",
        ["title", "venue", "village__name"],
        summary=lambda e: (
            f"{e.held_on:%Y-%m-%d}；{e.get_channel_display()}；受教育{e.audience}人次"
        ),
        select_related=["township", "village"],
        ordering=["-held_on", "-pk"],
        order=63,
    )
)
register(
    Searchable(
        LegalAidApplication,
        "法律援助申请",
        ["number", "matter"],
        title=lambda a: a.number or str(a),
        summary=lambda a: (
            f"{a.received_on:%Y-%m-%d}；{a.get_category_display()}；{a.get_status_display()}"
        ),
        select_related=["township"],
        ordering=["-received_on", "-pk"],
        order=64,
    )
)
register(
    Searchable(
        LegalUnderstander,
        "法律明白人",
        ["name", "village__name"],
        summary=lambda u: (
            f"{u.village}；{u.occupation or '—'}；{'在册' if u.is_active else '已退出'}"
        ),
        select_related=["township", "village"],
        ordering=["village__name", "name"],
        order=65,
    )
)
