"""重大行政决策: what this module publishes on the public portal (政务公开, fazhi/portal/sections.py).
Imported by the app's ready()."""

from __future__ import annotations

from fazhi.portal.sections import Section, register

register(
    Section(
        key="decisions.major",
        title="重大行政决策",
        description="重大行政决策事项目录、征求意见和决策结果。",
        url_name="decisions_portal:index",
        order=30,
    )
)
