"""What the global search finds in the enforcement module (fazhi.core.search): case and
decision numbers, the party's name and the cause — never ID numbers or credit codes."""

from fazhi.core.search import Searchable, register
from fazhi.enforcement.models import EnforcementCase

register(
    Searchable(
        EnforcementCase,
        "行政执法案件",
        ["number", "decision_number", "party_name", "cause"],
        summary=lambda c: "；".join(
            x
            for x in (
                f"{c.filed_on:%Y-%m-%d}立案",
                c.get_status_display(),
                f"当事人{c.party_name}",
                str(c.township),
            )
            if x
        ),
        select_related=["township"],
        ordering=["-filed_on", "-pk"],
        order=30,
    )
)
