"""Rules of the outreach module: the legal-aid steps at the township and the centre's review.

The township (司法所 / 公共法律服务站) receives an application and forwards it to the county
legal-aid centre, which reviews it and decides. All periods are [U] configurable defaults a
county adjusts through RuleOverride; the decision period follows 《法律援助法》第四十三条
("自收到法律援助申请之日起七日内进行审查，作出是否给予法律援助的决定") as the issue gives it,
counted from the day the township forwards the application.
"""

from __future__ import annotations

from fazhi.core.choices import DeadlineUnit
from fazhi.core.rules import DeadlineRule, register_rule

FORWARD = register_rule(
    DeadlineRule(
        code="outreach.legal_aid.forward",
        label="法律援助申请转交县法律援助中心",
        start_event="乡镇接收申请",
        length=3,
        unit=DeadlineUnit.WORKING_DAYS,
        citation="《法律援助法》第三十八条、第四十一条（乡镇接收、转交的时限由各地规定）",
        confidence="U",
    )
)
FORWARD_GREEN = register_rule(
    DeadlineRule(
        code="outreach.legal_aid.forward_green",
        label="绿色通道：困难群众法律援助申请转交",
        start_event="乡镇接收申请",
        length=1,
        unit=DeadlineUnit.DAYS,
        citation="《法律援助法》第四十四条（先行提供法律援助）；各地困难群众法律援助绿色通道",
        confidence="U",
    )
)
REVIEW = register_rule(
    DeadlineRule(
        code="outreach.legal_aid.review",
        label="法律援助中心审查并作出是否给予法律援助的决定",
        start_event="申请转交法律援助中心",
        length=7,
        unit=DeadlineUnit.DAYS,
        citation="《法律援助法》第四十三条",
        confidence="U",
    )
)
