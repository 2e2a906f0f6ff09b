"""What the global search finds in the governance module: meetings, study sessions, tasks."""

from fazhi.core.search import Searchable, register
from fazhi.governance.models import Meeting, StudySession, Task

register(
    Searchable(
        Meeting,
        "法治建设会议",
        ["title", "agenda", "decisions"],
        summary=lambda m: f"{m.held_on:%Y-%m-%d}；{m.get_kind_display()}；{m.township}",
        select_related=["township"],
        ordering=["-held_on", "-pk"],
        order=60,
    )
)
register(
    Searchable(
        StudySession,
        "学法记录",
        ["topic", "speaker"],
        summary=lambda s: f"{s.held_on:%Y-%m-%d}；{s.get_kind_display()}；{s.township}",
        select_related=["township"],
        ordering=["-held_on", "-pk"],
        order=61,
    )
)
register(
    Searchable(
        Task,
        "法治建设任务",
        ["title", "department__name"],
        summary=lambda t: f"{t.department}；时限{t.due:%Y-%m-%d}；{t.get_status_display()}",
        select_related=["township", "department"],
        ordering=["-due", "-pk"],
        order=62,
    )
)
