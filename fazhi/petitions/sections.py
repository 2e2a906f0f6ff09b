"""信访: what this module publishes on the public portal (政务公开, fazhi/portal/sections.py).
Imported by the app's ready()."""

from __future__ import annotations

from fazhi.portal.sections import Section, register

register(
    Section(
        key="petitions.lookup",
        title="信访事项查询",
        description="凭受理回执上的编号和查询码查看信访事项的办理进度，并对办理结果作出评价。",
        url_name="petitions_portal:lookup",
        order=80,
    )
)
