from django.urls import path

from fazhi.inspections import portal

app_name = "inspections_portal"

urlpatterns = [
    path("", portal.check, name="check"),
    path("rate/", portal.rate, name="rate"),
    path("plans/", portal.plans, name="plans"),
    path("plans/<int:pk>/", portal.plan, name="plan"),
    path("plans/<int:pk>/list.csv", portal.plan_list, name="plan_list"),
    path("plans/<int:pk>/result.csv", portal.plan_result, name="plan_result"),
    path("plans/verifier/draw.py", portal.verifier, name="verifier"),
]
