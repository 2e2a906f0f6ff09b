"""What the global search finds in the petitions module (fazhi.core.search)."""

from fazhi.core.search import Searchable, register
from fazhi.petitions.models import Petition

register(
    Searchable(
        Petition,
        "信访事项",
        ["receipt_no", "subject", "petitioner__name", "village__name"],
        title=lambda p: f"{p.receipt_no} {p.subject}",
        summary=lambda p: "；".join(
            x
            for x in (
                f"{p.received_on:%Y-%m-%d}收到",
                p.get_status_display(),
                f"信访人{p.petitioner.name}" if p.petitioner_id else "",
                p.village.name if p.village_id else "",
                str(p.township),
            )
            if x
        ),
        select_related=["township", "petitioner", "village"],
        ordering=["-received_on", "-pk"],
        order=10,
    )
)
