"""What the global search finds in the disputes module (fazhi.core.search)."""

from fazhi.core.search import Searchable, register
from fazhi.disputes.models import Dispute

register(
    Searchable(
        Dispute,
        "矛盾纠纷",
        ["number", "title", "village__name", "parties__name"],
        title=lambda d: f"{d.number} {d.title}",
        summary=lambda d: "；".join(
            x
            for x in (
                f"{d.received_on:%Y-%m-%d}登记",
                d.get_status_display(),
                d.get_kind_display(),
                d.village.name if d.village_id else "",
                str(d.township),
            )
            if x
        ),
        select_related=["township", "village"],
        ordering=["-received_on", "-pk"],
        order=20,
    )
)
