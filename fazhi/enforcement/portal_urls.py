from django.urls import path

from fazhi.enforcement import portal

app_name = "enforcement_portal"

urlpatterns = [
    path("", portal.index, name="index"),
    path("<int:township_id>/powers/", portal.powers, name="powers"),
    path("<int:township_id>/disclosures/", portal.disclosures, name="disclosures"),
]
