"""The project's URLs plus the baselines the bench scripts measure against (never deployed)."""

from django.db import connection
from django.http import Http404, JsonResponse
from django.urls import path

from fazhi.urls import urlpatterns as project

ROWS = [
    {"id": i, "number": f"〔2025〕基准镇调字第{i}号", "status": "mediating", "kind": "neighbour"}
    for i in range(50)
]


def bare(request):
    """A bare Django JSON view: 50 constant rows, no database."""
    return JsonResponse({"results": ROWS})


def one_row(request, pk: int):
    """A Django view reading one row of the dispute table by primary key."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, number, status, kind, received_on, description FROM disputes_dispute "
            "WHERE id = %s",
            [pk],
        )
        row = cursor.fetchone()
    if row is None:
        raise Http404
    keys = ("id", "number", "status", "kind", "received_on", "description")
    return JsonResponse(dict(zip(keys, [str(v) for v in row], strict=True)))


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/one/<int:pk>/", one_row),
    *project,
]
