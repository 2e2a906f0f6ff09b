from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    from fazhi.core import help as help_registry
    from fazhi.core.resources import navigation_for

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    topic = help_registry.for_path(request.path)
    return {"nav_groups": navigation_for(user), "help_topic": topic}
