"""What the global search finds in the party index: names only (never ID numbers or phones,
which would let a search confirm personal data); the hit shows them masked."""

from fazhi.core.search import Searchable, register
from fazhi.parties import pii
from fazhi.parties.models import Party

register(
    Searchable(
        Party,
        "当事人",
        ["name"],
        summary=lambda p: "；".join(
            x
            for x in (
                p.get_kind_display(),
                f"证件号码 {pii.mask_id(p.id_number)}" if p.id_number else "",
                f"电话 {pii.mask_phone(p.phone)}" if p.phone else "",
                str(p.township),
            )
            if x
        ),
        select_related=["township"],
        ordering=["name", "pk"],
        order=70,
    )
)
