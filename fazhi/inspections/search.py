"""What the global search finds in the inspections module (fazhi.core.search): inspection
numbers, the enterprise's name and village — never the enterprise's portal code."""

from fazhi.core.search import Searchable, register
from fazhi.inspections.models import Inspection

register(
    Searchable(
        Inspection,
        "涉企检查",
        ["number", "enterprise__name", "enterprise__village__name"],
        title=lambda i: " ".join(x for x in (i.number, i.enterprise.name) if x),
        summary=lambda i: "；".join(
            x
            for x in (
                f"计划{i.planned_on:%Y-%m-%d}",
                i.get_status_display(),
                i.get_kind_display(),
                str(i.township),
            )
            if x
        ),
        select_related=["township", "enterprise"],
        ordering=["-planned_on", "-pk"],
        order=35,
    )
)
