"""涉企检查: what this module publishes on the public portal (政务公开, fazhi/portal/sections.py).
Imported by the app's ready()."""

from __future__ import annotations

from fazhi.portal.sections import Section, register

register(
    Section(
        key="inspections.check",
        title="涉企检查码核验",
        description="企业凭检查码核验入企检查是否经过登记、检查人员是否具备执法资格。",
        url_name="inspections_portal:check",
        order=85,
    )
)
register(
    Section(
        key="inspections.random",
        title="“双随机、一公开”抽查",
        description="抽查计划、抽取结果及其可复核的抽取方法。",
        url_name="inspections_portal:plans",
        order=20,
    )
)
