from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    from fazhi.core import help as help_registry
    from fazhi.core.resources import navigation_with_html

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    topic = help_registry.for_path(request.path)
    groups, html = navigation_with_html(user)
    context = {"nav_groups": groups, "nav_html": html, "help_topic": topic}
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name in HOME_PAGES:
        from fazhi.core.views.security import unread_count

        context["unread_notices"] = unread_count(user)
    return context


#: pages that remind a township's users of unread 通知公告
HOME_PAGES = frozenset({"core:home", "core:township", "core:my_deadlines"})
